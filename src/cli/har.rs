//! `tokensmith har FILE`: the widget tokens in a customer's HAR, followed from the server that
//! issued them to the vendor's answer (the case is `tokensmith::har`, which the workbench's
//! doctor uses too). Text for the engineer, JSON for scripts, Markdown (redacted) for a ticket.

use tokensmith::doctor::Severity;
use tokensmith::har::{Case, Outcome, TokenCase, redact, words};
use tokensmith::paths::Paths;
use tokensmith::text;

use super::input::Io;
use super::output::print_json;
use super::{CliError, DoctorFormat, HarArgs};

pub fn run(paths: &Paths, args: &HarArgs, io: &mut Io) -> Result<u8, CliError> {
    let params = super::verbs::parse_params(&args.params)?;
    let set = tokensmith::profile::ProfileSet::load(Some(&paths.profiles()));
    let profiles = super::user_profiles::report_daily(paths, set).profiles;
    let keys = stored_keys(io)?;
    let judge = tokensmith::har::Judge { profiles: &profiles, keys: &keys, params: &params, now: io.now };
    let case = if args.file == "-" {
        // Streamed as a file is (one request in memory at a time), not read whole first.
        use std::io::IsTerminal as _;
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            return Err(CliError::usage(
                "a HAR is a file: give its path, or pipe it in (tokensmith har - < capture.har)",
            ));
        }
        tokensmith::har::examine(stdin.lock(), "the HAR on standard input", &judge)
    } else {
        let path = std::path::Path::new(&args.file);
        let file = std::fs::File::open(path)
            .map_err(|e| CliError::usage(format!("cannot read HAR file '{}': {e}", path.display())))?;
        tokensmith::har::examine(file, &format!("'{}'", path.display()), &judge)
    }
    .map_err(|e| CliError::usage(e.to_string()))?;
    let code = u8::from(case.tokens.iter().any(troubled));
    match (args.json, args.format) {
        (true, _) | (_, DoctorFormat::Json) => print_json(&case)?,
        (_, DoctorFormat::Markdown) => out!("{}", markdown(&case, &args.file, args.mask_personal)),
        (_, DoctorFormat::Text) => print_text(&case, &args.file, args.mask_personal),
    }
    Ok(code)
}

/// Refused by the vendor, or breaking one of its rules.
fn troubled(token: &TokenCase) -> bool {
    token.outcome == Outcome::Refused
        || token.report.as_ref().is_some_and(|r| r.findings.iter().any(|f| f.severity == Severity::Error))
}

/// The stored keys, for the doctor to try per vendor: none when there is no store.
fn stored_keys(io: &mut Io) -> Result<Vec<tokensmith::store::KeyEntry>, CliError> {
    if io.store.state()? == tokensmith::store::StoreState::Missing {
        return Ok(Vec::new());
    }
    let pass = io.passphrase()?;
    Ok(io.store.open(pass.as_ref())?.entries)
}

fn print_text(case: &Case, file: &str, mask: bool) {
    let creator =
        if case.creator.is_empty() { String::new() } else { format!(" ({})", text::inline(&case.creator)) };
    outln!("{}{creator}", text::inline(file));
    for note in &case.notes {
        outln!("note: {note}");
    }
    for (i, token) in case.tokens.iter().enumerate() {
        let personal = personal(token, mask);
        let say = |s: &str| text::inline(&redact::masked(s, &personal)).into_owned();
        outln!();
        outln!("{}. {}", i + 1, say(&token.verdict));
        if let Some(vendor) = &token.vendor {
            outln!("   vendor:   {} ({})", vendor.profile, say(&vendor.why));
        }
        for line in words::timeline(token, &case.requests) {
            outln!("   {}", say(&line));
        }
        if let Some(report) = &token.report {
            let at = tokensmith::time::utc(report.at).unwrap_or_default();
            outln!("   doctor at {at} (when it was sent):");
            for f in &report.findings {
                outln!("     {:<8} {:<24} {}", f.severity.to_string(), f.code, say(&f.found));
            }
        }
    }
    outln!();
    outln!("summary: {}", text::inline(&redact::masked(&case.summary, &all_personal(case, mask))));
}

fn personal(token: &TokenCase, mask: bool) -> Vec<(String, String)> {
    let Some(decoded) = mask.then(|| tokensmith::token::decode(&token.value).ok()).flatten() else {
        return token.identifier.iter().filter(|_| mask).map(|i| (i.clone(), redact::mask(i))).collect();
    };
    redact::personal_values(&decoded.payload)
}

fn all_personal(case: &Case, mask: bool) -> Vec<(String, String)> {
    case.tokens.iter().flat_map(|t| personal(t, mask)).collect()
}

/// For a ticket: no signature, no hash in full, no cookie, no other credential; the vendors'
/// error bodies scrubbed of tokens and hashes; personal claims masked when asked.
fn markdown(case: &Case, file: &str, mask: bool) -> String {
    let mut out = format!("## HAR: {}\n\n", text::inline(file));
    out.push_str(&format!("{}\n\n", text::inline(&redact::masked(&case.summary, &all_personal(case, mask)))));
    for note in &case.notes {
        out.push_str(&format!("> {note}\n\n"));
    }
    for (i, token) in case.tokens.iter().enumerate() {
        let personal = personal(token, mask);
        let say = |s: &str| text::inline(&redact::masked(s, &personal)).into_owned();
        out.push_str(&format!("### {}. {}\n\n", i + 1, say(&token.verdict)));
        let decoded = tokensmith::token::decode(&token.value).ok();
        let shown = match (&token.kind, mask) {
            (tokensmith::har::find::Kind::Hash { .. }, _) => redact::hash(&token.value),
            (_, true) => redact::header_only(&token.value),
            (_, false) => redact::unsigned(&token.value),
        };
        out.push_str(&format!("- value: `{}`\n", say(&shown)));
        if let Some(decoded) = &decoded {
            let payload =
                if mask { redact::masked_payload(&decoded.payload) } else { decoded.payload.clone() };
            let json = serde_json::to_string(&payload).unwrap_or_default();
            out.push_str(&format!("- claims: `{}`\n", text::inline(&json).replace('`', "'")));
        }
        if let Some(vendor) = &token.vendor {
            out.push_str(&format!("- vendor: {} ({})\n", vendor.name, say(&vendor.why)));
        }
        for line in words::timeline(token, &case.requests) {
            out.push_str(&format!("- {}\n", say(&line)));
        }
        if let Some(report) = &token.report {
            out.push_str("\n| severity | finding | what | fix |\n|---|---|---|---|\n");
            for f in &report.findings {
                let cell = |s: &str| say(s).replace('|', "\\|");
                out.push_str(&format!(
                    "| {} | `{}` | {} | {} |\n",
                    f.severity,
                    f.code,
                    cell(&f.found),
                    cell(&f.fix)
                ));
            }
        }
        out.push('\n');
    }
    out
}
