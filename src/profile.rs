//! Vendor profiles: what a vendor's widget expects of a token, kept as data (TOML). Built-in
//! profiles are embedded from `assets/profiles/`; user profiles in `<config>/profiles/*.toml`
//! override them by id. A broken user file is reported and skipped; the rest still load.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::claims::{ClaimField, ClaimPath};
use crate::token::{Alg, Family};

mod check;
mod user;

pub use crate::sourced::Sourced;
pub use crate::time::Secs;
pub use crate::time_rules::TimeRules;
pub use check::{parse, parse_built_in};
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
    /// The vendor page a profile was first written from (its widget documentation).
    SeedPage,
    /// The vendor's current documentation.
    VendorDocs,
    /// The vendor's own code samples.
    VendorSample,
    /// The vendor's server code: what actually accepts or refuses the token.
    VendorServer,
    /// The vendor's SDK: the code the customer's page runs (what throws before any request).
    VendorSdk,
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
            SourceKind::VendorSdk => "vendor SDK code",
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
    /// The vendor's domains (`tiledesk.com`): a request to one of them or a subdomain is the
    /// widget talking to the vendor (`tokensmith har` names the vendor by them). Each appears
    /// in a URL of the profile's sources or snippets (a test checks it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
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
    /// Whether a request to `host` goes to the vendor: one of its [`Profile::hosts`] or a
    /// subdomain of one (`api.tiledesk.com` for `tiledesk.com`, not `nottiledesk.com`).
    pub fn serves_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.hosts
            .iter()
            .any(|h| host == *h || host.strip_suffix(h.as_str()).is_some_and(|rest| rest.ends_with('.')))
    }

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
mod tests;
