//! Re-signing a token (`sign --from TOKEN`, and the workbench's doctor): the token's claims and
//! header fields become the starting values, the user's own go on top, and the signing
//! pipeline (`sign.rs`) makes the new token with the given key.

use serde_json::{Map, Value};

use crate::claims::{ClaimAssignment, ClaimInput, ClaimPath};
use crate::time_rules::Times;

/// What a token brings to a re-signature.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Base {
    /// Its claims, one per leaf (objects are walked; arrays are values).
    pub claims: Vec<ClaimAssignment>,
    /// Its header fields but `alg` and `kid`; `typ` set to null when the token has none, so
    /// the new header has none either.
    pub headers: Vec<(String, Value)>,
    /// Its `kid`, if any.
    pub kid: Option<String>,
}

/// The starting values from a token's header and payload. With `refresh = Some((now,
/// lifetime))`, `iat` becomes `now` and `nbf` and `exp` move with it, keeping the lifetime;
/// a token with neither `iat` nor `nbf` gets `exp = now + lifetime`.
pub fn base(header: &Map<String, Value>, payload: &Map<String, Value>, refresh: Option<(i64, u64)>) -> Base {
    let mut payload = payload.clone();
    if let Some((now, lifetime)) = refresh {
        refresh_times(&mut payload, now, lifetime);
    }
    let mut claims = Vec::new();
    leaves(&mut Vec::new(), &payload, &mut claims);
    let mut headers: Vec<(String, Value)> = header
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "alg" | "kid"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !header.contains_key("typ") {
        headers.push(("typ".to_string(), Value::Null));
    }
    let kid = header.get("kid").and_then(Value::as_str).map(str::to_string);
    Base { claims, headers, kid }
}

fn leaves(prefix: &mut Vec<String>, map: &Map<String, Value>, out: &mut Vec<ClaimAssignment>) {
    for (key, value) in map {
        prefix.push(key.clone());
        match value {
            Value::Object(inner) if !inner.is_empty() => leaves(prefix, inner, out),
            other => out.push(ClaimAssignment {
                path: ClaimPath::from_keys(prefix.clone()),
                input: ClaimInput::Json(other.clone()),
            }),
        }
        prefix.pop();
    }
}

fn refresh_times(payload: &mut Map<String, Value>, now: i64, lifetime: u64) {
    let times = Times::read(payload);
    let start = times.iat_secs().or(times.nbf_secs());
    let shift = |t: i64, from: i64| now.saturating_add(t.saturating_sub(from));
    match start {
        Some(from) => {
            for (name, value) in
                [("iat", times.iat_secs()), ("nbf", times.nbf_secs()), ("exp", times.exp_secs())]
            {
                if let Some(t) = value {
                    payload.insert(name.to_string(), Value::from(shift(t, from)));
                }
            }
        }
        None if times.exp_secs().is_some() => {
            let exp = now.saturating_add(i64::try_from(lifetime).unwrap_or(i64::MAX));
            payload.insert("exp".to_string(), Value::from(exp));
        }
        None => {}
    }
}

/// The profile whose rules a token breaks least (fewest errors, then fewest warnings), among
/// the JWT profiles that take its claims; a tie goes to `current`, then to the first. Its index
/// and error count. Whether it has expired (or is not valid yet) does not count: a token put on
/// the bench gets its times moved to now.
pub fn best_profile(
    profiles: &[crate::profile::Profile],
    header: &Map<String, Value>,
    payload: &Map<String, Value>,
    now: i64,
    current: usize,
) -> Option<(usize, usize)> {
    use crate::rules::{Severity, check_rules};
    let score = |(i, profile): (usize, &crate::profile::Profile)| {
        let findings = check_rules(header, payload, profile, &[], now);
        let counted = |f: &&crate::rules::Finding| !matches!(f.code, "time.expired" | "time.not-yet-valid");
        let count = |s: Severity| findings.iter().filter(counted).filter(|f| f.severity == s).count();
        (count(Severity::Error), count(Severity::Warning), usize::from(i != current), i)
    };
    // A profile whose typo guard would refuse one of the token's claims cannot sign it again.
    let leaves = base(header, payload, None).claims;
    let takes = |p: &crate::profile::Profile| {
        let schema =
            crate::claims::ClaimSchema { profile: &p.id, fields: &p.claims, allow_extra: p.extra_claims };
        leaves.iter().all(|c| schema.takes(&c.path))
    };
    profiles
        .iter()
        .enumerate()
        .filter(|(_, p)| p.scheme == crate::profile::Scheme::Jwt && takes(p))
        .map(score)
        .min()
        .map(|(errors, _, _, i)| (i, errors))
}

/// The base's claims and header fields with the user's on top: a user's claim replaces every
/// base claim at, above or below its path; a user's header field replaces the base's.
pub fn merge(
    base: Base,
    claims: Vec<ClaimAssignment>,
    headers: Vec<(String, Value)>,
) -> (Vec<ClaimAssignment>, Vec<(String, Value)>) {
    let overlaps = |a: &ClaimPath, b: &ClaimPath| {
        let (a, b) = (a.keys(), b.keys());
        a.starts_with(b) || b.starts_with(a)
    };
    let mut merged: Vec<ClaimAssignment> =
        base.claims.into_iter().filter(|b| !claims.iter().any(|c| overlaps(&b.path, &c.path))).collect();
    merged.extend(claims);
    let mut fields: Vec<(String, Value)> =
        base.headers.into_iter().filter(|(name, _)| !headers.iter().any(|(n, _)| n == name)).collect();
    fields.extend(headers);
    (merged, fields)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn a_tokens_claims_and_header_are_the_base_and_the_users_go_on_top() {
        let header = map(json!({"alg": "HS256", "kid": "k1", "x-env": "test"}));
        let payload = map(json!({"sub": "u1", "account": {"email": "a@b.co", "uid": 7}, "User.ID": 3}));
        let b = base(&header, &payload, None);
        assert_eq!(b.kid.as_deref(), Some("k1"));
        assert_eq!(b.headers, vec![("x-env".to_string(), json!("test")), ("typ".to_string(), Value::Null)]);
        let paths: Vec<Vec<String>> = b.claims.iter().map(|c| c.path.keys().to_vec()).collect();
        assert_eq!(paths, [vec!["sub"], vec!["account", "email"], vec!["account", "uid"], vec!["User.ID"]]);
        let user = vec!["account.email=c@d.co".parse().expect("claim"), "sub=u2".parse().expect("claim")];
        let (claims, headers) = merge(b, user, vec![("typ".into(), json!("JWT"))]);
        let shown: Vec<String> = claims.iter().map(|c| c.path.to_string()).collect();
        assert_eq!(shown, ["account.uid", "User.ID", "account.email", "sub"]);
        assert_eq!(headers, vec![("x-env".to_string(), json!("test")), ("typ".to_string(), json!("JWT"))]);
    }

    #[test]
    fn refreshed_times_keep_the_lifetime() {
        let payload = map(json!({"iat": 1000, "nbf": 1010, "exp": 1300}));
        let b = base(&Map::new(), &payload, Some((5000, 600)));
        let value = |name: &str| {
            b.claims.iter().find(|c| c.path.to_string() == name).map(|c| match &c.input {
                ClaimInput::Json(v) => v.clone(),
                ClaimInput::Text(t) => json!(t),
            })
        };
        assert_eq!(
            (value("iat"), value("nbf"), value("exp")),
            (Some(json!(5000)), Some(json!(5010)), Some(json!(5300)))
        );
        let b = base(&Map::new(), &map(json!({"exp": 1300})), Some((5000, 600)));
        assert_eq!(b.claims[0].input, ClaimInput::Json(json!(5600)), "no iat or nbf: the profile's lifetime");
    }

    #[test]
    fn the_profile_a_token_fits_best_is_found() {
        let profiles = crate::profile::ProfileSet::load(None).profiles;
        let at = |id: &str| profiles.iter().position(|p| p.id == id).expect("profile");
        let header = map(json!({"alg": "HS256", "typ": "JWT"}));
        // Ticketping's shape: external_id, email, exp.
        let payload = map(json!({"external_id": "u1", "email": "a@b.co", "exp": 1_767_225_900}));
        let (best, errors) =
            best_profile(&profiles, &header, &payload, 1_767_225_600, at("tiledesk")).expect("one");
        assert_eq!(errors, 0);
        let fits = crate::rules::check_rules(&header, &payload, &profiles[best], &[], 1_767_225_600);
        assert!(fits.iter().all(|f| f.severity != crate::rules::Severity::Error), "{}", profiles[best].id);
        assert_ne!(profiles[best].id, "tiledesk", "tiledesk needs _id, sub and aud");
        // A day after its exp: having expired does not make it fit worse (its times will move).
        let later = best_profile(&profiles, &header, &payload, 1_767_225_900 + 86_400, at("tiledesk"));
        assert_eq!(later, Some((best, 0)));
    }
}
