use super::*;
use crate::har::read::{Content, PostData, Request, Response};

/// RFC 7519 §3.1's example token.
const RFC: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const HASH: &str = "1f5b7ba4f3fb0c4bd0b6ca7c1bc4b0e5d4a9e6d0f3c7b2a1e8d9c0b1a2f3e4d5";

fn nv(name: &str, value: &str) -> NameValue {
    NameValue { name: name.into(), value: value.into() }
}

fn places(entry: &Entry) -> Vec<(String, Direction)> {
    scan(entry).into_iter().map(|h| (h.place.to_string(), h.direction)).collect()
}

#[test]
fn a_token_is_found_in_each_part_of_a_request() {
    let encoded = RFC.replace('.', "%2E");
    let entry = Entry {
        request: Request {
            url: format!("https://api.example/x?jwt={encoded}"),
            headers: vec![nv("Authorization", &format!("Bearer {RFC}")), nv("X-Widget-Token", RFC)],
            cookies: vec![nv("session", &encoded)],
            post_data: Some(PostData {
                mime_type: "application/json".into(),
                text: Some(format!(r#"{{"user": {{"jwt": "{RFC}"}}}}"#)),
                params: vec![],
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    assert_eq!(
        places(&entry),
        [
            ("Authorization header".to_string(), Direction::Sent),
            ("header x-widget-token".to_string(), Direction::Sent),
            ("cookie session".to_string(), Direction::Sent),
            ("query parameter jwt".to_string(), Direction::Sent),
            ("JSON user.jwt".to_string(), Direction::Sent),
        ]
    );
    assert!(scan(&entry).iter().all(|h| h.value == RFC && h.kind == Kind::Jwt));
}

#[test]
fn cookies_and_queries_are_read_from_the_raw_header_and_url_when_not_split() {
    let entry = Entry {
        request: Request {
            url: format!("https://a.example/?a=1&token={RFC}#frag"),
            headers: vec![nv("Cookie", &format!("a=1; widget_jwt={RFC}"))],
            post_data: Some(PostData {
                mime_type: "application/x-www-form-urlencoded".into(),
                text: Some(format!("name=Ada+L&id_token={RFC}")),
                params: vec![],
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    let found: Vec<String> = places(&entry).into_iter().map(|(p, _)| p).collect();
    assert_eq!(found, ["cookie widget_jwt", "query parameter token", "form field id_token"]);
}

#[test]
fn answers_and_pages_give_up_their_tokens_and_hashes_with_the_setting_that_holds_them() {
    let json = |text: String, mime: &str| Entry {
        response: Response {
            content: Content { mime_type: mime.into(), text: Some(text), ..Default::default() },
            ..Default::default()
        },
        ..Default::default()
    };
    let answer = json(format!(r#"{{"jwt": "{RFC}", "expires_in": 300}}"#), "application/json");
    assert_eq!(places(&answer), [("JSON jwt".to_string(), Direction::Received)]);
    let page = format!(
        "<script>window.intercomSettings = {{ app_id: 'abc', user_id: 'u1', user_hash: '{HASH}' }};</script>\n\
         <script>zE('messenger', 'loginUser', function (cb) {{ cb('{RFC}'); }});</script>\n\
         <script>$crisp.push([\"set\", \"user:email\", [\"ada@example.com\", \"{HASH}\"]]);</script>"
    );
    let hits = scan(&json(page, "text/html"));
    let got: Vec<(String, Kind)> = hits.iter().map(|h| (h.place.to_string(), h.kind.clone())).collect();
    assert_eq!(
        got,
        [
            ("the page's zE(".to_string(), Kind::Jwt),
            ("the page's intercomSettings".to_string(), Kind::Hash { field: "user_hash".into() }),
            ("the page's $crisp.push".to_string(), Kind::Hash { field: "signature".into() }),
        ]
    );
    // A base64 body (Firefox keeps some text that way) is decoded first.
    use base64::Engine as _;
    let mut b64 = json(
        base64::engine::general_purpose::STANDARD.encode(format!("{{\"token\":\"{RFC}\"}}")),
        "application/json",
    );
    b64.response.content.encoding = Some("base64".into());
    assert_eq!(places(&b64), [("JSON token".to_string(), Direction::Received)]);
}

#[test]
fn look_alikes_are_not_tokens() {
    // Not three parts, a header that is not JSON, one inside a longer word, no alg.
    let header_without_alg = "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxIn0.c2ln";
    for text in [
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0",
        "eyJhbGciOi.eyJzdWIiOiIxIn0.c2ln",
        &format!("x{RFC}"),
        header_without_alg,
    ] {
        assert_eq!(jwts(text), Vec::<String>::new(), "{text}");
    }
    // A hash must be 64 hex digits, quoted, right after its name.
    assert!(hash_spans(&format!("user_hash: '{}'", &HASH[..40])).is_empty());
    assert!(hash_spans(&format!("user_hash: getHash(), other: '{HASH}'")).is_empty());
    assert_eq!(hash_spans(&format!("\"userHash\":\"{HASH}\"")).len(), 1);
}

/// Every widget setting tokensmith knows names the place a token handed over in it was found.
#[test]
fn each_widget_setting_names_the_place() {
    for (marker, _) in SETTINGS {
        let page = format!("<script>{marker} {{ user: 'u1', token: '{RFC}' }});</script>");
        let entry = Entry {
            response: Response {
                content: Content { mime_type: "text/html".into(), text: Some(page), ..Default::default() },
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(places(&entry), [(format!("the page's {marker}"), Direction::Received)], "{marker}");
    }
}
