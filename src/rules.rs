//! The profile's rules on a header and payload: required header fields, claims, their types,
//! shapes and patterns, and the times. Both faces of a rule check call this one module: `sign`
//! reports what the token it makes breaks, the doctor what the token it is given breaks.

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::claims::ClaimType;
use crate::profile::{Profile, Source, SourceKind};
use crate::time::{gap, human_duration, utc};
use crate::token::{Alg, KeyMaterial, Segment};

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The vendor will refuse the token.
    Error,
    /// Risky, or against the vendor's advice.
    Warning,
    /// Worth knowing.
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// One thing the doctor found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// How bad it is.
    pub severity: Severity,
    /// A stable code for scripts (`time.milliseconds`).
    pub code: &'static str,
    /// The claim or header field involved (`exp`, `header.kid`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// What was found.
    pub found: String,
    /// What to do.
    pub fix: String,
    /// Which part of the token is at fault, for highlighting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<Segment>,
    /// Where the rule comes from (seed page, vendor docs, vendor server code, RFC, tokensmith).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

pub(crate) fn finding(
    severity: Severity,
    code: &'static str,
    subject: Option<&str>,
    segment: Option<Segment>,
    found: impl Into<String>,
    fix: impl Into<String>,
) -> Finding {
    // A finding quotes the token's own values: escaped here, once, for every face.
    let escape = |text: String| crate::text::inline(&text).into_owned();
    Finding {
        severity,
        code,
        subject: subject.map(|s| crate::text::inline(s).into_owned()),
        found: escape(found.into()),
        fix: escape(fix.into()),
        segment,
        source: None,
    }
}

/// The profile's rules on a header and payload (not the signature or the algorithm): required
/// header fields, claims, their types and shapes, and the times. `sign` reports these for the
/// token it makes; the doctor for the token it is given.
pub fn check_rules(
    header: &Map<String, Value>,
    payload: &Map<String, Value>,
    profile: &Profile,
    params: &[(String, String)],
    at: i64,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    header_findings(header, profile, &mut findings);
    claim_findings(payload, profile, params, &mut findings);
    time_findings(payload, profile, at, &mut findings);
    findings.sort_by_key(|f| f.severity);
    findings
}

/// The signing key's own rule, whatever the vendor: an HMAC secret shorter than RFC 7518
/// section 3.2 allows for the algorithm (as many bytes as the hash). The signing pipeline
/// reports it for the key it signs with (so `sign`, `snippet` and the workbench all show it),
/// the doctor for the key that verified the token.
pub fn key_findings(key: &KeyMaterial, alg: Alg) -> Vec<Finding> {
    let KeyMaterial::Hmac(secret) = key else { return Vec::new() };
    match alg.min_secret_bytes() {
        Some(min) if secret.len() < min => vec![finding(
            Severity::Warning,
            "secret.too-short",
            None,
            None,
            format!("the secret has {} bytes; RFC 7518 wants at least {min} for {alg}", secret.len()),
            format!("use a secret of at least {min} random bytes (`tokensmith keys gen NAME --kind hmac`)"),
        )],
        _ => Vec::new(),
    }
}

fn header_findings(header: &Map<String, Value>, profile: &Profile, out: &mut Vec<Finding>) {
    let source = profile.source(profile.header.source.as_deref());
    // A kid still holding the parameter's example value names no key the vendor has.
    if let Some(param) =
        profile.header.kid_param.as_ref().and_then(|name| profile.params.iter().find(|p| &p.name == name))
        && param.placeholder
        && !param.default.is_empty()
        && header.get("kid").and_then(Value::as_str) == Some(param.default.as_str())
    {
        out.push(sourced(
            finding(
                Severity::Warning,
                "header.kid-placeholder",
                Some("header.kid"),
                Some(Segment::Header),
                format!("kid is '{}', the example value of the parameter {}", param.default, param.name),
                format!(
                    "sign with --kid YOUR_KEY_ID or --param {}=YOUR_KEY_ID ({})",
                    param.name, param.description
                ),
            ),
            source.clone(),
        ));
    }
    for required in &profile.header.required {
        if !header.contains_key(required) {
            let source = source.clone();
            out.push(sourced(
                finding(
                    severity_of(&source),
                    "header.missing",
                    Some(&format!("header.{required}")),
                    Some(Segment::Header),
                    format!("the header has no '{required}', which {} requires", profile.name),
                    match (required.as_str(), &profile.header.kid_description) {
                        ("kid", Some(d)) => format!("add \"kid\": {d}"),
                        _ => format!("add \"{required}\" to the header when signing"),
                    },
                ),
                source,
            ));
        }
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => format!("the string \"{s}\""),
        other => other.to_string(),
    }
}

/// A source, as a finding quotes it: "the seed page (Tiledesk: Widget Authentication)".
pub fn source_phrase(source: &Source) -> String {
    match source.kind {
        SourceKind::Standard => source.title.clone(),
        SourceKind::Ours => "tokensmith's own advice (not a vendor rule)".to_string(),
        kind => format!("{kind}: {}", source.title),
    }
}

/// The severity of breaking a rule from this source: an error only when the vendor's acceptor
/// enforces it.
pub(crate) fn severity_of(source: &Source) -> Severity {
    if source.enforced { Severity::Error } else { Severity::Warning }
}

pub(crate) fn sourced(mut f: Finding, source: Source) -> Finding {
    f.source = Some(source);
    f
}

/// Claims that a nested profile expects under an object but the token has at the top level
/// (`first_name` instead of `account.first_name`): one finding naming the object.
fn flat_nesting(decoded_payload: &Map<String, Value>, profile: &Profile) -> Option<(String, Vec<String>)> {
    let mut by_parent: Vec<(String, Vec<String>)> = Vec::new();
    for field in &profile.claims {
        let keys = field.path.keys();
        let (Some((last, parents)), true) = (keys.split_last(), keys.len() > 1) else { continue };
        if field.path.get(decoded_payload).is_some() || !decoded_payload.contains_key(last) {
            continue;
        }
        let parent = parents.join(".");
        match by_parent.iter_mut().find(|(p, _)| *p == parent) {
            Some((_, found)) => found.push(last.clone()),
            None => by_parent.push((parent, vec![last.clone()])),
        }
    }
    by_parent.into_iter().max_by_key(|(_, found)| found.len())
}

/// Each of the profile's claims in the payload: missing, of the wrong type, made from an
/// example value, too long, outside its charset; nested where the profile reads it; the
/// any-of groups. Pattern checks come after, over every shaped claim at once.
fn claim_findings(
    payload: &Map<String, Value>,
    profile: &Profile,
    params: &[(String, String)],
    out: &mut Vec<Finding>,
) {
    let nesting = nesting_findings(payload, profile, out);
    let mut shaped = Vec::new();
    for field in &profile.claims {
        if let Some((text, value, source)) = field_findings(field, payload, nesting.as_ref(), profile, out)
            && field.pattern.is_some()
        {
            shaped.push((field, text, value, source));
        }
    }
    pattern_findings(shaped, profile, params, out);
    group_findings(payload, profile, out);
}

/// Claims the profile reads inside an object, sent at the top level. Returns the parent and
/// the claims found outside it.
fn nesting_findings(
    payload: &Map<String, Value>,
    profile: &Profile,
    out: &mut Vec<Finding>,
) -> Option<(String, Vec<String>)> {
    let nesting = flat_nesting(payload, profile);
    if let Some((parent, found)) = &nesting {
        let source = profile.source(
            profile
                .claims
                .iter()
                .find(|f| f.path.keys().first() == Some(parent))
                .and_then(|f| f.source.as_deref()),
        );
        out.push(sourced(
            finding(
                severity_of(&source),
                "claim.not-nested",
                Some(parent),
                Some(Segment::Payload),
                format!(
                    "{} {} at the top level, but {} reads {} inside '{parent}'",
                    found.join(", "),
                    if found.len() == 1 { "is" } else { "are" },
                    profile.name,
                    if found.len() == 1 { "it" } else { "them" }
                ),
                format!(
                    "nest them: {{\"{parent}\": {{{}}}}}",
                    found.iter().map(|k| format!("\"{k}\": ...")).collect::<Vec<_>>().join(", ")
                ),
            ),
            source,
        ));
    }
    nesting
}

/// One declared claim: missing or of the wrong type; else its value's own checks. Returns its
/// text, value and source when it is there and well typed, for the pattern checks.
fn field_findings(
    field: &crate::claims::ClaimField,
    payload: &Map<String, Value>,
    nesting: Option<&(String, Vec<String>)>,
    profile: &Profile,
    out: &mut Vec<Finding>,
) -> Option<(String, Value, Source)> {
    let name = field.path.to_string();
    let source = profile.source(field.source.as_deref());
    let severity = severity_of(&source);
    let value = field.path.get(payload);
    if matches!(name.as_str(), "exp" | "iat" | "nbf") {
        return None; // the time-rule engine covers these
    }
    let Some(value) = value else {
        let nested = nesting.is_some_and(|(parent, found)| {
            field.path.keys().first() == Some(parent)
                && field.path.keys().last().is_some_and(|k| found.contains(k))
        });
        if field.required && !nested {
            out.push(sourced(
                finding(
                    severity,
                    "claim.missing",
                    Some(&name),
                    Some(Segment::Payload),
                    format!("required claim '{name}' is missing"),
                    format!(
                        "add '{name}' ({}){}",
                        field.ty,
                        if field.description.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", field.description)
                        }
                    ),
                ),
                source,
            ));
        }
        return None;
    };
    if let Some(text) = value.as_str().filter(|t| field.forbidden.iter().any(|f| f == t)) {
        out.push(sourced(
            finding(
                severity,
                "claim.forbidden-value",
                Some(&name),
                Some(Segment::Payload),
                format!("'{name}' is \"{text}\": {}", field.description),
                format!(
                    "leave '{name}' out of the token (or send a value other than {})",
                    field.forbidden.join(", ")
                ),
            ),
            source.clone(),
        ));
    }
    if let Err(reason) = field.ty.check(value) {
        let email_text = field.ty == ClaimType::Email && value.is_string();
        // An optional email sent empty is "not given" (Orlo's and Talla's own samples do it).
        if email_text && !field.required && value.as_str() == Some("") {
            return None;
        }
        let code = if email_text { "claim.email" } else { "claim.type" };
        // No vendor states an email format: a malformed one is tokensmith's advice.
        let (severity, source) =
            if email_text { (Severity::Warning, crate::profile::ours()) } else { (severity, source) };
        out.push(sourced(
            finding(
                severity,
                code,
                Some(&name),
                Some(Segment::Payload),
                format!("'{name}' {reason}"),
                match field.ty {
                    ClaimType::Boolean => format!("send {name} as true or false without quotes"),
                    ClaimType::Email => format!("send a real email address in '{name}'"),
                    other => format!("send '{name}' as {other}, not {}", describe(value)),
                },
            ),
            source,
        ));
        return None;
    }
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    value_findings(field, &name, value, &text, (severity, &source), profile, out);
    Some((text, value.clone(), source))
}

/// A present, well-typed claim's value: made from a parameter's example value, too long, or
/// outside its charset.
fn value_findings(
    field: &crate::claims::ClaimField,
    name: &str,
    value: &Value,
    text: &str,
    (severity, source): (Severity, &Source),
    profile: &Profile,
    out: &mut Vec<Finding>,
) {
    // A claim made from a parameter that still holds its example value: the token is not
    // the customer's. An error where the acceptor's own form needs the real value (Tiledesk
    // finds no project '<PROJECT_ID>'), else a warning.
    let made_from = |name: &str| {
        matches!(&field.default, Some(crate::claims::ValueExpr::Template(parts))
            if parts.iter().any(|p| matches!(p, crate::claims::TemplatePart::Ref(r) if r == name)))
    };
    if let Some(param) = profile
        .params
        .iter()
        .find(|p| p.placeholder && !p.default.is_empty() && made_from(&p.name) && text.contains(&p.default))
    {
        let pattern_source =
            field.pattern.as_ref().map(|p| profile.source(p.source.as_deref().or(field.source.as_deref())));
        let (severity, source) = match pattern_source {
            Some(s) if s.enforced => (Severity::Error, s),
            Some(s) => (Severity::Warning, s),
            None => (Severity::Warning, source.clone()),
        };
        out.push(sourced(
            finding(
                severity,
                "claim.placeholder",
                Some(name),
                Some(Segment::Payload),
                format!(
                    "'{name}' still holds the example value '{}' of the parameter {}",
                    param.default, param.name
                ),
                format!("sign with --param {}=YOUR_VALUE ({})", param.name, param.description),
            ),
            source,
        ));
    }
    if let Some(max) = field.max_length
        && let Value::String(s) = value
        && s.chars().count() > max
    {
        out.push(sourced(
            finding(
                severity,
                "claim.too-long",
                Some(name),
                Some(Segment::Payload),
                format!("'{name}' has {} characters; {} takes at most {max}", s.chars().count(), profile.name),
                format!("send a shorter '{name}' (a stable id of at most {max} characters, not a hash of the profile)"),
            ),
            source.clone(),
        ));
    }
    if let Some(charset) = field.charset {
        let bad = charset.outside(text);
        if !bad.is_empty() {
            out.push(sourced(
                finding(
                    severity,
                    "claim.charset",
                    Some(name),
                    Some(Segment::Payload),
                    format!(
                        "'{name}' holds {}, outside {charset}",
                        bad.iter().take(5).map(|c| format!("{c:?}")).collect::<Vec<_>>().join(", ")
                    ),
                    format!("use only {charset} in '{name}' (your user id, not an email address or a name)"),
                ),
                source.clone(),
            ));
        }
    }
}

/// Any-of groups with none of their claims in the payload.
fn group_findings(payload: &Map<String, Value>, profile: &Profile, out: &mut Vec<Finding>) {
    for group in &profile.any_of {
        if group.claims.iter().any(|c| c.get(payload).is_some()) {
            continue;
        }
        let names: Vec<String> = group.claims.iter().map(|c| format!("'{c}'")).collect();
        let source = profile.source(group.source.as_deref());
        out.push(sourced(
            finding(
                severity_of(&source),
                "claim.none-of",
                group.claims.first().map(ToString::to_string).as_deref(),
                Some(Segment::Payload),
                format!(
                    "the payload has none of {}; {} needs at least one",
                    names.join(" or "),
                    profile.name
                ),
                if group.description.is_empty() {
                    format!("add {}", names.join(" or "))
                } else {
                    format!("add {}: {}", names.join(" or "), group.description)
                },
            ),
            source,
        ));
    }
}

/// Checks claims against their patterns. Exact shapes go first, so a parameter is bound where
/// it is least ambiguous (`aud`'s project id) before a `{project_id}_*` is checked against it.
fn pattern_findings(
    mut shaped: Vec<(&crate::claims::ClaimField, String, Value, Source)>,
    profile: &Profile,
    params: &[(String, String)],
    out: &mut Vec<Finding>,
) {
    // The acceptor's own forms bind parameters first (Tiledesk's server reads the project id
    // from aud), then the forms other sources state are checked against them.
    let enforced = |field: &crate::claims::ClaimField, source: &Source| {
        field
            .pattern
            .as_ref()
            .and_then(|p| p.source.as_deref())
            .map_or(source.enforced, |id| profile.source(Some(id)).enforced)
    };
    shaped.sort_by_key(|(field, _, _, source)| !enforced(field, source));
    let mut bound: Vec<(String, String)> = params.to_vec();
    for (field, text, value, source) in shaped {
        let Some(rule) = &field.pattern else { continue };
        let pattern = &rule.value;
        let source = rule.source.as_deref().map_or(source, |id| profile.source(Some(id)));
        let name = field.path.to_string();
        let before = bound.clone();
        if crate::claims::match_pattern(pattern, &text, &mut bound) {
            continue;
        }
        let known: Vec<String> = pattern_params(pattern)
            .into_iter()
            .filter_map(|p| before.iter().find(|(n, _)| *n == p).map(|(n, v)| format!("{n} = '{v}'")))
            .collect();
        out.push(sourced(
            finding(
                severity_of(&source),
                "claim.pattern",
                Some(&name),
                Some(Segment::Payload),
                format!(
                    "'{name}' is {}, which is not of the form {}{}",
                    describe(&value),
                    shape_example(field, pattern, &[]),
                    if known.is_empty() { String::new() } else { format!(" with {}", known.join(", ")) }
                ),
                format!(
                    "send '{name}' as {}{}",
                    shape_example(field, pattern, &before),
                    if field.description.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", field.description)
                    }
                ),
            ),
            source,
        ));
    }
}

/// What a value of this shape looks like: the claim's default template when it has one (it is
/// the form the vendor documents), else the pattern, with known parameters filled in.
fn shape_example(field: &crate::claims::ClaimField, pattern: &str, known: &[(String, String)]) -> String {
    use crate::claims::{TemplatePart, ValueExpr};
    match &field.default {
        Some(ValueExpr::Template(parts)) => parts
            .iter()
            .map(|p| match p {
                TemplatePart::Text(t) => t.clone(),
                TemplatePart::Ref(r) => known
                    .iter()
                    .find(|(n, _)| n == r)
                    .map_or_else(|| format!("<{}>", r.to_uppercase()), |(_, v)| v.clone()),
            })
            .collect(),
        _ => fill_pattern(pattern, known),
    }
}

fn pattern_params(pattern: &str) -> Vec<String> {
    match crate::claims::TemplatePart::parse(pattern) {
        Some(parts) => parts
            .into_iter()
            .filter_map(|p| match p {
                crate::claims::TemplatePart::Ref(r) => Some(r),
                crate::claims::TemplatePart::Text(_) => None,
            })
            .collect(),
        None => Vec::new(),
    }
}

/// A pattern with the known parameters filled in and the rest as `<NAME>`.
fn fill_pattern(pattern: &str, known: &[(String, String)]) -> String {
    let Some(parts) = crate::claims::TemplatePart::parse(pattern) else { return pattern.replace('*', "...") };
    parts
        .into_iter()
        .map(|p| match p {
            crate::claims::TemplatePart::Text(t) => t.replace('*', "..."),
            crate::claims::TemplatePart::Ref(r) => known
                .iter()
                .find(|(n, _)| *n == r)
                .map_or_else(|| format!("<{}>", r.to_uppercase()), |(_, v)| v.clone()),
        })
        .collect()
}

/// For a vendor that keeps the token as the widget's session: when `exp` signs the visitor
/// out (an info, for the doctor; signing says it where the lifetime is set).
pub fn session_finding(payload: &Map<String, Value>, profile: &Profile) -> Option<Finding> {
    let rule = &profile.time.exp_ends_session;
    if !rule.value {
        return None;
    }
    let times = crate::time_rules::Times::read(payload);
    let exp = times.exp_secs()?;
    let lasts = times.iat_secs().map(|iat| format!(", {} after iat", human_duration(gap(exp, iat))));
    let source = profile.source(rule.source.as_deref());
    Some(sourced(
        finding(
            Severity::Info,
            "time.session",
            Some("exp"),
            Some(Segment::Payload),
            format!(
                "{} keeps this token as the widget's session: the visitor is signed out at exp ({}{})",
                profile.name,
                utc(exp).unwrap_or_default(),
                lasts.unwrap_or_default()
            ),
            "give the token the lifetime a visitor's session should have, or sign in again before exp",
        ),
        source,
    ))
}

fn time_findings(payload: &Map<String, Value>, profile: &Profile, at: i64, out: &mut Vec<Finding>) {
    use crate::time_rules::TimeIssue as T;
    let rules = &profile.time;
    for brk in crate::time_rules::assess(payload, rules, at, 0) {
        let source = profile.source(brk.source.as_deref());
        let claim = brk.issue.claim();
        let ctx = TimeWords {
            claim,
            said: source_phrase(&source),
            severity: severity_of(&source),
            at,
            default_lifetime: human_duration(rules.default_lifetime()),
        };
        let (severity, code, found, fix) = match &brk.issue {
            T::NotNumeric { .. }
            | T::OutOfRange { .. }
            | T::Milliseconds { .. }
            | T::Fraction { .. }
            | T::Missing { .. } => reading_words(&brk.issue, &ctx),
            _ => timing_words(&brk.issue, &ctx),
        };
        out.push(sourced(finding(severity, code, Some(claim), Some(Segment::Payload), found, fix), source));
    }
}

/// What a time finding's words are made of.
struct TimeWords {
    claim: &'static str,
    said: String,
    severity: Severity,
    at: i64,
    default_lifetime: String,
}

/// A finding's severity, code, what was found and what to do.
type Words = (Severity, &'static str, String, String);

/// A time claim that cannot be read as seconds, or is missing.
fn reading_words(issue: &crate::time_rules::TimeIssue, ctx: &TimeWords) -> Words {
    use crate::time_rules::TimeIssue as T;
    let TimeWords { claim, said, at, default_lifetime, .. } = ctx;
    let claim = *claim;
    match issue {
        T::NotNumeric { raw, .. } => (
            ctx.severity,
            "time.not-numeric",
            format!("{claim} is {}, not a number of seconds", describe(raw)),
            format!("send {claim} as a whole number of seconds since 1970, without quotes"),
        ),
        T::OutOfRange { raw, .. } => (
            ctx.severity,
            "time.out-of-range",
            format!("{claim} is {raw}, which is no date at all, in seconds or in milliseconds"),
            format!("send {claim} as seconds since 1970 (about {} today)", at),
        ),
        T::Milliseconds { millis, .. } => (
            ctx.severity,
            "time.milliseconds",
            format!(
                "{claim} is {millis}: that is milliseconds ({}), not seconds{}",
                utc(millis / 1000).unwrap_or_else(|| "no date".to_string()),
                match claim {
                    "exp" => "; read as seconds the token never expires",
                    "iat" => "; read as seconds it was issued in the far future",
                    _ => "; read as seconds it is not valid for thousands of years",
                }
            ),
            "divide by 1000: JavaScript's Date.now() gives milliseconds; use Math.floor(Date.now() / 1000)"
                .to_string(),
        ),
        T::Fraction { raw, .. } => (
            ctx.severity,
            "time.not-integer",
            format!("{claim} is {raw}, not a whole number of seconds; {said} asks for an integer"),
            format!("round {claim} down: Math.floor(...) in JavaScript, int(...) in Python"),
        ),
        T::Missing { .. } => (
            ctx.severity,
            if claim == "exp" { "time.exp-missing" } else { "time.iat-missing" },
            format!("there is no {claim}: required by {said}"),
            if claim == "exp" {
                format!("add exp: the issue time plus {default_lifetime}, in seconds")
            } else {
                "add iat: the issue time, in seconds".to_string()
            },
        ),
        other => timing_words(other, ctx),
    }
}

/// A time that has passed, has not come, or is too far from another.
fn timing_words(issue: &crate::time_rules::TimeIssue, ctx: &TimeWords) -> Words {
    use crate::time_rules::TimeIssue as T;
    let TimeWords { said, default_lifetime, .. } = ctx;
    match issue {
        T::Expired { exp, ago } => (
            Severity::Error,
            "time.expired",
            format!("expired {} ago (exp {})", human_duration(*ago), utc(*exp).unwrap_or_default()),
            "issue a fresh token when the page loads (or when the widget asks for one)".to_string(),
        ),
        T::ExpiredBeforeAnyDate { raw } => (
            Severity::Error,
            "time.expired",
            format!("exp is {raw}, a time before any date: expired, as every verifier reads it"),
            "send exp as seconds since 1970 after the issue time (iat + the lifetime)".to_string(),
        ),
        T::NotYetValid { nbf, wait } => (
            Severity::Error,
            "time.not-yet-valid",
            format!(
                "not valid for another {} (nbf {})",
                human_duration(*wait),
                utc(*nbf).unwrap_or_default()
            ),
            "drop nbf or set it to the issue time; check the server's clock".to_string(),
        ),
        T::IatFuture { ahead, skew, .. } => (
            match skew {
                Some(_) => ctx.severity,
                None => Severity::Warning,
            },
            "time.iat-future",
            match skew {
                Some(s) => format!(
                    "iat is {} in the future, beyond the {} of clock skew that {said} allows",
                    human_duration(*ahead),
                    human_duration(*s)
                ),
                None => format!("iat is {} in the future", human_duration(*ahead)),
            },
            "sync the server's clock (NTP) and set iat to the current time in seconds".to_string(),
        ),
        T::IatTooOld { age, max, .. } => (
            ctx.severity,
            "time.iat-too-old",
            format!(
                "iat is {} old; {said} refuses a token more than {} after its iat, whatever exp says",
                human_duration(*age),
                human_duration(*max)
            ),
            "issue a fresh token when the page loads (iat = now), not once per session".to_string(),
        ),
        T::ExpNotAfterIat { exp, iat } => (
            Severity::Warning,
            "time.exp-before-iat",
            format!("exp ({exp}) is not after iat ({iat}): the token was dead when it was made"),
            format!("set exp to iat + {default_lifetime}"),
        ),
        T::LifetimeOverMax { lifetime, max, from } => (
            ctx.severity,
            "time.lifetime-max",
            format!(
                "exp is {} after {from}; {said} allows at most {}",
                human_duration(*lifetime),
                human_duration(*max)
            ),
            format!("set exp to {from} + {} or less", human_duration(*max)),
        ),
        T::LifetimeOverRecommended { lifetime, recommended, from } => (
            Severity::Warning,
            "time.lifetime-recommended",
            format!(
                "exp is {} after {from}; {said} recommends {}",
                human_duration(*lifetime),
                human_duration(*recommended)
            ),
            format!("keep tokens short-lived: {from} + {}", human_duration(*recommended)),
        ),

        other => (ctx.severity, "time.other", format!("{other:?}"), String::new()),
    }
}
