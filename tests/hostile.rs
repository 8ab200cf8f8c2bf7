//! Hostile input at the command line: multi-byte text, times past any date, closed pipes.
//! Each case here once panicked (exit 101) or wrapped around; now each ends with a clear error.

mod common;

use std::io::Write as _;
use std::process::{Command, Stdio};

use common::Env;
use predicates::prelude::*;
use predicates::str::contains;

#[test]
fn multi_byte_text_gets_an_error_not_a_panic() {
    let env = Env::new();
    for text in ["ab€cdefgh", "€", "\"€\"", "Bearer €", "jwt €.€.€", "é.é.é"] {
        for verb in ["decode", "doctor"] {
            let mut cmd = env.cmd();
            cmd.arg(verb).arg(text);
            if verb == "doctor" {
                cmd.args(["-p", "tiledesk"]);
            }
            let out = cmd.output().expect("runs");
            assert_eq!(out.status.code(), Some(1), "{verb} {text}: {}", String::from_utf8_lossy(&out.stderr));
            assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
        }
    }
}

#[test]
fn times_past_any_date_are_named_never_wrapped() {
    let env = Env::new();
    let cases: [(&[&str], &str); 5] = [
        (&["--ttl", "18446744073709551615s"], "past any date"),
        (&["--at", "9223372036854775807"], "'9223372036854775807' is out of range"),
        (&["--at=-9223372036854775808"], "is out of range"),
        (&["-c", "exp=now+9999999999999d"], "past any date"),
        (&["--ttl", "-5m"], "--ttl"),
    ];
    for (args, message) in cases {
        env.cmd()
            .args(["sign", "-p", "ticketping", "--secret-env", "SECRET"])
            .args(args)
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(contains(message));
    }
    // A token whose exp is 1e30 or i64::MAX is described, not wrapped into a negative age.
    for exp in ["1e30", "9223372036854775807", "-9223372036854775808"] {
        let payload = format!("{{\"exp\":{exp}}}");
        let token = format!("eyJhbGciOiJIUzI1NiJ9.{}.c2ln", b64(&payload));
        let out = env.cmd().args(["verify", &token, "--secret-env", "SECRET"]).output().expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{exp}: {stdout}");
        assert!(!stdout.contains("292471208"), "{exp}: {stdout}");
        assert!(stdout.contains("no date") || stdout.contains("out of range"), "{exp}: {stdout}");
    }
}

fn b64(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

/// Runs the binary with stdout a pipe that is closed before it writes, so every write fails.
fn with_closed_stdout(env: &Env, args: &[&str], stdin: &str) -> (Option<i32>, String) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("tokensmith"))
        .env_clear()
        .env("TOKENSMITH_HOME", env.home.path())
        .env("SECRET", common::FIXTURE_SECRET)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    drop(child.stdout.take()); // the reader goes away, as `head -1` does after one line
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    let out = child.wait_with_output().expect("waits");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt as _;
        if let Some(signal) = out.status.signal() {
            return (Some(128 + signal), String::from_utf8_lossy(&out.stderr).into_owned());
        }
    }
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let env = Env::new();
    let token = env.ok(&["sign", "-p", "ticketping", "--secret-env", "SECRET"]).stdout;
    let token = String::from_utf8_lossy(&token).trim().to_string();
    // A payload far larger than a pipe's buffer, so the write surely fails.
    let big = format!("eyJhbGciOiJIUzI1NiJ9.{}.c2ln", b64(&format!("{{\"x\":\"{}\"}}", "a".repeat(300_000))));
    let cases: [(&[&str], &str); 5] = [
        (&["verify", &token, "--secret-env", "SECRET"], ""),
        (&["profile", "show", "orlo"], ""),
        (&["snippet", "-p", "tiledesk", "--flavor", "node"], ""),
        (&["decode", "-"], &big),
        (&["profiles"], ""),
    ];
    for (args, stdin) in cases {
        let (code, stderr) = with_closed_stdout(&env, args, stdin);
        assert!(matches!(code, Some(0) | Some(141)), "{args:?}: exit {code:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// Started with standard output and error closed, the process opens them on /dev/null before
/// anything else, so that no file it opens (the key store's lock or temporary file) takes
/// their numbers and receives what it prints. Rust's start-up does this, and so does the
/// program's own start on Linux glibc (src/start.rs). Seen from /proc while `decode -` waits
/// for its input.
#[cfg(target_os = "linux")]
#[test]
fn closed_standard_descriptors_are_opened_on_dev_null() {
    let env = Env::new();
    // /proc names the file itself: compare with the path's symbolic links resolved.
    let binary = std::fs::canonicalize(env.cmd().get_program()).expect("the binary");
    let mut child = Command::new("sh")
        .args(["-c", r#"exec 1>&- 2>&-; exec "$0" decode -"#])
        .arg(&binary)
        .env_clear()
        .env("TOKENSMITH_HOME", env.home.path())
        .stdin(Stdio::piped())
        .spawn()
        .expect("sh runs");
    let proc_dir = std::path::PathBuf::from(format!("/proc/{}", child.id()));
    let started = std::time::Instant::now();
    let mut seen = Vec::new();
    let mut flags = Vec::new();
    while started.elapsed() < std::time::Duration::from_secs(10) {
        let running_it = std::fs::read_link(proc_dir.join("exe")).is_ok_and(|exe| exe == binary);
        seen = ["fd/1", "fd/2"].map(|fd| std::fs::read_link(proc_dir.join(fd)).ok()).to_vec();
        flags = ["fdinfo/1", "fdinfo/2"].map(|fd| open_flags(&proc_dir.join(fd))).to_vec();
        if running_it && seen.iter().all(Option::is_some) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    drop(child.stdin.take());
    let _ = child.wait();
    let null = Some(std::path::PathBuf::from("/dev/null"));
    assert_eq!(seen, [null.clone(), null], "descriptors 1 and 2 of the running program");
    // Not close-on-exec: a program it starts ($EDITOR) has them open too.
    const O_CLOEXEC: u32 = 0o2_000_000;
    assert!(flags.iter().all(|f| f.is_some_and(|f| f & O_CLOEXEC == 0)), "flags {flags:?}");
}

/// The open flags /proc/PID/fdinfo/N gives (octal), if it is there.
#[cfg(target_os = "linux")]
fn open_flags(fdinfo: &std::path::Path) -> Option<u32> {
    let text = std::fs::read_to_string(fdinfo).ok()?;
    let line = text.lines().find_map(|l| l.strip_prefix("flags:"))?;
    u32::from_str_radix(line.trim(), 8).ok()
}

/// Help written into a pipe already closed ends with its usual status, as under Rust's own
/// start-up (SIGPIPE ignored until a command sets it back), never killed by SIGPIPE (141).
#[test]
fn help_into_a_closed_pipe_ends_with_its_usual_status() {
    let env = Env::new();
    for args in [&["--help"][..], &["sign", "--help"], &["help", "sign"], &["--version"]] {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let out = Command::new(assert_cmd::cargo::cargo_bin("tokensmith"))
            .env_clear()
            .env("TOKENSMITH_HOME", env.home.path())
            .args(args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .expect("runs");
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt as _;
            assert_eq!(out.status.signal(), None, "{args:?}: killed by a signal");
        }
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
}
