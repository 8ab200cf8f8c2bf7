//! `tokensmith probe URL -p ID`: calls the customer's token endpoint and prints what
//! `tokensmith::probe` judged, per request and for the run. Exit 0 when nothing would stop the
//! page, 1 when something would, 2 for usage errors (a bad URL, a private address not allowed).

use tokensmith::doctor::{Finding, source_phrase};
use tokensmith::paths::Paths;
use tokensmith::probe::{Exchange, Judge, Plan, ProbeReport};
use tokensmith::profile::{Profile, Scheme, SourceKind};

use super::input::Io;
use super::output::print_json;
use super::{CliError, ProbeArgs};

fn plan(args: &ProbeArgs) -> Result<Plan, tokensmith::probe::PlanError> {
    let mut plan = Plan::new(&args.url);
    plan.count = args.count;
    plan.allow_private = args.allow_private;
    plan.method(&args.method)?;
    for header in &args.headers {
        plan.header(header)?;
    }
    for cookie in &args.cookies {
        plan.cookie(cookie)?;
    }
    if let Some(origin) = &args.origin {
        plan.origin(origin)?;
    }
    plan.check()?;
    Ok(plan)
}

pub fn run(paths: &Paths, args: &ProbeArgs, io: &mut Io) -> Result<u8, CliError> {
    let plan = plan(args).map_err(|e| CliError::usage(e.to_string()))?;
    let set = super::verbs::load_profile(paths, &args.profile);
    let profile = set.get(&args.profile)?;
    if profile.scheme == Scheme::IdentityHash {
        return Err(CliError::usage(format!(
            "profile '{}' uses an identity hash, not a token: there is no token endpoint to probe",
            profile.id
        )));
    }
    let params = super::verbs::parse_params(&args.params)?;
    profile.resolve_params(&params)?;
    let candidates =
        super::verbs::doctor_candidates(&args.key, args.encoding.secret_base64, io, &profile.id)?;
    let options =
        tokensmith::net::Options { ca_file: args.ca_file.clone(), ..tokensmith::net::Options::default() };
    let judge = Judge { profile, candidates: &candidates, params: &params };
    let now = || chrono::Utc::now().timestamp();
    let report =
        tokensmith::probe::run(&plan, &options, judge, &now).map_err(|e| CliError::usage(e.to_string()))?;
    let code = u8::from(!report.passes());
    if args.json {
        print_json(&report)?;
    } else {
        print_text(&report, profile, &plan);
    }
    Ok(code)
}

fn print_text(report: &ProbeReport, profile: &Profile, plan: &Plan) {
    let requests = if plan.count == 1 { "1 request".to_string() } else { format!("{} requests", plan.count) };
    outln!("{}: {}, probing {} ({requests})", profile.id, profile.name, report.url);
    for exchange in &report.exchanges {
        outln!("request {}: {}", exchange.number, summary(exchange, &report.response_key));
        for f in &exchange.findings {
            print_finding(f);
        }
    }
    if !report.findings.is_empty() {
        outln!("all requests:");
        for f in &report.findings {
            print_finding(f);
        }
    }
    outln!("result: {}", report.verdict(profile));
}

/// "HTTP 200, application/json, 'jwt': eyJhbGciOiJIUzI1NiIs... (151 chars), verified with ..."
fn summary(exchange: &Exchange, expected: &str) -> String {
    let Some(status) = exchange.status else { return "no answer".to_string() };
    let mut parts = vec![format!("HTTP {status}")];
    parts.extend(exchange.content_type.clone());
    match (&exchange.key, &exchange.token_shown) {
        (Some(key), Some(token)) => parts.push(format!("'{key}': {token}")),
        _ => parts.push(format!("no token under '{expected}'")),
    }
    if let Some(key) = &exchange.verified_with {
        parts.push(format!("verifies with {key}"));
    }
    tokensmith::text::inline(&parts.join(", ")).into_owned()
}

fn print_finding(f: &Finding) {
    let subject = f.subject.as_ref().map(|s| format!("{s}: ")).unwrap_or_default();
    outln!("  {:<8} {:<24} {subject}{}", f.severity.to_string(), f.code, f.found);
    outln!("  {:<8} {:<24} → {}", "", "", f.fix);
    if let Some(source) = &f.source {
        let phrase =
            if source.kind == SourceKind::Standard { source.title.clone() } else { source_phrase(source) };
        let url = source.url.as_ref().map(|u| format!(" <{u}>")).unwrap_or_default();
        outln!("  {:<8} {:<24} source [{}]: {phrase}{url}", "", "", source.id);
    }
}
