//! `tokensmith verify`: one key (any key option), or a keyset (`--jwks`, `--discover`, a JWKS
//! given to `--key-file`) that chooses the key by the token's kid, else by its alg.

use serde_json::json;

use tokensmith::paths::Paths;
use tokensmith::profile::ProfileSet;
use tokensmith::time::{human_duration, parse_duration};
use tokensmith::token::{self, Alg, DecodedToken, Verification, VerifyOptions, allowed_algs};

use super::input::{Io, parse_time};
use super::output::{print_json, time_lines};
use super::verbs::{alg_problem, load_profile, report_cleanup};
use super::{CliError, VerifyArgs};

/// What was verified, with which key, whatever the key's source.
struct Outcome {
    verification: Verification,
    allowed: Vec<Alg>,
    /// "RSA 2048-bit public key from public.pem", "the keyset's kid 'a' (...) from keyset x".
    origin: String,
    /// How a keyset chose the key.
    chosen: Option<String>,
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
    if let Some(refusal) = profile.and_then(|p| super::schemes::not_signable(p, "verify")) {
        return Err(refusal);
    }
    let with_set = super::keyset::asked(&args.keyset, Some(&args.key))?;
    let text = io.token(args.token.as_deref())?;
    let decoded = token::decode(&text)?;
    // A bare EC point takes its curve from the token's alg.
    io.key_alg = decoded.alg().and_then(|alg| alg.parse().ok());
    let single = if with_set {
        None
    } else {
        let Some(loaded) = io.key(&args.key, args.encoding.secret_base64, profile)? else {
            return Err(CliError::usage(
                "no key given: pass --key NAME (a stored key), --secret-env VAR, --secret-file PATH, --secret-stdin, --key-file PEM or --jwks FILE|URL",
            ));
        };
        Some(loaded)
    };
    let options = VerifyOptions {
        allowed: Vec::new(),
        leeway_secs,
        now,
        require_exp: profile.is_some_and(|p| p.time.exp_required.value),
        expect: args.expect.expectations(),
    };
    let profile_algs = profile.map(|p| (p.id.as_str(), p.algorithms.as_slice()));
    let keyset =
        if with_set { super::keyset::load(io, &args.keyset, Some(&args.key), &decoded)? } else { None };
    let outcome = if let Some(loaded) = keyset {
        super::keyset::print_skipped(&loaded);
        let got = tokensmith::keyset::verify(&decoded, &loaded.set, profile_algs, &options)
            .map_err(|e| CliError::invalid(format!("{e}; from {}", loaded.from)))?;
        let origin = format!(
            "the keyset's {} ({}) from {}",
            got.key.name(),
            got.key.key.material.describe(),
            loaded.from
        );
        Outcome { verification: got.verification, allowed: got.allowed, origin, chosen: Some(got.why) }
    } else {
        let Some(loaded) = single else {
            return Err(CliError::usage("no key given: pass a key option or --jwks FILE|URL"));
        };
        let allowed = allowed_algs(profile_algs, &loaded.material)?;
        let options = VerifyOptions { allowed: allowed.clone(), ..options };
        let verification = token::verify(&decoded, &loaded.material, &options);
        io.touch(&loaded);
        Outcome { verification, allowed, origin: loaded.origin, chosen: None }
    };
    report_cleanup(&decoded.cleaned);
    let code = if outcome.verification.valid { 0 } else { 1 };
    if args.json {
        let v = &outcome.verification;
        print_json(&json!({
            "valid": v.valid,
            "alg": v.alg,
            "header_alg": decoded.alg(),
            "allowed_algs": outcome.allowed,
            "key": outcome.origin,
            "key_chosen": outcome.chosen,
            "profile": profile.map(|p| p.id.as_str()),
            "signature_ok": v.signature_ok,
            "leeway_secs": leeway_secs,
            "now": now,
            "problems": v.problems.iter().map(|p| json!({ "message": p.to_string(), "detail": p })).collect::<Vec<_>>(),
            "payload": decoded.payload,
        }))?;
        return Ok(code);
    }
    print_text(&outcome, &decoded, profile.is_some(), now, leeway_secs);
    Ok(code)
}

fn print_text(outcome: &Outcome, decoded: &DecodedToken, with_profile: bool, now: i64, leeway_secs: u64) {
    let verification = &outcome.verification;
    outln!("result:     {}", if verification.valid { "valid" } else { "INVALID" });
    for problem in &verification.problems {
        outln!("problem:    {problem}");
    }
    let allowed_names: Vec<&str> = outcome.allowed.iter().map(|a| a.name()).collect();
    match verification.alg {
        Some(alg) => outln!(
            "algorithm:  {alg} (allowed by the key{}: {})",
            if with_profile { " and profile" } else { "" },
            allowed_names.join(", ")
        ),
        None => match decoded.alg() {
            Some(alg) => {
                outln!(
                    "algorithm:  none used: the header's '{alg}' is not among {}",
                    allowed_names.join(", ")
                )
            }
            None => outln!("algorithm:  none used: {}", alg_problem(&decoded.header)),
        },
    }
    outln!("key:        {}", outcome.origin);
    if let Some(why) = &outcome.chosen {
        outln!("chosen:     {why}");
    }
    match verification.signature_ok {
        Some(true) => outln!("signature:  verified"),
        Some(false) => outln!("signature:  does NOT verify"),
        None => outln!("signature:  not checked"),
    }
    for line in time_lines(&decoded.payload, now) {
        outln!("time:     {line}");
    }
    outln!("leeway:     {}", human_duration(leeway_secs));
}
