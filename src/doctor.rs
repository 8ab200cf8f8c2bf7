//! The token doctor: what a vendor would reject about a token, in plain words, with a stable
//! code per finding, the claim or header involved, and what to do.

use serde::Serialize;

mod keyset;
mod schemes;

pub use keyset::diagnose_with_keyset;
pub use schemes::{diagnose_hash, diagnose_issued};

use crate::profile::{Profile, SecretEncoding};
pub use crate::rules::{Finding, Severity, check_rules, source_phrase};
use crate::rules::{finding, severity_of, sourced};
use crate::secret::Secret;
use crate::token::{self, Alg, Cleanup, DecodeError, DecodedToken, Family, KeyMaterial, Segment};

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

/// The stored keys the doctor tries for a profile, as the CLI and the workbench both ask: keys
/// stored for this profile are the vendor's; keys stored for no profile may be; keys stored for
/// another profile are another vendor's and are not tried. A text secret also gets its other
/// reading (base64) tried.
pub fn stored_candidates(entries: &[crate::store::KeyEntry], profile_id: &str) -> Vec<Candidate> {
    entries
        .iter()
        .filter(|entry| entry.profile.as_deref().is_none_or(|p| p == profile_id))
        .filter_map(|entry| {
            let key = entry.key().ok()?;
            let text = (entry.reading == crate::store::SecretReading::Text
                && entry.kind == crate::store::EntryKind::HMAC_SECRET)
                .then(|| entry.material.clone());
            Some(Candidate {
                name: format!("stored key '{}'", entry.name),
                key,
                text,
                explicit: entry.profile.as_deref() == Some(profile_id),
            })
        })
        .collect()
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

    /// Adds what the engineer expects of the claims (`iss`, `aud`, `sub`, required claims:
    /// the CLI's `--iss`..., the workbench's `x`): each mismatch is an error,
    /// `claim.unexpected`, naming what was expected and what came. `input` is what was judged.
    #[must_use]
    pub fn expecting(mut self, input: &str, expect: &token::expect::Expectations) -> Report {
        let Ok(decoded) = token::decode(input) else { return self };
        for mismatch in expect.check(&decoded.payload) {
            self.findings.push(finding(
                Severity::Error,
                "claim.unexpected",
                Some(&mismatch.claim),
                Some(Segment::Payload),
                mismatch.words(),
                "this token is not the one you expected: check which of the customer's settings (issuer, audience, user) made it",
            ));
        }
        self.findings.sort_by_key(|f| f.severity);
        self
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
            findings.extend(crate::rules::session_finding(&decoded.payload, profile));
        }
    }
    findings.sort_by_key(|f| f.severity);
    Report { at, profile: profile.id.clone(), findings, verified_with }
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
            valid_findings(c, alg, out);
            return Some(c.name.clone());
        }
    }
    if let Some(found) = other_reading_finding(&fitting, decoded, alg, profile)
        .or_else(|| confusion_finding(candidates, decoded, alg))
    {
        out.push(found);
        return None;
    }
    if fitting.is_empty() {
        out.push(unchecked_finding(candidates, alg, profile));
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

/// The signature verifies with this key: say so, and what the key's own rule finds (a secret
/// shorter than RFC 7518 wants).
fn valid_findings(c: &Candidate, alg: Alg, out: &mut Vec<Finding>) {
    let stored = if c.explicit { String::new() } else { " (found by trying the stored keys)".to_string() };
    out.push(finding(
        Severity::Info,
        "signature.valid",
        None,
        Some(Segment::Signature),
        format!("the {alg} signature verifies with {}{stored}", c.name),
        "nothing to do",
    ));
    out.extend(crate::rules::key_findings(&c.key, alg));
}

/// The signature verifies only under the other reading of an HMAC secret (base64-decoded
/// versus text): which one the vendor wants.
fn other_reading_finding(
    fitting: &[&Candidate],
    decoded: &DecodedToken,
    alg: Alg,
    profile: &Profile,
) -> Option<Finding> {
    let (input, signature) = (decoded.signing_input(), decoded.signature_b64());
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
            return Some(finding(Severity::Error, code, None, Some(Segment::Signature), found, fix));
        }
    }
    None
}

/// HS/RS confusion: an HMAC token whose key is the text of an RSA public key.
fn confusion_finding(candidates: &[Candidate], decoded: &DecodedToken, alg: Alg) -> Option<Finding> {
    let (input, signature) = (decoded.signing_input(), decoded.signature_b64());
    // HS/RS confusion: an HMAC token whose key is the text of an RSA public key.
    if alg.family() == Family::Hmac {
        for c in candidates.iter().filter(|c| c.key.family() == Family::Rsa) {
            for text in public_key_texts(&c.key, c.text.as_ref()) {
                let as_secret = KeyMaterial::Hmac(Secret::new(text.into_bytes()));
                if token::verify_input(input, signature, &as_secret, alg) {
                    return Some(finding(
                        Severity::Error,
                        "signature.rsa-confusion",
                        None,
                        Some(Segment::Signature),
                        format!(
                            "the {alg} signature was made with a public key's PEM text used as the HMAC secret (the key: {})",
                            c.name
                        ),
                        "this is the RS256-to-HS256 confusion attack's shape: sign with the real secret (or the RSA private key where the vendor wants RS256)",
                    ));
                }
            }
        }
    }
    None
}

/// No key tried fits the algorithm: the signature was not checked.
fn unchecked_finding(candidates: &[Candidate], alg: Alg, profile: &Profile) -> Finding {
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
    finding(
        severity,
        "signature.unchecked",
        None,
        Some(Segment::Signature),
        found,
        format!(
            "pass the vendor's {} with --key NAME, --secret-env VAR or --key-file PEM",
            profile.key_kind.key_pair_name()
        ),
    )
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
    if let Ok(spki) = crate::token::export::pem(key, false) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{ProfileSource, parse};
    use serde_json::Value;

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
        // A built-in profile whose algorithm is unconfirmed (Orlo's page says only RSA), and
        // one whose algorithm its vendor's sample confirms (Kustomer's HS256).
        for (id, other_of_same_kind, severity_expected) in [
            ("orlo", "eyJhbGciOiJQUzI1NiJ9.e30.c2ln", Severity::Warning),
            ("kustomer", hs512, Severity::Error),
        ] {
            let set = crate::profile::ProfileSet::load_for(None, id);
            let profile = set.get(id).expect("built in");
            assert_eq!(severity(profile, other_of_same_kind).map(|s| s.0), Some(severity_expected), "{id}");
        }
    }
}
