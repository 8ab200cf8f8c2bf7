//! Embeds every `assets/profiles/*.toml` in the binary, so adding a vendor needs no Rust code.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let dir = Path::new("assets/profiles");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    let mut out = String::from(
        "/// Built-in profiles: (file name, TOML text).\npub const BUILT_IN: &[(&str, &str)] = &[\n",
    );
    for path in &files {
        println!("cargo::rerun-if-changed={}", path.display());
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let abs = fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        let _ = writeln!(out, "    ({name:?}, include_str!({:?})),", abs.display().to_string());
    }
    out.push_str("];\n");
    // The same files as JSON, in the same order: serde_json reads them several times faster
    // than the TOML parser, and a CLI call reads one on every start. A file that does not
    // parse stays TOML-only (its JSON is empty), so the library reports it as it would a
    // user's file.
    out.push_str("/// Built-in profiles as JSON made at build time: (file name, JSON text).\n");
    out.push_str("pub const BUILT_IN_JSON: &[(&str, &str)] = &[\n");
    for path in &files {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let json = fs::read_to_string(path)
            .ok()
            .and_then(|text| toml::from_str::<serde_json::Value>(&text).ok())
            .map(|value| value.to_string())
            .unwrap_or_default();
        let _ = writeln!(out, "    ({name:?}, {json:?}),");
    }
    out.push_str("];\n");
    write(&out, "builtin_profiles.rs");
    // Snippet templates: assets/snippets/<group>/<name>.jinja, as (group/name, text).
    let mut out = String::new();
    out.push_str("/// Snippet templates: (\"group/flavor\", template text).\npub const SNIPPETS: &[(&str, &str)] = &[\n");
    let snippets = Path::new("assets/snippets");
    println!("cargo::rerun-if-changed={}", snippets.display());
    let mut groups: Vec<_> = fs::read_dir(snippets)
        .map(|e| e.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    groups.sort();
    for group in groups.iter().filter(|p| p.is_dir()) {
        println!("cargo::rerun-if-changed={}", group.display());
        let mut files: Vec<_> = fs::read_dir(group)
            .map(|e| e.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "jinja"));
        files.sort();
        for file in files {
            println!("cargo::rerun-if-changed={}", file.display());
            let group_name = group.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let stem = file.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let abs = fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
            let _ = writeln!(
                out,
                "    (\"{group_name}/{stem}\", include_str!({:?})),",
                abs.display().to_string()
            );
        }
    }
    out.push_str("];\n");
    write(&out, "builtin_snippets.rs");
    hot_text();
}

/// Release builds on Linux link with link/hot-text.ld (made by benches/hot_text.py), which
/// puts the functions a scripted call runs side by side in front of the rest of the text: the
/// kernel maps the binary in 64 KiB windows as code first touches them, and the sign path's
/// code, spread over most of the 7 MiB of text, touched about 30 windows more than it needs.
/// The script only orders sections (`INSERT BEFORE .text` keeps the linker's own layout for
/// everything else), so a function it no longer names costs speed, not correctness.
///
/// GNU ld and LLD, the linkers Rust uses on Linux, read it; a linker chosen by hand (mold,
/// gold, a `linker =` setting) may not, so then it is left out, as it is with
/// TOKENSMITH_HOT_TEXT=0.
fn hot_text() {
    let script = Path::new("link/hot-text.ld");
    println!("cargo::rerun-if-changed={}", script.display());
    println!("cargo::rerun-if-env-changed=TOKENSMITH_HOT_TEXT");
    let var = |name: &str| env::var(name).unwrap_or_default();
    let flags = var("CARGO_ENCODED_RUSTFLAGS");
    let linker_chosen = !var("RUSTC_LINKER").is_empty()
        || flags.split('\u{1f}').any(|flag| {
            flag.contains("linker=")
                || flag.contains("linker-flavor")
                || (flag.contains("fuse-ld=")
                    && !flag.ends_with("fuse-ld=lld")
                    && !flag.ends_with("fuse-ld=bfd"))
        });
    let wanted = var("CARGO_CFG_TARGET_OS") == "linux"
        && var("PROFILE") == "release"
        && var("TOKENSMITH_HOT_TEXT") != "0"
        && !linker_chosen;
    // -Wl splits its argument at commas.
    if wanted
        && let Ok(path) = fs::canonicalize(script)
        && !path.to_string_lossy().contains(',')
    {
        println!("cargo::rustc-link-arg-bin=tokensmith=-Wl,-T,{}", path.display());
    }
}

fn write(text: &str, name: &str) {
    let dest = Path::new(&env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join(name);
    if let Err(err) = fs::write(&dest, text) {
        panic!("cannot write {}: {err}", dest.display());
    }
}
