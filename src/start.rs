//! How the process starts on Linux glibc, the platform of the plain build's start-up figures
//! (README, "Start-up").
//!
//! **Rust's start-up** (`lang_start`) installs the handler that prints "has overflowed its
//! stack". To place it, glibc's `pthread_getattr_np` opens and parses `/proc/self/maps` for
//! the main thread's stack, and an alternate signal stack is mapped and later unmapped:
//! with the rest of that start-up, 20 of a `sign`'s 80 system calls and 105,000 of its
//! 775,000 instructions (callgrind). The program therefore starts at [`main`] here
//! (`#![no_main]` in `main.rs`), which does the part of that start-up tokensmith needs.
//!
//! That took 0.1 to 0.18 ms, 6-9%, off each call (benches/cli_interleaved.py).
//! Elsewhere (musl, macOS, Windows) `main.rs` keeps Rust's own start-up.

use std::ffi::{c_char, c_int};
use std::io::Write as _;

/// The C runtime's entry into the program, in place of Rust's `lang_start`. It keeps what
/// that start-up does and tokensmith relies on:
/// - file descriptors 0, 1 and 2 are open ([`standard_fds`]), so a file the program opens
///   (the key store's temporary file) can never be its standard output;
/// - a panic ends the process with status 101, after the panic hook has printed it;
/// - standard output is flushed at the end;
/// - `std::env::args` works: glibc hands `argc` and `argv` to the standard library's own
///   initialiser as well.
///
/// SIGPIPE was ignored by Rust's start-up; tokensmith already set it for itself (the commands
/// end quietly on a closed pipe, `cli::run`; the workbench catches it, `tui::restore_on_signals`).
/// What is given up: a stack overflow ends with SIGSEGV and no message, and a panic's message
/// calls the thread `<unnamed>`, not `main`.
#[allow(unsafe_code, reason = "`no_mangle` names this function `main` for the C runtime to call")]
#[cfg_attr(not(test), unsafe(no_mangle))]
#[cfg_attr(test, allow(dead_code, reason = "a test binary starts in the harness's own `main`"))]
extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
    standard_fds();
    let code = std::panic::catch_unwind(crate::cli::main).unwrap_or(101);
    let _ = std::io::stdout().flush();
    c_int::from(code)
}

/// Opens `/dev/null` on whichever of file descriptors 0, 1 and 2 is closed, as Rust's own
/// start-up does. An open takes the lowest free number: one that returns 0, 1 or 2 has filled
/// a gap and is kept; the first that returns a higher number is closed again.
fn standard_fds() {
    use std::os::fd::{AsRawFd as _, IntoRawFd as _};
    while let Ok(null) = std::fs::OpenOptions::new().read(true).write(true).open("/dev/null") {
        if null.as_raw_fd() > 2 {
            break;
        }
        let _kept_open = null.into_raw_fd();
    }
}
