//! The README's vendor table says what the profiles say (issue 21): every built-in profile has
//! a row; a JWT profile's algorithms are its own, in its order; and the last column ("warnings
//! only") is `-` exactly when the profile has no unconfirmed fact (a note or a source that says
//! "unconfirmed") and no rule from a source its acceptor does not enforce (other than
//! tokensmith's own advice).

use tokensmith::profile::{Profile, ProfileSet, Scheme, SourceKind};

/// The table's rows: (ids, algorithm column, last column).
fn rows() -> Vec<(Vec<String>, String, String)> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let start = readme.find("| id | vendor | scheme | algorithm | key |").expect("the vendor table");
    readme[start..]
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            let cells: Vec<String> =
                line.trim_matches('|').split(" | ").map(|c| c.trim().to_string()).collect();
            let ids = cells[0].split(", ").map(|id| id.trim_matches('`').to_string()).collect();
            (ids, cells[3].clone(), cells[cells.len() - 1].clone())
        })
        .collect()
}

fn has_warnings_only(profile: &Profile) -> bool {
    let unconfirmed = profile.notes.iter().any(|n| n.contains("unconfirmed"))
        || profile.sources.iter().any(|s| s.title.contains("unconfirmed"));
    let unenforced = profile.sources.iter().any(|s| !s.enforced && s.id != "ours");
    unconfirmed || unenforced
}

#[test]
fn the_readmes_vendor_table_matches_the_profiles() {
    let rows = rows();
    let set = ProfileSet::load(None);
    let mut problems = Vec::new();
    for profile in &set.profiles {
        let Some((ids, algorithms, warnings)) = rows.iter().find(|(ids, ..)| ids.contains(&profile.id))
        else {
            problems.push(format!("{}: no row in the README's vendor table", profile.id));
            continue;
        };
        if profile.scheme == Scheme::Jwt && ids.len() == 1 {
            let own: Vec<&str> = profile.algorithms.iter().map(|a| a.name()).collect();
            if *algorithms != own.join(", ") {
                problems.push(format!(
                    "{}: the table says {algorithms}, the profile {}",
                    profile.id,
                    own.join(", ")
                ));
            }
        }
        if ids.len() == 1 && has_warnings_only(profile) != (warnings != "-") {
            problems.push(format!(
                "{}: the table's last column is '{warnings}', but the profile {} warnings-only facts",
                profile.id,
                if has_warnings_only(profile) { "has" } else { "has no" }
            ));
        }
    }
    for (ids, ..) in &rows {
        for id in ids {
            if set.get(id).is_err() {
                problems.push(format!("{id}: in the table, but no such built-in profile"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every vendor source of a built-in profile says where it was read: a public address (issue
/// 21), so `profile show` and the doctor's source lines point somewhere a user can open.
#[test]
fn every_built_in_source_names_a_public_address() {
    let set = ProfileSet::load(None);
    let mut missing = Vec::new();
    for profile in &set.profiles {
        for source in &profile.sources {
            let ours = matches!(source.kind, SourceKind::Ours | SourceKind::Standard);
            let addressed = source.url.as_deref().is_some_and(|u| u.starts_with("https://"));
            if !ours && !addressed {
                missing.push(format!("{} [{}] {}", profile.id, source.id, source.title));
            }
        }
    }
    assert!(missing.is_empty(), "sources without a public address:\n{}", missing.join("\n"));
}
