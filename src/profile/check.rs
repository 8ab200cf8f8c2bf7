//! Reading a profile file and the checks every profile passes, however it was read (ids,
//! rules, their sources, defaults that cannot be built), with the line and column of what is
//! wrong.

use super::*;

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count().saturating_add(1);
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()).saturating_add(1);
    (line, column)
}

/// Where `needle` is set in the file: the line that starts with it as a key (`id = ...`) or a
/// table (`[hash]`, `[[claims]]`); else its first mention outside a comment. A comment that
/// happens to contain the word is never the answer.
fn position_of(text: &str, needle: &str) -> Option<(usize, usize)> {
    let mut offset = 0usize;
    let mut fallback = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len().saturating_sub(trimmed.len());
        let unquoted =
            trimmed.strip_prefix('"').and_then(|t| t.strip_prefix(needle)).and_then(|t| t.strip_prefix('"'));
        let key =
            trimmed.strip_prefix(needle).or(unquoted).is_some_and(|rest| rest.trim_start().starts_with('='));
        let table =
            [format!("[{needle}]"), format!("[[{needle}]]")].iter().any(|t| trimmed.starts_with(t.as_str()));
        if key || table {
            return Some(line_col(text, offset.saturating_add(indent)));
        }
        if fallback.is_none() && !trimmed.starts_with('#') {
            fallback = line.find(needle).map(|i| offset.saturating_add(i));
        }
        offset = offset.saturating_add(line.len());
    }
    fallback.map(|at| line_col(text, at))
}

/// Claims whose defaults make each other (`a = "{b}"`, `b = "md5(a)"`): no order builds them.
/// The first such cycle, as paths in order.
fn default_cycle(profile: &Profile) -> Option<Vec<String>> {
    let params: Vec<&str> = profile.params.iter().map(|p| p.name.as_str()).collect();
    let reads = |path: &str| -> Vec<String> {
        profile
            .claims
            .iter()
            .find(|c| c.path.to_string() == path)
            .and_then(|c| c.default.as_ref())
            .map(|d| d.references().into_iter().filter(|r| !params.contains(&r.as_str())).collect())
            .unwrap_or_default()
    };
    fn walk(at: String, trail: &mut Vec<String>, reads: &dyn Fn(&str) -> Vec<String>) -> Option<Vec<String>> {
        if let Some(start) = trail.iter().position(|p| *p == at) {
            let mut cycle = trail.split_off(start);
            cycle.push(at);
            return Some(cycle);
        }
        trail.push(at.clone());
        for next in reads(&at) {
            if let Some(cycle) = walk(next, trail, reads) {
                return Some(cycle);
            }
        }
        trail.pop();
        None
    }
    profile.claims.iter().find_map(|c| walk(c.path.to_string(), &mut Vec::new(), &reads))
}

/// Parses and checks one profile file.
pub fn parse(text: &str, file: &str, source: ProfileSource) -> Result<Profile, ProfileError> {
    let mut profile: Profile = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        let field = text
            .lines()
            .nth(line.saturating_sub(1))
            .and_then(|l| l.split_once('='))
            .map(|(key, _)| key.trim().trim_matches('"').to_string())
            .filter(|key| !key.is_empty() && !e.message().contains(&format!("`{key}`")));
        ProfileError::Parse {
            file: file.to_string(),
            line,
            column,
            field,
            message: e.message().trim().to_string(),
        }
    })?;
    profile.source = source;
    check(profile, text, file)
}

/// Loads a built-in profile from the JSON the build script made of its TOML (`build.rs`):
/// the same model and the same checks, without parsing TOML at run time (a third of `sign`'s
/// start-up was the TOML parser). `toml` is the file's text, for positions in an error.
pub fn parse_built_in(json: &str, toml: &str, file: &str) -> Result<Profile, ProfileError> {
    match serde_json::from_str::<Profile>(json) {
        // Its rules are checked on its TOML by the tests (profile::tests::
        // built_in_json_made_at_build_time_reads_as_the_toml_does runs `parse` on every
        // built-in, with every check), and this JSON is that TOML: only the form is brought up
        // to date at run time (a fifth of a `sign`'s own start-up went to checking again).
        Ok(mut profile) => {
            profile.source = ProfileSource::BuiltIn;
            Ok(settle(profile))
        }
        // Not expected (the build made the JSON from a file that parses), but never a panic:
        // the TOML parser then says what is wrong, with its line and column.
        Err(_) => parse(toml, file, ProfileSource::BuiltIn),
    }
}

/// Where a profile's text is, to point an error at the line that sets a field.
struct Where<'a> {
    text: &'a str,
    file: &'a str,
}

impl Where<'_> {
    /// An error about `field`, at the first line where `needle` sets it.
    fn invalid(&self, field: &str, needle: &str, message: String) -> ProfileError {
        let at = position_of(self.text, needle);
        ProfileError::Invalid {
            file: self.file.to_string(),
            line: at.map(|(line, _)| line),
            column: at.map(|(_, column)| column),
            field: field.to_string(),
            message,
        }
    }
}

/// The checks every profile passes, however it was read: ids, rules and their sources.
/// The profile in its current form: parameters once listed under `[snippet]` join `params`.
fn settle(mut profile: Profile) -> Profile {
    let legacy = std::mem::take(&mut profile.snippet.params);
    profile.params.extend(legacy);
    profile
}

fn check(profile: Profile, text: &str, file: &str) -> Result<Profile, ProfileError> {
    let profile = settle(profile);
    let at = Where { text, file };
    check_identity(&profile, &at)?;
    check_scheme(&profile, &at)?;
    check_claims(&profile, &at)?;
    check_sources(&profile, &at)?;
    check_groups(&profile, &at)?;
    check_defaults(&profile, &at)?;
    Ok(profile)
}

/// The id, and claims whose defaults make each other.
fn check_identity(profile: &Profile, at: &Where<'_>) -> Result<(), ProfileError> {
    if !valid_id(&profile.id) {
        return Err(at.invalid(
            "id",
            "id",
            format!("'{}' must be lowercase letters, digits and '-'", profile.id),
        ));
    }
    if let Some(cycle) = default_cycle(profile) {
        let first = cycle.first().cloned().unwrap_or_default();
        return Err(at.invalid(
            "claims",
            &format!("\"{first}\""),
            format!(
                "the defaults of {} make each other ({}): no order can build them; give one of them a value of its own",
                cycle
                    .iter()
                    .take(cycle.len().saturating_sub(1))
                    .map(|c| format!("'{c}'"))
                    .collect::<Vec<_>>()
                    .join(" and "),
                cycle.join(" <- ")
            ),
        ));
    }
    Ok(())
}

/// What each scheme needs: algorithms for a JWT, a [hash] table for an identity hash, an
/// [issued] table for a token the vendor issues.
fn check_scheme(profile: &Profile, at: &Where<'_>) -> Result<(), ProfileError> {
    match profile.scheme {
        Scheme::Jwt if profile.algorithms.is_empty() => {
            return Err(at.invalid("algorithms", "algorithms", "list at least one algorithm".to_string()));
        }
        Scheme::IdentityHash => {
            let Some(rules) = &profile.hash else {
                return Err(at.invalid(
                    "hash",
                    "scheme",
                    "an identity-hash profile needs a [hash] table: identifier = [\"user_id\", \"email\"], page_field = \"user_hash\"".to_string(),
                ));
            };
            if profile.key_kind != Family::Hmac || !profile.algorithms.is_empty() {
                return Err(at.invalid(
                    "key_kind",
                    "key_kind",
                    "an identity-hash profile uses an HMAC secret and no JWT algorithms: remove algorithms and key_kind".to_string(),
                ));
            }
            if let Some(missing) = rules.identifier.value.iter().find(|p| profile.field(p).is_none()) {
                return Err(at.invalid(
                    "hash.identifier",
                    "identifier",
                    format!("'{missing}' is not a claim of this profile: declare it under [[claims]]"),
                ));
            }
            if rules.identifier.value.is_empty() {
                return Err(at.invalid(
                    "hash.identifier",
                    "identifier",
                    "name at least one claim".to_string(),
                ));
            }
        }
        Scheme::VendorIssued if profile.issued.is_none() => {
            return Err(at.invalid(
                "issued",
                "scheme",
                "a vendor-issued profile needs an [issued] table with origin = \"...\"".to_string(),
            ));
        }
        _ => {}
    }
    Ok(())
}

/// Algorithms that fit the key kind; claim paths that neither repeat nor collide; hashes of
/// declared claims.
fn check_claims(profile: &Profile, at: &Where<'_>) -> Result<(), ProfileError> {
    let family = profile.key_kind;
    if let Some(alg) = profile.algorithms.iter().find(|a| a.family() != family) {
        return Err(at.invalid(
            "algorithms",
            "algorithms",
            format!("{alg} needs {}, but key_kind is {}", alg.family(), profile.key_kind.key_pair_id()),
        ));
    }
    for (i, field) in profile.claims.iter().enumerate() {
        let needle = format!("\"{}\"", field.path);
        for other in profile.claims.iter().take(i) {
            if other.path == field.path {
                return Err(at.invalid(
                    "claims.path",
                    &needle,
                    format!("claim '{}' is declared twice", field.path),
                ));
            }
            if other.path.is_prefix_of(&field.path) || field.path.is_prefix_of(&other.path) {
                return Err(at.invalid(
                    "claims.path",
                    &needle,
                    format!(
                        "claims '{}' and '{}' collide (one would have to be an object)",
                        other.path, field.path
                    ),
                ));
            }
        }
        if let Some(source) = field.default.as_ref().and_then(|d| d.source())
            && !profile.claims.iter().any(|f| &f.path == source)
        {
            return Err(at.invalid(
                "claims.default",
                &needle,
                format!("claim '{}' hashes '{source}', which is not a claim of this profile", field.path),
            ));
        }
    }
    Ok(())
}

/// Every source a rule names is declared, and tokensmith's own advice is never enforced.
fn check_sources(profile: &Profile, at: &Where<'_>) -> Result<(), ProfileError> {
    let known_source = |id: &str| {
        profile.sources.iter().any(|s| s.id == id)
            || id == crate::time_rules::STANDARD
            || id == crate::time_rules::OURS
            || (profile.sources.is_empty() && id == "profile")
    };
    for source in &profile.sources {
        if source.kind == SourceKind::Ours && source.enforced {
            return Err(at.invalid(
                "sources.enforced",
                &format!("\"{}\"", source.id),
                format!("source '{}' is tokensmith's own advice and cannot be enforced", source.id),
            ));
        }
    }
    let t = &profile.time;
    let mut named: Vec<(&str, Option<&String>)> = vec![
        ("default_source", Some(&profile.default_source)),
        ("time.exp_required", t.exp_required.source.as_ref()),
        ("time.iat_required", t.iat_required.source.as_ref()),
        ("time.integer", t.integer.source.as_ref()),
        ("time.exp_ends_session", t.exp_ends_session.source.as_ref()),
    ];
    for (field, rule) in [
        ("time.max_lifetime", &t.max_lifetime),
        ("time.max_age", &t.max_age),
        ("time.recommended_lifetime", &t.recommended_lifetime),
        ("time.iat_skew", &t.iat_skew),
    ] {
        named.push((field, rule.as_ref().and_then(|r| r.source.as_ref())));
    }
    named.push(("server.source", profile.server.as_ref().and_then(|s| s.source.as_ref())));
    named.push(("algorithms_source", profile.algorithms_source.as_ref()));
    named.push(("hash.identifier", profile.hash.as_ref().and_then(|h| h.identifier.source.as_ref())));
    if let Some(issued) = &profile.issued {
        named.push(("issued.origin", issued.origin.source.as_ref()));
        named.push(("issued.lifetime", issued.lifetime.as_ref().and_then(|l| l.source.as_ref())));
    }
    named.push(("header.source", profile.header.source.as_ref()));
    for group in &profile.any_of {
        named.push(("any_of.source", group.source.as_ref()));
    }
    for field in &profile.claims {
        named.push(("claims.source", field.source.as_ref()));
    }
    for (field, id) in named {
        if let Some(id) = id
            && !known_source(id)
        {
            let ids: Vec<&str> = profile.sources.iter().map(|s| s.id.as_str()).collect();
            return Err(at.invalid(
                field,
                &format!("\"{id}\""),
                format!(
                    "source '{id}' is not declared: declare it under [[sources]] (declared: {})",
                    if ids.is_empty() { "none".to_string() } else { ids.join(", ") }
                ),
            ));
        }
    }
    Ok(())
}

/// The kid parameter and the any-of groups name what the profile declares.
fn check_groups(profile: &Profile, at: &Where<'_>) -> Result<(), ProfileError> {
    if let Some(name) = &profile.header.kid_param
        && !profile.params.iter().any(|p| &p.name == name)
    {
        return Err(at.invalid(
            "header.kid_param",
            "kid_param",
            format!("'{name}' is not a parameter of this profile: declare it under [[params]]"),
        ));
    }
    for group in &profile.any_of {
        if let Some(path) = group.claims.iter().find(|c| profile.field(c).is_none()) {
            return Err(at.invalid(
                "any_of.claims",
                &format!("\"{path}\""),
                format!("'{path}' is not a claim of this profile: declare it under [[claims]]"),
            ));
        }
        if group.claims.len() < 2 {
            return Err(at.invalid(
                "any_of.claims",
                "any_of",
                "name at least two claims (one claim alone is a required claim)".to_string(),
            ));
        }
    }
    Ok(())
}

/// Required time claims have a claim that makes them; templates name parameters or claims.
fn check_defaults(profile: &Profile, at: &Where<'_>) -> Result<(), ProfileError> {
    let t = &profile.time;
    // A rule that requires a time claim needs a claim that makes it.
    for (rule, claim) in [(&t.exp_required, "exp"), (&t.iat_required, "iat")] {
        if rule.value && !profile.claims.iter().any(|f| f.path.to_string() == claim && f.default.is_some()) {
            return Err(at.invalid(
                &format!("time.{claim}_required"),
                &format!("{claim}_required"),
                format!(
                    "the profile requires {claim} but declares no '{claim}' claim with a default: add [[claims]] path = \"{claim}\", type = \"unix-time\", default = \"now{}\"",
                    if claim == "exp" { "+5m" } else { "" }
                ),
            ));
        }
    }
    for field in &profile.claims {
        if let Some(crate::claims::ValueExpr::Template(parts)) = &field.default {
            for part in parts {
                let crate::claims::TemplatePart::Ref(name) = part else { continue };
                let is_param = profile.params.iter().any(|p| &p.name == name);
                let is_claim =
                    name.parse::<ClaimPath>().is_ok_and(|p| p != field.path && profile.field(&p).is_some());
                if !is_param && !is_claim {
                    return Err(at.invalid(
                        "claims.default",
                        &format!("\"{}\"", field.path),
                        format!(
                            "claim '{}' refers to '{{{name}}}', which is neither a parameter nor another claim of this profile",
                            field.path
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}
