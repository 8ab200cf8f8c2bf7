//! One function per verb. Each returns the exit code, or an error for main to print.

use serde_json::{Map, Value, json};

use tokensmith::claims::{BuildContext, ClaimAssignment, ClaimInput, ClaimSchema, build_payload};
use tokensmith::paths::Paths;
use tokensmith::profile::{Profile, ProfileSet, ProfileSource};
use tokensmith::time::{human_duration, parse_duration};
use tokensmith::token::{self, Alg, VerifyOptions, allowed_algs, choose_alg};

use super::input::{Io, parse_time};
use super::output::{pretty, print_json, time_lines, times};
use super::{CliError, DecodeArgs, DoctorArgs, SignArgs, SnippetArgs, VerifyArgs};

fn load_profiles(paths: &Paths) -> ProfileSet {
    report(ProfileSet::load(Some(&paths.profiles())))
}

/// Loads only what one profile id needs (startup time matters for scripted signing).
fn load_profile(paths: &Paths, id: &str) -> ProfileSet {
    report(ProfileSet::load_for(Some(&paths.profiles()), id))
}

fn report(set: ProfileSet) -> ProfileSet {
    for err in &set.errors {
        eprintln!("warning: skipped profile file {err}");
    }
    set
}

pub fn profiles(paths: &Paths, json: bool) -> Result<u8, CliError> {
    let set = load_profiles(paths);
    if json {
        print_json(&set.profiles)?;
        return Ok(0);
    }
    let width = set.profiles.iter().map(|p| p.id.len()).max().unwrap_or(2).max(2);
    println!("{:<width$}  {:<14}  {:<18}  NAME", "ID", "ALGORITHMS", "KEY");
    for p in &set.profiles {
        let algs = match p.algorithms.as_slice() {
            [one] => one.to_string(),
            [first, rest @ ..] => format!("{first} (+{} more)", rest.len()),
            [] => "-".to_string(),
        };
        let user = if matches!(p.source, ProfileSource::User(_)) { "  (yours)" } else { "" };
        println!("{:<width$}  {:<14}  {:<18}  {}{user}", p.id, algs, p.key_kind.to_string(), p.name);
    }
    Ok(0)
}

pub fn profile_show(paths: &Paths, id: &str, json: bool) -> Result<u8, CliError> {
    let set = load_profile(paths, id);
    let p = set.get(id)?;
    if json {
        print_json(p)?;
        return Ok(0);
    }
    println!("{} ({})", p.name, p.id);
    if let Some(docs) = &p.docs {
        println!("docs:        {docs}{}", p.docs_url.as_ref().map(|u| format!(" <{u}>")).unwrap_or_default());
    }
    if let ProfileSource::User(path) = &p.source {
        println!("file:        {}", path.display());
    }
    let algs: Vec<&str> = p.algorithms.iter().map(|a| a.name()).collect();
    println!("algorithms:  {}", algs.join(", "));
    println!(
        "key:         {} ({} secret text)",
        p.key_kind,
        match p.secret_encoding {
            tokensmith::profile::SecretEncoding::Utf8 => "UTF-8",
            tokensmith::profile::SecretEncoding::Base64 => "base64",
        }
    );
    let mut header = Vec::new();
    if let Some(typ) = &p.header.typ {
        header.push(format!("typ {typ}"));
    }
    for required in &p.header.required {
        header.push(format!("{required} required"));
    }
    println!("header:      {}", if header.is_empty() { "-".to_string() } else { header.join(", ") });
    let t = &p.time;
    let mut rules = Vec::new();
    if t.exp_required {
        rules.push("exp required".to_string());
    }
    if t.iat_required {
        rules.push("iat required".to_string());
    }
    if let Some(max) = t.max_lifetime {
        rules.push(format!("exp - iat at most {} ({max}s)", human_duration(max)));
    }
    if let Some(rec) = t.recommended_lifetime {
        rules.push(format!("recommended lifetime {}", human_duration(rec)));
    }
    if let Some(skew) = t.iat_skew {
        rules.push(format!("iat may be {} in the future", human_duration(skew)));
    }
    println!("time:        {}", if rules.is_empty() { "no rules".to_string() } else { rules.join("; ") });
    println!(
        "claims:      {}",
        if p.extra_claims {
            "declared below, plus any extra claims"
        } else {
            "declared below only (and registered claims)"
        }
    );
    let width = p.claims.iter().map(|c| c.path.to_string().len()).max().unwrap_or(4);
    for c in &p.claims {
        let default = c.default.as_ref().map(|d| format!(" = {d}")).unwrap_or_default();
        println!(
            "  {}{:<width$}  {:<9}  {}{default}",
            if c.required { "*" } else { " " },
            c.path.to_string(),
            c.ty.to_string(),
            c.description
        );
    }
    if !p.claims.is_empty() {
        println!("  (* required)");
    }
    if let Some(prefix) = &p.snippet.token_prefix {
        println!("token prefix: {prefix:?} before the token in the page");
    }
    if !p.snippet.params.is_empty() {
        println!("snippet parameters:");
        for param in &p.snippet.params {
            println!("  {} = {:?}  {}", param.name, param.default, param.description);
        }
    }
    if !p.notes.is_empty() {
        println!("notes:");
        for note in &p.notes {
            println!("  - {note}");
        }
    }
    Ok(0)
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

pub fn sign(paths: &Paths, args: &SignArgs, io: &mut Io) -> Result<u8, CliError> {
    let set = load_profile(paths, &args.profile);
    let profile = set.get(&args.profile)?;
    let now = match &args.at {
        Some(at) => parse_time(at)?,
        None => io.now,
    };
    let requested =
        args.alg.as_deref().map(Alg::parse_loose).transpose().map_err(|e| CliError::usage(e.to_string()))?;
    let Some(loaded) = io.key(&args.key, args.encoding.secret_base64, Some(profile))? else {
        return Err(CliError::usage(format!(
            "no key given: profile '{}' needs {} ({}); pass --key NAME (a stored key), --secret-env VAR, --secret-file PATH, --secret-stdin or --key-file PEM, or store one for the profile with `tokensmith keys add NAME --profile ID`",
            profile.id,
            profile.key_kind,
            profile.algorithms.iter().map(|a| a.name()).collect::<Vec<_>>().join(", ")
        )));
    };
    let (key, origin) = (&loaded.material, &loaded.origin);
    if !key.can_sign() {
        return Err(CliError::usage(format!(
            "{origin} is a public key, which can only verify: signing needs the private key"
        )));
    }
    let allowed = allowed_algs(Some((&profile.id, &profile.algorithms)), key)?;
    let alg = choose_alg(&allowed, requested)?;
    let payload = payload_for(profile, &args.claims, args.ttl.as_deref(), now)?;
    let header = build_header(profile, alg, args, loaded.kid.as_deref())?;
    let token = token::sign(&header, &payload, key, alg)?;
    io.touch(&loaded);
    if args.json {
        let mut header = header;
        header.insert("alg".into(), json!(alg.name()));
        print_json(
            &json!({ "token": token, "profile": profile.id, "alg": alg.name(), "header": header, "payload": payload }),
        )?;
    } else {
        println!("{token}");
    }
    eprintln!("signed with {alg}, {origin}");
    Ok(0)
}

/// The payload for a profile: defaults, `--claim` values and `--ttl`.
fn payload_for(
    profile: &Profile,
    claims: &[String],
    ttl: Option<&str>,
    now: i64,
) -> Result<Map<String, Value>, CliError> {
    let mut assignments: Vec<ClaimAssignment> = claims.iter().map(|c| c.parse()).collect::<Result<_, _>>()?;
    if let Some(ttl) = ttl {
        let secs = parse_duration(ttl).map_err(|e| CliError::usage(format!("--ttl: {e}")))?;
        if assignments.iter().any(|a| a.path.to_string() == "exp") {
            return Err(CliError::usage("give either --ttl or --claim exp=..., not both"));
        }
        assignments.push(ClaimAssignment {
            path: "exp".parse().map_err(CliError::usage)?,
            input: ClaimInput::Json(json!(now + secs as i64)),
        });
    }
    let mut uuid = || uuid::Uuid::new_v4().to_string();
    let mut ctx = BuildContext { now, uuid: &mut uuid };
    let schema =
        ClaimSchema { profile: &profile.id, fields: &profile.claims, allow_extra: profile.extra_claims };
    Ok(build_payload(&schema, &assignments, &mut ctx)?)
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
                println!("{:<width$}  {:<6}  {}", f.name, f.kind.to_string(), f.description);
            }
            if args.flavor.is_none() && !args.list {
                eprintln!("choose one with --flavor NAME");
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
    let mut params: Vec<(String, String)> =
        profile.snippet.params.iter().map(|p| (p.name.clone(), p.default.clone())).collect();
    for arg in &args.params {
        let (name, value) = arg
            .split_once('=')
            .ok_or_else(|| CliError::usage(format!("--param '{arg}' has no '=': write NAME=VALUE")))?;
        match params.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value.to_string(),
            None => {
                let known: Vec<&str> = profile.snippet.params.iter().map(|p| p.name.as_str()).collect();
                return Err(CliError::usage(format!(
                    "profile '{}' has no snippet parameter '{name}'{}",
                    profile.id,
                    if known.is_empty() {
                        String::new()
                    } else {
                        format!(": its parameters are {}", known.join(", "))
                    }
                )));
            }
        }
    }
    // The token: as given, or signed now with the key given or stored for the profile.
    let (token, payload) = match args.token.as_deref() {
        Some(text) => {
            let decoded = token::decode(&io.token(Some(text))?)?;
            (decoded.token.clone(), decoded.payload)
        }
        None => {
            let payload = payload_for(profile, &args.claims, None, io.now)?;
            match io.key(&args.key, false, Some(profile))? {
                Some(loaded) => {
                    let allowed = allowed_algs(Some((&profile.id, &profile.algorithms)), &loaded.material)?;
                    let alg = choose_alg(&allowed, None)?;
                    let header = token::header(alg, profile.header.typ.as_deref(), loaded.kid.as_deref());
                    (token::sign(&header, &payload, &loaded.material, alg)?, payload)
                }
                None if kind == FlavorKind::Server => (String::new(), payload),
                None => {
                    return Err(CliError::usage(format!(
                        "the '{flavor}' snippet needs a token: pass TOKEN, or a key to sign one (--key NAME, --secret-env VAR, --key-file PEM)"
                    )));
                }
            }
        }
    };
    let input = SnippetInput { profile, token: &token, payload: &payload, params: &params };
    let text = render(&input, flavor).map_err(|e| CliError::usage(e.to_string()))?;
    print!("{text}");
    if !text.ends_with('\n') {
        println!();
    }
    Ok(0)
}

fn build_header(
    profile: &Profile,
    alg: Alg,
    args: &SignArgs,
    stored_kid: Option<&str>,
) -> Result<Map<String, Value>, CliError> {
    let kid = args.kid.as_deref().or(stored_kid);
    let mut header = token::header(alg, profile.header.typ.as_deref(), kid);
    for (name, value) in parse_headers(&args.headers)? {
        if name == "alg" {
            return Err(CliError::usage("--header cannot set alg: use --alg"));
        }
        header.insert(name, value);
    }
    for required in &profile.header.required {
        if !header.contains_key(required) {
            let hint = if required == "kid" {
                "--kid KID".to_string()
            } else {
                format!("--header {required}=VALUE")
            };
            return Err(CliError::usage(format!(
                "profile '{}' requires the header field '{required}'{}: pass {hint}",
                profile.id,
                profile
                    .header
                    .kid_description
                    .as_ref()
                    .filter(|_| required == "kid")
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            )));
        }
    }
    Ok(header)
}

fn report_cleanup(cleaned: &[token::Cleanup]) {
    if !cleaned.is_empty() {
        let what: Vec<String> = cleaned.iter().map(ToString::to_string).collect();
        eprintln!("note: removed {} before decoding", what.join(", "));
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
    println!("Header\n{}\n", pretty(&decoded.header));
    println!("Payload\n{}\n", pretty(&decoded.payload));
    let lines = time_lines(&decoded.payload, now);
    if !lines.is_empty() {
        println!("Times (now {})", tokensmith::time::utc(now).unwrap_or_default());
        for line in lines {
            println!("{line}");
        }
        println!();
    }
    println!("Signature");
    match (alg.as_deref(), supported) {
        (Some(a), _) if a.eq_ignore_ascii_case("none") => {
            println!(
                "  alg '{a}': unsecured token, no signature ({} bytes present)",
                decoded.signature.len()
            );
        }
        (Some(_), Some(alg)) => {
            println!("  {alg}, {} bytes: {}", decoded.signature.len(), decoded.signature_b64())
        }
        (Some(a), None) => println!(
            "  alg '{a}' (tokensmith cannot verify it), {} bytes: {}",
            decoded.signature.len(),
            decoded.signature_b64()
        ),
        (None, _) => {
            println!("  no alg in the header, {} bytes: {}", decoded.signature.len(), decoded.signature_b64())
        }
    }
    println!("  not verified: use `tokensmith verify` with the key");
    Ok(0)
}

pub fn verify(paths: &Paths, args: &VerifyArgs, io: &mut Io) -> Result<u8, CliError> {
    let now = match &args.at {
        Some(at) => parse_time(at)?,
        None => io.now,
    };
    let leeway_secs = parse_duration(&args.leeway).map_err(|e| CliError::usage(format!("--leeway: {e}")))?;
    let set = match args.profile.as_deref() {
        Some(id) => load_profile(paths, id),
        None => ProfileSet::default(),
    };
    let profile = args.profile.as_deref().map(|id| set.get(id)).transpose()?;
    let text = io.token(args.token.as_deref())?;
    let Some(loaded) = io.key(&args.key, args.encoding.secret_base64, profile)? else {
        return Err(CliError::usage(
            "no key given: pass --key NAME (a stored key), --secret-env VAR, --secret-file PATH, --secret-stdin or --key-file PEM",
        ));
    };
    let (key, origin) = (&loaded.material, &loaded.origin);
    let decoded = token::decode(&text)?;
    report_cleanup(&decoded.cleaned);
    let allowed = allowed_algs(profile.map(|p| (p.id.as_str(), p.algorithms.as_slice())), key)?;
    let options = VerifyOptions {
        allowed: allowed.clone(),
        leeway_secs,
        now,
        require_exp: profile.is_some_and(|p| p.time.exp_required),
    };
    let verification = token::verify(&decoded, key, &options);
    io.touch(&loaded);
    let code = if verification.valid { 0 } else { 1 };
    if args.json {
        print_json(&json!({
            "valid": verification.valid,
            "alg": verification.alg,
            "header_alg": decoded.alg(),
            "allowed_algs": allowed,
            "key": origin,
            "profile": profile.map(|p| p.id.as_str()),
            "signature_ok": verification.signature_ok,
            "leeway_secs": leeway_secs,
            "now": now,
            "problems": verification.problems.iter().map(|p| json!({ "message": p.to_string(), "detail": p })).collect::<Vec<_>>(),
            "payload": decoded.payload,
        }))?;
        return Ok(code);
    }
    println!("result:     {}", if verification.valid { "valid" } else { "INVALID" });
    for problem in &verification.problems {
        println!("problem:    {problem}");
    }
    let allowed_names: Vec<&str> = allowed.iter().map(|a| a.name()).collect();
    match verification.alg {
        Some(alg) => println!(
            "algorithm:  {alg} (allowed by the key{}: {})",
            if profile.is_some() { " and profile" } else { "" },
            allowed_names.join(", ")
        ),
        None => println!(
            "algorithm:  none used: the header's '{}' is not among {}",
            decoded.alg().unwrap_or("(missing)"),
            allowed_names.join(", ")
        ),
    }
    println!("key:        {origin}");
    match verification.signature_ok {
        Some(true) => println!("signature:  verified"),
        Some(false) => println!("signature:  does NOT verify"),
        None => println!("signature:  not checked"),
    }
    for line in time_lines(&decoded.payload, now) {
        println!("time:     {line}");
    }
    println!("leeway:     {}", human_duration(leeway_secs));
    Ok(code)
}

pub fn paths(paths: &Paths, json: bool) -> Result<u8, CliError> {
    if json {
        print_json(&json!({ "config": paths.config, "data": paths.data, "profiles": paths.profiles() }))?;
    } else {
        println!("config:   {}", paths.config.display());
        println!("data:     {}", paths.data.display());
        println!("profiles: {}", paths.profiles().display());
    }
    Ok(0)
}

pub fn doctor(paths: &Paths, args: &DoctorArgs, io: &mut Io) -> Result<u8, CliError> {
    use tokensmith::doctor::{Candidate, Severity, diagnose};
    use tokensmith::store::{SecretReading, StoreState};
    let at = match &args.at {
        Some(at) => parse_time(at)?,
        None => io.now,
    };
    let set = load_profile(paths, &args.profile);
    let profile = set.get(&args.profile)?;
    let text = io.token(args.token.as_deref())?;
    let explicit = args.key.secret_env.is_some()
        || args.key.secret_file.is_some()
        || args.key.secret_stdin
        || args.key.secret.is_some()
        || args.key.key_file.is_some()
        || args.key.key.is_some();
    let mut candidates = Vec::new();
    if explicit {
        if let Some(loaded) = io.key(&args.key, args.encoding.secret_base64, None)? {
            let text = match (&loaded.material, args.encoding.secret_base64) {
                (tokensmith::token::KeyMaterial::Hmac(secret), false) => Some(secret.clone()),
                _ => None,
            };
            candidates.push(Candidate {
                name: loaded.origin.clone(),
                key: loaded.material,
                text,
                explicit: true,
            });
        }
    } else if io.store.state().is_ok_and(|s| s != StoreState::Missing) {
        let pass = super::input::passphrase(&io.store)?;
        let store = io.store.open(pass.as_ref())?;
        for entry in &store.entries {
            if let Ok(key) = entry.key() {
                let text = (entry.reading == SecretReading::Text
                    && entry.kind == tokensmith::store::EntryKind::HmacSecret)
                    .then(|| entry.material.clone());
                candidates.push(Candidate {
                    name: format!("stored key '{}'", entry.name),
                    key,
                    text,
                    explicit: false,
                });
            }
        }
    }
    let report = diagnose(&text, profile, &candidates, at);
    let code = if report.passes() { 0 } else { 1 };
    if args.json {
        print_json(&report)?;
        return Ok(code);
    }
    let when = tokensmith::time::utc(at).unwrap_or_default();
    let now_note = if args.at.is_some() { " (--at)" } else { " (now)" };
    println!("{} ({}), judged at {when}{now_note}", profile.name, profile.id);
    for f in &report.findings {
        let subject = f.subject.as_ref().map(|s| format!("{s}: ")).unwrap_or_default();
        println!("{:<8} {:<26} {subject}{}", f.severity.to_string(), f.code, f.found);
        println!("{:<8} {:<26} → {}", "", "", f.fix);
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    if errors > 0 {
        println!(
            "result: {errors} error(s), {warnings} warning(s): {} would refuse this token",
            profile.name
        );
    } else {
        println!("result: no errors, {warnings} warning(s): {} should accept this token", profile.name);
    }
    Ok(code)
}
