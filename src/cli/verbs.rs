//! One function per verb. Each returns the exit code, or an error for main to print.

use serde_json::{Map, Value, json};

use tokensmith::claims::{ClaimAssignment, ClaimInput};
use tokensmith::paths::Paths;
use tokensmith::profile::{Profile, ProfileSet, ProfileSource};
use tokensmith::sign::SignRequest;
use tokensmith::time::{human_duration, parse_duration};
use tokensmith::token::{self, Alg};

use super::input::{Io, parse_time};
use super::output::{pretty, print_json, time_lines, times};
use super::{CliError, DecodeArgs, DoctorArgs, SignArgs, SnippetArgs};

/// Loads only what one profile id needs (startup time matters for scripted signing).
pub(super) fn load_profile(paths: &Paths, id: &str) -> ProfileSet {
    super::user_profiles::report_daily(paths, ProfileSet::load_for(Some(&paths.profiles()), id))
}

pub fn profiles(paths: &Paths, json: bool) -> Result<u8, CliError> {
    // The list is where the folder's problems are always shown.
    let set = super::user_profiles::report_always(ProfileSet::load(Some(&paths.profiles())));
    if json {
        print_json(&set.profiles)?;
        return Ok(0);
    }
    // Columns as wide as their widest cell, so every row lines up.
    let rows: Vec<[String; 4]> = set
        .profiles
        .iter()
        .map(|p| {
            let algs = match p.algorithms.as_slice() {
                [one] => one.to_string(),
                [first, rest @ ..] => format!("{first} (+{} more)", rest.len()),
                [] => match p.scheme {
                    tokensmith::profile::Scheme::IdentityHash => "identity hash".to_string(),
                    tokensmith::profile::Scheme::VendorIssued => "vendor-issued".to_string(),
                    tokensmith::profile::Scheme::Jwt => "-".to_string(),
                },
            };
            let user = if matches!(p.source, ProfileSource::User(_)) { " (yours)" } else { "" };
            [p.id.clone(), algs, p.key_kind.key_pair_name().to_string(), format!("{}{user}", p.name)]
        })
        .collect();
    let header = ["ID", "ALGORITHMS", "KEY", "NAME"].map(str::to_string);
    let widths: Vec<usize> = (0..3)
        .map(|i| rows.iter().chain([&header]).map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in std::iter::once(&header).chain(rows.iter()) {
        out.push_str(&format!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {}\n",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        ));
    }
    out!("{out}");
    Ok(0)
}

/// The profile's time rules in words, each with its source: `exp required [docs]`.
fn time_rule_words(p: &tokensmith::profile::Profile) -> Vec<String> {
    let t = &p.time;
    let src = |id: &Option<String>| format!("[{}]", p.source(id.as_deref()).id);
    let mut rules = Vec::new();
    if t.exp_required.value {
        rules.push(format!("exp required {}", src(&t.exp_required.source)));
    }
    if t.iat_required.value {
        rules.push(format!("iat required {}", src(&t.iat_required.source)));
    }
    if let Some(max) = &t.max_lifetime {
        rules.push(format!("exp - iat at most {} {}", human_duration(max.value.0), src(&max.source)));
    }
    if let Some(age) = &t.max_age {
        rules.push(format!("refused {} after iat {}", human_duration(age.value.0), src(&age.source)));
    }
    if let Some(rec) = &t.recommended_lifetime {
        rules.push(format!("recommended lifetime {} {}", human_duration(rec.value.0), src(&rec.source)));
    }
    if let Some(skew) = &t.iat_skew {
        rules.push(format!(
            "iat may be {} in the future {}",
            human_duration(skew.value.0),
            src(&skew.source)
        ));
    }
    if t.integer.value {
        rules.push(format!("whole seconds {}", src(&t.integer.source)));
    }
    rules
}

pub fn profile_show(paths: &Paths, id: &str, json: bool) -> Result<u8, CliError> {
    let set = load_profile(paths, id);
    let p = set.get(id)?;
    if json {
        print_json(p)?;
        return Ok(0);
    }
    // "id: name": a name may end in brackets of its own ("Orlo live chat widget (RSA)").
    outln!("{}: {}", p.id, p.name);
    if let Some(docs) = &p.docs {
        outln!("docs:        {docs}{}", p.docs_url.as_ref().map(|u| format!(" <{u}>")).unwrap_or_default());
    }
    if let ProfileSource::User(path) = &p.source {
        outln!("file:        {}", path.display());
    }
    for line in super::schemes::show_lines(p) {
        outln!("{line}");
    }
    let algs: Vec<&str> = p.algorithms.iter().map(|a| a.name()).collect();
    outln!(
        "algorithms:  {}",
        if algs.is_empty() { "none (not a JWT you sign)".to_string() } else { algs.join(", ") }
    );
    match p.key_kind {
        _ if p.scheme == tokensmith::profile::Scheme::VendorIssued => {
            outln!("key:         held by the vendor (tokensmith cannot verify these tokens)")
        }
        tokensmith::token::Family::Hmac => outln!(
            "key:         HMAC secret ({} secret text)",
            match p.secret_encoding {
                tokensmith::profile::SecretEncoding::Utf8 => "UTF-8",
                tokensmith::profile::SecretEncoding::Base64 => "base64",
            }
        ),
        family => outln!("key:         {} (you sign with the private key)", family.key_pair_name()),
    }
    let mut header = Vec::new();
    if let Some(typ) = &p.header.typ {
        header.push(format!("typ {typ}"));
    }
    for required in &p.header.required {
        header.push(format!("{required} required"));
    }
    if let Some(param) = &p.header.kid_param {
        header.push(format!("kid from --kid, the stored key's kid, else the parameter {param}"));
    }
    outln!("header:      {}", if header.is_empty() { "-".to_string() } else { header.join(", ") });
    let src = |id: &Option<String>| format!("[{}]", p.source(id.as_deref()).id);
    let rules = time_rule_words(p);
    outln!("time:        {}", if rules.is_empty() { "no rules".to_string() } else { rules.join("; ") });
    outln!(
        "claims:      {}",
        if p.extra_claims {
            "declared below, plus any extra claims"
        } else {
            "declared below only (and registered claims)"
        }
    );
    show_claims(p);
    if let Some(prefix) = &p.snippet.token_prefix {
        outln!("token prefix: {prefix:?} before the token in the page");
    }
    if !p.params.is_empty() {
        outln!("parameters (--param NAME=VALUE):");
        for param in &p.params {
            outln!("  {} = {:?}  {}", param.name, param.default, param.description);
        }
    }
    if let Some(server) = &p.server {
        outln!(
            "server code: serves GET {} answering {{ \"{}\": token }} {}",
            server.route,
            server.response_key,
            src(&server.source)
        );
    }
    show_sources(p);
    Ok(0)
}

/// `profile show`'s claims: path, type, source, description, default and constraints.
fn show_claims(p: &tokensmith::profile::Profile) {
    let src = |id: &Option<String>| format!("[{}]", p.source(id.as_deref()).id);
    let width = p.claims.iter().map(|c| c.path.to_string().len()).max().unwrap_or(4);
    for c in &p.claims {
        let default = c.default.as_ref().map(|d| format!(" = {d}")).unwrap_or_default();
        let mut extra = Vec::new();
        if let Some(pattern) = &c.pattern {
            let source = pattern.source.as_ref().map(|s| format!(" [{s}]")).unwrap_or_default();
            extra.push(format!("form {}{source}", pattern.value));
        }
        if let Some(charset) = c.charset {
            extra.push(format!("only {charset}"));
        }
        if let Some(max) = c.max_length {
            extra.push(format!("at most {max} characters"));
        }
        if let Some(user) = c.user {
            extra.push(format!("server code: user.{}", user.key()));
        }
        let extra = if extra.is_empty() { String::new() } else { format!(" ({})", extra.join("; ")) };
        outln!(
            "  {}{:<width$}  {:<9}  {} {}{default}{extra}",
            if c.required { "*" } else { " " },
            c.path.to_string(),
            c.ty.to_string(),
            src(&c.source),
            c.description
        );
    }
    for group in &p.any_of {
        let names: Vec<String> = group.claims.iter().map(ToString::to_string).collect();
        outln!("  at least one of {} {}", names.join(", "), src(&group.source));
    }
    if !p.claims.is_empty() {
        outln!("  (* required; [source] names where the rule comes from)");
    }
}

/// `profile show`'s sources and notes.
fn show_sources(p: &tokensmith::profile::Profile) {
    outln!("sources:");
    let mut ids: Vec<&str> = p.sources.iter().map(|s| s.id.as_str()).collect();
    if ids.is_empty() {
        ids.push(p.default_source.as_str());
    }
    ids.extend([tokensmith::time_rules::STANDARD, tokensmith::time_rules::OURS]);
    for id in ids {
        let source = p.source(Some(id));
        outln!(
            "  [{}] {}: {}{}{}",
            source.id,
            source.kind,
            source.title,
            source.url.as_ref().map(|u| format!(" <{u}>")).unwrap_or_default(),
            if source.enforced {
                " (enforced: breaking it is an error)"
            } else {
                " (not enforced: a warning)"
            }
        );
    }
    if !p.notes.is_empty() {
        outln!("notes:");
        for note in &p.notes {
            outln!("  - {note}");
        }
    }
}

fn parse_headers(args: &[String]) -> Result<Vec<(String, Value)>, CliError> {
    args.iter()
        .map(|arg| {
            let a: ClaimAssignment = arg.parse().map_err(|e: tokensmith::claims::ClaimError| {
                CliError::usage(e.to_string().replace("--claim", "--header"))
            })?;
            let value = match a.input {
                ClaimInput::Text(text) => Value::String(text),
                ClaimInput::Json(v) => v,
            };
            Ok((a.path.to_string(), value))
        })
        .collect()
}

/// `NAME=VALUE` arguments of `--param`.
pub(super) fn parse_params(args: &[String]) -> Result<Vec<(String, String)>, CliError> {
    args.iter()
        .map(|arg| {
            arg.split_once('=')
                .map(|(n, v)| (n.trim().to_string(), v.to_string()))
                .ok_or_else(|| CliError::usage(format!("--param '{arg}' has no '=': write NAME=VALUE")))
        })
        .collect()
}

fn claim_assignments(claims: &[String]) -> Result<Vec<ClaimAssignment>, CliError> {
    Ok(claims.iter().map(|c| c.parse()).collect::<Result<_, _>>()?)
}

/// One stderr line per rule the token breaks.
fn report_broken(profile: &Profile, broken: &[tokensmith::doctor::Finding]) {
    for f in broken {
        let source = f.source.as_ref().map(|s| format!(" [{}]", s.id)).unwrap_or_default();
        errln!(
            "rule: {} {}{source}: {} ({}: {})",
            f.severity,
            f.code,
            f.found,
            if f.severity == tokensmith::doctor::Severity::Error {
                format!("{} would refuse it", profile.name)
            } else {
                "fix".to_string()
            },
            f.fix
        );
    }
}

pub fn sign(paths: &Paths, args: &SignArgs, io: &mut Io) -> Result<u8, CliError> {
    let set = load_profile(paths, &args.profile);
    let profile = set.get(&args.profile)?;
    if let Some(refusal) = super::schemes::not_signable(profile, "sign") {
        return Err(refusal);
    }
    let now = match &args.at {
        Some(at) => parse_time(at)?,
        None => io.now,
    };
    let requested =
        args.alg.as_deref().map(Alg::parse_loose).transpose().map_err(|e| CliError::usage(e.to_string()))?;
    let given_params = parse_params(&args.params)?;
    profile.resolve_params(&given_params)?;
    let ttl = args
        .ttl
        .as_deref()
        .map(parse_duration)
        .transpose()
        .map_err(|e| CliError::usage(format!("--ttl: {e}")))?;
    let Some(loaded) = io.key(&args.key, args.encoding.secret_base64, Some(profile))? else {
        return Err(CliError::usage(format!(
            "no key given: profile '{}' needs {} ({}); pass --key NAME (a stored key), --secret-env VAR, --secret-file PATH, --secret-stdin or --key-file PEM, or store one for the profile with `tokensmith keys add NAME --profile ID`",
            profile.id,
            profile.key_kind.key_pair_name(),
            profile.algorithms.iter().map(|a| a.name()).collect::<Vec<_>>().join(", ")
        )));
    };
    let origin = loaded.origin.clone();
    let (claims, headers, from_kid) = super::resign::inputs(
        args,
        io,
        profile,
        now,
        claim_assignments(&args.claims)?,
        parse_headers(&args.headers)?,
    )?;
    let request = SignRequest {
        profile,
        key: &loaded.material,
        claims,
        params: &given_params,
        ttl,
        alg: requested,
        kid: args.kid.clone().or(from_kid).or_else(|| loaded.kid.clone()),
        headers,
        now,
    };
    let mut uuid = tokensmith::claims::random_uuid;
    let signed = tokensmith::sign::sign(request, &mut uuid).map_err(|e| match e {
        tokensmith::sign::SignError::PublicKey => CliError::usage(format!(
            "{origin} is a public key, which can only verify: signing needs the private key"
        )),
        other => CliError::from(other),
    })?;
    report_broken(profile, &signed.broken);
    if args.strict && !signed.broken.is_empty() {
        let count = signed.broken.len();
        return Err(CliError::usage(format!(
            "--strict: the token breaks {count} rule{} (listed above), so none was printed",
            if count == 1 { "" } else { "s" }
        )));
    }
    io.touch(&loaded);
    let alg = signed.alg;
    if args.json {
        print_json(&json!({
            "token": signed.token,
            "profile": profile.id,
            "alg": alg.name(),
            "header": signed.header,
            "payload": signed.payload,
            "broken_rules": signed.broken,
        }))?;
    } else {
        outln!("{}", signed.token);
    }
    errln!("signed with {alg}, {origin}");
    Ok(0)
}

pub fn snippet(paths: &Paths, args: &SnippetArgs, io: &mut Io) -> Result<u8, CliError> {
    use tokensmith::snippet::{FlavorKind, SnippetInput, flavors, render};
    let set = load_profile(paths, &args.profile);
    let profile = set.get(&args.profile)?;
    let available = flavors(profile);
    if args.list || args.flavor.is_none() {
        if args.json {
            print_json(&available)?;
        } else {
            let width = available.iter().map(|f| f.name.len()).max().unwrap_or(4);
            for f in &available {
                outln!("{:<width$}  {:<6}  {}", f.name, f.kind.to_string(), f.description);
            }
            if args.flavor.is_none() && !args.list {
                errln!("choose one with --flavor NAME");
            }
        }
        return Ok(0);
    }
    let flavor = args.flavor.as_deref().unwrap_or_default();
    let Some(kind) = available.iter().find(|f| f.name == flavor).map(|f| f.kind) else {
        return Err(CliError::usage(
            tokensmith::snippet::SnippetError::UnknownFlavor {
                flavor: flavor.to_string(),
                profile: profile.id.clone(),
                known: available.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", "),
            }
            .to_string(),
        ));
    };
    let given_params = parse_params(&args.params)?;
    let params = profile.resolve_params(&given_params)?;
    let other_scheme = super::schemes::snippet_input(profile, args, io, kind == FlavorKind::Server, &params)?;
    // The token: as given, or signed now with the key given or stored for the profile.
    let (token, payload) = match args.token.as_deref() {
        _ if other_scheme.is_some() => other_scheme.unwrap_or_default(),
        Some(text) => {
            let decoded = token::decode(&io.token(Some(text))?)?;
            (decoded.token.clone(), decoded.payload)
        }
        None => match io.key(&args.key, args.encoding.secret_base64, Some(profile))? {
            Some(loaded) => {
                let request = SignRequest {
                    profile,
                    key: &loaded.material,
                    claims: claim_assignments(&args.claims)?,
                    params: &given_params,
                    ttl: None,
                    alg: None,
                    kid: loaded.kid.clone(),
                    headers: Vec::new(),
                    now: io.now,
                };
                let signed = tokensmith::sign::sign(request, &mut tokensmith::claims::random_uuid)?;
                report_broken(profile, &signed.broken);
                io.touch(&loaded);
                (signed.token, signed.payload)
            }
            None if kind == FlavorKind::Server => {
                // Server code needs no token, only the claims it will issue.
                let claims = claim_assignments(&args.claims)?;
                let mut uuid = tokensmith::claims::random_uuid;
                (
                    String::new(),
                    tokensmith::sign::build_payload(profile, &claims, &params, io.now, &mut uuid)?,
                )
            }
            None => {
                return Err(CliError::usage(format!(
                    "the '{flavor}' snippet needs a token: pass TOKEN, or a key to sign one (--key NAME, --secret-env VAR, --key-file PEM)"
                )));
            }
        },
    };
    let input = SnippetInput { profile, token: &token, payload: &payload, params: &params };
    let text = render(&input, flavor).map_err(|e| CliError::usage(e.to_string()))?;
    // An example value left in the code would point the customer at someone else's account.
    for param in
        profile.params.iter().filter(|p| p.placeholder && !given_params.iter().any(|(n, _)| *n == p.name))
    {
        if text.contains(&param.default) {
            errln!(
                "note: {} is still the example value '{}' ({}): pass --param {}=VALUE",
                param.name,
                param.default,
                param.description,
                param.name
            );
        }
    }
    out!("{text}");
    if !text.ends_with('\n') {
        outln!();
    }
    Ok(0)
}

pub(super) fn report_cleanup(cleaned: &[token::Cleanup]) {
    if !cleaned.is_empty() {
        let what: Vec<String> = cleaned.iter().map(ToString::to_string).collect();
        errln!("note: removed {} before decoding", what.join(", "));
    }
}

pub fn decode(args: &DecodeArgs, io: &mut Io) -> Result<u8, CliError> {
    let now = match &args.at {
        Some(at) => parse_time(at)?,
        None => io.now,
    };
    let text = io.token(args.token.as_deref())?;
    let decoded = token::decode(&text)?;
    report_cleanup(&decoded.cleaned);
    for note in &decoded.lone_surrogates {
        errln!("note: {note}");
    }
    if !decoded.duplicates.is_empty() {
        errln!(
            "note: {} given twice (json.duplicate-member): shown is the last copy, but parsers disagree on which one counts",
            decoded.duplicates.join(", ")
        );
    }
    let alg = decoded.alg().map(str::to_string);
    let supported = alg.as_deref().and_then(|a| a.parse::<Alg>().ok());
    if args.json {
        let times: Map<String, Value> = times(&decoded.payload, now).into_iter().collect();
        print_json(&json!({
            "token": decoded.token,
            "cleaned": decoded.cleaned,
            "header": decoded.header,
            "payload": decoded.payload,
            "signature": {
                "base64url": decoded.signature_b64(),
                "bytes": decoded.signature.len(),
                "alg": alg,
                "alg_supported": supported.is_some(),
            },
            "times": times,
            "now": now,
        }))?;
        return Ok(0);
    }
    outln!("Header\n{}\n", pretty(&decoded.header));
    outln!("Payload\n{}\n", pretty(&decoded.payload));
    let lines = time_lines(&decoded.payload, now);
    if !lines.is_empty() {
        outln!("Times (now {})", tokensmith::time::utc(now).unwrap_or_default());
        for line in lines {
            outln!("{line}");
        }
        outln!();
    }
    outln!("Signature");
    match (alg.as_deref(), supported) {
        (Some(a), _) if a.eq_ignore_ascii_case("none") => {
            outln!("  alg '{a}': unsecured token, no signature ({} bytes present)", decoded.signature.len());
        }
        (Some(_), Some(alg)) => {
            outln!("  {alg}, {} bytes: {}", decoded.signature.len(), decoded.signature_b64())
        }
        (Some(a), None) => outln!(
            "  alg '{a}' (tokensmith cannot verify it), {} bytes: {}",
            decoded.signature.len(),
            decoded.signature_b64()
        ),
        (None, _) => outln!(
            "  {}\n  {} bytes: {}",
            alg_problem(&decoded.header),
            decoded.signature.len(),
            decoded.signature_b64()
        ),
    }
    outln!("  not verified: use `tokensmith verify` with the key");
    Ok(0)
}

/// Why the header has no usable alg: absent, or present but not a string.
pub(super) fn alg_problem(header: &Map<String, Value>) -> String {
    match header.get("alg") {
        None => "the header has no alg".to_string(),
        Some(value) => format!(
            "the header's alg is {value}, {}: it must be a string such as \"HS256\"",
            match value {
                Value::Number(_) => "a number",
                Value::Bool(_) => "a boolean",
                Value::Null => "null",
                Value::Array(_) => "an array",
                Value::Object(_) => "an object",
                Value::String(_) => "text",
            }
        ),
    }
}

pub fn paths(paths: &Paths, json: bool) -> Result<u8, CliError> {
    if json {
        print_json(&json!({ "config": paths.config, "data": paths.data, "profiles": paths.profiles() }))?;
    } else {
        outln!("config:   {}", paths.config.display());
        outln!("data:     {}", paths.data.display());
        outln!("profiles: {}", paths.profiles().display());
    }
    Ok(0)
}

pub fn doctor(paths: &Paths, args: &DoctorArgs, io: &mut Io) -> Result<u8, CliError> {
    use tokensmith::doctor::{Severity, diagnose};
    let at = match &args.at {
        Some(at) => parse_time(at)?,
        None => io.now,
    };
    if let Some(hash) = &args.hash {
        if !args.expect.expectations().is_empty() {
            return Err(CliError::usage(
                "--iss, --aud, --sub and --require judge a token's claims; with --hash there is no token: leave them out",
            ));
        }
        return super::schemes::doctor_hash(paths, args, io, hash);
    }
    let set = load_profile(paths, &args.profile);
    let profile = set.get(&args.profile)?;
    match profile.scheme {
        tokensmith::profile::Scheme::IdentityHash => {
            return Err(CliError::usage(format!(
                "profile '{}' uses an identity hash: give the hash and the identifier, tokensmith doctor --profile {} --hash HASH IDENTIFIER",
                profile.id, profile.id
            )));
        }
        tokensmith::profile::Scheme::VendorIssued => {
            return super::schemes::doctor_issued(profile, args, io, at);
        }
        tokensmith::profile::Scheme::Jwt => {}
    }
    let with_set = super::keyset::asked(&args.keyset, Some(&args.key))?;
    let text = io.token(args.token.as_deref())?;
    let decoded = tokensmith::token::decode(&text).ok();
    // A bare EC point takes its curve from the token's alg.
    io.key_alg = decoded.as_ref().and_then(|d| d.alg()).and_then(|alg| alg.parse().ok());
    let keyset = match decoded.as_ref().filter(|_| with_set) {
        Some(decoded) => super::keyset::load(io, &args.keyset, Some(&args.key), decoded)?,
        None => None,
    };
    let candidates = if keyset.is_some() {
        // The keyset's keys are the candidates (below).
        Vec::new()
    } else {
        doctor_candidates(&args.key, args.encoding.secret_base64, io, &profile.id)?
    };
    let given_params = parse_params(&args.params)?;
    profile.resolve_params(&given_params)?;
    let report = match &keyset {
        Some(loaded) => tokensmith::doctor::diagnose_with_keyset(
            &text,
            profile,
            &loaded.set,
            &loaded.from,
            &given_params,
            at,
        ),
        None => diagnose(&text, profile, &candidates, &given_params, at),
    }
    .expecting(&text, &args.expect.expectations());
    let code = if report.passes() { 0 } else { 1 };
    if args.json || args.format == super::DoctorFormat::Json {
        print_json(&report)?;
        return Ok(code);
    }
    if args.format == super::DoctorFormat::Markdown {
        out!("{}", super::report::markdown(&report, profile, &text, args.at.is_some()));
        return Ok(code);
    }
    let when = tokensmith::time::utc(at).unwrap_or_default();
    let now_note = if args.at.is_some() { " (--at)" } else { " (now)" };
    outln!("{}: {}, judged at {when}{now_note}", profile.id, profile.name);
    for f in &report.findings {
        let subject = f.subject.as_ref().map(|s| format!("{s}: ")).unwrap_or_default();
        outln!("{:<8} {:<26} {subject}{}", f.severity.to_string(), f.code, f.found);
        outln!("{:<8} {:<26} → {}", "", "", f.fix);
        if let Some(source) =
            f.source.as_ref().filter(|s| s.kind != tokensmith::profile::SourceKind::Standard)
        {
            outln!(
                "{:<8} {:<26} source [{}]: {}",
                "",
                "",
                source.id,
                tokensmith::doctor::source_phrase(source)
            );
        }
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    if errors > 0 {
        outln!("result: {errors} error(s), {warnings} warning(s): {} would refuse this token", profile.name);
    } else {
        outln!("result: no errors, {warnings} warning(s): {} should accept this token", profile.name);
    }
    Ok(code)
}

/// The keys the doctor tries without a keyset: the one given, else the stored ones: those
/// stored for this profile are the vendor's, those stored for no profile may be, those stored
/// for another profile are another vendor's and are not tried.
pub(super) fn doctor_candidates(
    key: &super::KeySource,
    secret_base64: bool,
    io: &mut Io,
    profile: &str,
) -> Result<Vec<tokensmith::doctor::Candidate>, CliError> {
    if key.given() {
        let Some(loaded) = io.key(key, secret_base64, None)? else {
            return Ok(Vec::new());
        };
        let text = match (&loaded.material, secret_base64) {
            (tokensmith::token::KeyMaterial::Hmac(secret), false) => Some(secret.clone()),
            _ => None,
        };
        let name = loaded.origin.clone();
        return Ok(vec![tokensmith::doctor::Candidate { name, key: loaded.material, text, explicit: true }]);
    }
    if io.store.state()? == tokensmith::store::StoreState::Missing {
        return Ok(Vec::new());
    }
    // A damaged store is an error here as in sign and verify, not "no key stored".
    let pass = io.passphrase()?;
    let store = io.store.open(pass.as_ref())?;
    Ok(tokensmith::doctor::stored_candidates(&store.entries, profile))
}

pub fn history(paths: &Paths, json: bool, now: i64) -> Result<u8, CliError> {
    let mut entries = tokensmith::history::load(&paths.data)?;
    entries.reverse();
    if json {
        print_json(&entries)?;
        return Ok(0);
    }
    if entries.is_empty() {
        errln!(
            "no history yet: tokens copied in the workbench (c) or pasted into its doctor (t) appear here"
        );
        return Ok(0);
    }
    for entry in &entries {
        outln!(
            "{}  {:<7} {:<14} {}",
            tokensmith::time::relative(entry.at, now),
            entry.origin_word(),
            entry.profile,
            entry.who()
        );
    }
    Ok(0)
}
