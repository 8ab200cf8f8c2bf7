//! The probe's rules on one answer (status, content type, the token's key, Cache-Control,
//! CORS, the server's clock) and on the run (the same token twice), each naming its public
//! source, plus the doctor's findings on each token.

use serde_json::Value;

use crate::doctor::{self, Finding, Severity};
use crate::net::{NetError, Response, body_start};
use crate::profile::{Source, SourceKind};
use crate::rules::{finding, sourced};
use crate::time::{gap, human_duration};

use super::{CLOCK_TOLERANCE, Exchange, Judge, Plan, response_key, shorten};

fn standard(id: &str, title: &str, url: &str) -> Source {
    Source {
        id: id.to_string(),
        kind: SourceKind::Standard,
        title: title.to_string(),
        url: Some(url.to_string()),
        enforced: false,
    }
}

fn no_store_source() -> Source {
    standard(
        "rfc9111",
        "RFC 9111 (HTTP Caching), section 5.2.2.5 no-store; MDN: Cache-Control",
        "https://www.rfc-editor.org/rfc/rfc9111#section-5.2.2.5",
    )
}

fn cors_source() -> Source {
    standard(
        "fetch",
        "the Fetch standard, CORS protocol (MDN: CORS)",
        "https://fetch.spec.whatwg.org/#http-cors-protocol",
    )
}

fn clock_source() -> Source {
    standard(
        "rfc9110",
        "RFC 9110 (HTTP), section 6.6.1 Date; RFC 7519, section 4.1.6 iat",
        "https://www.rfc-editor.org/rfc/rfc9110#section-6.6.1",
    )
}

/// Judges one answer (or the failure to get one), received at `at`.
pub fn judge(
    plan: &Plan,
    with: Judge<'_>,
    number: u32,
    answer: Result<Response, NetError>,
    at: i64,
) -> Exchange {
    let mut exchange = Exchange {
        number,
        at,
        status: None,
        content_type: None,
        cache_control: None,
        date: None,
        key: None,
        token_shown: None,
        token: None,
        verified_with: None,
        findings: Vec::new(),
    };
    let response = match answer {
        Ok(response) => response,
        Err(err) => {
            exchange.findings.push(finding(
                Severity::Error,
                "probe.request",
                None,
                None,
                err.to_string(),
                "the page's request would fail the same way: check the URL and that the server answers",
            ));
            return exchange;
        }
    };
    exchange.status = Some(response.status);
    exchange.content_type = response.header("content-type").map(str::to_string);
    exchange.cache_control = response.header("cache-control").map(str::to_string);
    exchange.date = response.header("date").and_then(http_date);
    let mut findings = Vec::new();
    cors_findings(plan, &response, &mut findings);
    if status_findings(plan, with, &response, &mut findings)
        && let Some((key, token)) = token_findings(with, &response, &mut findings)
    {
        cache_findings(&response, &mut findings);
        let report = doctor::diagnose(&token, with.profile, with.candidates, with.params, at);
        clock_findings(&token, exchange.date, &mut findings);
        findings.extend(report.findings);
        exchange.verified_with = report.verified_with;
        exchange.key = Some(key);
        exchange.token_shown = Some(shorten(&token));
        exchange.token = Some(token);
    }
    findings.sort_by_key(|f| f.severity);
    exchange.findings = findings;
    exchange
}

/// An HTTP date (`Thu, 03 Dec 2026 10:00:00 GMT`) as unix seconds.
fn http_date(text: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc2822(text.trim()).ok().map(|d| d.timestamp())
}

/// The status: a token comes only with 2xx. Returns whether to read the body.
fn status_findings(plan: &Plan, with: Judge<'_>, response: &Response, out: &mut Vec<Finding>) -> bool {
    let status = response.status;
    if (200..300).contains(&status) {
        return true;
    }
    let route = with.profile.server.as_ref().map(|s| s.route.as_str()).unwrap_or("the token route");
    let fix = match status {
        401 | 403 => "the route wants a logged-in user: pass the session the page has with --cookie NAME=VALUE or --header 'Authorization: ...'".to_string(),
        404 => format!("nothing answers at this path: check the URL (the generated server code serves {route})"),
        405 => format!("the route does not take {}: try --method GET or POST, as the page calls it", plan.method),
        500..=599 => "the server failed: its log says why (a missing secret in its environment is the usual cause)".to_string(),
        _ => "the page gets no token from this answer: check the URL and the route".to_string(),
    };
    let body = body_start(&response.body);
    let said = if body.is_empty() { String::new() } else { format!(", saying: {body}") };
    out.push(finding(Severity::Error, "probe.status", None, None, format!("HTTP {status}{said}"), fix));
    false
}

/// Whether a string looks like a compact JWS: three base64url parts.
fn looks_like_token(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 3
        && parts.iter().take(2).all(|p| !p.is_empty())
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

/// The content type and the body: JSON with the token under the profile's key. Returns the
/// key the token was found under, and the token.
fn token_findings(with: Judge<'_>, response: &Response, out: &mut Vec<Finding>) -> Option<(String, String)> {
    let profile = with.profile;
    let expected = response_key(profile);
    let source = profile.source(profile.server.as_ref().and_then(|s| s.source.as_deref()));
    let shape = format!("answer {{\"{expected}\": TOKEN}}, the JSON {} reads", profile.name);
    let content_type = response.header("content-type").unwrap_or("");
    let json: Option<Value> = serde_json::from_slice(&response.body).ok();
    if json.is_some() && !content_type.to_ascii_lowercase().contains("json") {
        out.push(finding(
            Severity::Warning,
            "probe.content-type",
            None,
            None,
            format!("the body is JSON but Content-Type is '{content_type}'"),
            "send Content-Type: application/json (res.json() in express, jsonify in Flask): some clients refuse JSON labelled otherwise",
        ));
    }
    let Some(Value::Object(map)) = json else {
        let body = String::from_utf8_lossy(&response.body);
        let found = if looks_like_token(body.trim()) {
            "the body is a bare token, not JSON".to_string()
        } else {
            format!(
                "the body is not a JSON object (Content-Type '{content_type}'): {}",
                body_start(&response.body)
            )
        };
        out.push(sourced(finding(Severity::Error, "probe.not-json", None, None, found, shape), source));
        return None;
    };
    if let Some(Value::String(token)) = map.get(expected) {
        return Some((expected.to_string(), token.clone()));
    }
    let other = map.iter().find_map(|(k, v)| v.as_str().filter(|t| looks_like_token(t)).map(|t| (k, t)));
    match other {
        Some((key, token)) => {
            out.push(sourced(
                finding(
                    Severity::Error,
                    "probe.wrong-key",
                    Some(key),
                    None,
                    format!("the token is under '{key}'; {} reads '{expected}'", profile.name),
                    shape,
                ),
                source,
            ));
            Some((key.clone(), token.to_string()))
        }
        None => {
            let keys: Vec<&str> = map.keys().map(String::as_str).collect();
            let found = if keys.is_empty() {
                "the JSON object is empty".to_string()
            } else {
                format!("no key holds a token (keys: {})", keys.join(", "))
            };
            out.push(sourced(finding(Severity::Error, "probe.no-token", None, None, found, shape), source));
            None
        }
    }
}

/// A token answer a cache may keep is a token one user can get from another's request.
fn cache_findings(response: &Response, out: &mut Vec<Finding>) {
    let cache_control = response.header("cache-control").unwrap_or("");
    let no_store = cache_control.split(',').any(|d| d.trim().eq_ignore_ascii_case("no-store"));
    if !no_store {
        let found = if cache_control.is_empty() {
            "the token answer has no Cache-Control header".to_string()
        } else {
            format!("the token answer's Cache-Control is '{cache_control}', without no-store")
        };
        out.push(sourced(
            finding(
                Severity::Warning,
                "probe.cache-control",
                None,
                None,
                found,
                "send Cache-Control: no-store with each token, so no browser, proxy or CDN keeps one user's token and hands it out again",
            ),
            no_store_source(),
        ));
    }
}

/// CORS for the page's origin: the page's fetch reads the answer only when the server allows
/// that origin (the exact origin, with credentials allowed, when cookies go along).
fn cors_findings(plan: &Plan, response: &Response, out: &mut Vec<Finding>) {
    let Some(origin) = plan.origin.as_deref() else { return };
    if plan.url_origin().is_some_and(|o| o.eq_ignore_ascii_case(origin)) {
        return;
    }
    let allowed = response.header("access-control-allow-origin").map(str::trim);
    let credentials = plan.credentials();
    let allows_credentials =
        response.header("access-control-allow-credentials").is_some_and(|v| v.trim() == "true");
    let problem = match allowed {
        None => Some(format!("no Access-Control-Allow-Origin for the page's origin {origin}")),
        Some("*") if credentials => Some(
            "Access-Control-Allow-Origin is '*', which browsers refuse for a request with credentials (cookies)"
                .to_string(),
        ),
        Some("*") => None,
        Some(other) if other != origin => {
            Some(format!("Access-Control-Allow-Origin is '{other}', not the page's origin {origin}"))
        }
        Some(_) if credentials && !allows_credentials => Some(
            "the request carries credentials but Access-Control-Allow-Credentials is not 'true'".to_string(),
        ),
        Some(_) => None,
    };
    if let Some(found) = problem {
        out.push(sourced(
            finding(
                Severity::Error,
                "probe.cors",
                None,
                None,
                found,
                format!(
                    "answer the page's origin by name: Access-Control-Allow-Origin: {origin}, Vary: Origin{}; or serve the route from the page's own origin",
                    if credentials { ", Access-Control-Allow-Credentials: true" } else { "" }
                ),
            ),
            cors_source(),
        ));
    }
}

/// The server's clock: its Date header against the token's iat (whole seconds both).
fn clock_findings(token: &str, date: Option<i64>, out: &mut Vec<Finding>) {
    let Some(date) = date else { return };
    let Some(iat) =
        crate::token::decode(token).ok().and_then(|d| d.payload.get("iat").and_then(Value::as_i64))
    else {
        return;
    };
    let off = gap(iat.max(date), iat.min(date));
    if off > CLOCK_TOLERANCE {
        let way = if iat < date { "behind" } else { "ahead of" };
        out.push(sourced(
            finding(
                Severity::Warning,
                "probe.clock",
                Some("iat"),
                Some(crate::token::Segment::Payload),
                format!("the token's iat is {} {way} the server's Date header", human_duration(off)),
                "the clock that signs the token is off from the web server's, or the token was made earlier and kept: sync the servers' clocks (NTP) and make each token when it is asked for",
            ),
            clock_source(),
        ));
    }
}

/// The run: the same token in two answers a second or more apart is a cached token.
pub fn judge_run(exchanges: &[Exchange]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, later) in exchanges.iter().enumerate() {
        let Some(token) = later.token.as_deref() else { continue };
        let Some(earlier) = exchanges.iter().take(i).find(|e| e.token.as_deref() == Some(token)) else {
            continue;
        };
        if later.at <= earlier.at {
            continue;
        }
        out.push(sourced(
            finding(
                Severity::Error,
                "probe.cached",
                None,
                None,
                format!(
                    "requests {} and {} got the same token, {} apart",
                    earlier.number,
                    later.number,
                    human_duration(gap(later.at, earlier.at))
                ),
                "make a fresh token for each request: a kept token ages toward its exp on the page, and a shared cache hands one user's token to another",
            ),
            no_store_source(),
        ));
        break;
    }
    out
}
