//! The interactive workbench, driven end to end under a private tmux server: first-run demo key
//! straight to a token, a PEM pasted with CR line breaks (summarized, never echoed), a wrong then
//! right passphrase,
//! switching profile, editing a claim, copying the token via OSC 52 (read back from tmux's paste
//! buffer) and quitting with the terminal restored. Skips when tmux is not installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

const TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);

/// A tmux server on its own socket; killed (and its socket file removed) when dropped, so a failing
/// test leaves nothing behind.
struct Tmux {
    socket: String,
    conf: PathBuf,
    /// The socket file, once the server is up: `kill-server` leaves it in tmux's directory.
    socket_path: Option<PathBuf>,
}

impl Tmux {
    fn cmd(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.arg("-L").arg(&self.socket).arg("-f").arg(&self.conf).env_remove("TMUX");
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run tmux")
    }

    fn run_ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "tmux {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        self.run_ok(&args);
    }

    fn type_text(&self, text: &str) {
        self.run_ok(&["send-keys", "-t", "t", "-l", text]);
    }

    fn screen(&self) -> String {
        self.run_ok(&["capture-pane", "-p", "-t", "t"])
    }

    /// Polls the screen until `pred` holds; panics with the last screen after [`TIMEOUT`].
    fn wait_until(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            if Instant::now() >= deadline {
                panic!("timed out after {TIMEOUT:?} waiting for {what}; last screen:\n{screen}");
            }
            std::thread::sleep(POLL);
        }
    }

    fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |screen| screen.contains(text))
    }

    /// The paste buffer's contents, polled until tmux has one.
    fn wait_for_buffer(&self) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let out = self.run(&["show-buffer"]);
            if out.status.success() && !out.stdout.is_empty() {
                return String::from_utf8_lossy(&out.stdout).into_owned();
            }
            if Instant::now() >= deadline {
                panic!(
                    "timed out waiting for tmux's paste buffer ({}); last screen:\n{}",
                    String::from_utf8_lossy(&out.stderr),
                    self.screen()
                );
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").output();
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Single-quotes `s` for sh.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// The Claims pane's title, e.g. `Orlo live chat widget (RSA)`: only the profile name, so that a
/// change of focus (which redraws the borders on the same line) does not count as a change.
fn claims_title(screen: &str) -> String {
    let Some(line) = screen.lines().find(|l| l.contains("2 Claims · ")) else {
        return String::new();
    };
    let rest = line.split_once("2 Claims · ").map(|(_, rest)| rest).unwrap_or_default();
    // The title ends where the border's box-drawing characters start.
    let title: String = rest.chars().take_while(|c| !('\u{2500}'..='\u{257f}').contains(c)).collect();
    title.trim().to_owned()
}

#[test]
fn workbench_edit_copy_and_quit_under_tmux() {
    let started = Instant::now();
    if !tmux_works() {
        return;
    }

    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().join("home");
    std::fs::create_dir_all(home.join("config")).expect("mkdir config");
    std::fs::write(home.join("config/config.toml"), "clipboard = \"osc52\"\n").expect("write config");
    let (tmux, stty) = start_workbench(dir.path(), &home);
    // First run: the empty store offers a demo key, and one keypress gives a token.
    tmux.wait_for("Welcome to tokensmith");
    tmux.send(&["y"]);
    let screen = tmux.wait_for("stored 'demo'");
    assert!(screen.contains("Token · HS256 · demo"), "no token after the demo key:\n{screen}");
    assert!(screen.contains("stored 'demo', which signs for"), "the status says it signs:\n{screen}");

    // Import a PEM pasted the way tmux pastes it: line breaks as CR. Only a summary shows.
    let pem = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys/ec-p256-pkcs8.pem"),
    )
    .expect("fixture");
    tmux.send(&["3", "i"]);
    tmux.wait_for("Import a key: name");
    tmux.type_text("pasted-ec");
    tmux.send(&["Enter"]);
    tmux.wait_for("paste the PEM or JWK");
    tmux.run_ok(&["set-buffer", "-b", "pem", "--", &pem]);
    tmux.run_ok(&["paste-buffer", "-p", "-b", "pem", "-t", "t"]);
    let screen = tmux.wait_for("EC P-256 private key, PKCS#8");
    let body = pem.lines().nth(1).unwrap_or_default();
    assert!(!screen.contains(&body[..24]), "the pasted key is on screen:\n{screen}");
    tmux.send(&["Enter"]);
    // An EC key cannot sign for the HMAC profile on screen: the demo key still does, and says so.
    let screen = tmux.wait_for("stored 'pasted-ec'");
    assert!(screen.contains("'demo' still signs"), "{screen}");

    // Profiles pane: move down until Ticketping is the current profile.
    tmux.send(&["1"]);
    let target = "Claims · Ticketping Chat Widget";
    let mut screen = tmux.screen();
    for _ in 0..10 {
        if screen.contains(target) {
            break;
        }
        let before = claims_title(&screen);
        tmux.send(&["j"]);
        screen = tmux.wait_until("the profile to change", |s| claims_title(s) != before);
    }
    assert!(screen.contains(target), "never reached the Ticketping profile; last screen:\n{screen}");

    // Claims pane: edit the email row (second row).
    tmux.send(&["2", "j", "Enter", "C-u"]);
    tmux.type_text("e2e@example.org");
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for("\"email\": \"e2e@example.org\"");
    assert!(!screen.contains("alice@example.com"), "the old email is still shown:\n{screen}");

    // Copy: OSC 52 goes through tmux (set-clipboard on) into its paste buffer.
    tmux.send(&["c"]);
    let screen = tmux.wait_for("copied the token");
    let token = tmux.wait_for_buffer();
    let token = token.trim();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "copied text is not a JWT: {token:?}");
    let payload = URL_SAFE_NO_PAD.decode(parts[1]).expect("payload is base64url");
    let payload: serde_json::Value = serde_json::from_slice(&payload).expect("payload is JSON");
    assert_eq!(payload["email"], "e2e@example.org", "payload: {payload}");
    let compact = serde_json::to_string(&payload).expect("serialize payload");
    assert!(compact.contains("\"email\":\"e2e@example.org\""), "payload: {compact}");
    let head: String = token.chars().take(30).collect();
    assert!(screen.contains(&head), "token start {head:?} is not on screen:\n{screen}");

    // Quit: the shell behind the TUI runs `stty -a` and prints a marker.
    tmux.send(&["q"]);
    let screen = tmux.wait_for("TOKENSMITH-EXITED");
    assert!(!screen.contains("1 Profiles"), "the alternate screen was not left:\n{screen}");
    let modes = std::fs::read_to_string(&stty).expect("read stty.txt");
    let words: Vec<&str> = modes.split_whitespace().collect();
    for (on, off) in [("icanon", "-icanon"), ("echo", "-echo")] {
        assert!(words.contains(&on), "{on} is not set after quitting:\n{modes}");
        assert!(!words.contains(&off), "{off} after quitting (raw mode not restored):\n{modes}");
    }

    eprintln!("tui_e2e took {:?}", started.elapsed());
}

/// Starts the workbench for `home` in a private tmux server, 120x40; returns the server and
/// the file the shell writes `stty -a` to after the workbench exits.
fn start_workbench(dir: &Path, home: &Path) -> (Tmux, PathBuf) {
    let conf = dir.join("tmux.conf");
    std::fs::write(&conf, "set -g set-clipboard on\nset -g default-terminal screen-256color\n")
        .expect("write tmux.conf");

    let bin = assert_cmd::cargo::cargo_bin("tokensmith");
    let stty = home.join("stty.txt");
    let script = dir.join("run.sh");
    std::fs::write(
        &script,
        format!(
            "TOKENSMITH_HOME={home} NO_COLOR=1 {bin} --no-mouse\nstty -a > {stty}\necho TOKENSMITH-EXITED\nsleep 30\n",
            home = sh_quote(path_str(home)),
            bin = sh_quote(path_str(&bin)),
            stty = sh_quote(path_str(&stty)),
        ),
    )
    .expect("write run.sh");

    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let mut tmux =
        Tmux { socket: format!("tokensmith-e2e-{}-{nanos}", std::process::id()), conf, socket_path: None };
    let command = format!("sh {}", sh_quote(path_str(&script)));
    tmux.run_ok(&["new-session", "-d", "-s", "t", "-x", "120", "-y", "40", &command]);
    let socket_path = tmux.run_ok(&["display-message", "-p", "-t", "t", "#{socket_path}"]);
    tmux.socket_path = Some(PathBuf::from(socket_path.trim()));

    (tmux, stty)
}

/// Runs a CLI command on `home` (with the store's passphrase, when given) and returns its
/// standard output; it must succeed.
fn cli(home: &Path, args: &[&str], pass: Option<&str>) -> String {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("tokensmith"));
    cmd.env_clear().env("TOKENSMITH_HOME", home).args(args);
    if let Some(pass) = pass {
        cmd.env("TOKENSMITH_PASSPHRASE", pass);
    }
    let out = cmd.stdin(std::process::Stdio::null()).output().expect("runs");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn tmux_works() -> bool {
    match Command::new("tmux").arg("-V").output() {
        Ok(out) if out.status.success() => true,
        _ => {
            assert!(
                std::env::var("TOKENSMITH_REQUIRE_TOOLS").map_or(true, |v| v != "1"),
                "tmux is not available, and TOKENSMITH_REQUIRE_TOOLS=1"
            );
            eprintln!("skipping tui_e2e: `tmux -V` cannot run (install tmux to run this test)");
            false
        }
    }
}

#[test]
fn a_wrong_passphrase_is_asked_again_then_the_right_one_opens_the_store() {
    if !tmux_works() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().join("home");
    let cli = |args: &[&str], pass: Option<&str>| cli(&home, args, pass);
    cli(&["keys", "gen", "locked-demo", "--kind", "hmac"], None);
    cli(&["keys", "lock"], Some("right horse"));
    let (tmux, _) = start_workbench(dir.path(), &home);
    tmux.wait_for("The key store is locked: passphrase");
    tmux.type_text("wrong horse");
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for("wrong passphrase");
    assert!(screen.contains("The key store is locked: passphrase"), "not asked again:\n{screen}");
    tmux.type_text("right horse");
    tmux.send(&["Enter"]);
    tmux.wait_for("locked-demo");
    tmux.send(&["q"]);
    tmux.wait_for("TOKENSMITH-EXITED");
}

#[test]
fn y_copies_a_profile_into_a_form_that_saves_an_editable_file() {
    if !tmux_works() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().join("home");
    let bin = assert_cmd::cargo::cargo_bin("tokensmith");
    let cli = |args: &[&str]| {
        let out = Command::new(&bin)
            .env_clear()
            .env("TOKENSMITH_HOME", &home)
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("runs");
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    cli(&["keys", "gen", "demo", "--kind", "hmac"]);
    let (tmux, _) = start_workbench(dir.path(), &home);
    tmux.wait_for("1 Profiles");
    tmux.send(&["1", "y"]);
    tmux.wait_for("not saved yet");
    // The first row is the id: replace it, then save.
    tmux.send(&["Enter", "C-u"]);
    tmux.type_text("e2e-acme");
    tmux.send(&["Enter"]);
    tmux.wait_for("New profile 'e2e-acme'");
    tmux.send(&["w"]);
    tmux.wait_for("saved '");
    let file = home.join("config/profiles/e2e-acme.toml");
    assert!(file.exists(), "no {}:\n{}", file.display(), tmux.screen());
    assert!(cli(&["profile", "validate", path_str(&file)]).starts_with("ok: 'e2e-acme'"));
    tmux.send(&["Escape"]);
    tmux.wait_until("the form to close", |s| !s.contains("Profile 'e2e-acme'"));
    tmux.send(&["q"]);
    tmux.wait_for("TOKENSMITH-EXITED");
}

/// Issue 19 (1, 11): the workbench and the CLI on one store. A key renamed and replaced by the
/// CLI while the workbench's delete question is open is not deleted; a store locked by the
/// CLI is noticed, and the passphrase asked for.
#[test]
fn the_workbench_and_the_cli_share_one_store() {
    if !tmux_works() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().join("home");
    let cli = |args: &[&str], pass: Option<&str>| cli(&home, args, pass);
    cli(&["keys", "gen", "prod", "--kind", "hmac"], None);
    let (tmux, stty) = start_workbench(dir.path(), &home);
    tmux.wait_for("prod");
    tmux.send(&["3"]);
    tmux.send(&["D"]);
    tmux.wait_for("Delete 'prod'");
    // Meanwhile, in another shell: rotate.
    cli(&["keys", "rename", "prod", "prod-old"], None);
    cli(&["keys", "gen", "prod", "--kind", "hmac"], None);
    tmux.send(&["y"]);
    tmux.wait_for("changed on disk since");
    let names: Vec<String> =
        serde_json::from_str::<serde_json::Value>(&cli(&["keys", "list", "--json"], None))
            .expect("JSON")
            .as_array()
            .expect("array")
            .iter()
            .map(|e| e["name"].as_str().unwrap_or_default().to_string())
            .collect();
    assert_eq!(names, ["prod-old", "prod"], "the rotated secret is still there");
    tmux.wait_for("prod-old");
    // The CLI locks the store: the workbench notices and asks for the passphrase.
    cli(&["keys", "lock"], Some("right horse"));
    tmux.wait_for("The key store is locked: passphrase");
    tmux.type_text("right horse");
    tmux.send(&["Enter"]);
    tmux.wait_for("prod-old");
    // A signal ends it with the terminal restored.
    let shell = tmux.run_ok(&["display-message", "-p", "-t", "t", "#{pane_pid}"]);
    let children = Command::new("pgrep").args(["-P", shell.trim()]).output().expect("pgrep");
    let pid = String::from_utf8_lossy(&children.stdout).trim().to_string();
    assert!(!pid.is_empty(), "the workbench's pid");
    // SIGPIPE (a clipboard helper or the X server gone away) is ignored, not the end of it.
    assert!(Command::new("kill").args(["-PIPE", &pid]).status().expect("kill").success());
    std::thread::sleep(Duration::from_millis(300));
    assert!(!tmux.screen().contains("TOKENSMITH-EXITED"), "SIGPIPE ended the workbench");
    assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("kill").success());
    tmux.wait_for("TOKENSMITH-EXITED");
    let modes = std::fs::read_to_string(&stty).expect("stty output");
    let words: Vec<&str> = modes.split_whitespace().collect();
    assert!(words.contains(&"icanon") && words.contains(&"echo"), "raw mode left on after SIGTERM:\n{modes}");
    let screen = tmux.screen();
    assert!(!screen.contains("1 Profiles"), "the alternate screen is still shown:\n{screen}");
}
