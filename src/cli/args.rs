//! The arguments of the verbs that take a token or a key (clap derive), apart from the command
//! tree in `cli.rs` so each stays short.

use std::path::PathBuf;

use clap::Args;
use clap_complete::engine::ArgValueCandidates;

use super::complete;

/// Where the key comes from. Exactly one source.
#[derive(Debug, Default, Args)]
#[group(skip)]
#[command(group(
    clap::ArgGroup::new("key-source")
        .multiple(false)
        .args(["secret_env", "secret_file", "secret_stdin", "secret", "key_file", "key"])
))]
pub struct KeySource {
    /// Read the HMAC secret from environment variable VAR
    #[arg(long, value_name = "VAR")]
    pub secret_env: Option<String>,
    /// Read the HMAC secret from a file (one trailing newline is ignored)
    #[arg(long, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,
    /// Read the HMAC secret from standard input
    #[arg(long)]
    pub secret_stdin: bool,
    /// The HMAC secret itself (visible to other users in `ps` and kept in shell history: prefer the others)
    #[arg(long, value_name = "SECRET")]
    pub secret: Option<String>,
    /// Read a key file: private to sign, public or private to verify. PEM or binary DER
    /// (PKCS#1, PKCS#8, SPKI, SEC1), encrypted PKCS#8, a JWK, or a bare EC point (its curve
    /// from the token's alg, else its size); to verify, a JWKS too (the key is chosen as
    /// with --jwks)
    #[arg(long, value_name = "PATH")]
    pub key_file: Option<PathBuf>,
    /// The passphrase of an encrypted --key-file is in environment variable VAR (else it is
    /// asked for on a terminal)
    #[arg(long, value_name = "VAR", requires = "key_file")]
    pub key_passphrase_env: Option<String>,
    /// Use a key from the store (`tokensmith keys list`); with --profile and no key option,
    /// the store's one key for that profile is used
    #[arg(long, value_name = "NAME", add = ArgValueCandidates::new(complete::key_names))]
    pub key: Option<String>,
}

impl KeySource {
    /// Whether any key option was given (else the store is asked).
    pub fn given(&self) -> bool {
        self.secret_env.is_some()
            || self.secret_file.is_some()
            || self.secret_stdin
            || self.secret.is_some()
            || self.key_file.is_some()
            || self.key.is_some()
    }
}

/// A keyset (JWKS) to verify against, instead of one key.
#[derive(Debug, Default, Args)]
pub struct KeySetArgs {
    /// Verify against a keyset (JWKS): a file, an https URL, or - for standard input; the
    /// key is chosen by the token's kid, else by its alg
    #[arg(long, value_name = "FILE|URL|-")]
    pub jwks: Option<String>,
    /// Find the keyset from the token's iss: its /.well-known/openid-configuration (else
    /// oauth-authorization-server) names the jwks_uri
    #[arg(long, conflicts_with = "jwks")]
    pub discover: bool,
    /// Trust this CA certificate (PEM) too when fetching over https, for a private CA
    #[arg(long, value_name = "PEM", env = "TOKENSMITH_CA_FILE")]
    pub ca_file: Option<PathBuf>,
}

impl KeySetArgs {
    /// Whether a keyset was asked for.
    pub fn given(&self) -> bool {
        self.jwks.is_some() || self.discover
    }
}

#[derive(Debug, Args)]
pub struct SecretEncodingArg {
    /// The secret is base64: use its decoded bytes as the HMAC key
    #[arg(long)]
    pub secret_base64: bool,
}

#[derive(Debug, Args)]
#[command(after_help = super::help::SIGN)]
pub struct SignArgs {
    /// The vendor profile (see `tokensmith profiles`)
    #[arg(long, short = 'p', value_name = "ID", add = ArgValueCandidates::new(complete::profile_ids))]
    pub profile: String,
    #[command(flatten)]
    pub key: KeySource,
    #[command(flatten)]
    pub encoding: SecretEncodingArg,
    /// Set a claim: PATH=VALUE (text, typed by the profile) or PATH:=JSON (raw JSON)
    #[arg(long = "claim", short = 'c', value_name = "PATH=VALUE")]
    pub claims: Vec<String>,
    /// Lifetime: sets exp to the issue time plus this (30s, 5m, 1h)
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
    pub ttl: Option<String>,
    /// Key id for the header's kid
    #[arg(long, value_name = "KID")]
    pub kid: Option<String>,
    /// Add a header field: NAME=VALUE or NAME:=JSON
    #[arg(long = "header", value_name = "NAME=VALUE")]
    pub headers: Vec<String>,
    /// Algorithm, when the profile allows several (default: the profile's first that fits the key)
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,
    /// Issue the token as of this time (unix seconds or RFC 3339) instead of now
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// Set a profile parameter that claims are made from: NAME=VALUE (project_id, org_id...)
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Refuse (exit 2, no token) when the token would break one of the vendor's rules
    #[arg(long)]
    pub strict: bool,
    /// Start from this token's claims and header fields (the token, - or @FILE): --claim,
    /// --param and --header go on top, and the key given signs it
    #[arg(long, value_name = "TOKEN")]
    pub from: Option<String>,
    /// With --from: move iat, nbf and exp to now, keeping the token's lifetime
    #[arg(long, requires = "from")]
    pub refresh_times: bool,
    /// Print JSON with the token, header and payload
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(after_help = super::help::DECODE)]
pub struct DecodeArgs {
    /// The token, or - (or nothing) to read it from standard input
    pub token: Option<String>,
    /// Judge times as of this time (unix seconds or RFC 3339) instead of now
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(after_help = super::help::SNIPPET)]
pub struct SnippetArgs {
    /// The vendor profile
    #[arg(long, short = 'p', value_name = "ID", add = ArgValueCandidates::new(complete::profile_ids))]
    pub profile: String,
    /// The flavour: html, react, svelte, mobile-url... for the page; node, python, ruby, php,
    /// go, java, csharp for the server (`--list` shows those the profile has)
    #[arg(long, value_name = "FLAVOR")]
    pub flavor: Option<String>,
    /// List the profile's flavours
    #[arg(long)]
    pub list: bool,
    /// The token to put in the page (default: sign one now)
    pub token: Option<String>,
    /// Set a snippet parameter: NAME=VALUE (app_id, team_slug, widget_id...)
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// When signing a token for the snippet: PATH=VALUE or PATH:=JSON
    #[arg(long = "claim", short = 'c', value_name = "PATH=VALUE")]
    pub claims: Vec<String>,
    #[command(flatten)]
    pub key: KeySource,
    #[command(flatten)]
    pub encoding: SecretEncodingArg,
    /// With --list: print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(after_help = super::help::DOCTOR)]
pub struct DoctorArgs {
    /// The token as the customer sent it, or - (or nothing) to read it from standard input;
    /// with --hash, the identifier the hash should be made of
    pub token: Option<String>,
    /// The vendor profile to judge against
    #[arg(long, short = 'p', value_name = "ID", add = ArgValueCandidates::new(complete::profile_ids))]
    pub profile: String,
    #[command(flatten)]
    pub key: KeySource,
    #[command(flatten)]
    pub keyset: KeySetArgs,
    #[command(flatten)]
    pub encoding: SecretEncodingArg,
    /// Judge as of this time (unix seconds or RFC 3339), e.g. when the token was sent
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// The customer's parameter values, to check claims made from them: NAME=VALUE (project_id)
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Identity-hash profiles: the hash the customer made; the positional argument is then the
    /// identifier it should be made of
    #[arg(long, value_name = "HASH")]
    pub hash: Option<String>,
    /// With --hash: the user's other identifier (their email when the user id is hashed, or
    /// the reverse), to tell whether the wrong one was hashed
    #[arg(long, value_name = "IDENTIFIER", requires = "hash")]
    pub other_identifier: Option<String>,
    /// text; json (for scripts); markdown (a report for a support ticket: no signature, no secret)
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    pub format: DoctorFormat,
    /// Print JSON (the same as --format json)
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    #[command(flatten)]
    pub expect: ExpectArgs,
}

#[derive(Debug, Args)]
#[command(after_help = super::help::HAR)]
pub struct HarArgs {
    /// The HAR file the customer exported (plain or gzip), or - for standard input
    pub file: String,
    /// The customer's parameter values, to check claims made from them: NAME=VALUE (project_id)
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// text; json (for scripts: the whole case, tokens in full); markdown (for a ticket:
    /// no signature, no cookie, no hash in full)
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    pub format: DoctorFormat,
    /// Print JSON (the same as --format json)
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Mask the claims that name a person (email, names, phone, user ids) in the text and
    /// Markdown reports
    #[arg(long)]
    pub mask_personal: bool,
}

#[derive(Debug, Args)]
#[command(after_help = super::help::DIFF)]
pub struct DiffArgs {
    /// The first token (the one that worked, say): the token, - for standard input, or @FILE
    pub first: String,
    /// The second token: the token, - for standard input, or @FILE
    pub second: String,
    /// Also list the rules of this vendor profile that only one of the two breaks
    #[arg(long, short = 'p', value_name = "ID", add = ArgValueCandidates::new(complete::profile_ids))]
    pub profile: Option<String>,
    /// Judge times as of this time (unix seconds or RFC 3339)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub at: Option<String>,
    #[command(flatten)]
    pub keyset: KeySetArgs,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(after_help = super::help::PROBE)]
pub struct ProbeArgs {
    /// The customer's token endpoint (https, or http to this machine with --allow-private)
    pub url: String,
    /// The vendor profile: the JSON key the page reads and the doctor's rules
    #[arg(long, short = 'p', value_name = "ID", add = ArgValueCandidates::new(complete::profile_ids))]
    pub profile: String,
    /// How many requests, a second apart (1 to 20): two show a cached token
    #[arg(long, value_name = "N", default_value_t = tokensmith::probe::DEFAULT_COUNT)]
    pub count: u32,
    /// The HTTP method the page uses
    #[arg(long, value_name = "METHOD", default_value = "GET")]
    pub method: String,
    /// Send a header: NAME:VALUE (repeatable), e.g. Authorization:'Bearer ...'
    #[arg(long = "header", value_name = "NAME:VALUE")]
    pub headers: Vec<String>,
    /// Send a cookie: NAME=VALUE (repeatable), the logged-in user's session
    #[arg(long = "cookie", value_name = "NAME=VALUE")]
    pub cookies: Vec<String>,
    /// The page's origin (https://shop.example): sent as Origin, and CORS is checked for it
    #[arg(long, value_name = "ORIGIN")]
    pub origin: Option<String>,
    /// Allow loopback and private-network addresses (127.0.0.1, 10.x, 192.168.x, ...)
    #[arg(long)]
    pub allow_private: bool,
    /// Trust this CA certificate (PEM) too, for a private CA
    #[arg(long, value_name = "PEM", env = "TOKENSMITH_CA_FILE")]
    pub ca_file: Option<PathBuf>,
    #[command(flatten)]
    pub key: KeySource,
    #[command(flatten)]
    pub encoding: SecretEncodingArg,
    /// The customer's parameter values, to check claims made from them: NAME=VALUE (project_id)
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(after_help = super::help::HASH)]
pub struct HashArgs {
    /// The user's identifier, as the page passes it (the profile says which: user id or email)
    pub identifier: String,
    /// The identity-hash profile (intercom-hash, helpscout, front, chatwoot, crisp)
    #[arg(long, short = 'p', value_name = "ID")]
    pub profile: String,
    #[command(flatten)]
    pub key: KeySource,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

impl DoctorArgs {
    /// Whether the report is JSON (`--json` or `--format json`).
    pub fn wants_json(&self) -> bool {
        self.json || self.format == DoctorFormat::Json
    }
}

/// How `doctor` writes its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DoctorFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
#[command(after_help = super::help::VERIFY)]
pub struct VerifyArgs {
    /// The token, or - (or nothing) to read it from standard input
    pub token: Option<String>,
    #[command(flatten)]
    pub key: KeySource,
    #[command(flatten)]
    pub keyset: KeySetArgs,
    #[command(flatten)]
    pub encoding: SecretEncodingArg,
    /// Judge by this vendor profile: only its algorithms, and exp required when it requires one
    #[arg(long, short = 'p', value_name = "ID", add = ArgValueCandidates::new(complete::profile_ids))]
    pub profile: Option<String>,
    /// Tolerance on exp and nbf (e.g. 30s); none unless given
    #[arg(long, value_name = "DURATION", default_value = "0s")]
    pub leeway: String,
    /// Judge the token as of this time (unix seconds or RFC 3339) instead of now
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub at: Option<String>,
    #[command(flatten)]
    pub expect: ExpectArgs,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// What `verify` and `doctor` can be told to expect of the claims.
#[derive(Debug, Args)]
pub struct ExpectArgs {
    /// Expect this issuer: iss must equal it
    #[arg(long, value_name = "ISS")]
    pub iss: Option<String>,
    /// Expect this audience (repeat for any of several): aud, or one member of it, must equal one
    #[arg(long, value_name = "AUD")]
    pub aud: Vec<String>,
    /// Expect this subject: sub must equal it
    #[arg(long, value_name = "SUB")]
    pub sub: Option<String>,
    /// Expect this claim to be present (repeatable; dotted paths nest)
    #[arg(long, value_name = "CLAIM")]
    pub require: Vec<String>,
}

impl ExpectArgs {
    /// The core's form of the same.
    pub fn expectations(&self) -> tokensmith::token::expect::Expectations {
        tokensmith::token::expect::Expectations {
            iss: self.iss.clone(),
            aud: self.aud.clone(),
            sub: self.sub.clone(),
            require: self.require.clone(),
        }
    }
}

/// `--json` alone (`profiles`, `paths`, `history`).
#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// The shell a completion script is for.
#[derive(Debug, Args)]
#[command(after_help = super::help::COMPLETIONS)]
pub struct ShellArg {
    /// bash, zsh, fish, powershell or elvish
    #[arg(value_name = "SHELL")]
    pub shell: super::complete::Shell,
}

/// No arguments of its own (`man`): deferred all the same, for the common options.
#[derive(Debug, Args)]
#[command(after_help = super::help::MAN)]
pub struct NoArgs {}
