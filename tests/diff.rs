//! `tokensmith diff` (issue 22, item 1) on tokens PyJWT made (tests/fixtures/doctor, from its
//! make.sh): each kind of change named once, the rules only one token breaks, exit codes 0/1/2.

mod common;

use common::{Env, fixture, stdout_json};
use serde_json::json;

fn at(name: &str) -> String {
    format!("@{}", fixture(&format!("doctor/{name}")).display())
}

#[test]
fn moved_changed_type_and_changed_claims_are_named_with_exit_1() {
    let env = Env::new();
    let run = |a: &str, b: &str, extra: &[&str]| {
        let out = env
            .cmd()
            .args(["diff", &at(a), &at(b), "--json", "--at", "1767225660"])
            .args(extra)
            .output()
            .expect("runs");
        (out.status.code(), stdout_json(&out))
    };
    // Talla's claims nested under account against the same claims at the top level.
    let (code, d) = run("talla-ok.jwt", "talla-flat.jwt", &[]);
    assert_eq!(code, Some(1));
    assert_eq!(d["header"], json!([]));
    assert_eq!(
        d["payload"][0],
        json!({"change": "moved", "from": "account.first_name", "to": "first_name", "value": "john"})
    );
    assert_eq!(d["payload"].as_array().map(Vec::len), Some(4));
    // Ticketping's external_id as a string, then as a number.
    let (code, d) = run("ticketping-ok.jwt", "ticketping-numeric-external-id.jwt", &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        d["payload"],
        json!([{"change": "changed-type", "path": "external_id", "from": "123", "to": 123}])
    );
    // Tiledesk 5 minutes against an hour: exp changed, each lifetime in words, and only the
    // second breaks the 10-minute rule.
    let (code, d) = run("tiledesk-ok.jwt", "tiledesk-lifetime.jwt", &["--profile", "tiledesk"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        d["payload"],
        json!([{"change": "changed", "path": "exp", "from": 1767225900, "to": 1767229200}])
    );
    assert_eq!(
        (d["times"][0]["lifetime"].clone(), d["times"][1]["lifetime"].clone()),
        (json!("5m"), json!("1h"))
    );
    assert_eq!(d["rules"]["only_first"], json!([]));
    assert_eq!(d["rules"]["only_second"][0]["code"], "time.lifetime-max");
}

#[test]
fn the_same_token_is_exit_0_and_a_non_token_exit_2() {
    let env = Env::new();
    let ok = at("tiledesk-ok.jwt");
    let out = env.cmd().args(["diff", &ok, &ok]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("the same header and claims"));
    // The same claims read from standard input, wrapped as a customer pastes it.
    let text = std::fs::read_to_string(fixture("doctor/tiledesk-ok.jwt")).expect("fixture");
    let out = env
        .cmd()
        .args(["diff", &ok, "-"])
        .write_stdin(format!("\"Bearer {}\"\n", text.trim()))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    for bad in ["payload-not-json.jwt", "payload-bad-base64.jwt"] {
        let out = env.cmd().args(["diff", &ok, &at(bad)]).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("the second token is not a token"), "{bad}");
    }
    let out = env.cmd().args(["diff", "-", "-"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
}
