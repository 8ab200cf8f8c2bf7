//! Page snippets, pasted into a page and run in headless Chromium.
//!
//! Every host name resolves to nothing (`--host-resolver-rules`), so each `<script src>` and
//! `<link href>` fails to load; a stand-in defined first on the page catches that failure, records
//! the address that was asked for and, for a vendor's file, does what that file would do (defines
//! the vendor's global, replays Tiledesk's queue, fires its events), all of it recorded in order.
//! The tests then compare the whole record: the loader's address, the calls in the vendor's
//! documented order with their arguments, the ids and parameters that arrive, and that a hostile
//! parameter value stays data. The React and Svelte flavours need a framework build to run, so
//! they are checked as text.
//!
//! Chromium is installed by `.ci/run`; where it is missing the tests say so and skip, unless
//! TOKENSMITH_REQUIRE_TOOLS=1 (set by `.ci/run`), where they fail.

mod common;

use std::path::PathBuf;

use serde_json::{Map, Value, json};
use tokensmith::claims::{BuildContext, ClaimAssignment, ClaimInput, ClaimSchema, build_payload};
use tokensmith::profile::{Profile, ProfileSet};
use tokensmith::secret::Secret;
use tokensmith::snippet::{FlavorKind, SnippetInput, flavors, js_string, render};
use tokensmith::token::{self, KeyMaterial, parse_pem};
use tokensmith::token::{Curve, Family};

/// 2026-01-01 00:00:00 UTC.
const NOW: i64 = 1_767_225_600;
const SECRET: &str = "tokensmith-snippet-secret-0123456789abcdef";
const HOSTILE: &str = "</script><script>alert(1)</script>\"'";

const TALLA_JS: &str = "https://assets.talla.com/latest/embeddedjs/talla.js";
const TICKETPING_JS: &str = "https://unpkg.com/@ticketping/chat-widget@latest/dist/widget.min.js";
const TICKETPING_CSS: &str = "https://unpkg.com/@ticketping/chat-widget@latest/dist/widget.css";
const TILEDESK_V2_JS: &str = "https://widget.tiledesk.com/v2/tiledesk.js";
const TILEDESK_V5_JS: &str = "https://widget.tiledesk.com/v5/launch.js";
const VIASOCKET_JS: &str = "https://embed.viasocket.com/prod-embedcomponent.js";

use common::chromium;

fn profile(id: &str) -> Profile {
    ProfileSet::load(None).get(id).cloned().unwrap_or_else(|e| panic!("{e}"))
}

fn key_for(profile: &Profile) -> KeyMaterial {
    let fixture = |rel: &str| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys").join(rel);
        let pem = std::fs::read_to_string(path).expect("key fixture");
        parse_pem(&pem).expect("pem").material
    };
    match profile.key_kind {
        Family::Hmac => KeyMaterial::hmac(Secret::new(SECRET.as_bytes().to_vec())).expect("secret"),
        Family::Rsa => fixture("rsa2048-pkcs8.pem"),
        Family::Ec(Curve::P256) => fixture("ec-p256-pkcs8.pem"),
        Family::Ec(Curve::P384) => fixture("ec-p384-pkcs8.pem"),
        Family::Ec(Curve::P521) => fixture("ec-p521-pkcs8.pem"),
        Family::Ed25519 => fixture("ed25519-pkcs8.pem"),
    }
}

/// The profile's default token, with a hostile email where the profile takes one.
fn signed(profile: &Profile) -> (String, Map<String, Value>) {
    let email = "email".parse().expect("path");
    let extra = if profile.field(&email).is_some() || profile.extra_claims {
        vec![ClaimAssignment { path: email, input: ClaimInput::Json(json!(HOSTILE)) }]
    } else {
        Vec::new()
    };
    let mut uuid = || "00000000-0000-4000-8000-000000000000".to_string();
    let params = profile.resolve_params(&[]).expect("params");
    let mut ctx = BuildContext { now: NOW, uuid: &mut uuid, params: &params };
    let schema = ClaimSchema { profile: &profile.id, fields: &profile.claims, allow_extra: true };
    let payload = build_payload(&schema, &extra, &mut ctx).expect("payload");
    let alg = profile.algorithms[0];
    let token =
        token::sign(&token::header(alg, Some("JWT"), None), &payload, &key_for(profile), alg).expect("sign");
    (token, payload)
}

/// A rendered page snippet: the token in it and the parameters it was given.
struct Rendered {
    token: String,
    text: String,
}

/// Renders `flavor` with the profile's defaults overridden by `given`.
fn rendered(profile: &Profile, flavor: &str, given: &[(&str, &str)]) -> Rendered {
    let (token, payload) = signed(profile);
    let given: Vec<(String, String)> =
        given.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect();
    let params = profile.resolve_params(&given).expect("params");
    let input = SnippetInput { profile, token: &token, payload: &payload, params: &params };
    let text = render(&input, flavor).unwrap_or_else(|e| panic!("{} {flavor}: {e}", profile.id));
    assert!(!text.contains(SECRET), "{} {flavor} holds the secret", profile.id);
    assert!(!text.contains("PRIVATE KEY"), "{} {flavor} holds a private key", profile.id);
    Rendered { token, text }
}

/// Stands in for every vendor's file: defined first on the page, it records what the page asks for
/// and what it calls into `<pre id="calls">`.
const STAND_IN: &str = r#"<script>
window.__calls = [];
function record() {
  window.__calls.push(Array.prototype.slice.call(arguments));
  var out = document.getElementById('calls');
  if (out) { out.textContent = JSON.stringify(window.__calls); }
}
window.alert = function (message) { record('alert', String(message)); };
function copy(value) { return value === undefined ? null : JSON.parse(JSON.stringify(value)); }
// After the page has loaded (and the loaders have run), click as a visitor would.
function clickAfterLoad(selector) {
  window.addEventListener('load', function () {
    setTimeout(function () {
      record('click', selector);
      var target = document.querySelector(selector);
      if (target) { target.click(); }
    }, 50);
  });
}
var vendors = {};
vendors['https://assets.talla.com/latest/embeddedjs/talla.js'] = function () {
  var loadExternalKB = { option: 'LoadExternalKB' };
  window.talla = {
    OptionLoadExternalKB: loadExternalKB,
    OptionJWTCredentials: function (token) { return { jwt: token }; },
    OptionParent: function (element) { return { parent: element ? element.id : null }; },
    init: function (appID, option) {
      record('talla.init', appID, option === loadExternalKB ? 'talla.OptionLoadExternalKB' : copy(option), arguments.length);
      return { display: function (credentials, parent) { record('talla.widget.display', credentials, parent); } };
    }
  };
};
vendors['https://unpkg.com/@ticketping/chat-widget@latest/dist/widget.min.js'] = function () {
  window.TicketpingChat = { init: function (config) { record('TicketpingChat.init', copy(config)); return {}; } };
};
vendors['https://embed.viasocket.com/prod-embedcomponent.js'] = function (script) {
  var found = document.getElementById('viasocket-embed-main-script');
  record('viasocket.script', {
    found: found === script,
    embedToken: script.getAttribute('embedToken'),
    parentId: script.getAttribute('parentId')
  });
  window.openViasocket = function () { record('openViasocket'); };
};
function tiledeskLoader(script) {
  var found = document.getElementById('tiledesk-jssdk');
  record('tiledesk.loader', { found: found === script, settings: copy(window.tiledeskSettings) });
}
// v2: the loader makes window.tiledesk with on(), calls tileDeskAsyncInit, and the widget adds
// signInWithCustomToken before it fires onInit.
vendors['https://widget.tiledesk.com/v2/tiledesk.js'] = function (script) {
  tiledeskLoader(script);
  var handlers = {};
  window.tiledesk = { on: function (name, handler) { record('tiledesk.on', name); (handlers[name] = handlers[name] || []).push(handler); } };
  if (typeof window.tileDeskAsyncInit === 'function') { window.tileDeskAsyncInit(); }
  setTimeout(function () {
    window.tiledesk.signInWithCustomToken = function (token) { record('tiledesk.signInWithCustomToken', token); };
    record('event', 'onInit');
    (handlers.onInit || []).forEach(function (handler) { handler({ detail: {} }); });
  }, 10);
};
// v5: launch.js replays the calls queued in window.Tiledesk.q once the widget starts, then takes
// calls directly; a sign-in fires onAuthStateChanged.
vendors['https://widget.tiledesk.com/v5/launch.js'] = function (script) {
  tiledeskLoader(script);
  var handlers = {};
  function call(name, arg) {
    if (/^on/.test(name)) {
      record('Tiledesk.on', name);
      (handlers[name] = handlers[name] || []).push(arg);
      return;
    }
    record('Tiledesk', name, copy(arg));
    if (name === 'signInWithCustomToken') {
      setTimeout(function () {
        record('event', 'onAuthStateChanged');
        (handlers.onAuthStateChanged || []).forEach(function (handler) {
          handler({ detail: { isLogged: true, event: 'onAuthStateChanged' } });
        });
      }, 10);
    }
  }
  var queued = (window.Tiledesk && window.Tiledesk.q) || [];
  setTimeout(function () {
    record('Tiledesk.replay', queued.length);
    queued.forEach(function (args) { call(args[0], args[1]); });
    window.Tiledesk = function (name, arg) { call(name, arg); };
  }, 0);
};
window.addEventListener('error', function (event) {
  var element = event.target;
  if (!element || element === window || !element.tagName) {
    record('error', String(event.message));
    return;
  }
  var address = element.src || element.href;
  record('request', element.tagName.toLowerCase(), address);
  if (vendors[address]) { vendors[address](element); }
}, true);
</script>"#;

fn run_page(browser: &PathBuf, name: &str, head: &str, snippet: &str, tail: &str) -> Vec<Value> {
    common::run_page(browser, STAND_IN, name, head, snippet, tail)
}

/// The calls but the failed requests, whose order between a stylesheet and a script is the network's.
fn without_requests(calls: &[Value]) -> Vec<Value> {
    calls.iter().filter(|c| c[0] != "request").cloned().collect()
}

fn requests(calls: &[Value]) -> Vec<String> {
    calls.iter().filter(|c| c[0] == "request").filter_map(|c| c[2].as_str().map(String::from)).collect()
}

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

#[test]
fn talla_loads_talla_js_inits_with_load_external_kb_and_displays_the_token_on_click() {
    let browser = browser_or_skip!();
    let talla = profile("talla");
    for app_id in ["your-talla-app-id", HOSTILE] {
        let page = rendered(&talla, "html", &[("app_id", app_id)]);
        let calls = run_page(&browser, "talla", "", &page.text, "clickAfterLoad('#example button');");
        assert_eq!(
            calls,
            vec![
                json!(["request", "script", TALLA_JS]),
                json!(["talla.init", app_id, "talla.OptionLoadExternalKB", 2]),
                json!(["click", "#example button"]),
                json!(["talla.widget.display", { "jwt": page.token }, { "parent": "talla-widget" }]),
            ],
            "{}",
            page.text
        );
    }
}

#[test]
fn ticketping_loads_the_widget_and_its_css_then_inits_with_the_params_and_the_token() {
    let browser = browser_or_skip!();
    let ticketping = profile("ticketping");
    let plain = [("app_id", "your-app-id"), ("team_slug", "your-team-slug"), ("team_logo_icon", "logo")];
    let hostile = [("app_id", HOSTILE), ("team_slug", HOSTILE), ("team_logo_icon", HOSTILE)];
    for given in [plain, hostile] {
        let page = rendered(&ticketping, "html", &given);
        let calls = run_page(&browser, "ticketping", "", &page.text, "");
        let mut asked = requests(&calls);
        asked.sort();
        assert_eq!(asked, vec![TICKETPING_CSS, TICKETPING_JS], "{}", page.text);
        assert_eq!(
            without_requests(&calls),
            vec![json!(["TicketpingChat.init", {
                "appId": given[0].1,
                "teamSlug": given[1].1,
                "teamLogoIcon": given[2].1,
                "userJWT": page.token,
            }])],
            "{}",
            page.text
        );
    }
}

/// React and Svelte need a framework build to run; their text must hold the vendor's component,
/// the props, the token-fetching flow and every value as an escaped JavaScript string.
#[test]
fn ticketping_react_and_svelte_fetch_the_token_then_render_the_component_with_the_props() {
    let ticketping = profile("ticketping");
    let given = [("app_id", HOSTILE), ("team_slug", "your-team-slug"), ("team_logo_icon", "logo")];
    let react = rendered(&ticketping, "react", &given);
    let svelte = rendered(&ticketping, "svelte", &given);
    for (flavor, page, import, props) in [
        (
            "react",
            &react,
            "import TicketpingChat from \"@ticketping/chat-widget/react\";",
            vec![
                format!("appId={{{}}}", js_string(HOSTILE)),
                "teamSlug={\"your-team-slug\"}".to_string(),
                "teamLogoIcon={\"logo\"}".to_string(),
                "userJWT={userJWT}".to_string(),
                format!("const TEST_JWT = {};", js_string(&react.token)),
                "fetch(\"/api/ticketping/chat-jwt\", { credentials: \"include\" })".to_string(),
                "const { jwt } = await res.json();".to_string(),
                "if (userJWT === null) return null;".to_string(),
            ],
        ),
        (
            "svelte",
            &svelte,
            "import TicketpingChatWidget from '@ticketping/chat-widget/svelte'",
            vec![
                format!("const appId = {}", js_string(HOSTILE)),
                "const teamSlug = \"your-team-slug\"".to_string(),
                "const teamLogoIcon = \"logo\"".to_string(),
                format!("const TEST_JWT = {}", js_string(&svelte.token)),
                "fetch('/api/ticketping/chat-jwt', { credentials: 'include' })".to_string(),
                "const { jwt } = await res.json()".to_string(),
                "import('@ticketping/chat-widget/style')".to_string(),
                "{#if jwtLoaded}".to_string(),
                "<TicketpingChatWidget {appId} {teamSlug} {teamLogoIcon} userJWT={jwtToken} />".to_string(),
            ],
        ),
    ] {
        assert!(page.text.contains(import), "{flavor}: {}", page.text);
        for prop in props {
            assert!(page.text.contains(&prop), "{flavor} lacks {prop}: {}", page.text);
        }
        // The hostile value never appears raw: a `</script>` would end Svelte's script block.
        assert!(!page.text.contains("</script><script>"), "{flavor}: {}", page.text);
    }
}

#[test]
fn tiledesk_v2_sets_the_project_loads_the_widget_and_signs_in_with_the_jwt_prefix_after_init() {
    let browser = browser_or_skip!();
    let tiledesk = profile("tiledesk");
    for project in ["<PROJECT_ID>", HOSTILE] {
        let page = rendered(&tiledesk, "html", &[("project_id", project)]);
        let calls = run_page(&browser, "tiledesk-v2", "", &page.text, "");
        assert_eq!(
            calls,
            vec![
                json!(["request", "script", TILEDESK_V2_JS]),
                json!(["tiledesk.loader", { "found": true, "settings": { "projectid": project } }]),
                json!(["tiledesk.on", "onInit"]),
                json!(["event", "onInit"]),
                json!(["tiledesk.signInWithCustomToken", format!("JWT {}", page.token)]),
            ],
            "{}",
            page.text
        );
    }
}

#[test]
fn tiledesk_v5_sets_auto_start_false_before_the_loader_signs_in_and_shows_after_auth() {
    let browser = browser_or_skip!();
    let tiledesk = profile("tiledesk");
    for project in ["<PROJECT_ID>", HOSTILE] {
        let page = rendered(&tiledesk, "html-v4", &[("project_id", project)]);
        let calls = run_page(&browser, "tiledesk-v5", "", &page.text, "");
        assert_eq!(
            calls,
            vec![
                json!(["request", "script", TILEDESK_V5_JS]),
                json!(["tiledesk.loader", {
                    "found": true,
                    "settings": { "projectid": project, "autoStart": false },
                }]),
                json!(["Tiledesk.replay", 2]),
                json!(["Tiledesk", "signInWithCustomToken", format!("JWT {}", page.token)]),
                json!(["Tiledesk.on", "onAuthStateChanged"]),
                json!(["event", "onAuthStateChanged"]),
                json!(["Tiledesk", "show", null]),
            ],
            "{}",
            page.text
        );
    }
}

#[test]
fn viasocket_script_tag_carries_the_token_and_parent_id_and_the_button_opens_the_embed() {
    let browser = browser_or_skip!();
    let viasocket = profile("viasocket");
    for parent in ["", "integrations", HOSTILE] {
        let page = rendered(&viasocket, "html", &[("parent_id", parent), ("org_id", HOSTILE)]);
        let calls = run_page(
            &browser,
            "viasocket",
            "",
            &page.text,
            "clickAfterLoad('#viasocket-embed-open-button');",
        );
        let parent_id = if parent.is_empty() { Value::Null } else { json!(parent) };
        assert_eq!(
            calls,
            vec![
                json!(["request", "script", VIASOCKET_JS]),
                json!(["viasocket.script", { "found": true, "embedToken": page.token, "parentId": parent_id }]),
                json!(["click", "#viasocket-embed-open-button"]),
                json!(["openViasocket"]),
            ],
            "{}",
            page.text
        );
    }
}

#[test]
fn viasocket_dynamic_loads_the_script_once_the_token_is_known_from_the_test_value_or_the_server() {
    let browser = browser_or_skip!();
    let viasocket = profile("viasocket");
    for parent in ["", HOSTILE] {
        let page = rendered(&viasocket, "html-dynamic", &[("parent_id", parent)]);
        let parent_id = if parent.is_empty() { Value::Null } else { json!(parent) };
        let expected = |token: &str, fetched: bool| {
            let mut calls = Vec::new();
            if fetched {
                calls.push(json!(["fetch", "/token"]));
            }
            calls.extend([
                json!(["request", "script", VIASOCKET_JS]),
                json!(["viasocket.script", { "found": true, "embedToken": token, "parentId": parent_id }]),
                json!(["click", "#viasocket-embed-open-button"]),
                json!(["openViasocket"]),
            ]);
            calls
        };
        let click = "clickAfterLoad('#viasocket-embed-open-button');";
        let calls = run_page(&browser, "viasocket-dynamic", "", &page.text, click);
        assert_eq!(calls, expected(&page.token, false), "{}", page.text);

        // The production path: no test token, so the page asks the server's GET /token.
        let test_value = format!("var TEST_TOKEN = {};", js_string(&page.token));
        assert!(page.text.contains(&test_value), "{}", page.text);
        let production = page.text.replace(&test_value, "var TEST_TOKEN = '';");
        let server = format!(
            "window.fetch = function (url) {{ record('fetch', url); return Promise.resolve({{ \
             json: function () {{ return Promise.resolve({{ token: {} }}); }} }}); }};",
            js_string("server-token")
        );
        let calls = run_page(&browser, "viasocket-dynamic-fetch", &server, &production, click);
        assert_eq!(calls, expected("server-token", true), "{production}");
    }
}

#[test]
fn orlo_page_gives_the_token_as_replacement_text_for_jwt_token_and_runs_nothing() {
    let browser = browser_or_skip!();
    let orlo = profile("orlo");
    let page = rendered(&orlo, "html", &[]);
    assert!(!page.text.contains("<script"), "the widget's own code is the customer's: {}", page.text);
    let tail = "var texts = []; var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_COMMENT);\
                while (walker.nextNode()) { texts.push(walker.currentNode.data); }\
                record('comments', texts, typeof window.JWT_TOKEN);";
    let calls = run_page(&browser, "orlo", "", &page.text, tail);
    assert_eq!(calls.len(), 1, "{calls:?}");
    let comments = calls[0][1].as_array().expect("comments");
    assert_eq!(calls[0][2], "undefined", "no JWT_TOKEN variable");
    let comment =
        comments.iter().filter_map(Value::as_str).find(|c| c.contains("JWT_TOKEN")).expect("the note");
    assert!(comment.contains("replace the text JWT_TOKEN"), "{comment}");
    assert!(comment.lines().any(|line| line == page.token), "the token on a line of its own: {comment}");

    // `tokensmith snippet` takes any text as the token: one that would end the comment stays inside.
    let (_, payload) = signed(&orlo);
    let hostile_token = format!("x-->{HOSTILE}");
    let input = SnippetInput { profile: &orlo, token: &hostile_token, payload: &payload, params: &[] };
    let text = render(&input, "html").expect("renders");
    let calls = run_page(&browser, "orlo-hostile", "", &text, tail);
    assert_eq!(calls.len(), 1, "one comment, no script: {calls:?}");
}

#[test]
fn orlo_mobile_url_fills_in_widget_id_and_jwt_token_once_each() {
    let browser = browser_or_skip!();
    let orlo = profile("orlo");
    // A widget id holding the other placeholder must not get the token put into it.
    for widget in ["your-widget-id", HOSTILE, "JWT_TOKEN&jwt=x"] {
        let page = rendered(&orlo, "mobile-url", &[("widget_id", widget)]);
        let url = page.text.trim();
        let tail = format!(
            "var url = new URL({}); record('url', url.origin + url.pathname, Array.from(url.searchParams.entries()));",
            js_string(url)
        );
        let calls = run_page(&browser, "orlo-mobile-url", "", "", &tail);
        assert_eq!(
            calls,
            vec![json!([
                "url",
                "https://your-live-chat.example/mobile",
                [["widget", widget], ["jwt", page.token]]
            ])],
            "{url}"
        );
    }
}

#[test]
fn generic_pages_hand_the_prefixed_token_and_the_params_to_the_page() {
    let browser = browser_or_skip!();
    for profile in ProfileSet::load(None).profiles.iter().filter(|p| p.id.starts_with("generic-")) {
        let (token, payload) = signed(profile);
        // Names that are not JavaScript identifiers, and a hostile value.
        let params =
            vec![("app-id".to_string(), HOSTILE.to_string()), ("widget id".to_string(), "w".to_string())];
        let input = SnippetInput { profile, token: &token, payload: &payload, params: &params };
        let text = render(&input, "html").expect("renders");
        let calls =
            run_page(&browser, &profile.id, "", &text, "record('page', window.token, window.params);");
        assert_eq!(
            calls,
            vec![json!(["page", token, { "app-id": HOSTILE, "widget id": "w" }])],
            "{}: {text}",
            profile.id
        );
    }
}

/// Every page flavour of every profile has a test above: a new one fails here until it has.
#[test]
fn every_page_flavour_is_tested() {
    let tested = [
        ("talla", "html"),
        ("ticketping", "html"),
        ("ticketping", "react"),
        ("ticketping", "svelte"),
        ("tiledesk", "html"),
        ("tiledesk", "html-v4"),
        ("viasocket", "html"),
        ("viasocket", "html-dynamic"),
        ("orlo", "html"),
        ("orlo", "mobile-url"),
        ("generic", "html"),
        // Identity hashes and HubSpot: tests at the end of this file.
        ("intercom-hash", "html"),
        ("helpscout", "html"),
        ("front", "html"),
        ("chatwoot", "html"),
        ("crisp", "html"),
        ("hubspot", "html"),
        // tested in page_snippets_more.rs
        ("zendesk-messaging", "html"),
        ("zendesk-chat", "html"),
        ("intercom", "html"),
        ("salesforce", "html"),
        ("kustomer", "html"),
        ("drift", "html"),
    ];
    for profile in ProfileSet::load(None).profiles {
        let group = if profile.id.starts_with("generic-") { "generic" } else { profile.id.as_str() };
        for flavor in flavors(&profile).into_iter().filter(|f| f.kind == FlavorKind::Embed) {
            assert!(
                tested.contains(&(group, flavor.name.as_str())),
                "{} {} has no page test",
                profile.id,
                flavor.name
            );
        }
    }
}

/// A hash profile's page with a hostile name and email: the hash of the default identifier.
fn hashed_page(profile: &Profile) -> (String, Map<String, Value>, String) {
    hashed_page_given(profile, &[("name", HOSTILE), ("email", HOSTILE)])
}

/// A hash profile's page with these user fields set (those the profile declares).
fn hashed_page_given(profile: &Profile, given: &[(&str, &str)]) -> (String, Map<String, Value>, String) {
    let mut extra = Vec::new();
    for &(name, value) in given {
        let path: tokensmith::claims::ClaimPath = name.parse().expect("path");
        if profile.field(&path).is_some() {
            extra.push(ClaimAssignment { path, input: ClaimInput::Json(json!(value)) });
        }
    }
    let mut uuid = || "00000000-0000-4000-8000-000000000000".to_string();
    let params = profile.resolve_params(&[]).expect("params");
    let mut ctx = BuildContext { now: NOW, uuid: &mut uuid, params: &params };
    let schema = ClaimSchema { profile: &profile.id, fields: &profile.claims, allow_extra: true };
    let values = build_payload(&schema, &extra, &mut ctx).expect("values");
    let (_, identifier) = tokensmith::hash::pick_identifier(profile, &values).expect("identifier");
    let hash = tokensmith::hash::identity_hash(SECRET.as_bytes(), &identifier);
    let input = SnippetInput { profile, token: &hash, payload: &values, params: &params };
    let text = render(&input, "html").expect("renders");
    assert!(!text.contains(SECRET), "{} holds the secret", profile.id);
    (hash, values, text)
}

#[test]
fn identity_hash_pages_pass_the_identifier_and_the_hash_to_the_vendors_call() {
    let browser = browser_or_skip!();
    let intercom = profile("intercom-hash");
    let (hash, _, text) = hashed_page(&intercom);
    let calls =
        run_page(&browser, "intercom", "", &text, "record('settings', copy(window.intercomSettings));");
    assert_eq!(
        without_requests(&calls),
        vec![json!(["settings", {
            "api_base": "https://api-iam.intercom.io", "app_id": "your-app-id", "user_id": "4242",
            "email": HOSTILE, "name": HOSTILE, "user_hash": hash,
        }])],
        "{text}"
    );
    assert_eq!(requests(&calls), vec!["https://widget.intercom.io/widget/your-app-id"]);

    let helpscout = profile("helpscout");
    let (hash, _, text) = hashed_page(&helpscout);
    let head = "window.Beacon = function () { record.apply(null, ['Beacon'].concat(copy(Array.prototype.slice.call(arguments)))); };";
    let calls = run_page(&browser, "helpscout", head, &text, "");
    assert_eq!(
        calls,
        vec![json!(["Beacon", "identify", { "name": HOSTILE, "email": HOSTILE, "signature": hash }])],
        "{text}"
    );

    let front = profile("front");
    let (hash, _, text) = hashed_page(&front);
    let head = "vendors['https://chat-assets.frontapp.com/v1/chat.bundle.js'] = function () { window.FrontChat = function (command, options) { record('FrontChat', command, copy(options)); }; };";
    let calls = run_page(&browser, "front", head, &text, "");
    assert_eq!(
        without_requests(&calls),
        vec![json!(["FrontChat", "init", {
            "chatId": "your-chat-id", "useDefaultLauncher": true, "email": HOSTILE, "name": HOSTILE, "userHash": hash,
        }])],
        "{text}"
    );

    // Chatwoot's SDK (chatwoot/chatwoot app/javascript/sdk/cookieHelpers.js, REQUIRED_USER_KEYS;
    // thrown in app/javascript/entrypoints/sdk.js): setUser throws unless the user object has
    // one of avatar_url, email and name. The stub does the same.
    let chatwoot = profile("chatwoot");
    let head = "vendors['https://app.chatwoot.com/packs/js/sdk.js'] = function (script) { window.chatwootSDK = { run: function (options) { record('chatwootSDK.run', copy(options)); window.$chatwoot = { setUser: function (id, user) { if (!['avatar_url', 'email', 'name'].some(function (k) { return k in user; })) { record('$chatwoot.setUser threw'); throw new Error('setUser must have either avatar_url, email or name'); } record('$chatwoot.setUser', id, copy(user)); } }; window.dispatchEvent(new Event('chatwoot:ready')); } }; script.onload(); };";
    let run = |id: &str, user: Value| {
        vec![
            json!(["chatwootSDK.run", { "websiteToken": "your-website-token", "baseUrl": "https://app.chatwoot.com" }]),
            json!(["$chatwoot.setUser", id, user]),
        ]
    };
    let (hash, _, text) = hashed_page(&chatwoot);
    let calls = run_page(&browser, "chatwoot", head, &text, "");
    let expected = run("4242", json!({ "email": HOSTILE, "name": HOSTILE, "identifier_hash": hash }));
    assert_eq!(without_requests(&calls), expected, "{text}");
    // With no name, email or avatar set the page still signs the user in: the identifier stands
    // in for the name.
    let (hash, _, text) = hashed_page_given(&chatwoot, &[]);
    let calls = run_page(&browser, "chatwoot", head, &text, "");
    let expected = run("4242", json!({ "name": "4242", "identifier_hash": hash }));
    assert_eq!(without_requests(&calls), expected, "{text}");
    let (hash, _, text) = hashed_page_given(&chatwoot, &[("avatar_url", "https://example.com/a.png")]);
    let calls = run_page(&browser, "chatwoot", head, &text, "");
    let expected = run("4242", json!({ "avatar_url": "https://example.com/a.png", "identifier_hash": hash }));
    assert_eq!(without_requests(&calls), expected, "{text}");

    let crisp = profile("crisp");
    let (hash, _, text) = hashed_page(&crisp);
    let calls = run_page(
        &browser,
        "crisp",
        "",
        &text,
        "record('crisp', copy(window.$crisp), window.CRISP_WEBSITE_ID);",
    );
    assert_eq!(
        without_requests(&calls),
        vec![json!(["crisp", [["set", "user:email", [HOSTILE, hash]]], "your-website-id"])],
        "{text}"
    );
    assert_eq!(requests(&calls), vec!["https://client.crisp.chat/l.js"]);
}

#[test]
fn hubspot_page_sets_the_settings_before_loading_the_widget() {
    let browser = browser_or_skip!();
    let hubspot = profile("hubspot");
    let token = "eyJhbGciOiJIUzI1NiJ9.eyJlbWFpbCI6ImFkYUBleGFtcGxlLmNvbSJ9.c2ln";
    let payload: Map<String, Value> = serde_json::from_value(json!({ "email": HOSTILE })).expect("map");
    let input = SnippetInput { profile: &hubspot, token, payload: &payload, params: &[] };
    let text = render(&input, "html").expect("renders");
    let head = "window.HubSpotConversations = { widget: { load: function () { record('widget.load', copy(window.hsConversationsSettings)); } } };";
    let calls = run_page(&browser, "hubspot", head, &text, "");
    assert_eq!(
        calls,
        vec![
            json!(["widget.load", { "loadImmediately": false, "identificationEmail": HOSTILE, "identificationToken": token }])
        ],
        "{text}"
    );
}
