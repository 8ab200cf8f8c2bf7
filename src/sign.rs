//! The one signing pipeline: request -> allowed algorithms -> payload -> header -> token, then
//! the profile's rules checked on what was made. `tokensmith sign`, `tokensmith snippet` and
//! the workbench all call [`sign`]; none of them assembles a token itself. A token that breaks
//! a rule is still made (reproducing a customer's bad token is a use), and every broken rule
//! (the profile's, and the key's own: a secret shorter than RFC 7518 allows) comes back in
//! [`Signed::broken`] for the caller to show. A caller that signed with a stored key records
//! the use with [`crate::store::StoreDir::record_use`], which `keys list` shows.

use serde_json::{Map, Value};

use crate::claims::{BuildContext, ClaimAssignment, ClaimError, ClaimInput, ClaimSchema};
use crate::profile::{ParamError, Profile};
use crate::rules::{Finding, check_rules, key_findings};
use crate::token::{self, Alg, AlgChoiceError, KeyMaterial};

/// What to sign.
pub struct SignRequest<'a> {
    /// The vendor profile.
    pub profile: &'a Profile,
    /// The signing key (a private key or a secret).
    pub key: &'a KeyMaterial,
    /// Claim values given by the user (`--claim`, the workbench's fields).
    pub claims: Vec<ClaimAssignment>,
    /// Parameter values given by the user (`--param`); the rest take the profile's defaults.
    pub params: &'a [(String, String)],
    /// Lifetime in seconds: `exp` = now + ttl.
    pub ttl: Option<u64>,
    /// The algorithm asked for; else the profile's first one the key can do.
    pub alg: Option<Alg>,
    /// The `kid` header (given, or the stored key's).
    pub kid: Option<String>,
    /// Extra header fields (`--header`).
    pub headers: Vec<(String, Value)>,
    /// Unix seconds the token is made at.
    pub now: i64,
}

/// A token and what went into it.
#[derive(Clone, Debug)]
pub struct Signed {
    /// The compact token.
    pub token: String,
    /// Its header, in order.
    pub header: Map<String, Value>,
    /// Its payload, in order.
    pub payload: Map<String, Value>,
    /// The algorithm used.
    pub alg: Alg,
    /// The parameter values used.
    pub params: Vec<(String, String)>,
    /// The rules this token breaks (errors and warnings), as the doctor words them: the
    /// profile's ([`check_rules`]) and the signing key's ([`key_findings`]).
    pub broken: Vec<Finding>,
}

/// Why no token could be made.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// A public key cannot sign.
    #[error("this is a public key, which can only verify: signing needs the private key")]
    PublicKey,
    /// The algorithm does not fit the key or the profile.
    #[error(transparent)]
    Alg(#[from] AlgChoiceError),
    /// A claim value or default is wrong.
    #[error(transparent)]
    Claims(#[from] ClaimError),
    /// An unknown parameter.
    #[error(transparent)]
    Param(#[from] ParamError),
    /// A header field that cannot be set.
    #[error("{0}")]
    Header(String),
    /// `now + ttl` is past any date.
    #[error("a lifetime of {ttl}s from {now} is past any date: give a shorter --ttl")]
    TtlRange {
        /// The lifetime asked for.
        ttl: u64,
        /// The issue time.
        now: i64,
    },
    /// The payload nests deeper than `decode` reads.
    #[error(
        "the payload nests deeper than {} levels of objects and arrays, which tokensmith's own decode (and many parsers) refuse: flatten the claim",
        crate::limits::MAX_NESTING
    )]
    TooDeep,
    /// Both `--ttl` and an `exp` claim.
    #[error("give either --ttl or --claim exp=..., not both")]
    TtlAndExp,
    /// The crypto failed.
    #[error(transparent)]
    Token(#[from] token::SignError),
}

/// Header fields a caller may not set: `alg` comes from the key and profile, and `crit`
/// would announce extensions tokensmith does not implement (RFC 7515 §4.1.11).
const RESERVED_HEADERS: [&str; 2] = ["alg", "crit"];

/// The payload step of the pipeline on its own: the profile's claims with their defaults, the
/// values given, the parameters. What server code issues, and identity hashes are made of,
/// comes from here too, so it is what `sign` would put in a token.
pub fn build_payload(
    profile: &Profile,
    claims: &[ClaimAssignment],
    params: &[(String, String)],
    now: i64,
    uuid: &mut dyn FnMut() -> String,
) -> Result<Map<String, Value>, ClaimError> {
    let mut ctx = BuildContext { now, uuid, params };
    let schema =
        ClaimSchema { profile: &profile.id, fields: &profile.claims, allow_extra: profile.extra_claims };
    crate::claims::build_payload(&schema, claims, &mut ctx)
}

/// Runs the pipeline.
pub fn sign(req: SignRequest<'_>, uuid: &mut dyn FnMut() -> String) -> Result<Signed, SignError> {
    let profile = req.profile;
    if !req.key.can_sign() {
        return Err(SignError::PublicKey);
    }
    let allowed = token::allowed_algs(Some((&profile.id, &profile.algorithms)), req.key)?;
    let alg = token::choose_alg(&allowed, req.alg)?;
    let params = profile.resolve_params(req.params)?;
    let mut claims = req.claims;
    if let Some(ttl) = req.ttl {
        if claims.iter().any(|a| a.path.to_string() == "exp") {
            return Err(SignError::TtlAndExp);
        }
        let exp = i64::try_from(ttl)
            .ok()
            .and_then(|t| req.now.checked_add(t))
            .filter(|exp| *exp <= crate::time_rules::MILLIS_THRESHOLD)
            .ok_or(SignError::TtlRange { ttl, now: req.now })?;
        let path = "exp".parse().map_err(|e: String| SignError::Header(e))?;
        claims.push(ClaimAssignment { path, input: ClaimInput::Json(Value::from(exp)) });
    }
    let payload = build_payload(profile, &claims, &params, req.now, uuid)?;
    // What `decode` would refuse, `sign` does not make.
    let depth = payload.values().map(token::decode::nesting).max().unwrap_or(0).saturating_add(1);
    if depth > crate::limits::MAX_NESTING {
        return Err(SignError::TooDeep);
    }
    // No key id given: the profile's key-id parameter, when it has one (Zendesk, Salesforce)
    // and it was set. Left at its example value, a key pair's RFC 7638 thumbprint comes first:
    // that is the kid `keys export --format jwk` gives the JWK the vendor holds, so the two
    // agree without a `keys set --kid` (Salesforce).
    let kid = req.kid.or_else(|| {
        let name = profile.header.kid_param.as_ref()?;
        let param = profile.params.iter().find(|p| &p.name == name);
        let value = params.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
        let example = param.is_some_and(|p| p.placeholder && value.as_deref() == Some(p.default.as_str()));
        let thumbprint =
            || (!matches!(req.key, KeyMaterial::Hmac(_))).then(|| crate::token::export::thumbprint(req.key));
        if example { thumbprint().or(value) } else { value }
    });
    let mut header = token::header(alg, profile.header.typ.as_deref(), kid.as_deref());
    for (name, value) in req.headers {
        if RESERVED_HEADERS.contains(&name.as_str()) {
            return Err(SignError::Header(match name.as_str() {
                "alg" => "--header cannot set alg: use --alg".to_string(),
                _ => format!(
                    "--header cannot set '{name}': tokensmith implements no JWS extension, and a verifier must refuse a token whose crit names one it does not know"
                ),
            }));
        }
        // `--header typ:=null` (any field set to null) leaves the field out: some vendors and
        // tests need a header without `typ` (issue 22).
        if value.is_null() {
            header.remove(&name);
        } else {
            header.insert(name, value);
        }
    }
    let token = token::sign(&header, &payload, req.key, alg)?;
    let mut broken = check_rules(&header, &payload, profile, &params, req.now);
    broken.extend(key_findings(req.key, alg));
    broken.sort_by_key(|f| f.severity);
    Ok(Signed { token, header, payload, alg, params, broken })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::ProfileSet;
    use crate::secret::Secret;

    const NOW: i64 = 1_767_225_600;

    fn sign_with(secret: &[u8], profile: &str, params: &[(String, String)]) -> Signed {
        let set = ProfileSet::load(None);
        let profile = set.get(profile).expect("built-in profile");
        let key = KeyMaterial::hmac(Secret::new(secret.to_vec())).expect("key");
        let claims = vec!["external_id=u42".parse().expect("claim")];
        let request = SignRequest {
            profile,
            key: &key,
            claims,
            params,
            ttl: None,
            alg: None,
            kid: None,
            headers: Vec::new(),
            now: NOW,
        };
        sign(request, &mut || "00000000-0000-4000-8000-000000000000".to_string()).expect("signs")
    }

    fn codes(signed: &Signed) -> Vec<&'static str> {
        signed.broken.iter().map(|f| f.code).collect()
    }

    #[test]
    fn a_secret_shorter_than_the_hash_is_a_broken_rule_of_the_signature() {
        let params = [("project_id".to_string(), "65f0c0ffee".to_string())];
        let short = sign_with(b"the project shared secret", "tiledesk", &params);
        assert_eq!(codes(&short), ["secret.too-short"]);
        let finding = short.broken.first().expect("one finding");
        assert_eq!(finding.severity, crate::rules::Severity::Warning);
        assert_eq!(finding.found, "the secret has 25 bytes; RFC 7518 wants at least 32 for HS256");
        let long = sign_with(b"0123456789abcdef0123456789abcdef", "tiledesk", &params);
        assert_eq!(codes(&long), Vec::<&str>::new());
    }

    #[test]
    fn the_key_rule_follows_the_algorithm_and_the_key_kind() {
        let secret = |n: usize| KeyMaterial::hmac(Secret::new(vec![b'k'; n])).expect("key");
        let found =
            |key: &KeyMaterial, alg| key_findings(key, alg).iter().map(|f| f.code).collect::<Vec<_>>();
        assert_eq!(found(&secret(31), Alg::HS256), ["secret.too-short"]);
        assert_eq!(found(&secret(32), Alg::HS256), Vec::<&str>::new());
        assert_eq!(found(&secret(47), Alg::HS384), ["secret.too-short"]);
        assert_eq!(found(&secret(48), Alg::HS384), Vec::<&str>::new());
        assert_eq!(found(&secret(63), Alg::HS512), ["secret.too-short"]);
        let pem = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/keys/rsa2048-pkcs1.pem"
        ))
        .expect("fixture");
        let rsa = token::parse_key(&pem).expect("key").material;
        assert_eq!(found(&rsa, Alg::RS256), Vec::<&str>::new());
    }

    #[test]
    fn broken_rules_stay_ordered_errors_first_with_the_key_rule_among_them() {
        // No project_id: aud keeps its example value, an error; the short secret is a warning.
        let signed = sign_with(b"short", "tiledesk", &[]);
        let severities: Vec<_> = signed.broken.iter().map(|f| f.severity).collect();
        let mut sorted = severities.clone();
        sorted.sort();
        assert_eq!(severities, sorted);
        assert!(codes(&signed).contains(&"secret.too-short"), "{:?}", codes(&signed));
    }

    /// A header field set to null is left out (`--header typ:=null`); the token still verifies.
    #[test]
    fn a_null_header_field_is_left_out() {
        let set = ProfileSet::load(None);
        let profile = set.get("generic-hs256").expect("built-in profile");
        let key = KeyMaterial::hmac(Secret::new(vec![b'k'; 32])).expect("key");
        let request = |headers| SignRequest {
            profile,
            key: &key,
            claims: Vec::new(),
            params: &[],
            ttl: None,
            alg: None,
            kid: None,
            headers,
            now: NOW,
        };
        let uuid = &mut || "00000000-0000-4000-8000-000000000000".to_string();
        let with = sign(request(Vec::new()), uuid).expect("signs");
        assert_eq!(with.header.get("typ"), Some(&Value::from("JWT")));
        let without = sign(request(vec![("typ".to_string(), Value::Null)]), uuid).expect("signs");
        assert_eq!(without.header.keys().collect::<Vec<_>>(), ["alg"]);
        let decoded = token::decode(&without.token).expect("decodes");
        assert_eq!(decoded.header.get("typ"), None);
    }
}
