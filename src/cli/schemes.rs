//! The verbs for profiles that are not JWTs the customer signs: identity hashes (`hash`, and
//! the doctor's `--hash`) and vendor-issued tokens (HubSpot: decode and explain, never sign).

use serde_json::json;

use tokensmith::hash::identity_hash;
use tokensmith::paths::Paths;
use tokensmith::profile::{Profile, Scheme};
use tokensmith::secret::Secret;
use tokensmith::time::human_duration;
use tokensmith::token::{self, KeyMaterial};

use super::input::Io;
use super::output::{print_json, time_lines};
use super::{CliError, DoctorArgs, HashArgs};

/// The exit-2 error for a verb that makes or checks JWTs, on a profile that has none to sign.
pub fn not_signable(profile: &Profile, verb: &str) -> Option<CliError> {
    match profile.scheme {
        Scheme::Jwt => None,
        Scheme::IdentityHash => Some(CliError::usage(format!(
            "profile '{}' uses an identity hash, not a JWT: there is nothing to {verb}; make the hash with `tokensmith hash --profile {} --secret-env VAR IDENTIFIER`, and check one with `tokensmith doctor --profile {} --hash HASH IDENTIFIER`",
            profile.id, profile.id, profile.id
        ))),
        Scheme::VendorIssued => Some(CliError::usage(format!(
            "profile '{}' uses tokens that {} issues, not you: tokensmith cannot {verb} them ({}); inspect one with `tokensmith doctor --profile {} TOKEN` or `tokensmith decode TOKEN`",
            profile.id,
            vendor(profile),
            profile.issued.as_ref().map_or("the vendor's API makes them", |i| i.origin.value.as_str()),
            profile.id
        ))),
    }
}

fn vendor(profile: &Profile) -> &str {
    profile.name.split(" (").next().unwrap_or(&profile.name)
}

/// Lines `profile show` adds for the scheme.
pub fn show_lines(profile: &Profile) -> Vec<String> {
    let src = |id: &Option<String>| format!("[{}]", profile.source(id.as_deref()).id);
    let mut lines = Vec::new();
    match profile.scheme {
        Scheme::Jwt => {}
        Scheme::IdentityHash => {
            if let Some(rules) = &profile.hash {
                let fields: Vec<String> = rules.identifier.value.iter().map(ToString::to_string).collect();
                lines.push(format!(
                    "scheme:      identity hash: {} = lowercase hex HMAC-SHA256 of {}, keyed with the secret {}",
                    rules.page_field,
                    match fields.as_slice() {
                        [one] => format!("'{one}'"),
                        _ => format!("the first set of {}", fields.join(", ")),
                    },
                    src(&rules.identifier.source)
                ));
                lines.push(format!(
                    "             make it: tokensmith hash --profile {} --secret-env VAR IDENTIFIER",
                    profile.id
                ));
            }
        }
        Scheme::VendorIssued => {
            if let Some(issued) = &profile.issued {
                lines.push(format!(
                    "scheme:      issued by the vendor, decode and inspect only: {} {}",
                    issued.origin.value,
                    src(&issued.origin.source)
                ));
                if let Some(life) = &issued.lifetime {
                    lines.push(format!(
                        "             lifetime {} {}",
                        human_duration(life.value.0),
                        src(&life.source)
                    ));
                }
            }
        }
    }
    lines
}

/// A secret to hash with, and where it came from.
struct HashKey {
    secret: Secret,
    origin: String,
}

fn hmac_secret(material: KeyMaterial, origin: &str) -> Result<Secret, CliError> {
    match material {
        KeyMaterial::Hmac(secret) => Ok(secret),
        _ => Err(CliError::usage(format!(
            "{origin} is not an HMAC secret: identity hashes are keyed with the vendor's secret text (--secret-env, --secret-file, --key NAME)"
        ))),
    }
}

fn hash_profile<'a>(set: &'a tokensmith::profile::ProfileSet, id: &str) -> Result<&'a Profile, CliError> {
    let profile = set.get(id)?;
    if profile.scheme != Scheme::IdentityHash {
        return Err(CliError::usage(format!(
            "profile '{id}' does not use identity hashes: `tokensmith hash` takes intercom-hash, helpscout, front, chatwoot or crisp (`tokensmith profiles`)"
        )));
    }
    Ok(profile)
}

pub fn hash(paths: &Paths, args: &HashArgs, io: &mut Io) -> Result<u8, CliError> {
    let set = tokensmith::profile::ProfileSet::load_for(Some(&paths.profiles()), &args.profile);
    let profile = hash_profile(&set, &args.profile)?;
    let Some(loaded) = io.key(&args.key, false, Some(profile))? else {
        return Err(CliError::usage(format!(
            "no key given: profile '{}' needs the vendor's HMAC secret; pass --secret-env VAR, --secret-file PATH, --secret-stdin or --key NAME, or store one with `tokensmith keys add NAME --profile {}`",
            profile.id, profile.id
        )));
    };
    let origin = loaded.origin.clone();
    io.touch(&loaded);
    let secret = hmac_secret(loaded.material, &origin)?;
    let identifier = &args.identifier;
    if identifier.trim() != identifier {
        errln!(
            "{} the identifier '{identifier}' has whitespace around it, and it is hashed as given: the page must pass it exactly so",
            super::color::warning_label()
        );
    }
    let hash = identity_hash(secret.expose(), identifier);
    let page_field = profile.hash.as_ref().map(|h| h.page_field.as_str()).unwrap_or("hash");
    if args.json {
        print_json(&json!({
            "hash": hash,
            "profile": profile.id,
            "identifier": identifier,
            "page_field": page_field,
            "key": origin,
        }))?;
    } else {
        outln!("{hash}");
    }
    errln!("{page_field} for '{identifier}': HMAC-SHA256, lowercase hex, {origin}");
    Ok(0)
}

/// `doctor --hash`: does the hash match, and if not, which mistake made it.
/// `--format markdown` reports on a JWT; a hash or a vendor's token gets text or JSON.
fn markdown_is_for_tokens(args: &DoctorArgs) -> Result<(), CliError> {
    if args.format == super::DoctorFormat::Markdown {
        return Err(CliError::usage(format!(
            "--format markdown reports on tokens a profile signs; '{}' is not one: use --format text or json",
            args.profile
        )));
    }
    Ok(())
}

pub fn doctor_hash(paths: &Paths, args: &DoctorArgs, io: &mut Io, hash: &str) -> Result<u8, CliError> {
    use tokensmith::store::StoreState;
    let set = tokensmith::profile::ProfileSet::load_for(Some(&paths.profiles()), &args.profile);
    let profile = hash_profile(&set, &args.profile)?;
    let Some(identifier) = args.token.clone().filter(|t| t != "-") else {
        return Err(CliError::usage(
            "--hash needs the identifier it should be made of: tokensmith doctor --profile ID --hash HASH IDENTIFIER",
        ));
    };
    markdown_is_for_tokens(args)?;
    let given = hash.trim();
    let explicit = args.key.given();
    let mut keys = Vec::new();
    if explicit {
        if let Some(loaded) = io.key(&args.key, args.encoding.secret_base64, None)? {
            let origin = loaded.origin.clone();
            keys.push(HashKey { secret: hmac_secret(loaded.material, &origin)?, origin });
        }
    } else if io.store.state()? != StoreState::Missing {
        let pass = io.passphrase()?;
        let store = io.store.open(pass.as_ref())?;
        for candidate in tokensmith::doctor::stored_candidates(&store.entries, &profile.id) {
            if let KeyMaterial::Hmac(secret) = candidate.key {
                keys.push(HashKey { secret, origin: candidate.name });
            }
        }
    }
    if keys.is_empty() {
        return Err(CliError::usage(format!(
            "no key to check the hash with: pass --secret-env VAR, --secret-file PATH or --key NAME, or store the secret with `tokensmith keys add NAME --profile {}`",
            profile.id
        )));
    }
    let other = args.other_identifier.as_deref();
    let secrets = keys.iter().map(|k| (k.origin.as_str(), k.secret.expose()));
    let Some((origin, diagnosis)) = tokensmith::hash::diagnose_with(secrets, &identifier, other, given)
    else {
        return Ok(1);
    };
    let code = if diagnosis.matches { 0 } else { 1 };
    // As the core doctor: a hash is judged on how it is made, the profile's main source.
    let source = profile.source(None);
    if args.wants_json() {
        print_json(&json!({
            "profile": profile.id,
            "identifier": identifier,
            "other_identifier": other,
            "hash": given,
            "key": origin,
            "diagnosis": diagnosis,
            "source": source,
        }))?;
        return Ok(code);
    }
    outln!("{} ({}): identity hash", profile.name, profile.id);
    outln!(
        "{:<8} {:<26} {}",
        if diagnosis.matches { "ok" } else { "error" },
        diagnosis.code,
        diagnosis.found
    );
    outln!("{:<8} {:<26} → {}", "", "", diagnosis.fix);
    outln!("{:<8} {:<26} key: {origin}", "", "");
    if !source.enforced {
        outln!(
            "{:<8} {:<26} source [{}]: {} (unconfirmed: a mismatch may not be a refusal)",
            "",
            "",
            source.id,
            source.title
        );
    }
    if hash != given {
        outln!("note: the whitespace around the hash was removed before comparing");
    }
    outln!(
        "result: {}",
        if diagnosis.matches {
            format!("the hash matches: {} should accept this user", profile.name)
        } else {
            format!("the hash does not match: {} would not verify this user", profile.name)
        }
    );
    Ok(code)
}

/// `doctor` on a vendor-issued token: decode it, judge its times against the vendor's
/// lifetime (a warning only), and say where such a token comes from.
pub fn doctor_issued(profile: &Profile, args: &DoctorArgs, io: &mut Io, at: i64) -> Result<u8, CliError> {
    markdown_is_for_tokens(args)?;
    let text = io.token(args.token.as_deref())?;
    let decoded = token::decode(&text)?;
    // The findings come from the core doctor, as the workbench's do.
    let report =
        tokensmith::doctor::diagnose_issued(&text, profile, at).expecting(&text, &args.expect.expectations());
    let findings: Vec<&tokensmith::doctor::Finding> =
        report.findings.iter().filter(|f| f.code != "signature.unchecked").collect();
    let errors = findings.iter().filter(|f| f.severity == tokensmith::doctor::Severity::Error).count();
    let code = if errors > 0 { 1 } else { 0 };
    let origin = profile.issued.as_ref().map_or("the vendor's API", |i| i.origin.value.as_str());
    if args.wants_json() {
        print_json(&json!({
            "profile": profile.id,
            "scheme": "vendor-issued",
            "origin": origin,
            "header": decoded.header,
            "payload": decoded.payload,
            "findings": findings,
            "at": at,
        }))?;
        return Ok(code);
    }
    outln!("{} ({}): a token {} issues", profile.name, profile.id, vendor(profile));
    outln!("origin:  {origin}");
    outln!(
        "payload: {}",
        tokensmith::text::json(&serde_json::to_string(&decoded.payload).unwrap_or_default())
    );
    for line in time_lines(&decoded.payload, at) {
        outln!("time:    {line}");
    }
    for f in &findings {
        outln!("{:<8} {:<16} {}", f.severity.to_string(), f.code, f.found);
        outln!("{:<8} {:<16} → {}", "", "", f.fix);
    }
    outln!(
        "signature: not checked: only {} holds the key; tokensmith cannot sign or verify these",
        vendor(profile)
    );
    outln!(
        "result: {}",
        if errors > 0 {
            "the token is expired: get a new one"
        } else {
            "decoded; nothing the vendor would refuse was found"
        }
    );
    Ok(code)
}

/// The hash (or the vendor's token) a page snippet shows, and the values the page passes.
type PageInput = (String, serde_json::Map<String, serde_json::Value>);

/// What a snippet of a non-JWT profile is made from: the hash (or the vendor's token) and the
/// values the page passes. `None` for JWT profiles, which sign as before.
pub fn snippet_input(
    profile: &Profile,
    args: &super::SnippetArgs,
    io: &mut Io,
    server: bool,
    params: &[(String, String)],
) -> Result<Option<PageInput>, CliError> {
    use tokensmith::claims::ClaimAssignment;
    match profile.scheme {
        Scheme::Jwt => Ok(None),
        Scheme::VendorIssued => {
            let Some(text) = args.token.as_deref() else {
                return Err(CliError::usage(format!(
                    "the snippet needs the token {} issued: pass it as TOKEN ({})",
                    vendor(profile),
                    profile.issued.as_ref().map_or("the vendor's API makes it", |i| i.origin.value.as_str())
                )));
            };
            let decoded = token::decode(&io.token(Some(text))?)?;
            Ok(Some((decoded.token.clone(), decoded.payload)))
        }
        Scheme::IdentityHash => {
            let claims: Vec<ClaimAssignment> =
                args.claims.iter().map(|c| c.parse()).collect::<Result<_, _>>()?;
            let mut uuid = tokensmith::claims::random_uuid;
            let values = tokensmith::sign::build_payload(profile, &claims, params, io.now, &mut uuid)?;
            if server {
                return Ok(Some((String::new(), values)));
            }
            if let Some(hash) = &args.token {
                return Ok(Some((hash.trim().to_string(), values)));
            }
            let (_, identifier) = tokensmith::hash::pick_identifier(profile, &values)
                .map_err(|e| CliError::usage(e.to_string()))?;
            let Some(loaded) = io.key(&args.key, false, Some(profile))? else {
                return Err(CliError::usage(format!(
                    "the page snippet needs the hash: pass it as HASH, or the secret to make it (--secret-env VAR, --key NAME); profile '{}'",
                    profile.id
                )));
            };
            let origin = loaded.origin.clone();
            io.touch(&loaded);
            let secret = hmac_secret(loaded.material, &origin)?;
            Ok(Some((identity_hash(secret.expose(), &identifier), values)))
        }
    }
}
