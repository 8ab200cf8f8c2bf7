//! The token doctor: what a vendor would reject about a token, in plain words, with a stable
//! code per finding, the claim or header involved, and what to do.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::claims::ClaimType;
use crate::profile::{Profile, SecretEncoding};
use crate::secret::Secret;
use crate::time::{MILLIS_THRESHOLD, human_duration, utc};
use crate::token::{
    self, Alg, Cleanup, DecodeError, DecodedToken, Family, KeyMaterial, Segment, numeric_time,
};

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
}

fn finding(
    severity: Severity,
    code: &'static str,
    subject: Option<&str>,
    segment: Option<Segment>,
    found: impl Into<String>,
    fix: impl Into<String>,
) -> Finding {
    Finding {
        severity,
        code,
        subject: subject.map(str::to_string),
        found: found.into(),
        fix: fix.into(),
        segment,
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
    /// Whether it was given explicitly (else it came from the store, tried by kind).
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

/// Examines a token as pasted, against a profile, with the keys to try, judged at `at`.
pub fn diagnose(input: &str, profile: &Profile, candidates: &[Candidate], at: i64) -> Report {
    let mut findings = Vec::new();
    let mut verified_with = None;
    match token::decode(input) {
        Err(err) => findings.push(not_a_jwt(&err)),
        Ok(decoded) => {
            cleanup_findings(&decoded.cleaned, profile, &mut findings);
            let alg = header_findings(&decoded, profile, &mut findings);
            if let Some(alg) = alg {
                verified_with = signature_findings(&decoded, alg, candidates, profile, &mut findings);
            }
            claim_findings(&decoded, profile, &mut findings);
            time_findings(&decoded, profile, at, &mut findings);
        }
    }
    findings.sort_by_key(|f| f.severity);
    Report { at, profile: profile.id.clone(), findings, verified_with }
}

fn not_a_jwt(err: &DecodeError) -> Finding {
    let (code, segment) = match err {
        DecodeError::Empty | DecodeError::SegmentCount { .. } => ("not-jwt.segments", None),
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
        };
        out.push(finding(Severity::Info, code, None, None, format!("removed {cleanup}"), fix));
    }
}

fn header_findings(decoded: &DecodedToken, profile: &Profile, out: &mut Vec<Finding>) -> Option<Alg> {
    let allowed: Vec<&str> = profile.algorithms.iter().map(|a| a.name()).collect();
    let alg = match decoded.alg() {
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
                out.push(finding(
                    Severity::Error,
                    "alg.not-allowed",
                    Some("header.alg"),
                    Some(Segment::Header),
                    format!("alg is {alg}, but {} accepts {}", profile.name, allowed.join(", ")),
                    match (alg.family(), profile.key_kind.family()) {
                        (Family::Rsa, Family::Hmac) => {
                            "sign with the shared secret (HS256), not an RSA key".to_string()
                        }
                        (Family::Hmac, Family::Rsa) => {
                            "sign with your RSA private key (RS256); the vendor holds the public key"
                                .to_string()
                        }
                        _ => format!("sign with {}", allowed.join(" or ")),
                    },
                ));
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
    };
    for required in &profile.header.required {
        if !decoded.header.contains_key(required) {
            out.push(finding(
                Severity::Error,
                "header.missing",
                Some(&format!("header.{required}")),
                Some(Segment::Header),
                format!("the header has no '{required}', which {} requires", profile.name),
                match (required.as_str(), &profile.header.kid_description) {
                    ("kid", Some(d)) => format!("add \"kid\": {d}"),
                    _ => format!("add \"{required}\" to the header when signing"),
                },
            ));
        }
    }
    alg
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
                        format!("the {alg} signature was made with the text of {}'s public key as an HMAC secret", c.name),
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
                profile.key_kind
            ),
        ));
        return None;
    }
    out.push(finding(
        Severity::Error,
        "signature.invalid",
        None,
        Some(Segment::Signature),
        format!("the {alg} signature does not verify with {}", fitting.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")),
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

fn claim_findings(decoded: &DecodedToken, profile: &Profile, out: &mut Vec<Finding>) {
    for field in &profile.claims {
        let name = field.path.to_string();
        match field.path.get(&decoded.payload) {
            None if field.required && !matches!(name.as_str(), "exp" | "iat") => out.push(finding(
                Severity::Error,
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
            )),
            None => {}
            Some(value) => {
                if matches!(field.ty, ClaimType::UnixTime) {
                    continue; // the time checks below cover these
                }
                if let Err(reason) = field.ty.check(value) {
                    let code = if field.ty == ClaimType::Email && value.is_string() {
                        "claim.email"
                    } else {
                        "claim.type"
                    };
                    out.push(finding(
                        Severity::Error,
                        code,
                        Some(&name),
                        Some(Segment::Payload),
                        format!("'{name}' {reason}"),
                        match field.ty {
                            ClaimType::Boolean => format!("send {name} as true or false without quotes"),
                            ClaimType::Email => format!("send a real email address in '{name}'"),
                            other => format!("send '{name}' as {other}, not {}", describe(value)),
                        },
                    ));
                }
            }
        }
    }
}

fn time_findings(decoded: &DecodedToken, profile: &Profile, at: i64, out: &mut Vec<Finding>) {
    let payload = &decoded.payload;
    let mut times = std::collections::HashMap::new();
    for claim in ["exp", "iat", "nbf"] {
        let Some(value) = payload.get(claim) else { continue };
        let Some(t) = numeric_time(value) else {
            out.push(finding(
                Severity::Error,
                "time.not-numeric",
                Some(claim),
                Some(Segment::Payload),
                format!("{claim} is {}, not a number of seconds", describe(value)),
                format!("send {claim} as a whole number of seconds since 1970, without quotes"),
            ));
            continue;
        };
        if t > MILLIS_THRESHOLD {
            out.push(finding(
                Severity::Error,
                "time.milliseconds",
                Some(claim),
                Some(Segment::Payload),
                format!("{claim} is {t}: that is milliseconds ({}), not seconds", utc(t / 1000).unwrap_or_default()),
                "divide by 1000: JavaScript's Date.now() gives milliseconds; use Math.floor(Date.now() / 1000)".to_string(),
            ));
            continue;
        }
        times.insert(claim, t);
    }
    let (exp, iat, nbf) = (times.get("exp").copied(), times.get("iat").copied(), times.get("nbf").copied());
    let present = |c: &str| payload.contains_key(c);
    if profile.time.exp_required && !present("exp") {
        out.push(finding(
            Severity::Error,
            "time.exp-missing",
            Some("exp"),
            Some(Segment::Payload),
            format!("there is no exp, and {} requires one", profile.name),
            "add exp: issue time plus a few minutes, in seconds",
        ));
    }
    if profile.time.iat_required && !present("iat") {
        out.push(finding(
            Severity::Error,
            "time.iat-missing",
            Some("iat"),
            Some(Segment::Payload),
            format!("there is no iat, and {} requires one", profile.name),
            "add iat: the issue time, in seconds",
        ));
    }
    if let Some(exp) = exp
        && exp <= at
    {
        out.push(finding(
            Severity::Error,
            "time.expired",
            Some("exp"),
            Some(Segment::Payload),
            format!(
                "expired {} ago (exp {})",
                human_duration((at - exp).unsigned_abs()),
                utc(exp).unwrap_or_default()
            ),
            "issue a fresh token when the page loads (or when the widget asks for one)",
        ));
    }
    if let Some(nbf) = nbf
        && nbf > at
    {
        out.push(finding(
            Severity::Error,
            "time.not-yet-valid",
            Some("nbf"),
            Some(Segment::Payload),
            format!(
                "not valid for another {} (nbf {})",
                human_duration((nbf - at).unsigned_abs()),
                utc(nbf).unwrap_or_default()
            ),
            "drop nbf or set it to the issue time; check the server's clock",
        ));
    }
    if let Some(iat) = iat
        && iat > at
    {
        let skew = profile.time.iat_skew.unwrap_or(0) as i64;
        let ahead = iat - at;
        if ahead > skew {
            out.push(finding(
                if profile.time.iat_skew.is_some() { Severity::Error } else { Severity::Warning },
                "time.iat-future",
                Some("iat"),
                Some(Segment::Payload),
                format!(
                    "iat is {} in the future{}",
                    human_duration(ahead.unsigned_abs()),
                    profile
                        .time
                        .iat_skew
                        .map(|s| format!(
                            ", beyond the {} of skew {} allows",
                            human_duration(s),
                            profile.name
                        ))
                        .unwrap_or_default()
                ),
                "sync the server's clock (NTP) and set iat to the current time in seconds",
            ));
        }
    }
    // Without iat or nbf, the lifetime is measured from the judging time.
    let start = iat.or(nbf).or_else(|| exp.filter(|e| *e > at).map(|_| at));
    let from = if iat.is_some() {
        "iat"
    } else if nbf.is_some() {
        "nbf"
    } else {
        "now"
    };
    if let (Some(exp), Some(start)) = (exp, start) {
        let lifetime = exp - start;
        if let Some(max) = profile.time.max_lifetime
            && lifetime > max as i64
        {
            out.push(finding(
                Severity::Error,
                "time.lifetime-max",
                Some("exp"),
                Some(Segment::Payload),
                format!(
                    "exp is {} after {from}; {} accepts at most {}",
                    human_duration(lifetime.unsigned_abs()),
                    profile.name,
                    human_duration(max)
                ),
                format!("set exp to iat + {} or less", human_duration(max)),
            ));
        } else if let Some(recommended) = profile.time.recommended_lifetime
            && lifetime > recommended as i64
        {
            out.push(finding(
                Severity::Warning,
                "time.lifetime-recommended",
                Some("exp"),
                Some(Segment::Payload),
                format!(
                    "exp is {} after {from}; {} recommends {}",
                    human_duration(lifetime.unsigned_abs()),
                    profile.name,
                    human_duration(recommended)
                ),
                format!("keep tokens short-lived: iat + {}", human_duration(recommended)),
            ));
        }
    }
}
