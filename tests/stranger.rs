//! Issue 19, the second hardening round: what a stranger's bytes, a second process and a
//! signal can do. Each test here failed before its fix.

mod common;

use common::{Env, FIXTURE_SECRET};

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// An HS256 token over the given JSON texts, signed with the fixture secret.
fn hs256(header: &str, payload: &str) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, FIXTURE_SECRET.as_bytes());
    let sig = ring::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", b64(sig.as_ref()))
}

/// Characters that must never reach a terminal as they are: ESC, BEL, CSI as C1, DEL, a
/// right-to-left override and an isolate, a zero-width space.
fn unsafe_chars(text: &str) -> Vec<char> {
    text.chars().filter(|&c| c != '\n' && c != '\t' && tokensmith::text::is_unsafe(c)).collect()
}

const HOSTILE: &str = "\\u001b]2;PWNED\\u0007\\u001b[2J\\u001b[H\\u009b31m\\u202etxt.exe\\u2066\\u200b\\u007f\\nresult: no errors";

#[test]
fn no_verb_prints_a_strangers_control_or_bidi_characters() {
    let env = Env::new();
    let token = hs256(
        &format!(r#"{{"alg":"HS256","typ":"JWT","kid":"{HOSTILE}"}}"#),
        &format!(
            r#"{{"sub":"{HOSTILE}","{HOSTILE}":1,"exp":4102444800,"iat":1700000000,"email":"{HOSTILE}"}}"#
        ),
    );
    let (glued, led) = (format!("{token}\u{1b}[2J"), format!("\u{202e}{token}"));
    let runs: Vec<Vec<&str>> = vec![
        vec!["decode", &token],
        vec!["decode", &token, "--json"],
        vec!["verify", &token, "--secret-env", "SECRET"],
        vec!["verify", &token, "--secret-env", "SECRET", "--json"],
        vec!["doctor", &token, "-p", "ticketping", "--secret-env", "SECRET"],
        vec!["doctor", &token, "-p", "ticketping", "--secret-env", "SECRET", "--json"],
        vec!["doctor", &token, "-p", "ticketping", "--secret-env", "SECRET", "--format", "markdown"],
        vec!["doctor", &token, "-p", "zendesk-messaging"],
        vec!["decode", &glued],
        vec!["verify", &led, "--secret-env", "SECRET"],
    ];
    for args in runs {
        let out = env.cmd().args(&args).output().expect("runs");
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(
            unsafe_chars(&stdout).is_empty(),
            "{:?} stdout has {:?}:\n{stdout}",
            &args[..1],
            unsafe_chars(&stdout)
        );
        assert!(
            unsafe_chars(&stderr).is_empty(),
            "{:?} stderr has {:?}:\n{stderr}",
            &args[..1],
            unsafe_chars(&stderr)
        );
        assert!(
            !stdout.lines().any(|l| l.trim_start().starts_with("result: no errors")),
            "{args:?}: {stdout}"
        );
        if args.contains(&"--json") {
            let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("still JSON");
            assert!(value.to_string().contains("PWNED"), "{value}");
        }
    }
}

/// Issue 19 (2): the Markdown report told every reader which public value the secret was, by
/// replacing each copy of the secret's text inside the claims with "[secret removed]".
#[test]
fn the_markdown_report_neither_rewrites_claims_nor_points_at_the_secret() {
    let env = Env::new();
    for (secret, args) in [
        ("65f0c0ffee", vec!["-p", "tiledesk", "--param", "project_id=65f0c0ffee", "-c", "sub=ada"]),
        ("user", vec!["-p", "ticketping", "-c", "sub=user-1", "-c", "email=user@example.com"]),
    ] {
        let mut sign = env.cmd();
        sign.env("S", secret).args(["sign", "--secret-env", "S"]).args(&args);
        let out = sign.output().expect("runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let claims = tokensmith::token::decode(&token).expect("decodes").payload;
        let mut doctor = env.cmd();
        doctor.env("S", secret).args(["doctor", &token, "--secret-env", "S", "--format", "markdown"]);
        doctor.args(&args[..2]);
        if args.contains(&"--param") {
            doctor.args(["--param", "project_id=65f0c0ffee"]);
        }
        let md = String::from_utf8_lossy(&doctor.output().expect("runs").stdout).into_owned();
        assert!(!md.contains("removed]"), "{md}");
        let block = md.split("### Payload\n\n```json\n").nth(1).and_then(|r| r.split("\n```").next());
        let shown: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(block.expect("a payload block")).expect("JSON");
        assert_eq!(shown, claims, "the payload is shown as the token has it");
        assert!(!md.contains(&token) && !md.contains(token.rsplit('.').next().expect("sig")), "{md}");
    }
}

/// Runs the binary with /dev/zero, which never ends, as its standard input.
#[cfg(unix)]
fn from_dev_zero(env: &Env, args: &[&str]) -> std::process::Output {
    let zeros = std::fs::File::open("/dev/zero").expect("/dev/zero");
    std::process::Command::new(assert_cmd::cargo::cargo_bin("tokensmith"))
        .env_clear()
        .env("TOKENSMITH_HOME", env.home.path())
        .args(args)
        .stdin(zeros)
        .output()
        .expect("runs")
}

/// Issue 19 (6): every read is bounded; `/dev/zero` grew to 8 GB before.
#[cfg(unix)]
#[test]
fn every_read_is_bounded_and_names_its_bound() {
    let env = Env::new();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["sign", "-p", "ticketping", "--key-file", "/dev/zero"],
            "key file '/dev/zero' is larger than 1 MiB",
        ),
        (
            vec!["sign", "-p", "ticketping", "--secret-file", "/dev/zero"],
            "secret file '/dev/zero' is larger than 64 KiB",
        ),
        (vec!["keys", "import", "z", "/dev/zero"], "key file '/dev/zero' is larger than 1 MiB"),
    ];
    for (args, message) in cases {
        let out = env.cmd().args(&args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(message),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Standard input: decode -, keys add --secret-stdin.
    let out = from_dev_zero(&env, &["decode", "-"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the token on standard input is larger than 1 MiB")
    );
    let out = from_dev_zero(&env, &["keys", "add", "z", "--secret-stdin"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the secret on standard input is larger than 64 KiB")
    );
}

/// Issue 19 (10): a 15,000-part claim path overflowed the stack in a debug build, and a
/// depth-127 array signed into a token that `decode` then refused.
#[test]
fn sign_and_decode_share_one_nesting_bound() {
    let env = Env::new();
    let deep_path = format!("{}a=1", "a.".repeat(15_000));
    let out = env
        .cmd()
        .args(["sign", "-p", "generic-hs256", "--secret-env", "SECRET", "-c", &deep_path])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("at most 32 dot-separated keys"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let deep_value = format!("x:={}1{}", "[".repeat(127), "]".repeat(127));
    let out = env
        .cmd()
        .args(["sign", "-p", "generic-hs256", "--secret-env", "SECRET", "-c", &deep_value])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("nests deeper than 64 levels"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // 63 levels inside the payload object sign, and decode reads what sign made.
    let fits = format!("x:={}1{}", "[".repeat(63), "]".repeat(63));
    let out = env
        .cmd()
        .args(["sign", "-p", "generic-hs256", "--secret-env", "SECRET", "-c", &fits])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    env.ok(&["decode", &token]);
    // A token nested past the bound, made elsewhere: named, not "recursion limit exceeded".
    for depth in [100, 200] {
        let payload = format!("{{\"x\":{}1{}}}", "[".repeat(depth), "]".repeat(depth));
        let token = hs256(r#"{"alg":"HS256"}"#, &payload);
        let out = env.cmd().args(["decode", &token]).output().expect("runs");
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("payload segment nests deeper than 64 levels"), "{depth}: {stderr}");
    }
}

/// Issue 19 (12): a lone surrogate escape, as JSON.stringify leaves a cut emoji, was "not JSON"
/// and the doctor said the vendor would refuse the token.
#[test]
fn a_lone_surrogate_is_read_as_json_parsers_read_it() {
    let env = Env::new();
    let token = hs256(
        r#"{"alg":"HS256","typ":"JWT"}"#,
        r#"{"sub":"u1","name":"Ada \ud83d","exp":4102444800,"iat":4102444000}"#,
    );
    let out = env.cmd().args(["decode", &token, "--json"]).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(value["payload"]["name"], "Ada \u{fffd}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("a lone surrogate escape \\ud83d"));
    let out = env
        .cmd()
        .args(["doctor", &token, "-p", "generic-hs256", "--secret-env", "SECRET", "--at", "4102444100"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("json.lone-surrogate"), "{stdout}");
    assert!(!stdout.contains("would refuse"), "{stdout}");
}

/// Issue 19 (13): an exp before any date was "no errors, should accept".
#[test]
fn an_exp_before_any_date_is_expired_in_the_doctor() {
    let env = Env::new();
    for exp in ["-1e18", "-100000000001"] {
        let token = hs256(r#"{"alg":"HS256","typ":"JWT"}"#, &format!(r#"{{"sub":"u1","exp":{exp}}}"#));
        let out = env
            .cmd()
            .args(["doctor", &token, "-p", "generic-hs256", "--secret-env", "SECRET"])
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{exp}: {stdout}");
        assert!(stdout.contains("time.expired"), "{exp}: {stdout}");
        let out = env.cmd().args(["verify", &token, "--secret-env", "SECRET"]).output().expect("runs");
        assert_eq!(out.status.code(), Some(1), "{exp}");
    }
}

/// Issue 19 (14, 15): what people paste around a token, and two tokens at once.
#[test]
fn messy_pastes_and_two_tokens() {
    let env = Env::new();
    let token = hs256(r#"{"alg":"HS256","typ":"JWT"}"#, r#"{"sub":"u1","exp":4102444800}"#);
    let pastes = [
        format!("Bearer\n{token}"),
        format!("Bearer\t{token}"),
        format!("Authorization: Bearer {token}"),
        token.replace('.', "%2E"),
        format!("{token}."),
        format!("\"{token}\","),
        format!("{{\"token\":\"{token}\"}}"),
        format!("?jwt={token}&x=1"),
        format!("\u{feff}{token}\u{200b}"),
    ];
    for paste in &pastes {
        let out = env.cmd().args(["verify", paste, "--secret-env", "SECRET"]).output().expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{paste:?}: {stderr}");
        assert!(stderr.contains("note: removed"), "{paste:?}: {stderr}");
    }
    let out = env.cmd().args(["verify", &pastes[8], "--secret-env", "SECRET"]).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("a zero-width space (U+200B)") && stderr.contains("byte order mark"), "{stderr}");
    for two in [format!("{token} {token}"), format!("{token}\n{token}")] {
        let out = env.cmd().args(["decode", &two]).output().expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr.contains("2 tokens were given") && !stderr.contains("JWE"), "{stderr}");
    }
}

/// Issue 19 (16): writers racing a `keys lock` with TOKENSMITH_PASSPHRASE set were told to set
/// it; writers racing each other warned about each other's temp files.
#[test]
fn parallel_writers_and_a_lock_lose_nothing_and_warn_of_nothing() {
    let env = Env::new();
    env.ok(&["keys", "gen", "seed", "--kind", "hmac"]);
    let bin = assert_cmd::cargo::cargo_bin("tokensmith");
    let home = env.home.path().to_path_buf();
    let run = |args: Vec<String>| {
        let (bin, home) = (bin.clone(), home.clone());
        std::thread::spawn(move || {
            std::process::Command::new(&bin)
                .args(&args)
                .env_clear()
                .env("TOKENSMITH_HOME", &home)
                .env("TOKENSMITH_PASSPHRASE", "right horse")
                .stdin(std::process::Stdio::null())
                .output()
                .expect("runs")
        })
    };
    let mut jobs: Vec<_> = (0..12)
        .map(|i| run(["keys", "gen", &format!("k{i}"), "--kind", "hmac"].map(String::from).to_vec()))
        .collect();
    jobs.insert(4, run(["keys", "lock"].map(String::from).to_vec()));
    for job in jobs {
        let out = job.join().expect("joins");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(
            !stderr.contains("interrupted write") && !stderr.contains("set TOKENSMITH_PASSPHRASE"),
            "{stderr}"
        );
    }
    let list = env
        .cmd()
        .env("TOKENSMITH_PASSPHRASE", "right horse")
        .args(["keys", "list", "--json"])
        .output()
        .expect("runs");
    let value: serde_json::Value = serde_json::from_slice(&list.stdout).expect("JSON");
    assert_eq!(value.as_array().map(Vec::len), Some(13), "{value}");
}

/// Issue 19 (4): with the data folder writable by others, a symlink put where a file is
/// written made `sign` write through it; the warning said only "others can read it".
#[cfg(unix)]
#[test]
fn writes_replace_a_planted_symlink_and_the_warning_names_the_danger() {
    use std::os::unix::fs::PermissionsExt as _;
    let env = Env::new();
    let (data, profiles) = (env.home.path().join("data"), env.home.path().join("config/profiles"));
    std::fs::create_dir_all(&data).expect("data");
    std::fs::create_dir_all(&profiles).expect("profiles");
    std::fs::write(profiles.join("broken.toml"), "id = \n").expect("a profile that warns");
    env.ok(&["keys", "gen", "k", "--kind", "hmac"]);
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let victim = env.home.path().join("victim.txt");
    std::fs::write(&victim, "precious").expect("victim");
    let stamp = data.join("profile-warnings.stamp");
    let _ = std::fs::remove_file(&stamp);
    std::os::unix::fs::symlink(&victim, &stamp).expect("symlink");
    let out = env.cmd().args(["sign", "-p", "generic-hs256", "--key", "k"]).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "precious");
    assert!(!std::fs::symlink_metadata(&stamp).expect("stamp").file_type().is_symlink());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("other users can write there"), "{stderr}");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).expect("chmod back");
}

/// A data folder that is a dangling symlink said "File exists".
#[cfg(unix)]
#[test]
fn a_dangling_data_folder_link_is_named() {
    let env = Env::new();
    std::os::unix::fs::symlink(env.home.path().join("gone"), env.home.path().join("data")).expect("link");
    let out = env.cmd().args(["keys", "gen", "k", "--kind", "hmac"]).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("is a symbolic link to") && stderr.contains("which does not exist"), "{stderr}");
}
