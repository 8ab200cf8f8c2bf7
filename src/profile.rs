//! Vendor profiles: what a vendor's widget expects of a token, kept as data (TOML). Built-in
//! profiles are embedded from `assets/profiles/`; user profiles in `<config>/profiles/*.toml`
//! override them by id. A broken user file is reported and skipped; the rest still load.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::claims::{ClaimField, ClaimPath};
use crate::token::{Alg, Family};

mod user;
pub use crate::sourced::Sourced;
pub use crate::time::Secs;
pub use crate::time_rules::TimeRules;
pub use user::{
    DuplicateId, UserFileError, builtin_text, save_user_profile, template, to_toml, to_toml_keeping,
    user_file, valid_id, write_new,
};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_profiles.rs"));
}

/// The key a vendor uses is a key family (the one key model in `token`): an HMAC secret
/// (scheme A) or a key pair whose private part the customer signs with (scheme B). In profile
/// files it is written `hmac-secret`, `rsa-key-pair`, `ec-p256-key-pair`, `ec-p384-key-pair`
/// or `ed25519-key-pair`.
mod key_pair {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::token::Family;

    pub fn serialize<S: Serializer>(family: &Family, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(family.key_pair_id())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Family, D::Error> {
        let id = String::deserialize(d)?;
        Family::ALL.into_iter().find(|f| f.key_pair_id() == id).ok_or_else(|| {
            let known: Vec<&str> = Family::ALL.iter().map(|f| f.key_pair_id()).collect();
            serde::de::Error::custom(format!("unknown key_kind '{id}': use one of {}", known.join(", ")))
        })
    }
}

/// How the vendor reads an HMAC secret.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecretEncoding {
    /// The secret's text, as UTF-8 bytes.
    #[default]
    Utf8,
    /// The secret is base64; its decoded bytes are the key.
    Base64,
}

/// Header rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderRules {
    /// The `typ` to write; none to leave it out.
    #[serde(default = "default_typ")]
    pub typ: Option<String>,
    /// Header fields the vendor requires (`kid`).
    #[serde(default)]
    pub required: Vec<String>,
    /// What the `kid` is, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid_description: Option<String>,
    /// The parameter whose value is the `kid` when no key id is given (Zendesk's key id,
    /// Salesforce's JWK kid): signing and the server code write it into the header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid_param: Option<String>,
    /// Which of the profile's sources states the header rules; none means `default_source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

fn default_typ() -> Option<String> {
    Some("JWT".to_string())
}

impl Default for HeaderRules {
    fn default() -> Self {
        HeaderRules {
            typ: default_typ(),
            required: Vec::new(),
            kid_description: None,
            kid_param: None,
            source: None,
        }
    }
}

/// What kind of text a rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// The seed page a vendor profile was first written from (`shared/seeds/`).
    SeedPage,
    /// The vendor's current documentation.
    VendorDocs,
    /// The vendor's own code samples.
    VendorSample,
    /// The vendor's server code: what actually accepts or refuses the token.
    VendorServer,
    /// A standard (RFC 7519, RFC 7515).
    Standard,
    /// tokensmith's own advice or default.
    Ours,
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SourceKind::SeedPage => "seed page",
            SourceKind::VendorDocs => "vendor docs",
            SourceKind::VendorSample => "vendor sample",
            SourceKind::VendorServer => "vendor server code",
            SourceKind::Standard => "standard",
            SourceKind::Ours => "tokensmith",
        })
    }
}

/// Where a profile's rules come from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Short id rules refer to (`seed`, `server`, `docs`, `ours`).
    pub id: String,
    /// What kind of text it is.
    pub kind: SourceKind,
    /// Its title, for people (`tiledesk-server, middleware/passport.js`).
    pub title: String,
    /// Where to read it, when public.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Whether the vendor's acceptor enforces this source's rules: breaking one is then an
    /// error; otherwise a warning that says where the rule comes from.
    #[serde(default)]
    pub enforced: bool,
}

/// The source of a user profile that names none: its own file, enforced.
fn implicit_source() -> Source {
    Source {
        id: "profile".to_string(),
        kind: SourceKind::VendorDocs,
        title: "this profile's rules".to_string(),
        url: None,
        enforced: true,
    }
}

/// tokensmith's own advice: never an error.
pub fn ours() -> Source {
    Source {
        id: "ours".to_string(),
        kind: SourceKind::Ours,
        title: "tokensmith's own advice, not the vendor's".to_string(),
        url: None,
        enforced: false,
    }
}

fn default_source_id() -> String {
    "profile".to_string()
}

/// What the server code serves: the route the page fetches and the JSON key of the token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerRules {
    /// The route (`/api/ticketping/chat-jwt`).
    pub route: String,
    /// The key of the token in the JSON answer (`jwt` answers `{ "jwt": token }`).
    #[serde(default = "default_response_key")]
    pub response_key: String,
    /// Which source names the route and key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

fn default_response_key() -> String {
    "token".to_string()
}

/// A value of the customer's that the token or the snippets need (project id, app id): claim
/// defaults refer to it as `{name}`, snippet templates as `params.name`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// Its name (`project_id`).
    pub name: String,
    /// What it is.
    #[serde(default)]
    pub description: String,
    /// A placeholder value, as the vendor's docs write it where they have one.
    #[serde(default)]
    pub default: String,
    /// The default only stands for the customer's value: a claim still holding it is refused by
    /// the vendor (no project has the id `<PROJECT_ID>`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub placeholder: bool,
}

/// Snippet settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnippetRules {
    /// What the page must put before the token (`JWT ` for Tiledesk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_prefix: Option<String>,
    /// `[[snippet.params]]`, as profiles written before parameters fed claims have them: read
    /// into the profile's `params` on load, so those files keep working.
    #[serde(default, skip_serializing)]
    pub params: Vec<Param>,
}

/// How the vendor's widget learns who the user is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scheme {
    /// A JWT the customer's server signs (schemes A and B).
    #[default]
    Jwt,
    /// The user's identifier and the hex HMAC-SHA256 of it (scheme C): `tokensmith hash`.
    IdentityHash,
    /// A token the vendor issues to the customer's server (scheme D): decoded, never signed.
    VendorIssued,
}

impl Scheme {
    /// Whether this is the JWT scheme (skipped when serialising, as it is the default).
    pub fn is_jwt(&self) -> bool {
        *self == Scheme::Jwt
    }
}

/// What an identity-hash profile hashes (`[hash]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HashRules {
    /// The claims (values the page passes) the hash is made of: the first one set is hashed
    /// (`["user_id", "email"]`: the user id, else the email).
    pub identifier: Sourced<Vec<ClaimPath>>,
    /// The name the page gives the hash (`user_hash`, `signature`, `identifier_hash`).
    pub page_field: String,
}

/// What a vendor-issued token is (`[issued]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuedRules {
    /// The lifetime the vendor gives its tokens (HubSpot: 12 hours); a token whose
    /// `exp - iat` differs gets a warning citing the source, never an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime: Option<Sourced<Secs>>,
    /// Where such a token comes from, in plain words (the API the customer's server calls).
    pub origin: Sourced<String>,
}

/// Claims of which the vendor needs at least one (Kustomer: `email` or `externalId`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimGroup {
    /// The claims, any one of which will do.
    pub claims: Vec<ClaimPath>,
    /// What to send, for people.
    #[serde(default)]
    pub description: String,
    /// Which of the profile's sources states the rule; none means `default_source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Where a profile came from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "path")]
pub enum ProfileSource {
    /// Embedded in the binary.
    #[default]
    BuiltIn,
    /// A user file.
    User(PathBuf),
}

/// A vendor profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Stable id (`tiledesk`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Title of the vendor's page the rules come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// Address of that page, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs_url: Option<String>,
    /// Allowed algorithms, preferred first (none for identity-hash and vendor-issued profiles).
    #[serde(default)]
    pub algorithms: Vec<Alg>,
    /// Which of the profile's sources states the algorithms (none: `default_source`); when it
    /// is not enforced, another algorithm is a warning (Kustomer's HS256 is unconfirmed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithms_source: Option<String>,
    /// The key the vendor uses: a family (the customer holds the private part).
    #[serde(with = "key_pair", default = "hmac_family")]
    pub key_kind: Family,
    /// How an HMAC secret is read.
    #[serde(default)]
    pub secret_encoding: SecretEncoding,
    /// Header rules.
    #[serde(default)]
    pub header: HeaderRules,
    /// Whether claims beyond the declared ones may be added.
    #[serde(default)]
    pub extra_claims: bool,
    /// Time rules.
    #[serde(default)]
    pub time: TimeRules,
    /// Claim fields, in payload order.
    #[serde(default)]
    pub claims: Vec<ClaimField>,
    /// Groups of claims of which at least one must be present (`[[any_of]]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<ClaimGroup>,
    /// Snippet settings.
    #[serde(default)]
    pub snippet: SnippetRules,
    /// The customer's values that claims and snippets use.
    #[serde(default)]
    pub params: Vec<Param>,
    /// What the generated server code serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<ServerRules>,
    /// Where the rules come from.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// The source of rules that name none.
    #[serde(default = "default_source_id")]
    pub default_source: String,
    /// Facts that are unconfirmed, and other remarks.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Where it was loaded from.
    #[serde(skip_deserializing)]
    pub source: ProfileSource,
    /// JWT (default), identity hash or vendor-issued token.
    #[serde(default, skip_serializing_if = "Scheme::is_jwt")]
    pub scheme: Scheme,
    /// What an identity-hash profile hashes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<HashRules>,
    /// What a vendor-issued token is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<IssuedRules>,
}

fn hmac_family() -> Family {
    Family::Hmac
}

impl Profile {
    /// The claim field at a path.
    pub fn field(&self, path: &ClaimPath) -> Option<&ClaimField> {
        self.claims.iter().find(|f| &f.path == path)
    }

    /// The source with this id (`None`: the profile's default source). The ids `rfc7519` and
    /// `ours` always exist; an id the profile does not declare reads as its default source.
    pub fn source(&self, id: Option<&str>) -> Source {
        let id = id.unwrap_or(&self.default_source);
        if let Some(source) = self.sources.iter().find(|s| s.id == id) {
            return source.clone();
        }
        match id {
            crate::time_rules::STANDARD => Source {
                id: id.to_string(),
                kind: SourceKind::Standard,
                title: "RFC 7519 (JSON Web Token), as every JWT library applies it".to_string(),
                url: Some("https://www.rfc-editor.org/rfc/rfc7519".to_string()),
                enforced: true,
            },
            crate::time_rules::OURS => ours(),
            _ => self
                .sources
                .iter()
                .find(|s| s.id == self.default_source)
                .cloned()
                .unwrap_or_else(implicit_source),
        }
    }

    /// The parameters with their defaults, overridden by `given` (`NAME=VALUE` pairs).
    pub fn resolve_params(&self, given: &[(String, String)]) -> Result<Vec<(String, String)>, ParamError> {
        let mut params: Vec<(String, String)> =
            self.params.iter().map(|p| (p.name.clone(), p.default.clone())).collect();
        for (name, value) in given {
            match params.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1.clone_from(value),
                None => {
                    return Err(ParamError {
                        profile: self.id.clone(),
                        name: name.clone(),
                        known: self.params.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join(", "),
                    });
                }
            }
        }
        Ok(params)
    }
}

/// A `--param` the profile does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("profile '{profile}' has no parameter '{name}'{}", if .known.is_empty() { String::new() } else { format!(": its parameters are {}", .known) })]
pub struct ParamError {
    /// The profile.
    pub profile: String,
    /// The name given.
    pub name: String,
    /// Its parameters, comma-separated.
    pub known: String,
}

/// A profile file that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// TOML that does not parse, or a field of the wrong shape.
    #[error("{file}:{line}:{column}: {}{message}", .field.as_ref().map(|f| format!("field '{f}': ")).unwrap_or_default())]
    Parse {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The key on that line, when there is one.
        field: Option<String>,
        /// The parser's message.
        message: String,
    },
    /// Well-formed, but the rules contradict themselves.
    #[error("{file}{}{}: field '{field}': {message}", .line.map(|l| format!(":{l}")).unwrap_or_default(), .column.map(|c| format!(":{c}")).unwrap_or_default())]
    Invalid {
        /// The file.
        file: String,
        /// The line where the field is, when found.
        line: Option<usize>,
        /// The column where the field is on that line, when found.
        column: Option<usize>,
        /// The field.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The file could not be read.
    #[error("{file}: cannot read: {message}")]
    Io {
        /// The file.
        file: String,
        /// The OS error.
        message: String,
    },
}

/// An id that matches no profile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown profile '{id}': known profiles are {known} (`tokensmith profiles` lists them)")]
pub struct UnknownProfile {
    /// The id asked for.
    pub id: String,
    /// The known ids, comma-separated.
    pub known: String,
}

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
        Ok(mut profile) => {
            profile.source = ProfileSource::BuiltIn;
            check(profile, toml, file)
        }
        // Not expected (the build made the JSON from a file that parses), but never a panic:
        // the TOML parser then says what is wrong, with its line and column.
        Err(_) => parse(toml, file, ProfileSource::BuiltIn),
    }
}

/// The checks every profile passes, however it was read: ids, rules and their sources.
fn check(mut profile: Profile, text: &str, file: &str) -> Result<Profile, ProfileError> {
    let legacy = std::mem::take(&mut profile.snippet.params);
    profile.params.extend(legacy);
    let invalid = |field: &str, needle: &str, message: String| {
        let at = position_of(text, needle);
        ProfileError::Invalid {
            file: file.to_string(),
            line: at.map(|(line, _)| line),
            column: at.map(|(_, column)| column),
            field: field.to_string(),
            message,
        }
    };
    if !valid_id(&profile.id) {
        return Err(invalid(
            "id",
            "id",
            format!("'{}' must be lowercase letters, digits and '-'", profile.id),
        ));
    }
    if let Some(cycle) = default_cycle(&profile) {
        let first = cycle.first().cloned().unwrap_or_default();
        return Err(invalid(
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
    match profile.scheme {
        Scheme::Jwt if profile.algorithms.is_empty() => {
            return Err(invalid("algorithms", "algorithms", "list at least one algorithm".to_string()));
        }
        Scheme::IdentityHash => {
            let Some(rules) = &profile.hash else {
                return Err(invalid(
                    "hash",
                    "scheme",
                    "an identity-hash profile needs a [hash] table: identifier = [\"user_id\", \"email\"], page_field = \"user_hash\"".to_string(),
                ));
            };
            if profile.key_kind != Family::Hmac || !profile.algorithms.is_empty() {
                return Err(invalid(
                    "key_kind",
                    "key_kind",
                    "an identity-hash profile uses an HMAC secret and no JWT algorithms: remove algorithms and key_kind".to_string(),
                ));
            }
            if let Some(missing) = rules.identifier.value.iter().find(|p| profile.field(p).is_none()) {
                return Err(invalid(
                    "hash.identifier",
                    "identifier",
                    format!("'{missing}' is not a claim of this profile: declare it under [[claims]]"),
                ));
            }
            if rules.identifier.value.is_empty() {
                return Err(invalid("hash.identifier", "identifier", "name at least one claim".to_string()));
            }
        }
        Scheme::VendorIssued if profile.issued.is_none() => {
            return Err(invalid(
                "issued",
                "scheme",
                "a vendor-issued profile needs an [issued] table with origin = \"...\"".to_string(),
            ));
        }
        _ => {}
    }
    let family = profile.key_kind;
    if let Some(alg) = profile.algorithms.iter().find(|a| a.family() != family) {
        return Err(invalid(
            "algorithms",
            "algorithms",
            format!("{alg} needs {}, but key_kind is {}", alg.family(), profile.key_kind.key_pair_id()),
        ));
    }
    for (i, field) in profile.claims.iter().enumerate() {
        let needle = format!("\"{}\"", field.path);
        for other in profile.claims.iter().take(i) {
            if other.path == field.path {
                return Err(invalid(
                    "claims.path",
                    &needle,
                    format!("claim '{}' is declared twice", field.path),
                ));
            }
            if other.path.is_prefix_of(&field.path) || field.path.is_prefix_of(&other.path) {
                return Err(invalid(
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
            return Err(invalid(
                "claims.default",
                &needle,
                format!("claim '{}' hashes '{source}', which is not a claim of this profile", field.path),
            ));
        }
    }
    let known_source = |id: &str| {
        profile.sources.iter().any(|s| s.id == id)
            || id == crate::time_rules::STANDARD
            || id == crate::time_rules::OURS
            || (profile.sources.is_empty() && id == "profile")
    };
    for source in &profile.sources {
        if source.kind == SourceKind::Ours && source.enforced {
            return Err(invalid(
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
    ];
    for (field, rule) in [
        ("time.max_lifetime", &t.max_lifetime),
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
            return Err(invalid(
                field,
                &format!("\"{id}\""),
                format!(
                    "source '{id}' is not declared: declare it under [[sources]] (declared: {})",
                    if ids.is_empty() { "none".to_string() } else { ids.join(", ") }
                ),
            ));
        }
    }
    if let Some(name) = &profile.header.kid_param
        && !profile.params.iter().any(|p| &p.name == name)
    {
        return Err(invalid(
            "header.kid_param",
            "kid_param",
            format!("'{name}' is not a parameter of this profile: declare it under [[params]]"),
        ));
    }
    for group in &profile.any_of {
        if let Some(path) = group.claims.iter().find(|c| profile.field(c).is_none()) {
            return Err(invalid(
                "any_of.claims",
                &format!("\"{path}\""),
                format!("'{path}' is not a claim of this profile: declare it under [[claims]]"),
            ));
        }
        if group.claims.len() < 2 {
            return Err(invalid(
                "any_of.claims",
                "any_of",
                "name at least two claims (one claim alone is a required claim)".to_string(),
            ));
        }
    }
    // A rule that requires a time claim needs a claim that makes it.
    for (rule, claim) in [(&t.exp_required, "exp"), (&t.iat_required, "iat")] {
        if rule.value && !profile.claims.iter().any(|f| f.path.to_string() == claim && f.default.is_some()) {
            return Err(invalid(
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
                    return Err(invalid(
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
    Ok(profile)
}

/// All profiles, and the files that could not be loaded.
#[derive(Clone, Debug, Default)]
pub struct ProfileSet {
    /// Built-in profiles, with user files replacing those of the same id, then new user ones.
    pub profiles: Vec<Profile>,
    /// User files that were skipped, with why.
    pub errors: Vec<ProfileError>,
    /// User files whose id another user file also has (the later file, by name, wins).
    pub duplicates: Vec<DuplicateId>,
}

impl ProfileSet {
    /// Loads the built-in profiles and, when given, the user folder's `*.toml` files.
    pub fn load(user_dir: Option<&Path>) -> ProfileSet {
        Self::load_matching(user_dir, |_| true)
    }

    /// Like [`ProfileSet::load`], but parses only the built-in profile `id` (built-in files are
    /// named `<id>.toml`): a command that needs one profile does not parse them all.
    pub fn load_for(user_dir: Option<&Path>, id: &str) -> ProfileSet {
        let file = format!("{id}.toml");
        Self::load_matching(user_dir, |name| name == file)
    }

    fn load_matching(user_dir: Option<&Path>, wanted: impl Fn(&str) -> bool) -> ProfileSet {
        let mut set = ProfileSet::default();
        let built_in = builtin::BUILT_IN.iter().zip(builtin::BUILT_IN_JSON);
        for ((name, text), (_, json)) in built_in.filter(|((name, _), _)| wanted(name)) {
            match parse_built_in(json, text, &format!("assets/profiles/{name}")) {
                Ok(profile) => set.profiles.push(profile),
                Err(err) => set.errors.push(err),
            }
        }
        let Some(dir) = user_dir else { return set };
        let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return set,
            Err(err) => {
                set.errors
                    .push(ProfileError::Io { file: dir.display().to_string(), message: err.to_string() });
                return set;
            }
        };
        files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
        files.sort();
        for path in files {
            let file = path.display().to_string();
            let loaded = crate::limits::read_text(&path, crate::limits::MAX_TEXT_FILE_BYTES)
                .map_err(|e| ProfileError::Io { file: file.clone(), message: e.to_string() })
                .and_then(|text| parse(&text.unwrap_or_default(), &file, ProfileSource::User(path.clone())));
            match loaded {
                Ok(profile) => match set.profiles.iter_mut().find(|p| p.id == profile.id) {
                    Some(existing) => {
                        if let ProfileSource::User(earlier) = &existing.source {
                            set.duplicates.push(DuplicateId {
                                id: profile.id.clone(),
                                ignored: earlier.clone(),
                                used: path.clone(),
                            });
                        }
                        *existing = profile;
                    }
                    None => set.profiles.push(profile),
                },
                Err(err) => set.errors.push(err),
            }
        }
        set
    }

    /// Everything wrong with the user folder, one line each: skipped files, then duplicate ids.
    pub fn warnings(&self) -> Vec<String> {
        let skipped = self.errors.iter().map(|e| format!("skipped profile file {e}"));
        skipped.chain(self.duplicates.iter().map(DuplicateId::to_string)).collect()
    }

    /// The profile with this id.
    pub fn get(&self, id: &str) -> Result<&Profile, UnknownProfile> {
        self.profiles.iter().find(|p| p.id == id).ok_or_else(|| {
            let mut known: Vec<String> = builtin::BUILT_IN
                .iter()
                .filter_map(|(name, _)| name.strip_suffix(".toml"))
                .map(str::to_string)
                .chain(self.profiles.iter().map(|p| p.id.clone()))
                .collect();
            known.sort();
            known.dedup();
            UnknownProfile { id: id.to_string(), known: known.join(", ") }
        })
    }
}

#[cfg(test)]
mod tests {
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
        let readme = include_str!("../README.md");
        let start = readme.find("```toml\nid = \"acme\"").expect("README has the profile example");
        let block = &readme[start + "```toml\n".len()..];
        let text = &block[..block.find("```").expect("closed")];
        let profile =
            parse(text, "README.md", ProfileSource::BuiltIn).expect("the README's example is valid");
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
        let text =
            format!("{MINIMAL}[[claims]]\npath = \"a\"\ntype = \"string\"\ndefault = \"{{nope}}_x\"\n");
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
        let text =
            format!("{MINIMAL}[[claims]]\npath = \"uid\"\ntype = \"string\"\ndefault = \"md5(mail)\"\n");
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
}
