use super::*;

const MINIMAL: &str =
    "id = \"acme\"\nname = \"Acme\"\nalgorithms = [\"HS256\"]\nkey_kind = \"hmac-secret\"\n";

#[test]
fn every_built_in_profile_loads() {
    let set = ProfileSet::load(None);
    assert_eq!(set.errors, Vec::new());
    let ids: Vec<&str> = set.profiles.iter().map(|p| p.id.as_str()).collect();
    let more = ["zendesk-messaging", "zendesk-chat", "intercom", "salesforce", "kustomer", "drift"];
    for id in ["talla", "viasocket", "orlo", "ticketping", "tiledesk", "generic-hs256", "generic-rs256"]
        .into_iter()
        .chain(more)
    {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
}

#[test]
fn built_in_json_made_at_build_time_reads_as_the_toml_does() {
    assert_eq!(builtin::BUILT_IN.len(), builtin::BUILT_IN_JSON.len());
    for ((name, toml), (json_name, json)) in builtin::BUILT_IN.iter().zip(builtin::BUILT_IN_JSON) {
        assert_eq!(name, json_name);
        assert!(!json.is_empty(), "{name}: the build made no JSON of it");
        let from_toml = parse(toml, name, ProfileSource::BuiltIn).expect("toml parses");
        let from_json = parse_built_in(json, toml, name).expect("json parses");
        assert_eq!(format!("{from_toml:?}"), format!("{from_json:?}"), "{name}");
    }
}

#[test]
fn built_in_files_are_named_after_their_id() {
    for (name, text) in builtin::BUILT_IN {
        let profile = parse(text, name, ProfileSource::BuiltIn).expect("parses");
        assert_eq!(format!("{}.toml", profile.id), *name);
    }
    let one = ProfileSet::load_for(None, "orlo");
    assert_eq!(one.profiles.len(), 1);
    assert!(one.get("orlo").is_ok());
    assert!(one.get("nope").err().is_some_and(|e| e.known.contains("tiledesk")));
}

#[test]
fn parse_errors_name_file_line_and_field() {
    let text = format!("{MINIMAL}algoritms = [\"HS256\"]\n");
    match parse(&text, "acme.toml", ProfileSource::BuiltIn) {
        Err(ProfileError::Parse { file, line: 5, message, .. }) => {
            assert_eq!(file, "acme.toml");
            assert!(message.contains("algoritms"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let text = format!("{MINIMAL}[[claims]]\npath = \"a\"\ntype = \"strng\"\n");
    match parse(&text, "acme.toml", ProfileSource::BuiltIn) {
        Err(ProfileError::Parse { line: 7, message, .. }) => {
            assert!(message.contains("strng"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_readme_profile_example_loads_and_signs_what_it_says() {
    let readme = include_str!("../../README.md");
    let start = readme.find("```toml\nid = \"acme\"").expect("README has the profile example");
    let block = &readme[start + "```toml\n".len()..];
    let text = &block[..block.find("```").expect("closed")];
    let profile = parse(text, "README.md", ProfileSource::BuiltIn).expect("the README's example is valid");
    assert_eq!(profile.source(None).id, "docs");
    assert!(!profile.source(Some("ours")).enforced);
    assert_eq!(
        profile.resolve_params(&[]).expect("params"),
        vec![("app_id".to_string(), "your-app-id".to_string())]
    );
}

#[test]
fn rules_name_declared_sources_and_required_times_have_claims() {
    let text = format!("{MINIMAL}[time]\nmax_lifetime = {{ value = \"10m\", source = \"nope\" }}\n");
    let err = parse(&text, "f", ProfileSource::BuiltIn).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("source 'nope' is not declared"), "{err}");
    let text = format!("{MINIMAL}[time]\nexp_required = true\n");
    let err = parse(&text, "f", ProfileSource::BuiltIn).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("requires exp but declares no 'exp' claim"), "{err}");
    let text = format!("{MINIMAL}[[claims]]\npath = \"a\"\ntype = \"string\"\ndefault = \"{{nope}}_x\"\n");
    let err = parse(&text, "f", ProfileSource::BuiltIn).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("neither a parameter nor another claim"), "{err}");
    let text =
        format!("{MINIMAL}[[sources]]\nid = \"mine\"\nkind = \"ours\"\ntitle = \"x\"\nenforced = true\n");
    assert!(parse(&text, "f", ProfileSource::BuiltIn).is_err());
}

#[test]
fn kid_params_any_of_groups_and_max_lengths_are_checked_on_load() {
    let claims = "[[claims]]\npath = \"email\"\ntype = \"email\"\n[[claims]]\npath = \"externalId\"\ntype = \"string\"\nmax_length = 255\n";
    let text = format!("{MINIMAL}[header]\nkid_param = \"key_id\"\n");
    let err = parse(&text, "f", ProfileSource::BuiltIn).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("'key_id' is not a parameter"), "{err}");
    let text = format!(
        "{MINIMAL}[header]\nkid_param = \"key_id\"\nrequired = [\"kid\"]\n[[params]]\nname = \"key_id\"\ndefault = \"k1\"\n[[any_of]]\nclaims = [\"email\", \"externalId\"]\n{claims}"
    );
    let profile = parse(&text, "f", ProfileSource::BuiltIn).expect("valid");
    assert_eq!(profile.header.kid_param.as_deref(), Some("key_id"));
    assert_eq!(profile.any_of.first().map(|g| g.claims.len()), Some(2));
    assert_eq!(profile.claims.get(1).and_then(|c| c.max_length), Some(255));
    let text = format!("{MINIMAL}[[any_of]]\nclaims = [\"email\", \"nope\"]\n{claims}");
    let err = parse(&text, "f", ProfileSource::BuiltIn).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("'nope' is not a claim"), "{err}");
    let text = format!("{MINIMAL}[[any_of]]\nclaims = [\"email\"]\n{claims}");
    assert!(parse(&text, "f", ProfileSource::BuiltIn).is_err(), "a group of one is a required claim");
    let text =
        format!("{MINIMAL}[[any_of]]\nclaims = [\"email\", \"externalId\"]\nsource = \"nope\"\n{claims}");
    let err = parse(&text, "f", ProfileSource::BuiltIn).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("source 'nope' is not declared"), "{err}");
}

#[test]
fn old_snippet_params_still_load_as_params() {
    let text = format!("{MINIMAL}[[snippet.params]]\nname = \"app_id\"\ndefault = \"x\"\n");
    let profile = parse(&text, "old.toml", ProfileSource::BuiltIn).expect("an old file loads");
    assert_eq!(profile.params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["app_id"]);
    assert!(profile.snippet.params.is_empty());
}

#[test]
fn contradictions_are_refused() {
    let text = MINIMAL.replace("HS256", "RS256");
    assert!(
        matches!(parse(&text, "f", ProfileSource::BuiltIn), Err(ProfileError::Invalid { field, .. }) if field == "algorithms")
    );
    let text = format!(
        "{MINIMAL}[[claims]]\npath = \"a\"\ntype = \"string\"\n[[claims]]\npath = \"a.b\"\ntype = \"string\"\n"
    );
    assert!(matches!(
        parse(&text, "f", ProfileSource::BuiltIn),
        Err(ProfileError::Invalid { line: Some(9), .. })
    ));
    let text = format!("{MINIMAL}[[claims]]\npath = \"uid\"\ntype = \"string\"\ndefault = \"md5(mail)\"\n");
    assert!(matches!(parse(&text, "f", ProfileSource::BuiltIn), Err(ProfileError::Invalid { .. })));
}

#[test]
fn user_files_override_and_broken_ones_are_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let override_talla = MINIMAL.replace("acme", "talla").replace("Acme", "My Talla");
    std::fs::write(dir.path().join("talla.toml"), override_talla).expect("write");
    std::fs::write(dir.path().join("broken.toml"), "id = \n").expect("write");
    std::fs::write(dir.path().join("acme.toml"), MINIMAL).expect("write");
    let set = ProfileSet::load(Some(dir.path()));
    assert_eq!(set.get("talla").map(|p| p.name.as_str()), Ok("My Talla"));
    assert!(set.get("acme").is_ok());
    assert!(set.get("tiledesk").is_ok());
    assert_eq!(set.errors.len(), 1);
    assert!(set.errors[0].to_string().contains("broken.toml:1:"), "{}", set.errors[0]);
    assert!(set.get("nope").is_err());
}
