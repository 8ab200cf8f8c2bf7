//! `tokensmith doctor --format markdown`: a report a support engineer pastes into a ticket.
//! It holds the profile, the decoded header and payload, the times in words and the findings
//! with their fixes and sources; never the signature, the token or a secret.
//!
//! Nothing is redacted by searching for a secret's text: a search that replaced every copy of
//! the secret inside the claims told every reader which public value (a project id, a user
//! name) the secret was. The report is made only of what may be shown: the header and payload
//! (readable by anyone who holds the token), the times, and the doctor's findings, which name
//! keys (`--secret-env ACME`, `stored key 'acme'`) and never quote their material.

use std::fmt::Write as _;

use tokensmith::doctor::{Report, Severity, source_phrase};
use tokensmith::profile::{Profile, SourceKind};
use tokensmith::token;

use super::output::{pretty, time_lines};

/// The report as Markdown. `input` is the token as pasted.
pub fn markdown(report: &Report, profile: &Profile, input: &str, given_at: bool) -> String {
    let mut md = String::new();
    let when = tokensmith::time::utc(report.at).unwrap_or_default();
    let _ = writeln!(md, "## tokensmith doctor, profile {}: {}\n", profile.id, profile.name);
    let _ = writeln!(
        md,
        "- judged at: {when}{}",
        if given_at { " (the time given with --at)" } else { " (when the report was made)" }
    );
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let verdict = if errors > 0 {
        format!("{errors} error(s), {warnings} warning(s): {} would refuse this token", profile.name)
    } else {
        format!("no errors, {warnings} warning(s): {} should accept this token", profile.name)
    };
    let _ = writeln!(md, "- result: {verdict}");
    match &report.verified_with {
        Some(key) => {
            let _ = writeln!(md, "- signature: verifies with {key}");
        }
        None => {
            let _ = writeln!(md, "- signature: not verified with any key given or stored");
        }
    }
    let _ = writeln!(md, "- the signature and any secret are left out of this report\n");
    match token::decode(input) {
        Ok(decoded) => {
            let _ = writeln!(md, "### Header\n\n```json\n{}\n```\n", pretty(&decoded.header));
            let _ = writeln!(md, "### Payload\n\n```json\n{}\n```\n", pretty(&decoded.payload));
            let lines = time_lines(&decoded.payload, report.at);
            if !lines.is_empty() {
                let _ = writeln!(md, "### Times (at {when})\n\n```text");
                for line in lines {
                    let _ = writeln!(md, "{}", line.trim_start());
                }
                let _ = writeln!(md, "```\n");
            }
        }
        Err(err) => {
            let _ = writeln!(md, "### Token\n\nThe token could not be decoded: {err}\n");
        }
    }
    let _ = writeln!(md, "### Findings\n");
    if report.findings.is_empty() {
        let _ = writeln!(md, "None.");
    }
    for f in &report.findings {
        let subject = f.subject.as_ref().map(|s| format!(" ({s})")).unwrap_or_default();
        let _ = writeln!(md, "- **{}** `{}`{subject}: {}", f.severity, f.code, f.found);
        let _ = writeln!(md, "  - fix: {}", f.fix);
        if let Some(source) = &f.source {
            let url = source.url.as_ref().map(|u| format!(" <{u}>")).unwrap_or_default();
            let phrase = if source.kind == SourceKind::Standard {
                source.title.clone()
            } else {
                source_phrase(source)
            };
            let _ = writeln!(md, "  - source [{}]: {phrase}{url}", source.id);
        }
    }
    md
}
