//! The page snippets of six more vendors (Zendesk messaging and Chat, Intercom, Salesforce,
//! Kustomer, Drift), pasted into a page and run in headless Chromium, as `page_snippets.rs`
//! runs the seed vendors'. Every host name resolves to nothing, so each vendor's script fails
//! to load; a stand-in defined first on the page catches the failure, records the address, and
//! does what the vendor's file would do (defines `zE`, calls `jwtFn`, fires `kustomerLoaded`).
//! The tests compare the whole record: the loader's address, the vendor's calls in the
//! documented order with the token, and that a hostile parameter stays data.
//!
//! (The runner is a copy of `page_snippets.rs`'s; kept apart so the two files merge cleanly.)

mod common;

use std::path::PathBuf;

use serde_json::{Value, json};
use tokensmith::claims::{BuildContext, ClaimSchema, build_payload};
use tokensmith::profile::{Profile, ProfileSet};
use tokensmith::secret::Secret;
use tokensmith::snippet::{SnippetInput, render};
use tokensmith::token::{self, Family, KeyMaterial, parse_pem};

/// 2026-01-01 00:00:00 UTC.
const NOW: i64 = 1_767_225_600;
const SECRET: &str = "tokensmith-snippet-secret-0123456789abcdef";
const HOSTILE: &str = "</script><script>alert(1)</script>\"'";
const ZENDESK_JS: &str = "https://static.zdassets.com/ekr/snippet.js?key=";
const KUSTOMER_JS: &str = "https://cdn.kustomerapp.com/chat-web/widget.js";
const INTERCOM_JS: &str = "https://widget.intercom.io/widget/";

use common::chromium;

macro_rules! browser_or_skip {
    () => {
        match chromium() {
            Some(browser) => browser,
            None => {
                common::skip_missing("chromium");
                return;
            }
        }
    };
}

fn profile(id: &str) -> Profile {
    ProfileSet::load(None).get(id).cloned().unwrap_or_else(|e| panic!("{e}"))
}

/// The page snippet with the profile's defaults overridden by `given`, and the token in it.
fn rendered(profile: &Profile, given: &[(&str, &str)]) -> (String, String) {
    let key = match profile.key_kind {
        Family::Hmac => KeyMaterial::hmac(Secret::new(SECRET.as_bytes().to_vec())).expect("secret"),
        _ => {
            let path =
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys/rsa2048-pkcs8.pem");
            parse_pem(&std::fs::read_to_string(path).expect("key")).expect("pem").material
        }
    };
    let given: Vec<(String, String)> = given.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let params = profile.resolve_params(&given).expect("params");
    let mut uuid = || "00000000-0000-4000-8000-000000000000".to_string();
    let mut ctx = BuildContext { now: NOW, uuid: &mut uuid, params: &params };
    let schema = ClaimSchema { profile: &profile.id, fields: &profile.claims, allow_extra: true };
    let payload = build_payload(&schema, &[], &mut ctx).expect("payload");
    let alg = profile.algorithms[0];
    let token = token::sign(&token::header(alg, Some("JWT"), None), &payload, &key, alg).expect("sign");
    let input = SnippetInput { profile, token: &token, payload: &payload, params: &params };
    let text = render(&input, "html").unwrap_or_else(|e| panic!("{}: {e}", profile.id));
    assert!(!text.contains(SECRET) && !text.contains("PRIVATE KEY"), "{} holds a key", profile.id);
    (token, text)
}

const STAND_IN: &str = r#"<script>
window.__calls = [];
function record() {
  window.__calls.push(Array.prototype.slice.call(arguments));
  var out = document.getElementById('calls');
  if (out) { out.textContent = JSON.stringify(window.__calls); }
}
window.alert = function (message) { record('alert', String(message)); };
function copy(value) { return value === undefined ? null : JSON.parse(JSON.stringify(value)); }
// Each vendor's file, by the start of its address.
var vendors = [];
// Zendesk's snippet.js: defines zE; messaging's loginUser calls the jwtCallback, then the
// loginCallback; Web Widget Classic calls zESettings' jwtFn.
vendors.push(['https://static.zdassets.com/ekr/snippet.js?key=', function () {
  window.zE = function (scope, command, jwtCallback, loginCallback) {
    record('zE', scope, command, arguments.length);
    jwtCallback(function (token) {
      record('zE.jwt', token);
      loginCallback(null);
    });
  };
  var jwtFn = window.zESettings && window.zESettings.webWidget && window.zESettings.webWidget.authenticate &&
    window.zESettings.webWidget.authenticate.chat && window.zESettings.webWidget.authenticate.chat.jwtFn;
  if (typeof jwtFn === 'function') {
    jwtFn(function (token) { record('chat.jwtFn', token); });
  }
}]);
// Intercom's widget: boots from intercomSettings, after the calls queued before it.
vendors.push(['https://widget.intercom.io/widget/', function () {
  record('intercom.boot', copy(window.intercomSettings), (window.Intercom && window.Intercom.q || []).length);
}]);
// Kustomer's widget.js: defines Kustomer and fires kustomerLoaded.
vendors.push(['https://cdn.kustomerapp.com/chat-web/widget.js', function (script) {
  record('kustomer.script', script.getAttribute('data-kustomer-api-key'));
  window.Kustomer = {
    start: function (options, done) { record('Kustomer.start', copy(options)); done(); },
    login: function (options, done) { record('Kustomer.login', copy(options)); done({}, null); }
  };
  window.dispatchEvent(new Event('kustomerLoaded'));
}]);
window.addEventListener('error', function (event) {
  var element = event.target;
  if (!element || element === window || !element.tagName) {
    record('error', String(event.message));
    return;
  }
  var address = element.src || element.href;
  record('request', element.tagName.toLowerCase(), address);
  vendors.forEach(function (v) { if (address.indexOf(v[0]) === 0) { v[1](element); } });
}, true);
</script>"#;

fn run_page(browser: &PathBuf, name: &str, head: &str, snippet: &str, tail: &str) -> Vec<Value> {
    common::run_page(browser, STAND_IN, name, head, snippet, tail)
}

fn request(address: String) -> Value {
    json!(["request", "script", address])
}

#[test]
fn zendesk_messaging_loads_the_snippet_then_login_user_hands_the_token_to_its_callback() {
    let browser = browser_or_skip!();
    let zendesk = profile("zendesk-messaging");
    for key in ["your-widget-key", HOSTILE] {
        let (token, text) = rendered(&zendesk, &[("widget_key", key)]);
        let calls = run_page(&browser, "zendesk-messaging", "", &text, "");
        let address = calls.first().and_then(|c| c[2].as_str()).unwrap_or_default().to_string();
        assert!(address.starts_with(ZENDESK_JS), "{calls:?}");
        assert_eq!(
            calls,
            vec![request(address), json!(["zE", "messenger", "loginUser", 4]), json!(["zE.jwt", token])],
            "{key}"
        );
    }
}

#[test]
fn zendesk_chat_sets_jwt_fn_before_the_snippet_loads() {
    let browser = browser_or_skip!();
    let chat = profile("zendesk-chat");
    let (token, text) = rendered(&chat, &[("widget_key", "abc-123")]);
    let calls = run_page(&browser, "zendesk-chat", "", &text, "");
    assert_eq!(calls, vec![request(format!("{ZENDESK_JS}abc-123")), json!(["chat.jwtFn", token])]);
}

#[test]
fn intercom_settings_carry_the_app_id_and_the_jwt_before_the_messenger_boots() {
    let browser = browser_or_skip!();
    let intercom = profile("intercom");
    for app_id in ["abc123", HOSTILE] {
        let (token, text) = rendered(&intercom, &[("app_id", app_id)]);
        let tail = "window.Intercom('show');";
        let calls = run_page(&browser, "intercom", "", &text, tail);
        let settings =
            json!({"api_base": "https://api-iam.intercom.io", "app_id": app_id, "intercom_user_jwt": token});
        let address = calls.first().and_then(|c| c[2].as_str()).unwrap_or_default().to_string();
        assert!(address.starts_with(INTERCOM_JS), "{calls:?}");
        assert_eq!(calls, vec![request(address), json!(["intercom.boot", settings, 1])], "{app_id}");
    }
}

#[test]
fn salesforce_sets_the_identity_token_when_ready_and_a_fresh_one_when_it_expires() {
    let browser = browser_or_skip!();
    let salesforce = profile("salesforce");
    let (token, text) = rendered(&salesforce, &[]);
    let head = "window.embeddedservice_bootstrap = { userVerificationAPI: { setIdentityToken: function (t) { record('setIdentityToken', copy(t)); } } };\
                window.fetch = function (url, options) { record('fetch', url, copy(options)); \
                  return Promise.resolve({ json: function () { return { token: 'fresh-token' }; } }); };";
    let tail = "window.dispatchEvent(new Event('onEmbeddedMessagingReady'));\
                setTimeout(function () { window.dispatchEvent(new Event('onEmbeddedMessagingIdentityTokenExpired')); }, 10);";
    let calls = run_page(&browser, "salesforce", head, &text, tail);
    assert_eq!(
        calls,
        vec![
            json!(["setIdentityToken", {"identityTokenType": "JWT", "identityToken": token}]),
            json!(["fetch", "/api/salesforce/identity-token", {"credentials": "include"}]),
            json!(["setIdentityToken", {"identityTokenType": "JWT", "identityToken": "fresh-token"}]),
        ]
    );
}

#[test]
fn kustomer_starts_then_logs_in_with_the_jwt_token_once_loaded() {
    let browser = browser_or_skip!();
    let kustomer = profile("kustomer");
    for brand in ["brand-1", HOSTILE] {
        let (token, text) = rendered(&kustomer, &[("api_key", "key-1"), ("brand_id", brand)]);
        let calls = run_page(&browser, "kustomer", "", &text, "");
        assert_eq!(
            calls,
            vec![
                request(KUSTOMER_JS.to_string()),
                json!(["kustomer.script", "key-1"]),
                json!(["Kustomer.start", {"brandId": brand}]),
                json!(["Kustomer.login", {"jwtToken": token}]),
            ],
            "{brand}"
        );
    }
}

#[test]
fn drift_identifies_the_tokens_subject_with_the_jwt() {
    let browser = browser_or_skip!();
    let drift = profile("drift");
    let (token, text) = rendered(&drift, &[]);
    let head = "window.drift = { identify: function (id, attributes, options) { record('drift.identify', id, copy(attributes), copy(options)); } };";
    let calls = run_page(&browser, "drift", head, &text, "");
    assert_eq!(calls, vec![json!(["drift.identify", "user-123456", {}, {"userJwt": token}])]);
}
