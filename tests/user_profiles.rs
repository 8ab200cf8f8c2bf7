//! Profiles users write: `profile new`, `profile edit` (with $EDITOR a script that edits the
//! file), `profile validate`, and how problems with the user folder are reported.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Output;

use predicates::prelude::*;
use predicates::str::contains;

mod common;

use common::Env;

fn profiles_dir(env: &Env) -> PathBuf {
    env.home.path().join("config/profiles")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// An executable shell script in the test's home, for $EDITOR.
fn script(env: &Env, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let path = env.home.path().join(name);
    std::fs::write(&path, format!("#!/bin/sh\nset -e\n{body}\n")).expect("write script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn new_writes_a_valid_template_and_never_overwrites() {
    let env = Env::new();
    let out = env.ok(&["profile", "new", "acme"]);
    let path = profiles_dir(&env).join("acme.toml");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), path.display().to_string());
    let text = read(&path);
    assert!(text.contains("# ") && text.contains("id = \"acme\""), "{text}");
    env.cmd()
        .args(["profile", "validate"])
        .arg(&path)
        .assert()
        .code(0)
        .stdout(contains("ok: 'acme'").and(contains("HS256")));
    // The template signs a token its own doctor accepts.
    let token = env.ok(&["sign", "--profile", "acme", "--secret-env", "SECRET"]).stdout;
    let token = String::from_utf8_lossy(&token).trim().to_string();
    env.cmd().args(["doctor", &token, "--profile", "acme", "--secret-env", "SECRET"]).assert().code(0);

    std::fs::write(
        &path,
        "id = \"acme\"\nname = \"Mine\"\nalgorithms = [\"HS256\"]\nkey_kind = \"hmac-secret\"\n",
    )
    .expect("write");
    env.cmd()
        .args(["profile", "new", "acme"])
        .assert()
        .code(2)
        .stderr(contains(format!("'{}' already exists", path.display())).and(contains("profile edit acme")));
    assert!(read(&path).contains("Mine"), "the user's file is untouched");
    env.cmd()
        .args(["profile", "new", "Not An Id"])
        .assert()
        .code(2)
        .stderr(contains("'Not An Id' is not a profile id"));
}

#[test]
fn new_from_copies_a_built_in_or_user_profile() {
    let env = Env::new();
    env.ok(&["profile", "new", "my-talla", "--from", "talla"]);
    let path = profiles_dir(&env).join("my-talla.toml");
    env.cmd().args(["profile", "validate"]).arg(&path).assert().code(0).stdout(contains("ok: 'my-talla'"));
    let mine = common::stdout_json(&env.ok(&["profile", "show", "my-talla", "--json"]));
    let talla = common::stdout_json(&env.ok(&["profile", "show", "talla", "--json"]));
    assert_eq!(mine["claims"], talla["claims"]);
    assert_eq!(mine["time"], talla["time"]);
    // A copy of the copy.
    env.ok(&["profile", "new", "again", "--from", "my-talla"]);
    assert!(profiles_dir(&env).join("again.toml").exists());
    env.cmd()
        .args(["profile", "new", "x", "--from", "nope"])
        .assert()
        .code(2)
        .stderr(contains("unknown profile 'nope'"));
}

#[test]
fn validate_names_line_column_and_field() {
    let env = Env::new();
    let dir = env.home.path();
    // The README's old template: exp and iat required, but no claims that make them.
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "id = \"acme\"\nname = \"Acme\"\nalgorithms = [\"HS256\"]\nkey_kind = \"hmac-secret\"\n\n[time]\nexp_required = true\n",
    )
    .expect("write");
    env.cmd().args(["profile", "validate"]).arg(&bad).assert().code(2).stdout("").stderr(
        contains(format!("{}:7:1: field 'time.exp_required'", bad.display())).and(contains("requires exp")),
    );
    let typo = dir.join("typo.toml");
    std::fs::write(&typo, "id = \"acme\"\nname = 3\n").expect("write");
    env.cmd()
        .args(["profile", "validate"])
        .arg(&typo)
        .assert()
        .code(2)
        .stderr(contains(format!("{}:2:8: field 'name'", typo.display())));
    env.cmd()
        .args(["profile", "validate"])
        .arg(dir.join("missing.toml"))
        .assert()
        .code(2)
        .stderr(contains("cannot read profile file"));
}

#[test]
fn the_readme_template_validates_and_signs_what_its_doctor_accepts() {
    let readme = include_str!("../README.md");
    let start = readme.find("```toml\nid = \"acme\"").expect("README has the profile example");
    let block = &readme[start + "```toml\n".len()..];
    let text = &block[..block.find("```").expect("closed")];
    let env = Env::new();
    std::fs::create_dir_all(profiles_dir(&env)).expect("mkdir");
    let path = profiles_dir(&env).join("acme.toml");
    std::fs::write(&path, text).expect("write");
    env.cmd().args(["profile", "validate"]).arg(&path).assert().code(0).stdout(contains("ok: 'acme'"));
    let out = env.ok(&["sign", "--profile", "acme", "--secret-env", "SECRET", "--kid", "k1", "--strict"]);
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    env.cmd()
        .args(["doctor", &token, "--profile", "acme", "--secret-env", "SECRET"])
        .assert()
        .code(0)
        .stdout(contains("should accept"));
}

#[test]
fn two_files_with_one_id_are_named_once() {
    let env = Env::new();
    env.ok(&["profile", "new", "acme"]);
    let dir = profiles_dir(&env);
    std::fs::copy(dir.join("acme.toml"), dir.join("zz-acme.toml")).expect("copy");
    let out = env.ok(&["profiles"]);
    let err = stderr(&out);
    assert_eq!(err.matches("profile id 'acme' is in two files").count(), 1, "{err}");
    assert!(err.contains("zz-acme.toml' is used") && err.contains("acme.toml' is ignored"), "{err}");
}

#[test]
fn broken_files_are_reported_by_profiles_always_and_elsewhere_once_a_day() {
    let env = Env::new();
    std::fs::create_dir_all(profiles_dir(&env)).expect("mkdir");
    std::fs::write(profiles_dir(&env).join("broken.toml"), "id = \n").expect("write");
    let sign = ["sign", "--profile", "talla", "--secret-env", "SECRET", "--claim", "email=a@example.com"];
    let first = env.cmd().args(sign).output().expect("runs");
    assert!(stderr(&first).contains("broken.toml:1:"), "{}", stderr(&first));
    assert!(env.home.path().join("data/profile-warnings.stamp").exists());
    let second = env.cmd().args(sign).output().expect("runs");
    assert!(!stderr(&second).contains("broken.toml"), "shown twice: {}", stderr(&second));
    let verbose = env.cmd().arg("--verbose").args(sign).output().expect("runs");
    assert!(stderr(&verbose).contains("broken.toml:1:"), "{}", stderr(&verbose));
    env.cmd().arg("profiles").assert().success().stderr(contains("broken.toml:1:"));
    let other = env.home.path().join("ok.toml");
    std::fs::write(
        &other,
        "id = \"ok\"\nname = \"Ok\"\nalgorithms = [\"HS256\"]\nkey_kind = \"hmac-secret\"\n",
    )
    .expect("write");
    env.cmd().args(["profile", "validate"]).arg(&other).assert().code(0).stderr(contains("broken.toml:1:"));
    // A new problem is shown at once, even on the same day.
    std::fs::write(profiles_dir(&env).join("worse.toml"), "name = 1\n").expect("write");
    let third = env.cmd().args(sign).output().expect("runs");
    assert!(stderr(&third).contains("worse.toml"), "{}", stderr(&third));
}

#[test]
fn edit_copies_a_built_in_runs_the_editor_and_saves_a_valid_file() {
    let env = Env::new();
    let editor = script(&env, "rename.sh", "sed -i '0,/^name = .*/s//name = \"Talla, edited\"/' \"$1\"");
    let out = env.cmd().env("EDITOR", &editor).args(["profile", "edit", "talla"]).output().expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let path = profiles_dir(&env).join("talla.toml");
    assert!(read(&path).contains("name = \"Talla, edited\""));
    assert!(stderr(&out).contains("copied the built-in profile 'talla'"), "{}", stderr(&out));
    assert!(!profiles_dir(&env).join("talla.toml.draft").exists());
    env.cmd().args(["profile", "show", "talla"]).assert().success().stdout(contains("Talla, edited"));
    // $VISUAL when $EDITOR is not set.
    let visual = script(&env, "visual.sh", "sed -i '0,/^name = .*/s//name = \"Visual\"/' \"$1\"");
    env.cmd().env("VISUAL", &visual).args(["profile", "edit", "talla"]).assert().success();
    assert!(read(&path).contains("name = \"Visual\""));
    env.cmd()
        .env("EDITOR", &editor)
        .args(["profile", "edit", "nope"])
        .assert()
        .code(2)
        .stderr(contains("unknown profile 'nope'"));
}

#[test]
fn an_invalid_edit_is_shown_and_kept_aside_never_lost() {
    let env = Env::new();
    env.ok(&["profile", "new", "acme"]);
    let path = profiles_dir(&env).join("acme.toml");
    let before = read(&path);
    let breaks = script(
        &env,
        "break.sh",
        "sed -i 's/^default = \"now+5m\"/default = \"now+5m\"\\nmy_words = 1/' \"$1\"",
    );
    let out = env
        .cmd()
        .env("EDITOR", &breaks)
        .args(["profile", "edit", "acme"])
        .write_stdin("n\n")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("my_words") && err.contains("Edit again?") && err.contains("kept in"), "{err}");
    assert_eq!(read(&path), before, "the profile is unchanged");
    let draft = profiles_dir(&env).join("acme.toml.draft");
    assert!(read(&draft).contains("my_words = 1"), "the user's text is kept");
    // Other commands do not load the draft.
    env.cmd().arg("profiles").assert().success().stderr(contains("draft").not());
    // The next edit continues the draft; the editor fixes it; it is saved.
    let fixes = script(&env, "fix.sh", "sed -i '/^my_words/d; 0,/^name = .*/s//name = \"Fixed\"/' \"$1\"");
    let out = env.cmd().env("EDITOR", &fixes).args(["profile", "edit", "acme"]).output().expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("continuing your draft"), "{}", stderr(&out));
    assert!(read(&path).contains("name = \"Fixed\""));
    assert!(!draft.exists());
}

#[test]
fn edit_again_after_an_error_opens_the_editor_again() {
    let env = Env::new();
    env.ok(&["profile", "new", "acme"]);
    // First run breaks the file, the second fixes it.
    let counter = env.home.path().join("runs");
    let body = format!(
        "if [ -e '{c}' ]; then sed -i 's/^algorithms = .*/algorithms = [\"HS384\"]/' \"$1\"; else touch '{c}'; sed -i 's/^algorithms = .*/algorithms = [\"RS256\"]/' \"$1\"; fi",
        c = counter.display()
    );
    let editor = script(&env, "twice.sh", &body);
    let out = env
        .cmd()
        .env("EDITOR", &editor)
        .args(["profile", "edit", "acme"])
        .write_stdin("\n")
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("field 'algorithms'") && err.contains("Edit again?"), "{err}");
    assert!(read(&profiles_dir(&env).join("acme.toml")).contains("HS384"));
}

/// Issue 19: a failed `profile edit talla` left the copy behind, shadowing the built-in.
#[test]
fn a_failed_edit_of_a_built_in_leaves_no_copy_to_shadow_it() {
    let env = Env::new();
    let breaks = script(&env, "break.sh", "printf 'not = [toml\\n' >> \"$1\"");
    let out = env
        .cmd()
        .env("EDITOR", &breaks)
        .args(["profile", "edit", "talla"])
        .write_stdin("n\n")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("the built-in 'talla' stays in use"), "{}", stderr(&out));
    assert!(!profiles_dir(&env).join("talla.toml").exists(), "no copy shadows the built-in");
    assert!(profiles_dir(&env).join("talla.toml.draft").exists(), "what was typed is kept");
    let shown = env.ok(&["profile", "show", "talla", "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("JSON");
    assert_eq!(value["source"]["kind"], "built-in", "{value}");
}

/// Issue 19: `profile validate` pointed at a comment that mentions the field, and a cycle of
/// defaults passed.
#[test]
fn validate_points_at_the_field_and_refuses_a_cycle_of_defaults() {
    let env = Env::new();
    let dir = env.home.path();
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "# the id of this profile is below\n# id id id\nid = \"Bad Id!\"\nname = \"x\"\n")
        .expect("write");
    let out = env.cmd().args(["profile", "validate"]).arg(&bad).output().expect("runs");
    assert!(stderr(&out).contains("bad.toml:3:1: field 'id'"), "{}", stderr(&out));
    let cycle = dir.join("cycle.toml");
    std::fs::write(
        &cycle,
        "id = \"cyc\"\nname = \"x\"\nalgorithms = [\"HS256\"]\nkey_kind = \"hmac-secret\"\n[[claims]]\npath = \"a\"\ntype = \"string\"\ndefault = \"{b}\"\n[[claims]]\npath = \"b\"\ntype = \"string\"\ndefault = \"md5(a)\"\n",
    )
    .expect("write");
    let out = env.cmd().args(["profile", "validate"]).arg(&cycle).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("make each other (a <- b <- a)"), "{}", stderr(&out));
}
