//! The doctor with a key set: the set chooses the candidate keys for the token (by kid, else
//! by alg), the doctor tries them as it tries any key, and its findings say which key was
//! chosen and why, which keys the set skipped, or that no key in the set fits the token.

use super::{Candidate, Report, diagnose};
use crate::keyset::{Choice, KeySet, Skipped};
use crate::profile::Profile;
use crate::rules::{Finding, Severity, finding};
use crate::token::{self, Segment};

/// Examines a token as [`diagnose`] does, with the keys a set offers for it as the candidates.
/// `from` names the set in findings ("keyset https://.../jwks.json").
pub fn diagnose_with_keyset(
    input: &str,
    profile: &Profile,
    set: &KeySet,
    from: &str,
    params: &[(String, String)],
    at: i64,
) -> Report {
    let header = token::decode(input).ok().map(|d| d.header);
    let Some(header) = header else {
        // Not a token: the doctor says so; the set has nothing to add.
        return diagnose(input, profile, &[], params, at);
    };
    let mut notes: Vec<Finding> = set.skipped.iter().map(|s| skipped_finding(s, from)).collect();
    let mut report = match set.select(&header) {
        Ok(selection) => {
            let candidates: Vec<Candidate> = selection
                .keys
                .iter()
                .map(|k| Candidate {
                    name: format!("{} of {from} ({})", k.name(), k.key.material.describe()),
                    key: k.key.material.clone(),
                    text: None,
                    explicit: true,
                })
                .collect();
            let report = diagnose(input, profile, &candidates, params, at);
            let verified = report.verified_with.as_deref().and_then(|name| {
                selection.keys.iter().zip(&candidates).find(|(_, c)| c.name == name).map(|(k, _)| *k)
            });
            let chosen = verified.or_else(|| selection.keys.first().copied());
            if let Some(key) = chosen {
                let why = crate::keyset::why(&selection, key, verified.is_some());
                notes.push(chosen_finding(&selection.by, &why, key.label(), from));
            }
            report
        }
        Err(no_match) => {
            let mut report = diagnose(input, profile, &[], params, at);
            // The doctor's "no key given" is replaced by what the set lacks.
            report.findings.retain(|f| f.code != "signature.unchecked");
            notes.push(finding(
                Severity::Error,
                "keyset.no-match",
                None,
                Some(Segment::Header),
                format!("{no_match}; from {from}"),
                "the token was signed with a key this keyset does not publish: check that the keyset is the issuer's current one (a rotated key?), and the kid the signer puts in the header",
            ));
            report
        }
    };
    report.findings.extend(notes);
    report.findings.sort_by_key(|f| f.severity);
    report
}

fn chosen_finding(by: &Choice, why: &str, label: String, from: &str) -> Finding {
    let subject = match by {
        Choice::Kid(_) => Some("kid"),
        Choice::Alg(_) => Some("alg"),
    };
    finding(
        Severity::Info,
        "keyset.chosen",
        subject,
        Some(Segment::Header),
        format!("{from}: key {label}, {why}"),
        "nothing to do",
    )
}

fn skipped_finding(skipped: &Skipped, from: &str) -> Finding {
    finding(
        Severity::Info,
        "keyset.skipped",
        None,
        None,
        format!("{from}: {}", skipped.note()),
        "nothing to do: a verifier skips it too",
    )
}
