//! The doctor for profiles that are not signed JWTs: identity hashes (scheme C) and tokens
//! the vendor issues (scheme D). The same [`Report`] as for a JWT, so the CLI and the
//! workbench show them alike.

use super::{Candidate, Report};
use crate::profile::Profile;
use crate::rules::{Severity, finding, sourced};
use crate::time::human_duration;
use crate::time_rules::{Times, gap, is_expired};
use crate::token::{self, KeyMaterial, Segment};

/// The vendor's name without the profile's qualifier ("HubSpot", not "HubSpot (visitor ...)").
fn vendor(profile: &Profile) -> &str {
    profile.name.split(" (").next().unwrap_or(&profile.name)
}

/// A token the vendor issues (HubSpot's visitor identification token): decoded and its times
/// judged, never verified, since only the vendor holds the key.
pub fn diagnose_issued(input: &str, profile: &Profile, at: i64) -> Report {
    let mut findings = Vec::new();
    let origin = profile.issued.as_ref().map_or("the vendor's API", |i| i.origin.value.as_str());
    match token::decode(input) {
        Err(err) => findings.push(super::not_a_jwt(&err)),
        Ok(decoded) => {
            super::cleanup_findings(&decoded.cleaned, profile, &mut findings);
            let times = Times::read(&decoded.payload);
            match times.exp_secs() {
                Some(exp) if is_expired(exp, at, 0) => findings.push(sourced(
                    finding(
                        Severity::Error,
                        "time.expired",
                        Some("exp"),
                        Some(Segment::Payload),
                        format!("the token expired {} ago", human_duration(gap(at, exp))),
                        format!("ask {} for a new one: {origin}", vendor(profile)),
                    ),
                    profile.source(None),
                )),
                Some(_) => {}
                None => findings.push(finding(
                    Severity::Warning,
                    "time.no-exp",
                    Some("exp"),
                    Some(Segment::Payload),
                    "the token has no numeric exp",
                    "check that this is the token the vendor issued, not another value",
                )),
            }
            let lifetime = profile.issued.as_ref().and_then(|i| i.lifetime.as_ref());
            if let (Some(life), Some(iat), Some(exp)) = (lifetime, times.iat_secs(), times.exp_secs()) {
                let actual = exp.checked_sub(iat);
                if actual != i64::try_from(life.value.0).ok() {
                    let actual = actual
                        .and_then(|a| u64::try_from(a).ok())
                        .map_or_else(|| "not a span of time".to_string(), human_duration);
                    let source = profile.source(life.source.as_deref());
                    findings.push(sourced(
                        finding(
                            Severity::Warning,
                            "time.lifetime",
                            Some("exp"),
                            Some(Segment::Payload),
                            format!(
                                "exp - iat is {actual}, not the {} {}'s docs give its tokens",
                                human_duration(life.value.0),
                                vendor(profile)
                            ),
                            "a warning only: check the token came from the vendor's API unchanged",
                        ),
                        source,
                    ));
                }
            }
            findings.push(finding(
                Severity::Info,
                "signature.unchecked",
                None,
                Some(Segment::Signature),
                format!("only {} holds the key: tokensmith cannot verify these tokens", vendor(profile)),
                format!("where it comes from: {origin}"),
            ));
        }
    }
    findings.sort_by_key(|f| f.severity);
    Report { at, profile: profile.id.clone(), findings, verified_with: None }
}

/// An identity hash a customer made (`given`), against the hash of `identifier` under each
/// candidate secret: a match, or which mistake made it (base64 output, upper-case hex, key and
/// message swapped, an untrimmed or lower-cased identifier, the other identifier).
pub fn diagnose_hash(
    given: &str,
    profile: &Profile,
    identifier: &str,
    other: Option<&str>,
    candidates: &[Candidate],
    at: i64,
) -> Report {
    // How the hash is made (hex HMAC-SHA256) is the profile's main source; which identifier
    // is hashed may cite another (Intercom's email fallback is unconfirmed), but a hash that
    // differs is judged on how it is made.
    let source = profile.source(None);
    let secrets = candidates.iter().filter_map(|c| match &c.key {
        KeyMaterial::Hmac(secret) => Some((c.name.as_str(), secret.expose())),
        _ => None,
    });
    let best = crate::hash::diagnose_with(secrets, identifier, other, given.trim());
    let (findings, verified_with) = match best {
        None => (
            vec![finding(
                Severity::Warning,
                "hash.unchecked",
                None,
                None,
                format!("no HMAC secret to check the hash of '{identifier}' with"),
                "store the vendor's secret (Keys: n, or `tokensmith keys add`)",
            )],
            None,
        ),
        Some((name, d)) if d.matches => (
            vec![sourced(
                finding(
                    Severity::Info,
                    d.code,
                    None,
                    None,
                    format!("{} (key {name})", d.found),
                    d.fix.clone(),
                ),
                source,
            )],
            Some(name.to_string()),
        ),
        Some((name, d)) => (
            vec![sourced(
                // The vendor compares the hash: one that differs is refused, whatever the source.
                finding(
                    Severity::Error,
                    d.code,
                    None,
                    None,
                    format!("{} (tried with {name})", d.found),
                    d.fix.clone(),
                ),
                source,
            )],
            None,
        ),
    };
    Report { at, profile: profile.id.clone(), findings, verified_with }
}
