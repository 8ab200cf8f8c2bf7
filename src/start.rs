//! How the process starts on Linux glibc, the platform of the plain build's start-up figures
//! (README, "Start-up"). Two things a scripted `tokensmith sign` paid for and never used:
//!
//! - **Rust's start-up** (`lang_start`) installs the handler that prints "has overflowed its
//!   stack". To place it, glibc's `pthread_getattr_np` opens and parses `/proc/self/maps` for
//!   the main thread's stack, and an alternate signal stack is mapped and later unmapped:
//!   with the rest of that start-up, 20 of a `sign`'s 80 system calls and 105,000 of its
//!   775,000 instructions (callgrind). The program therefore starts at [`main`] here
//!   (`#![no_main]` in `main.rs`), which does the part of that start-up tokensmith needs.
//! - **libm**: the loader opened and mapped all of it, for one function, `pow` (minijinja's
//!   `**` operator; a build without link-time optimisation calls `log` too). [`pow`] and
//!   [`log`] here are rust-lang's port of musl's, so the linker finds no use for libm and
//!   leaves it out (`--as-needed`); `.ci/run` checks that it stays out.
//!
//! Together they take 0.1 to 0.2 ms, about 12%, off each call (benches/cli_interleaved.py).
//! Elsewhere (musl, macOS, Windows) `main.rs` keeps Rust's own start-up.

use std::ffi::{c_char, c_int};
use std::io::Write as _;

/// The C runtime's entry into the program, in place of Rust's `lang_start`. It does what that
/// start-up does and tokensmith relies on:
/// - file descriptors 0, 1 and 2 are open ([`standard_fds`]), so a file the program opens
///   (the key store's temporary file) never becomes its standard output, nor a program it
///   starts (`$EDITOR`) that of its own;
/// - SIGPIPE is ignored ([`ignore_sigpipe`]) until the program decides: the commands end
///   quietly on a closed pipe (`cli::run`), and the workbench goes on;
/// - a panic ends the process with status 101, after the panic hook has printed it;
/// - standard output is flushed at the end;
/// - `std::env::args` works: glibc hands `argc` and `argv` to the standard library's own
///   initialiser as well.
///
/// What is given up: a stack overflow ends with SIGSEGV and no message, and a panic's message
/// calls the thread `<unnamed>`, not `main`.
#[allow(unsafe_code, reason = "`no_mangle` names this function `main` for the C runtime to call")]
#[cfg_attr(not(test), unsafe(no_mangle))]
#[cfg_attr(test, allow(dead_code, reason = "a test binary starts in the harness's own `main`"))]
extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
    standard_fds();
    ignore_sigpipe();
    let code = std::panic::catch_unwind(crate::cli::main).unwrap_or(101);
    let _ = std::io::stdout().flush();
    c_int::from(code)
}

/// Opens `/dev/null` on whichever of file descriptors 0, 1 and 2 is closed, as Rust's own
/// start-up does: one `poll` asks which are closed (`POLLNVAL`), and each open of `/dev/null`
/// takes the lowest free number, so they fill the gaps in order. Not close-on-exec, so that a
/// program tokensmith starts inherits them too. Without `/dev/null` the process aborts, as
/// Rust's start-up does: it must not run with a standard descriptor that any file may take.
fn standard_fds() {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    use rustix::fs::{Mode, OFlags, open};
    use std::os::fd::IntoRawFd as _;
    // rustix's handles, not std's: std's stdin() would allocate its buffer here for nothing.
    let (stdin, stdout, stderr) = (rustix::stdio::stdin(), rustix::stdio::stdout(), rustix::stdio::stderr());
    let mut fds = [
        PollFd::new(&stdin, PollFlags::empty()),
        PollFd::new(&stdout, PollFlags::empty()),
        PollFd::new(&stderr, PollFlags::empty()),
    ];
    if poll(&mut fds, Some(&Timespec { tv_sec: 0, tv_nsec: 0 })).is_err() {
        std::process::abort();
    }
    for fd in &fds {
        if fd.revents().contains(PollFlags::NVAL) {
            match open("/dev/null", OFlags::RDWR, Mode::empty()) {
                Ok(null) => {
                    let _kept_open = null.into_raw_fd();
                }
                Err(_) => std::process::abort(),
            }
        }
    }
}

/// SIGPIPE ignored, as Rust's start-up leaves it: a write to a closed pipe is an error the
/// program sees (`EPIPE`), until `cli::run` sets it back for the commands.
fn ignore_sigpipe() {
    // SAFETY: SIG_IGN installs no handler, so no code runs in signal context; nothing else
    // changes signal dispositions while this one call runs (the process has one thread).
    #[allow(unsafe_code, reason = "libc's signal(), which has no safe wrapper here")]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
}

/// C's `pow`, one of the two libm functions the binary calls (minijinja's `**` operator).
/// Like musl's, it leaves `errno` alone; nothing in the program reads it.
#[allow(unsafe_code, reason = "`no_mangle` gives the linker this definition of C's `pow`")]
#[unsafe(no_mangle)]
extern "C" fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// C's `log`, the other (`rsa`'s key generation, in a build without link-time optimisation).
#[allow(unsafe_code, reason = "`no_mangle` gives the linker this definition of C's `log`")]
#[unsafe(no_mangle)]
extern "C" fn log(x: f64) -> f64 {
    libm::log(x)
}

#[cfg(test)]
mod tests {
    use std::hint::black_box;

    /// In this test binary `f64::powf` calls the `pow` above (`black_box` keeps the compiler
    /// from working the answer out itself): known answers, then the cases C99 (F.10.4.4)
    /// defines, which a port could get wrong.
    #[test]
    fn pow_gives_c_s_answers() {
        let pow = |x: f64, y: f64| black_box(x).powf(black_box(y));
        assert_eq!(pow(2.0, 0.5), std::f64::consts::SQRT_2);
        assert_eq!(pow(10.0, -2.0), 0.01);
        assert_eq!(pow(2.0, 10.0), 1024.0);
        assert_eq!(pow(-2.0, 3.0), -8.0);
        assert_eq!(pow(1.0001, 10_000.0), 2.718_145_926_824_925_5);
        assert_eq!(pow(0.0, 0.0), 1.0);
        assert_eq!(pow(f64::NAN, 0.0), 1.0);
        assert_eq!(pow(1.0, f64::NAN), 1.0);
        assert!(pow(-8.0, 1.0 / 3.0).is_nan());
        assert_eq!(pow(0.0, -1.0), f64::INFINITY);
        assert_eq!(pow(-0.0, -1.0), f64::NEG_INFINITY);
        assert_eq!(pow(2.0, f64::NEG_INFINITY), 0.0);
        assert_eq!(super::pow(3.0, 4.0), 81.0);
    }

    #[test]
    fn log_gives_c_s_answers() {
        let ln = |x: f64| black_box(x).ln();
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(ln(std::f64::consts::E), 1.0);
        assert_eq!(ln(2.0), std::f64::consts::LN_2);
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
        assert!(ln(-1.0).is_nan());
        assert_eq!(ln(f64::INFINITY), f64::INFINITY);
        assert_eq!(super::log(10.0), std::f64::consts::LN_10);
    }
}
