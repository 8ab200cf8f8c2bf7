use serde_json::json;

use super::*;
use crate::har::examine;

/// PyJWT 2.15.1 made it (tests/fixtures/doctor/manifest.json): a Tiledesk token whose `iat`
/// is 2026-01-01 00:10:00 UTC, ten minutes after the time the fixtures are judged at.
const IAT_FUTURE: &str = include_str!("../../../tests/fixtures/doctor/tiledesk-iat-future.jwt");
const SECRET: &str = include_str!("../../../tests/fixtures/keys/hmac-secret.txt");
/// 2026-01-01 00:00:00 UTC.
const AT: i64 = 1_767_225_600;

fn header(name: &str, value: &str) -> serde_json::Value {
    json!({"name": name, "value": value})
}

/// A Chrome-shaped HAR: the customer's endpoint issues the token with its clock ten minutes
/// ahead (its Date header says 00:00:00, the token's iat 00:10:00); the widget sends it to
/// Tiledesk a second later and gets 401.
fn tiledesk_har(token: &str) -> String {
    json!({"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"}, "entries": [
        {"startedDateTime": "2026-01-01T00:00:00.120Z",
         "request": {"method": "GET", "url": "https://shop.example/", "headers": [header("Cookie", "sid=abc")], "cookies": [], "queryString": []},
         "response": {"status": 200, "statusText": "OK", "headers": [], "cookies": [],
                      "content": {"size": 40, "mimeType": "text/html", "text": "<html><script src=\"https://widget.tiledesk.com/v6/launch.js\"></script></html>"}}},
        {"startedDateTime": "2026-01-01T00:00:00.500Z",
         "request": {"method": "GET", "url": "https://shop.example/api/tiledesk-jwt?u=1", "headers": [], "cookies": [], "queryString": []},
         "response": {"status": 200, "statusText": "", "headers": [header("date", "Thu, 01 Jan 2026 00:00:00 GMT"), header("content-type", "application/json")], "cookies": [],
                      "content": {"size": 400, "mimeType": "application/json", "text": format!("{{\"token\": \"{token}\"}}")}}},
        {"startedDateTime": "2026-01-01T00:00:01.700+00:00",
         "request": {"method": "POST", "url": "https://api.tiledesk.com/v3/auth/signinWithCustomToken", "headers": [header("Authorization", &format!("JWT {token}"))], "cookies": [], "queryString": []},
         "response": {"status": 401, "statusText": "Unauthorized", "headers": [], "cookies": [],
                      "content": {"size": 12, "mimeType": "text/plain", "text": "Unauthorized"}}},
        {"startedDateTime": "2026-01-01T00:00:02.000Z",
         "request": {"method": "GET", "url": "https://shop.example/logo.png", "headers": [], "cookies": [], "queryString": []},
         "response": {"status": 200, "headers": [], "cookies": [], "content": {"size": 9000, "mimeType": "image/png"}}}
    ]}})
    .to_string()
}

fn judged(har: &str) -> Case {
    let profiles = crate::profile::ProfileSet::load(None).profiles;
    let key =
        crate::store::secret_entry("demo", SECRET.trim().as_bytes().to_vec(), false, AT).expect("a key");
    let judge = Judge { profiles: &profiles, keys: &[key], params: &[], now: AT + 86_400 };
    examine(har.as_bytes(), "case.har", &judge).expect("a HAR")
}

#[test]
fn a_token_is_followed_from_the_customers_endpoint_to_the_vendors_refusal() {
    let case = judged(&tiledesk_har(IAT_FUTURE.trim()));
    assert_eq!((case.entries, case.requests.len(), case.tokens.len()), (4, 2, 1));
    let token = &case.tokens[0];
    let issued = token.issued.and_then(|r| case.requests.get(r)).expect("issued");
    assert_eq!(
        (issued.host.as_str(), issued.url.as_str()),
        ("shop.example", "https://shop.example/api/tiledesk-jwt")
    );
    let used: Vec<&str> =
        token.used.iter().filter_map(|r| case.requests.get(*r)).map(|r| r.host.as_str()).collect();
    assert_eq!(used, ["api.tiledesk.com"]);
    let vendor = token.vendor.as_ref().expect("a vendor");
    assert_eq!(vendor.profile, "tiledesk");
    assert!(vendor.why.starts_with("sent to api.tiledesk.com"), "{}", vendor.why);
    assert_eq!(token.judged_at, Some(AT + 1), "judged when the widget sent it, not now");
    assert_eq!(token.skew, Some(600));
    assert_eq!(token.outcome, Outcome::Refused);
    let report = token.report.as_ref().expect("the doctor ran");
    assert!(report.codes().contains(&"time.iat-future"), "{:?}", report.codes());
    assert!(report.codes().contains(&"signature.valid"), "{:?}", report.codes());
    assert_eq!(
        token.verdict.split("; ").take(2).collect::<Vec<_>>(),
        [
            "Tiledesk widget visitor authentication token: refused with 401 Unauthorized at 00:00:01 UTC by api.tiledesk.com/v3/auth/signinWithCustomToken",
            "issued by shop.example/api/tiledesk-jwt at 00:00:00 UTC, its clock 10m ahead"
        ],
        "{}",
        token.verdict
    );
    assert!(token.verdict.ends_with("no error; 1 warning: time.iat-future"), "{}", token.verdict);
    assert_eq!(
        case.summary,
        "1 token in 4 requests: 1 refused by the vendor, 0 accepted, 0 not sent; look first at 1"
    );
    assert_eq!(case.requests[1].error.as_deref(), Some("Unauthorized"));
    // The logo's answer has a size and no text: the HAR was saved without some content.
    assert!(case.notes.iter().any(|n| n.starts_with("1 answer(s) have no body")), "{:?}", case.notes);
    assert!(!case.notes.iter().any(|n| n.contains("sanitized")), "a cookie was kept: {:?}", case.notes);
}

#[test]
fn a_sanitized_export_is_named_and_a_hash_is_checked_with_the_identifier_beside_it() {
    let hash = crate::hash::identity_hash(SECRET.trim().as_bytes(), "u-42");
    let page = format!(
        "<script>window.intercomSettings = {{ app_id: \"abc\", user_id: \"u-42\", user_hash: \"{hash}\" }};</script>"
    );
    let har = json!({"log": {"entries": [
        {"startedDateTime": "2026-01-01T00:00:00Z",
         "request": {"method": "GET", "url": "https://shop.example/account"},
         "response": {"status": 200, "content": {"size": page.len(), "mimeType": "text/html", "text": page}}},
        {"startedDateTime": "2026-01-01T00:00:03Z",
         "request": {"method": "POST", "url": "https://api-iam.intercom.io/messenger/web/ping",
                     "postData": {"mimeType": "application/x-www-form-urlencoded", "text": format!("app_id=abc&user_data=%7B%22user_hash%22%3A%22{hash}%22%7D")}},
         "response": {"status": 200, "content": {"size": 2, "mimeType": "application/json", "text": "{}"}}}
    ]}})
    .to_string();
    let case = judged(&har);
    assert!(case.notes.iter().any(|n| n.contains("sanitized")), "{:?}", case.notes);
    let token = &case.tokens[0];
    assert_eq!(token.kind, Kind::Hash { field: "user_hash".into() });
    assert_eq!(token.vendor.as_ref().map(|v| v.profile.as_str()), Some("intercom-hash"));
    assert_eq!(token.identifier.as_deref(), Some("u-42"));
    let report = token.report.as_ref().expect("judged");
    assert!(report.passes(), "{:?}", report.findings);
    let places: Vec<String> = token.sightings.iter().map(|s| s.place.to_string()).collect();
    assert_eq!(places, ["the page's intercomSettings", "JSON user_data.user_hash"]);
    assert_eq!(token.outcome, Outcome::Accepted);
    assert!(token.verdict.starts_with("Intercom"), "{}", token.verdict);
}

/// A HAR of many requests carrying the same token keeps a bounded case: the places beyond the
/// bound are counted, not kept.
#[test]
fn one_token_in_many_requests_keeps_a_bounded_case() {
    let token = IAT_FUTURE.trim();
    let entries: Vec<serde_json::Value> = (0..MAX_SIGHTINGS + 50)
        .map(|i| {
            json!({"startedDateTime": "2026-01-01T00:00:01Z",
                   "request": {"method": "GET", "url": format!("https://api.tiledesk.com/x/{i}"),
                               "headers": [header("Authorization", &format!("JWT {token}"))]},
                   "response": {"status": 200, "content": {"size": 0, "mimeType": "text/plain", "text": ""}}})
        })
        .collect();
    let case = judged(&json!({"log": {"entries": entries}}).to_string());
    assert_eq!(case.tokens.len(), 1);
    assert_eq!(case.tokens[0].sightings.len(), MAX_SIGHTINGS);
    assert_eq!(case.unfollowed, 50);
    assert!(case.summary.ends_with("; 50 more places tokens were seen, not followed"), "{}", case.summary);
}
