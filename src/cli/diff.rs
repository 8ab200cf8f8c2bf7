//! `tokensmith diff A B`: what differs between two tokens, claim by claim (the comparison is
//! `tokensmith::diff`, which the workbench's doctor uses too).

use tokensmith::diff::TokenDiff;
use tokensmith::paths::Paths;
use tokensmith::text;

use super::input::{Io, parse_time};
use super::output::print_json;
use super::{CliError, DiffArgs};

pub fn run(paths: &Paths, args: &DiffArgs, io: &mut Io) -> Result<u8, CliError> {
    if args.first == "-" && args.second == "-" {
        return Err(CliError::usage("only one of the two tokens can come from standard input (-)"));
    }
    let at = match &args.at {
        Some(at) => parse_time(at)?,
        None => io.now,
    };
    let first = io.decoded(&args.first, "the first token")?;
    let second = io.decoded(&args.second, "the second token")?;
    let set = args.profile.as_deref().map(|id| super::verbs::load_profile(paths, id));
    let profile = match (&set, args.profile.as_deref()) {
        (Some(set), Some(id)) => Some(set.get(id)?),
        _ => None,
    };
    let d = tokensmith::diff::diff(
        (&first.header, &first.payload),
        (&second.header, &second.payload),
        profile,
        at,
    );
    let keyset = super::keyset::load(io, &args.keyset, None, &first)?;
    let checks: Option<Vec<_>> = keyset.as_ref().map(|loaded| {
        super::keyset::print_skipped(loaded);
        [&first, &second].map(|t| tokensmith::keyset::check_signature(t, &loaded.set)).to_vec()
    });
    if args.json {
        let mut value = serde_json::to_value(&d).map_err(|e| CliError::usage(e.to_string()))?;
        if let (Some(checks), Some(map)) = (&checks, value.as_object_mut()) {
            map.insert("signatures".to_string(), serde_json::json!(checks));
        }
        print_json(&value)?;
    } else {
        print_text(&d);
        if let (Some(checks), Some(loaded)) = (&checks, &keyset) {
            outln!("signatures (against {}):", loaded.from);
            for (name, check) in ["first", "second"].iter().zip(checks) {
                outln!("  {name}: {}", check.words);
            }
        }
    }
    Ok(u8::from(!d.same()))
}

fn print_text(d: &TokenDiff) {
    for (title, changes) in [("header", &d.header), ("payload", &d.payload)] {
        if changes.is_empty() {
            outln!("{title}: the same");
        } else {
            outln!("{title}:");
            for change in changes {
                outln!("  {}", text::inline(&change.words()));
            }
        }
    }
    outln!("times:");
    for (name, t) in ["first", "second"].iter().zip(&d.times) {
        outln!("  {name}: {}", t.words());
    }
    if let Some(rules) = &d.rules {
        outln!("rules of {}:", rules.profile);
        for (name, only) in [("first", &rules.only_first), ("second", &rules.only_second)] {
            for f in only {
                outln!("  only the {name} breaks: {} {}: {}", f.severity, f.code, f.found);
            }
        }
        if rules.only_first.is_empty() && rules.only_second.is_empty() {
            outln!("  both break the same rules (or none)");
        }
    }
    outln!("{}", if d.same() { "the same header and claims" } else { "they differ" });
}
