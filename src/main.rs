// Items in `start.rs` need `unsafe` to give C symbols their names; nothing else may.
#![deny(unsafe_code)]
// On Linux glibc the program starts in `start.rs`, not in Rust's start-up (start.rs says why).
#![cfg_attr(all(target_os = "linux", target_env = "gnu", not(test)), no_main)]

mod cli;
#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod start;
mod tui;

/// Everywhere but Linux glibc, Rust's own start-up calls this.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(cli::main())
}

/// On musl (the opt-in static build, see .cargo/config.toml) memory comes from dlmalloc, the
/// allocator Rust's own standard library uses on WebAssembly, rather than musl's malloc, which
/// makes a system call for nearly every first allocation of a size: an RS256 `sign` made 57
/// mmap/munmap/brk calls with it, 5 with dlmalloc, and finished 0.2 to 0.35 ms sooner
/// (interleaved medians of 400); listing a 1,000-entry key store went from 13.6 to 9.7 ms.
/// dlmalloc is thread-safe here through one global pthread mutex, which the workbench's one
/// worker thread (RSA generation) never contends much.
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOC: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;
