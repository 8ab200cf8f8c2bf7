//! The token doctor: what a vendor would reject about a token, in plain words, with a stable
//! code per finding, the claim or header involved, and what to do.

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

mod schemes;

pub use schemes::{diagnose_hash, diagnose_issued};

use crate::claims::ClaimType;
use crate::profile::{Profile, SecretEncoding, Source, SourceKind};
use crate::secret::Secret;
use crate::time::{human_duration, utc};
use crate::token::{self, Alg, Cleanup, DecodeError, DecodedToken, Family, KeyMaterial, Segment};

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

fn finding(
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

/// A key the doctor may try: its name (for messages), the key, and for HMAC secrets the raw
/// text, so the other reading (text vs base64) can be tried too.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// "--secret-env ACME" or "stored key 'acme'".
    pub name: String,
    /// The key as the user gave it.
    pub key: KeyMaterial,
    /// The secret's original text, for trying the other reading.
    pub text: Option<Secret>,
    /// Whether it is known to be this vendor's key: given explicitly, or stored for this
    /// profile. A signature that fails only against other keys (stored for no profile) is not
    /// called invalid: they may simply not be this vendor's.
    pub explicit: bool,
}

/// What the doctor judged, and at what time.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Unix time the token was judged at.
    pub at: i64,
    /// The profile used.
    pub profile: String,
    /// The findings, errors first.
    pub findings: Vec<Finding>,
    /// The key that verified the signature, when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_with: Option<String>,
}

impl Report {
    /// True when no finding is an error.
    pub fn passes(&self) -> bool {
        !self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// The codes, in order.
    pub fn codes(&self) -> Vec<&'static str> {
        self.findings.iter().map(|f| f.code).collect()
    }
}

/// Examines a token as pasted, against a profile, with the keys to try and the customer's
/// parameter values (`project_id`) where known, judged at `at`.
pub fn diagnose(
    input: &str,
    profile: &Profile,
    candidates: &[Candidate],
    params: &[(String, String)],
    at: i64,
) -> Report {
    if profile.scheme == crate::profile::Scheme::VendorIssued {
        return diagnose_issued(input, profile, at);
    }
    let mut findings = Vec::new();
    let mut verified_with = None;
    match token::decode(input) {
        Err(err) => findings.push(not_a_jwt(&err)),
        Ok(decoded) => {
            cleanup_findings(&decoded.cleaned, profile, &mut findings);
            structure_findings(&decoded, &mut findings);
            let alg = alg_findings(&decoded, profile, &mut findings);
            if let Some(alg) = alg {
                verified_with = signature_findings(&decoded, alg, candidates, profile, &mut findings);
            }
            findings.extend(check_rules(&decoded.header, &decoded.payload, profile, params, at));
        }
    }
    findings.sort_by_key(|f| f.severity);
    Report { at, profile: profile.id.clone(), findings, verified_with }
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

fn not_a_jwt(err: &DecodeError) -> Finding {
    let (code, segment) = match err {
        DecodeError::Empty | DecodeError::SegmentCount { .. } => ("not-jwt.segments", None),
        DecodeError::SeveralTokens { .. } => ("input.several-tokens", None),
        DecodeError::TooDeep { segment, .. } => ("not-jwt.too-deep", Some(*segment)),
        DecodeError::Base64 { segment, .. } => ("not-jwt.base64", Some(*segment)),
        DecodeError::Json { segment, .. } => ("not-jwt.json", Some(*segment)),
        DecodeError::NotObject { segment, .. } => ("not-jwt.not-object", Some(*segment)),
    };
    finding(
        Severity::Error,
        code,
        None,
        segment,
        err.to_string(),
        "ask for the token exactly as the page receives it; a JWT is three base64url parts separated by dots",
    )
}

fn cleanup_findings(cleaned: &[Cleanup], profile: &Profile, out: &mut Vec<Finding>) {
    let prefix = profile.snippet.token_prefix.as_deref();
    for cleanup in cleaned {
        let (code, fix) = match cleanup {
            Cleanup::Whitespace => (
                "input.whitespace",
                "harmless here, but the page must pass the token without spaces or line breaks".to_string(),
            ),
            Cleanup::Quotes => (
                "input.quotes",
                "the quotes are not part of the token; make sure the page does not pass them along"
                    .to_string(),
            ),
            Cleanup::BearerPrefix => (
                "input.bearer-prefix",
                match prefix {
                    Some(p) => format!(
                        "'Bearer ' belongs to HTTP headers, not to this widget; {} wants the token prefixed with {p:?}",
                        profile.name
                    ),
                    None => {
                        format!("'Bearer ' belongs to HTTP headers; {} takes the bare token", profile.name)
                    }
                },
            ),
            Cleanup::JwtPrefix => (
                "input.jwt-prefix",
                match prefix {
                    Some(p) if p.trim() == "JWT" => {
                        format!("fine for {}: its snippet needs the {p:?} prefix in the page", profile.name)
                    }
                    _ => format!("{} takes the bare token: drop the 'JWT ' prefix", profile.name),
                },
            ),
            Cleanup::Padding => (
                "input.padding",
                "JWTs use unpadded base64url: strip the '=' padding where the token is made".to_string(),
            ),
            Cleanup::HeaderName => {
                ("input.header-name", "the header's name is not part of the token".to_string())
            }
            Cleanup::UrlEncoding => (
                "input.url-encoded",
                "the token was URL-encoded: the page must pass it decoded (a JWT needs no URL encoding)"
                    .to_string(),
            ),
            Cleanup::Punctuation => {
                ("input.punctuation", "the punctuation is not part of the token".to_string())
            }
            Cleanup::Wrapper => (
                "input.wrapper",
                "the token was read out of the JSON or query string around it; the page must pass only the token"
                    .to_string(),
            ),
            Cleanup::Invisible(_) => (
                "input.invisible",
                "invisible characters break the signature: find where they come from (a rich-text editor, a chat app, a copied web page) and pass the token as plain text"
                    .to_string(),
            ),
        };
        out.push(finding(Severity::Info, code, None, None, format!("removed {cleanup}"), fix));
    }
}

/// RFC 7515 / RFC 8725 strictness: repeated member names, `crit`, and keys or key addresses
/// embedded in the header (which a verifier must never use to pick its key).
fn structure_findings(decoded: &DecodedToken, out: &mut Vec<Finding>) {
    for note in &decoded.lone_surrogates {
        out.push(finding(
            Severity::Warning,
            "json.lone-surrogate",
            None,
            None,
            note.clone(),
            "node's JSON.parse and Python's json read it, but stricter parsers (Rust's serde_json, some Java setups) refuse the whole token: cut strings at character boundaries, not in the middle of an emoji",
        ));
    }
    if !decoded.duplicates.is_empty() {
        let segment = if decoded.duplicates.iter().all(|d| d.starts_with("header.")) {
            Segment::Header
        } else {
            Segment::Payload
        };
        out.push(finding(
            Severity::Error,
            "json.duplicate-member",
            decoded.duplicates.first().map(String::as_str),
            Some(segment),
            format!(
                "{} {} given twice; this report shows the last copy, but parsers disagree on which one counts",
                decoded.duplicates.join(", "),
                if decoded.duplicates.len() == 1 { "is" } else { "are" }
            ),
            "build the JSON with a real serializer (one key, one value) rather than by joining strings",
        ));
    }
    if let Some(crit) = decoded.header.get("crit") {
        out.push(finding(
            Severity::Error,
            "header.crit",
            Some("header.crit"),
            Some(Segment::Header),
            format!("the header's crit is {crit}: it demands extensions that JWT libraries do not implement"),
            "drop crit (and b64) from the header: RFC 7515 §4.1.11 makes a verifier refuse an extension it does not understand",
        ));
    }
    let embedded: Vec<&str> =
        ["jwk", "jku", "x5u", "x5c"].into_iter().filter(|k| decoded.header.contains_key(*k)).collect();
    if !embedded.is_empty() {
        out.push(finding(
            Severity::Warning,
            "header.embedded-key",
            Some("header"),
            Some(Segment::Header),
            format!(
                "the header carries {}: a key or a key address chosen by whoever made the token",
                embedded.join(", ")
            ),
            "tokensmith never verifies with it, and the vendor must not either: the key comes from the vendor's settings; drop it unless the vendor asks for it",
        ));
    }
}

fn alg_findings(decoded: &DecodedToken, profile: &Profile, out: &mut Vec<Finding>) -> Option<Alg> {
    let allowed: Vec<&str> = profile.algorithms.iter().map(|a| a.name()).collect();
    match decoded.alg() {
        None => {
            out.push(finding(
                Severity::Error,
                "alg.missing",
                Some("header.alg"),
                Some(Segment::Header),
                "the header has no alg",
                format!("sign with {}", allowed.join(" or ")),
            ));
            None
        }
        Some(name) if name.eq_ignore_ascii_case("none") => {
            out.push(finding(
                Severity::Error,
                "alg.none",
                Some("header.alg"),
                Some(Segment::Header),
                format!("alg is '{name}': the token is not signed at all"),
                format!(
                    "{} refuses unsigned tokens: sign with {} and the vendor's key",
                    profile.name,
                    allowed.join(" or ")
                ),
            ));
            None
        }
        Some(name) => match name.parse::<Alg>() {
            Ok(alg) if profile.algorithms.contains(&alg) => Some(alg),
            Ok(alg) => {
                // Another kind of key (RSA where the vendor gives a shared secret) is refused by
                // the scheme itself; another algorithm of the same kind only as surely as the
                // source naming the algorithms (Orlo's "RSA" does not say RS256).
                let source = if alg.family() == profile.key_kind {
                    profile.source(profile.algorithms_source.as_deref())
                } else {
                    profile.source(None)
                };
                let found = finding(
                    severity_of(&source),
                    "alg.not-allowed",
                    Some("header.alg"),
                    Some(Segment::Header),
                    format!("alg is {alg}, but {} accepts {}", profile.name, allowed.join(", ")),
                    match (alg.family(), profile.key_kind) {
                        (Family::Rsa, Family::Hmac) => {
                            "sign with the shared secret (HS256), not an RSA key".to_string()
                        }
                        (Family::Hmac, Family::Rsa) => {
                            "sign with your RSA private key (RS256); the vendor holds the public key"
                                .to_string()
                        }
                        _ => format!("sign with {}", allowed.join(" or ")),
                    },
                );
                out.push(sourced(found, source));
                None
            }
            Err(_) => {
                out.push(finding(
                    Severity::Error,
                    "alg.unknown",
                    Some("header.alg"),
                    Some(Segment::Header),
                    format!("alg '{name}' is not a JWS algorithm tokensmith knows"),
                    format!("sign with {}", allowed.join(" or ")),
                ));
                None
            }
        },
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

fn other_reading(text: &Secret, encoding: SecretEncoding) -> Option<KeyMaterial> {
    let text = std::str::from_utf8(text.expose()).ok()?;
    match encoding {
        SecretEncoding::Utf8 => KeyMaterial::hmac_base64(text).ok(),
        SecretEncoding::Base64 => KeyMaterial::hmac(Secret::new(text.as_bytes().to_vec())).ok(),
    }
}

fn signature_findings(
    decoded: &DecodedToken,
    alg: Alg,
    candidates: &[Candidate],
    profile: &Profile,
    out: &mut Vec<Finding>,
) -> Option<String> {
    let input = decoded.signing_input();
    let signature = decoded.signature_b64();
    let fitting: Vec<&Candidate> = candidates.iter().filter(|c| c.key.family() == alg.family()).collect();
    for c in &fitting {
        if token::verify_input(input, signature, &c.key, alg) {
            let stored =
                if c.explicit { String::new() } else { " (found by trying the stored keys)".to_string() };
            out.push(finding(
                Severity::Info,
                "signature.valid",
                None,
                Some(Segment::Signature),
                format!("the {alg} signature verifies with {}{stored}", c.name),
                "nothing to do",
            ));
            if let Some(min) = alg.min_secret_bytes()
                && let KeyMaterial::Hmac(secret) = &c.key
                && secret.len() < min
            {
                out.push(finding(
                    Severity::Warning,
                    "secret.too-short",
                    None,
                    None,
                    format!("the secret has {} bytes; RFC 7518 wants at least {min} for {alg}", secret.len()),
                    format!(
                        "use a secret of at least {min} random bytes (`tokensmith keys gen NAME --kind hmac`)"
                    ),
                ));
            }
            return Some(c.name.clone());
        }
    }
    // The other reading of each HMAC secret: base64-decoded vs raw text.
    let encoding = profile.secret_encoding;
    for c in fitting.iter().filter(|c| c.text.is_some()) {
        if let Some(other) = c.text.as_ref().and_then(|t| other_reading(t, encoding))
            && token::verify_input(input, signature, &other, alg)
        {
            let (code, found, fix) = match encoding {
                SecretEncoding::Utf8 => (
                    "signature.base64-secret",
                    format!("the signature verifies only when {} is base64-decoded first", c.name),
                    format!(
                        "{} uses the secret as plain text: sign with the secret string as it is, without base64-decoding it",
                        profile.name
                    ),
                ),
                SecretEncoding::Base64 => (
                    "signature.text-secret",
                    format!("the signature verifies only when {} is used as plain text", c.name),
                    format!("{} base64-decodes the secret: sign with the decoded bytes", profile.name),
                ),
            };
            out.push(finding(Severity::Error, code, None, Some(Segment::Signature), found, fix));
            return None;
        }
    }
    // HS/RS confusion: an HMAC token whose key is the text of an RSA public key.
    if alg.family() == Family::Hmac {
        for c in candidates.iter().filter(|c| c.key.family() == Family::Rsa) {
            for text in public_key_texts(&c.key, c.text.as_ref()) {
                let as_secret = KeyMaterial::Hmac(Secret::new(text.into_bytes()));
                if token::verify_input(input, signature, &as_secret, alg) {
                    out.push(finding(
                        Severity::Error,
                        "signature.rsa-confusion",
                        None,
                        Some(Segment::Signature),
                        format!("the {alg} signature was made with a public key's PEM text used as the HMAC secret (the key: {})", c.name),
                        "this is the RS256-to-HS256 confusion attack's shape: sign with the real secret (or the RSA private key where the vendor wants RS256)",
                    ));
                    return None;
                }
            }
        }
    }
    if fitting.is_empty() {
        let (severity, found) = if candidates.is_empty() {
            (
                Severity::Warning,
                "no key given and none stored for this profile: the signature was not checked".to_string(),
            )
        } else {
            (
                Severity::Warning,
                format!(
                    "none of the keys tried fits {alg} ({}): the signature was not checked",
                    candidates.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
                ),
            )
        };
        out.push(finding(
            severity,
            "signature.unchecked",
            None,
            Some(Segment::Signature),
            found,
            format!(
                "pass the vendor's {} with --key NAME, --secret-env VAR or --key-file PEM",
                profile.key_kind.key_pair_name()
            ),
        ));
        return None;
    }
    let names = fitting.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ");
    // A signature of the wrong length was cut short (or padded) on its way, whatever the key.
    if let Some(expected) = alg.signature_len()
        && decoded.signature.len() != expected
    {
        out.push(finding(
            Severity::Error,
            "signature.length",
            None,
            Some(Segment::Signature),
            format!("the signature has {} bytes; an {alg} signature has {expected}", decoded.signature.len()),
            "the token was cut short or altered on its way: ask for it again, copied whole",
        ));
        return None;
    }
    if !fitting.iter().any(|c| c.explicit) {
        out.push(finding(
            Severity::Warning,
            "signature.unchecked",
            None,
            Some(Segment::Signature),
            format!("none of the stored keys tried ({names}) verifies it, and none is stored for {}", profile.name),
            format!(
                "pass the vendor's {} (--key NAME, --secret-env VAR or --key-file PEM), or store it for the profile (`tokensmith keys set NAME --profile {}`)",
                profile.key_kind.key_pair_name(),
                profile.id
            ),
        ));
        return None;
    }
    out.push(finding(
        Severity::Error,
        "signature.invalid",
        None,
        Some(Segment::Signature),
        format!("the {alg} signature does not verify with {names}"),
        "the token was signed with another secret or key: check which secret the server uses (staging vs production, a rotated secret)",
    ));
    None
}

/// The texts an RSA public key is commonly pasted as: SPKI and PKCS#1 PEM, with or without
/// the final newline, with LF or CRLF, and the text the key was given as.
fn public_key_texts(key: &KeyMaterial, given: Option<&Secret>) -> Vec<String> {
    use rsa::pkcs1::EncodeRsaPublicKey as _;
    use rsa::pkcs8::der::pem::LineEnding;
    let mut forms = Vec::new();
    if let Some(given) = given.and_then(|g| std::str::from_utf8(g.expose()).ok()) {
        forms.push(given.to_string());
    }
    if let Ok(spki) = crate::store::export::pem(key, false) {
        forms.push(spki.to_string());
    }
    if let KeyMaterial::RsaPublic { n, e } | KeyMaterial::RsaPrivate { n, e, .. } = key
        && let Ok(public) =
            rsa::RsaPublicKey::new(rsa::BigUint::from_bytes_be(n), rsa::BigUint::from_bytes_be(e))
        && let Ok(pkcs1) = public.to_pkcs1_pem(LineEnding::LF)
    {
        forms.push(pkcs1);
    }
    let mut texts = Vec::new();
    for form in forms {
        let trimmed = form.trim_end().to_string();
        for text in [form.clone(), trimmed.clone(), form.replace('\n', "\r\n"), trimmed.replace('\n', "\r\n")]
        {
            if !texts.contains(&text) {
                texts.push(text);
            }
        }
    }
    texts
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
fn severity_of(source: &Source) -> Severity {
    if source.enforced { Severity::Error } else { Severity::Warning }
}

fn sourced(mut f: Finding, source: Source) -> Finding {
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

fn claim_findings(
    payload: &Map<String, Value>,
    profile: &Profile,
    params: &[(String, String)],
    out: &mut Vec<Finding>,
) {
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
    let mut shaped = Vec::new();
    for field in &profile.claims {
        let name = field.path.to_string();
        let source = profile.source(field.source.as_deref());
        let severity = severity_of(&source);
        let value = field.path.get(payload);
        if matches!(name.as_str(), "exp" | "iat" | "nbf") {
            continue; // the time-rule engine covers these
        }
        let Some(value) = value else {
            let nested = nesting.as_ref().is_some_and(|(parent, found)| {
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
            continue;
        };
        if let Err(reason) = field.ty.check(value) {
            let email_text = field.ty == ClaimType::Email && value.is_string();
            // An optional email sent empty is "not given" (Orlo's and Talla's own samples do it).
            if email_text && !field.required && value.as_str() == Some("") {
                continue;
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
            continue;
        }
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => continue,
        };
        if field.pattern.is_some() {
            shaped.push((field, text.clone(), value.clone(), source.clone()));
        }
        // A claim made from a parameter that still holds its example value: the token is not
        // the customer's. An error where the acceptor's own form needs the real value (Tiledesk
        // finds no project '<PROJECT_ID>'), else a warning.
        let made_from = |name: &str| {
            matches!(&field.default, Some(crate::claims::ValueExpr::Template(parts))
                if parts.iter().any(|p| matches!(p, crate::claims::TemplatePart::Ref(r) if r == name)))
        };
        if let Some(param) = profile.params.iter().find(|p| {
            p.placeholder && !p.default.is_empty() && made_from(&p.name) && text.contains(&p.default)
        }) {
            let pattern_source = field
                .pattern
                .as_ref()
                .map(|p| profile.source(p.source.as_deref().or(field.source.as_deref())));
            let (severity, source) = match pattern_source {
                Some(s) if s.enforced => (Severity::Error, s),
                Some(s) => (Severity::Warning, s),
                None => (Severity::Warning, source.clone()),
            };
            out.push(sourced(
                finding(
                    severity,
                    "claim.placeholder",
                    Some(&name),
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
                    Some(&name),
                    Some(Segment::Payload),
                    format!("'{name}' has {} characters; {} takes at most {max}", s.chars().count(), profile.name),
                    format!("send a shorter '{name}' (a stable id of at most {max} characters, not a hash of the profile)"),
                ),
                source.clone(),
            ));
        }
        if let Some(charset) = field.charset {
            let bad = charset.outside(&text);
            if !bad.is_empty() {
                out.push(sourced(
                    finding(
                        severity,
                        "claim.charset",
                        Some(&name),
                        Some(Segment::Payload),
                        format!(
                            "'{name}' holds {}, outside {charset}",
                            bad.iter().take(5).map(|c| format!("{c:?}")).collect::<Vec<_>>().join(", ")
                        ),
                        format!(
                            "use only {charset} in '{name}' (your user id, not an email address or a name)"
                        ),
                    ),
                    source,
                ));
            }
        }
    }
    pattern_findings(shaped, profile, params, out);
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

fn time_findings(payload: &Map<String, Value>, profile: &Profile, at: i64, out: &mut Vec<Finding>) {
    use crate::time_rules::TimeIssue as T;
    let rules = &profile.time;
    let default_lifetime = human_duration(rules.default_lifetime());
    for brk in crate::time_rules::assess(payload, rules, at, 0) {
        let source = profile.source(brk.source.as_deref());
        let said = source_phrase(&source);
        let claim = brk.issue.claim();
        let (severity, code, found, fix) = match &brk.issue {
            T::NotNumeric { raw, .. } => (
                severity_of(&source),
                "time.not-numeric",
                format!("{claim} is {}, not a number of seconds", describe(raw)),
                format!("send {claim} as a whole number of seconds since 1970, without quotes"),
            ),
            T::OutOfRange { raw, .. } => (
                severity_of(&source),
                "time.out-of-range",
                format!("{claim} is {raw}, which is no date at all, in seconds or in milliseconds"),
                format!("send {claim} as seconds since 1970 (about {} today)", at),
            ),
            T::Milliseconds { millis, .. } => (
                severity_of(&source),
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
                "divide by 1000: JavaScript's Date.now() gives milliseconds; use Math.floor(Date.now() / 1000)".to_string(),
            ),
            T::Fraction { raw, .. } => (
                severity_of(&source),
                "time.not-integer",
                format!("{claim} is {raw}, not a whole number of seconds; {said} asks for an integer"),
                format!("round {claim} down: Math.floor(...) in JavaScript, int(...) in Python"),
            ),
            T::Missing { .. } => (
                severity_of(&source),
                if claim == "exp" { "time.exp-missing" } else { "time.iat-missing" },
                format!("there is no {claim}, and {said} requires one"),
                if claim == "exp" {
                    format!("add exp: the issue time plus {default_lifetime}, in seconds")
                } else {
                    "add iat: the issue time, in seconds".to_string()
                },
            ),
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
                format!("not valid for another {} (nbf {})", human_duration(*wait), utc(*nbf).unwrap_or_default()),
                "drop nbf or set it to the issue time; check the server's clock".to_string(),
            ),
            T::IatFuture { ahead, skew, .. } => (
                match skew {
                    Some(_) => severity_of(&source),
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
            T::ExpNotAfterIat { exp, iat } => (
                Severity::Warning,
                "time.exp-before-iat",
                format!("exp ({exp}) is not after iat ({iat}): the token was dead when it was made"),
                format!("set exp to iat + {default_lifetime}"),
            ),
            T::LifetimeOverMax { lifetime, max, from } => (
                severity_of(&source),
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
        };
        out.push(sourced(finding(severity, code, Some(claim), Some(Segment::Payload), found, fix), source));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{ProfileSource, parse};

    const PROFILE: &str = r#"
id = "acme"
name = "Acme"
algorithms = ["HS256"]
key_kind = "hmac-secret"
default_source = "docs"

[[sources]]
id = "docs"
kind = "vendor-docs"
title = "Acme docs"
enforced = true

[[sources]]
id = "maybe"
kind = "vendor-docs"
title = "Acme docs, unconfirmed"
enforced = false

[header]
required = ["kid"]
kid_param = "key_id"
source = "maybe"

[[params]]
name = "key_id"
default = "app_example"
placeholder = true

[[any_of]]
claims = ["email", "externalId"]
source = "docs"

[[claims]]
path = "email"
type = "email"

[[claims]]
path = "externalId"
type = "string"
max_length = 3
"#;

    fn rules(header: Value, payload: Value) -> Vec<(Severity, &'static str, Option<String>, Option<String>)> {
        let profile = parse(PROFILE, "acme.toml", ProfileSource::BuiltIn).expect("profile");
        let (Value::Object(header), Value::Object(payload)) = (header, payload) else { panic!("objects") };
        check_rules(&header, &payload, &profile, &[], 0)
            .into_iter()
            .map(|f| (f.severity, f.code, f.subject, f.source.map(|s| s.id)))
            .collect()
    }

    #[test]
    fn lengths_count_characters_groups_need_one_member_and_header_rules_name_their_source() {
        use serde_json::json;
        let ok = json!({"kid": "app_1"});
        // Three characters of two bytes each fit a maximum of 3.
        assert_eq!(rules(ok.clone(), json!({"externalId": "ééé"})), vec![]);
        assert_eq!(
            rules(ok.clone(), json!({"externalId": "abcd"})),
            vec![(Severity::Error, "claim.too-long", Some("externalId".into()), Some("docs".into()))]
        );
        assert_eq!(
            rules(ok.clone(), json!({"name": "x"})),
            vec![(Severity::Error, "claim.none-of", Some("email".into()), Some("docs".into()))]
        );
        assert_eq!(rules(ok, json!({"email": "a@b.co"})), vec![]);
        // The header rule's source is not enforced: a warning.
        assert_eq!(
            rules(json!({}), json!({"email": "a@b.co"})),
            vec![(Severity::Warning, "header.missing", Some("header.kid".into()), Some("maybe".into()))]
        );
        assert_eq!(
            rules(json!({"kid": "app_example"}), json!({"email": "a@b.co"})),
            vec![(
                Severity::Warning,
                "header.kid-placeholder",
                Some("header.kid".into()),
                Some("maybe".into())
            )]
        );
    }

    #[test]
    fn another_algorithm_is_an_error_only_when_the_algorithms_source_is_enforced() {
        // Headers {"alg":"HS512"} and {"alg":"RS256"}, payload {"email":"a@b.co"}, a dummy signature.
        let hs512 = "eyJhbGciOiJIUzUxMiJ9.eyJlbWFpbCI6ImFAYi5jbyJ9.c2ln";
        let rs256 = "eyJhbGciOiJSUzI1NiJ9.eyJlbWFpbCI6ImFAYi5jbyJ9.c2ln";
        let severity = |profile: &Profile, token: &str| {
            diagnose(token, profile, &[], &[], 0)
                .findings
                .into_iter()
                .find(|f| f.code == "alg.not-allowed")
                .map(|f| (f.severity, f.source.map(|s| s.id)))
        };
        let acme = parse(PROFILE, "acme.toml", ProfileSource::BuiltIn).expect("profile");
        assert_eq!(severity(&acme, hs512), Some((Severity::Error, Some("docs".into()))));
        let text = PROFILE
            .replace("algorithms = [\"HS256\"]", "algorithms = [\"HS256\"]\nalgorithms_source = \"maybe\"");
        let unconfirmed = parse(&text, "acme.toml", ProfileSource::BuiltIn).expect("profile");
        assert_eq!(severity(&unconfirmed, hs512), Some((Severity::Warning, Some("maybe".into()))));
        // An RSA token where the vendor gives a shared secret is wrong whatever the algorithm.
        assert_eq!(severity(&unconfirmed, rs256), Some((Severity::Error, Some("docs".into()))));
        // The built-in profiles whose algorithm is unconfirmed.
        for (id, other_of_same_kind) in [("kustomer", hs512), ("orlo", "eyJhbGciOiJQUzI1NiJ9.e30.c2ln")] {
            let set = crate::profile::ProfileSet::load_for(None, id);
            let profile = set.get(id).expect("built in");
            assert_eq!(severity(profile, other_of_same_kind).map(|s| s.0), Some(Severity::Warning), "{id}");
        }
    }
}
