//! Finding widget tokens and identity hashes in one HAR entry: where a page or a server put
//! them (headers, cookies, query strings, form and JSON bodies, JSON answers, the page's own
//! widget settings), and whether the browser sent or received them there.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::read::{Entry, NameValue};

/// Sent by the browser (in a request) or received (in a response).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// In a request.
    Sent,
    /// In a response.
    Received,
}

/// Where in a request or response a value was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "kebab-case")]
pub enum Place {
    /// The `Authorization` header, after `Bearer ` or `JWT `.
    Authorization,
    /// Another header.
    Header(String),
    /// A cookie.
    Cookie(String),
    /// A query parameter.
    Query(String),
    /// A form field of the body.
    Form(String),
    /// A member of a JSON body, by dotted path (`data.jwt`).
    Json(String),
    /// Inside a page's or script's call that hands it to a widget (`intercomSettings`).
    Setting(String),
    /// Elsewhere in a body.
    Body,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Authorization => f.write_str("Authorization header"),
            Place::Header(name) => write!(f, "header {name}"),
            Place::Cookie(name) => write!(f, "cookie {name}"),
            Place::Query(name) => write!(f, "query parameter {name}"),
            Place::Form(name) => write!(f, "form field {name}"),
            Place::Json(path) => write!(f, "JSON {path}"),
            Place::Setting(what) => write!(f, "the page's {what}"),
            Place::Body => f.write_str("body"),
        }
    }
}

/// A token or a hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A JWT (three base64url parts whose header decodes and names an `alg`).
    Jwt,
    /// An identity hash (hex HMAC) under a name a widget reads it by (`user_hash`).
    Hash {
        /// The name (`user_hash`, `identifier_hash`, `userHash`, `signature`, `user:email`).
        field: String,
    },
}

/// One value found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The token or hash.
    pub value: String,
    /// Which.
    pub kind: Kind,
    /// Where.
    pub place: Place,
    /// Sent or received.
    pub direction: Direction,
    /// For a hash: the text around it (at most [`CONTEXT`] bytes each side), where the
    /// identifier it was made of is looked for.
    pub context: Option<String>,
}

/// How much text each side of a hash is kept to find its identifier in.
pub const CONTEXT: usize = 600;

/// The calls and objects by which a page hands a widget its token or hash, and the
/// profiles each belongs to (the profile ids of tokensmith's built-in vendors).
pub const SETTINGS: [(&str, &[&str]); 10] = [
    ("intercomSettings", &["intercom", "intercom-hash"]),
    ("Intercom(", &["intercom", "intercom-hash"]),
    ("hsConversationsSettings", &["hubspot"]),
    ("$crisp.push", &["crisp"]),
    ("Beacon('identify'", &["helpscout"]),
    ("Beacon(\"identify\"", &["helpscout"]),
    ("$chatwoot.setUser", &["chatwoot"]),
    ("FrontChat(", &["front"]),
    ("zE(", &["zendesk-messaging", "zendesk-chat"]),
    ("Kustomer.login", &["kustomer"]),
];

/// The names widgets read an identity hash by, and the name the vendor gives it (a profile's
/// `hash.page_field`): Crisp's hash follows the email in `["user:email", [email, signature]]`.
const HASH_FIELDS: [(&str, &str); 5] = [
    ("user_hash", "user_hash"),
    ("identifier_hash", "identifier_hash"),
    ("userHash", "userHash"),
    ("signature", "signature"),
    ("user:email", "signature"),
];

/// How far before a value a settings call may start and still be the one handing it over.
const SETTING_REACH: usize = 2_000;

/// The most text of one body searched (a larger body is searched up to here).
const MAX_SCANNED: usize = 16 << 20;

/// Every token and hash in an entry: the request's, then the response's.
pub fn scan(entry: &Entry) -> Vec<Hit> {
    let mut out = Vec::new();
    let request = &entry.request;
    let mut sent = |value: String, kind: Kind, place: Place, context: Option<String>| {
        out.push(Hit { value, kind, place, direction: Direction::Sent, context });
    };
    for h in &request.headers {
        header_hits(h, &mut sent);
    }
    let cookies =
        if request.cookies.is_empty() { cookie_header(&request.headers) } else { request.cookies.clone() };
    for c in &cookies {
        for token in jwts(&percent(&c.value)) {
            sent(token, Kind::Jwt, Place::Cookie(c.name.clone()), None);
        }
    }
    let query =
        if request.query_string.is_empty() { url_query(&request.url) } else { request.query_string.clone() };
    for q in &query {
        for token in jwts(&percent(&q.value)) {
            sent(token, Kind::Jwt, Place::Query(q.name.clone()), None);
        }
    }
    if let Some(post) = &request.post_data {
        let params = if post.params.is_empty() && post.mime_type.contains("form-urlencoded") {
            post.text.as_deref().map(form_pairs).unwrap_or_default()
        } else {
            post.params.clone()
        };
        for p in &params {
            let value = percent(&p.value);
            match serde_json::from_str::<Value>(&value) {
                // A form field holding JSON (Intercom's `user_data`): walked as JSON under its name.
                Ok(json @ (Value::Object(_) | Value::Array(_))) => {
                    walk(&json, &mut p.name.clone(), &mut sent)
                }
                _ => {
                    for token in jwts(&value) {
                        sent(token, Kind::Jwt, Place::Form(p.name.clone()), None);
                    }
                }
            }
        }
        if params.is_empty()
            && let Some(text) = &post.text
        {
            body_hits(text, &mut sent);
        }
    }
    let response = &entry.response;
    let mut received = |value: String, kind: Kind, place: Place, context: Option<String>| {
        out.push(Hit { value, kind, place, direction: Direction::Received, context });
    };
    for h in &response.headers {
        if !h.name.eq_ignore_ascii_case("set-cookie") {
            header_hits(h, &mut received);
        }
    }
    for c in &response.cookies {
        for token in jwts(&percent(&c.value)) {
            received(token, Kind::Jwt, Place::Cookie(c.name.clone()), None);
        }
    }
    if let Some(text) = body_text(&response.content.text, response.content.encoding.as_deref()) {
        body_hits(&text, &mut received);
    }
    dedupe(out)
}

/// A body as text: base64 bodies decoded when they decode to UTF-8 (images do not).
fn body_text(text: &Option<String>, encoding: Option<&str>) -> Option<String> {
    use base64::Engine as _;
    let text = text.as_deref()?;
    if encoding.is_some_and(|e| e.eq_ignore_ascii_case("base64")) {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).take(MAX_SCANNED / 3 * 4).collect();
        let bytes = base64::engine::general_purpose::STANDARD.decode(compact).ok()?;
        return String::from_utf8(bytes).ok();
    }
    Some(text.to_string())
}

/// The same value at the same place once.
fn dedupe(hits: Vec<Hit>) -> Vec<Hit> {
    let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
    for hit in hits {
        if !out.iter().any(|h| h == &hit) {
            out.push(hit);
        }
    }
    out
}

fn header_hits(h: &NameValue, out: &mut impl FnMut(String, Kind, Place, Option<String>)) {
    if h.name.eq_ignore_ascii_case("cookie") {
        return;
    }
    let place = if h.name.eq_ignore_ascii_case("authorization") {
        Place::Authorization
    } else {
        Place::Header(h.name.to_ascii_lowercase())
    };
    for token in jwts(&h.value) {
        out(token, Kind::Jwt, place.clone(), None);
    }
}

/// A body: JSON walked member by member, else text searched (with the settings calls).
fn body_hits(text: &str, out: &mut impl FnMut(String, Kind, Place, Option<String>)) {
    let text = cut(text, MAX_SCANNED);
    let trimmed = text.trim_start();
    if (trimmed.starts_with('{') || trimmed.starts_with('['))
        && let Ok(value) = serde_json::from_str::<Value>(text)
    {
        walk(&value, &mut String::new(), out);
        return;
    }
    for (at, token) in jwt_spans(text) {
        let place = setting_before(text, at).map_or(Place::Body, |s| Place::Setting(s.to_string()));
        out(token.to_string(), Kind::Jwt, place, None);
    }
    for (at, field, hash) in hash_spans(text) {
        let place = setting_before(text, at).map_or(Place::Body, |s| Place::Setting(s.to_string()));
        let context = around(text, at, CONTEXT).to_string();
        out(hash.to_string(), Kind::Hash { field: field.to_string() }, place, Some(context));
    }
}

fn walk(value: &Value, path: &mut String, out: &mut impl FnMut(String, Kind, Place, Option<String>)) {
    match value {
        Value::Object(map) => {
            for (key, member) in map {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                let named = HASH_FIELDS.iter().find(|(name, _)| name == key).map(|(_, field)| *field);
                if let (Value::String(s), Some(field)) = (member, named)
                    && is_hex_hash(s)
                {
                    let context = Value::Object(map.clone()).to_string();
                    out(
                        s.clone(),
                        Kind::Hash { field: field.into() },
                        Place::Json(path.clone()),
                        Some(context),
                    );
                }
                walk(member, path, out);
                path.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(item, path, out);
                path.truncate(len);
            }
        }
        Value::String(s) => {
            for token in jwts(s) {
                out(token, Kind::Jwt, Place::Json(path.clone()), None);
            }
        }
        _ => {}
    }
}

/// The nearest settings call that starts at most [`SETTING_REACH`] bytes before `at`.
fn setting_before(text: &str, at: usize) -> Option<&'static str> {
    let from = floor_char(text, at.saturating_sub(SETTING_REACH));
    let window = text.get(from..at)?;
    SETTINGS.iter().filter_map(|(name, _)| window.rfind(name).map(|i| (i, *name))).max().map(|(_, name)| name)
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at = at.saturating_sub(1);
    }
    at
}

/// The text `reach` bytes each side of `at`, cut at character boundaries.
fn around(text: &str, at: usize, reach: usize) -> &str {
    let from = floor_char(text, at.saturating_sub(reach));
    let to = floor_char(text, at.saturating_add(reach).min(text.len()));
    text.get(from..to).unwrap_or_default()
}

fn cut(text: &str, max: usize) -> &str {
    text.get(..floor_char(text, max.min(text.len()))).unwrap_or_default()
}

fn is_b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Every JWT in a text.
pub fn jwts(text: &str) -> Vec<String> {
    jwt_spans(text).into_iter().map(|(_, t)| t.to_string()).collect()
}

/// Every JWT in a text with where it starts: three base64url runs joined by dots, the first
/// starting `eyJ` (`{"` encoded), whose header decodes to an object naming an `alg`.
fn jwt_spans(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let run = |from: usize| {
        from.saturating_add(
            bytes.get(from..).unwrap_or_default().iter().take_while(|b| is_b64url(**b)).count(),
        )
    };
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(found) = text.get(i..).and_then(|rest| rest.find("eyJ")) {
        let start = i.saturating_add(found);
        i = start.saturating_add(3);
        if start.checked_sub(1).and_then(|before| bytes.get(before)).is_some_and(|b| is_b64url(*b)) {
            continue;
        }
        let header_end = run(start);
        if bytes.get(header_end) != Some(&b'.') {
            continue;
        }
        let payload_end = run(header_end.saturating_add(1));
        if payload_end < header_end.saturating_add(3) || bytes.get(payload_end) != Some(&b'.') {
            continue;
        }
        let end = run(payload_end.saturating_add(1));
        let Some(candidate) = text.get(start..end) else { continue };
        let decoded = crate::token::decode(candidate);
        if decoded.as_ref().is_ok_and(|d| d.alg().is_some()) {
            out.push((start, candidate));
            i = end;
        }
    }
    out
}

/// The first quoted 64-hex-digit value in `text`: where its opening quote is, and the value.
fn quoted_hash(text: &str) -> Option<(usize, &str)> {
    let bytes = text.as_bytes();
    (0..bytes.len()).find_map(|at| {
        let quote = *bytes.get(at)?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let value = text.get(at.saturating_add(1)..at.saturating_add(65))?;
        (is_hex_hash(value) && bytes.get(at.saturating_add(65)) == Some(&quote)).then_some((at, value))
    })
}

/// A hex HMAC-SHA256 (64 hex digits), as the identity-hash widgets take it.
fn is_hex_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Identity hashes in a script or page: `user_hash: "..."`, `"identifier_hash": "..."`,
/// `userHash = '...'`, Beacon's `signature`, and Crisp's `["user:email", ["ada@x", "HASH"]]`.
fn hash_spans(text: &str) -> Vec<(usize, &'static str, &str)> {
    let mut out = Vec::new();
    for (field, named) in HASH_FIELDS {
        let mut from = 0;
        while let Some(found) = text.get(from..).and_then(|rest| rest.find(field)) {
            let at = from.saturating_add(found);
            from = at.saturating_add(field.len());
            let after = text.get(from..).unwrap_or_default();
            let Some((skip, value)) = quoted_hash(cut(after, 200)) else { continue };
            let between = after.get(..skip).unwrap_or_default();
            // Only punctuation between the name and the value (quotes, colon, brackets), or, in
            // Crisp's `["user:email", ["ada@x.com", "HASH"]]`, the email before it.
            let plain = between.chars().all(|c| " \t\r\n\"':=,[(".contains(c))
                || (field == "user:email" && between.contains('@'));
            if plain {
                out.push((at, named, value));
            }
        }
    }
    out
}

fn percent(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

fn cookie_header(headers: &[NameValue]) -> Vec<NameValue> {
    headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("cookie"))
        .flat_map(|h| h.value.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| NameValue { name: name.trim().to_string(), value: value.trim().to_string() })
        .collect()
}

fn url_query(url: &str) -> Vec<NameValue> {
    url.split_once('?').map(|(_, q)| form_pairs(q.split('#').next().unwrap_or_default())).unwrap_or_default()
}

fn form_pairs(text: &str) -> Vec<NameValue> {
    text.split('&')
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (!name.is_empty())
                .then(|| NameValue { name: percent(&name.replace('+', " ")), value: value.replace('+', " ") })
        })
        .collect()
}

#[cfg(test)]
mod tests;
