//! The workbench's state: plain data, no terminal, no threads. Derived data (the signed
//! token, row errors, rule warnings) is recomputed by [`App::refresh`] when inputs change.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tui_input::Input;

use tokensmith::claims::{ClaimAssignment, ClaimInput};
use tokensmith::profile::Profile;
use tokensmith::store::KeyEntry;
use tokensmith::store::keygen::GenKind;
use tokensmith::token::{Alg, KeyMaterial};

pub use super::pane::Pane;

mod diagnose;
mod keys;
pub mod panes;
pub use keys::KeysPane;

/// A row of the claims form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    /// A declared claim field (index into the profile's claims).
    Field(usize),
    /// A free claim (index into the profile state's extras).
    Extra(usize),
    /// A snippet parameter (index into the profile's params).
    Param(usize),
    /// A header field the user added (index into the profile state's headers).
    Header(usize),
    /// The token's lifetime (`5m`), as `sign --ttl` sets it.
    Lifetime,
}

/// What a text input is editing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditTarget {
    /// The value of a claims-form row.
    Row(Row),
    /// The name of a new free claim.
    NewClaimName,
    /// A token pasted for the doctor.
    DoctorToken,
    /// The keyset the doctor verifies against: a path, a URL or `discover`.
    DoctorKeyset,
    /// The token endpoint the doctor probes, with the CLI's options.
    DoctorProbe,
    /// The value of a new free claim with this name.
    NewClaimValue(String),
    /// The name of a new header field.
    NewHeaderName,
    /// The value of the new header field of this name.
    NewHeaderValue(String),
    /// The selected row of the profile form.
    FormField,
}

/// Multi-step prompts of the Keys pane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prompt {
    /// Name for a new HMAC secret.
    SecretName,
    /// The secret itself (masked) for a key of this name.
    SecretValue(String),
    /// Name for an import.
    ImportName,
    /// A file path or pasted PEM/JWK for an import of this name.
    ImportSource(String),
    /// Name for a key of this kind to generate.
    GenerateName(GenKind),
    /// The store's passphrase.
    Passphrase,
    /// A new name for this key.
    Rename(String),
    /// The kid of this key.
    Kid(String),
    /// The note of this key.
    Note(String),
    /// A new passphrase for the store (`keys lock`).
    NewPassphrase,
    /// The new passphrase once more, to catch a typo.
    NewPassphraseAgain,
    /// What the doctor expects of the claims, in one line (`iss=... aud=a,b`).
    Expect,
    /// The passphrase of an encrypted key being imported under this name.
    KeyPassphrase { name: String, from: ImportFrom },
}

/// Where a key being imported comes from: a file, or text pasted into the prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportFrom {
    /// A file's path, as typed.
    Path(String),
    /// Pasted PEM (an encrypted key: its text is no secret without the passphrase).
    Pasted(String),
}

impl Prompt {
    pub fn title(&self) -> String {
        match self {
            Prompt::SecretName => "New HMAC secret: name".into(),
            Prompt::SecretValue(name) => format!("New HMAC secret '{name}': paste the secret"),
            Prompt::ImportName => "Import a key: name".into(),
            Prompt::ImportSource(name) => format!("Import '{name}': a file path, or paste the PEM or JWK"),
            Prompt::GenerateName(kind) => format!("Generate {kind}: name"),
            Prompt::Passphrase => "The key store is locked: passphrase".into(),
            Prompt::Rename(name) => format!("Rename '{name}' to"),
            Prompt::Kid(name) => format!("kid of '{name}' (empty: none)"),
            Prompt::Note(name) => format!("Note on '{name}'"),
            Prompt::NewPassphrase => "Lock the key store: new passphrase".into(),
            Prompt::NewPassphraseAgain => "Lock the key store: the new passphrase again".into(),
            Prompt::Expect => "Doctor: expect iss=URL aud=A,B sub=ID require=CLAIM (empty: nothing)".into(),
            Prompt::KeyPassphrase { name, .. } => {
                format!("Import '{name}': the key is encrypted, its passphrase")
            }
        }
    }

    /// Whether what is typed must not be shown.
    pub fn masked(&self) -> bool {
        matches!(
            self,
            Prompt::SecretValue(_)
                | Prompt::Passphrase
                | Prompt::NewPassphrase
                | Prompt::NewPassphraseAgain
                | Prompt::KeyPassphrase { .. }
        )
    }
}

/// Questions that need a yes or no.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirm {
    /// Delete the stored key of this name.
    DeleteKey(String),
    /// Quit although an edit is open.
    QuitWhileEditing,
    /// First run: make a demo secret.
    CreateDemo,
    /// Remove the store's passphrase (`keys unlock`).
    RemovePassphrase,
}

/// What has the keyboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Typing the profile filter.
    Filter,
    /// Editing text.
    Editing(EditTarget),
    /// A Keys-pane prompt.
    Prompt(Prompt),
    /// Choosing the kind of key to generate.
    PickKind,
    /// The help overlay.
    Help,
    /// The snippet overlay.
    Snippet,
    /// The history overlay: tokens copied or pasted before.
    History,
    /// A HAR's tokens on a timeline, with their verdicts (a `.har` path pasted in the doctor).
    Har,
    /// A yes/no question.
    Confirm(Confirm),
    /// The profile form (`y` on the Profiles pane).
    ProfileForm,
}

pub use super::status::{Level, Status};

/// What the user set for one profile (kept across profile switches and sessions).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileState {
    /// Field values as typed, by claim path; a missing path uses the default expression.
    #[serde(default)]
    pub values: HashMap<String, String>,
    /// Free claims: name and value (JSON when it parses as JSON, else text).
    #[serde(default)]
    pub extras: Vec<(String, String)>,
    /// Snippet parameters by name.
    #[serde(default)]
    pub params: HashMap<String, String>,
    /// Header fields added (`kid`, `typ`...): name and value (JSON when it parses as JSON).
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The lifetime (`5m`) that sets `exp`, as `sign --ttl`; none keeps the profile's `exp`.
    #[serde(default)]
    pub ttl: Option<String>,
    /// The key last used with this profile.
    #[serde(default)]
    pub key: Option<String>,
}

/// A signed token and its decoded parts.
#[derive(Clone, Debug, PartialEq)]
pub struct Signed {
    pub token: String,
    pub header: Map<String, Value>,
    pub payload: Map<String, Value>,
    /// The header and payload pretty-printed once, when signed (not on every frame).
    pub header_text: String,
    pub payload_text: String,
    pub alg: Alg,
    pub key_name: String,
    pub key_description: String,
}

/// An identity hash (scheme C profiles) and what it was made of.
#[derive(Clone, Debug, PartialEq)]
pub struct Hashed {
    /// The lowercase hex HMAC-SHA256.
    pub hash: String,
    /// The claim the identifier came from (`user_id`).
    pub field: String,
    /// The identifier hashed.
    pub identifier: String,
    /// The values the page passes (the snippet shows them).
    pub values: Map<String, Value>,
    pub key_name: String,
}

/// The Token pane's content.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenState {
    /// An identity hash, for profiles that take one instead of a token.
    Hashed(Box<Hashed>),
    /// Nothing to sign with yet; the text says what to do.
    NoKey(String),
    /// Signing failed; the text says why.
    Error(String),
    /// A token.
    Signed(Box<Signed>),
}

/// Everything the workbench shows.
pub struct App {
    /// Unix seconds; advanced by ticks, fixed in tests.
    pub now: i64,
    pub focus: Pane,
    pub mode: Mode,
    pub profiles: Vec<Profile>,
    pub filter: String,
    /// Index into `profiles` of the selected one.
    pub profile: usize,
    pub states: HashMap<String, ProfileState>,
    pub claims_pane: panes::ClaimsPane,
    pub keys: KeysPane,
    pub token: TokenState,
    /// The profile's rules checked against the token.
    pub warnings: Vec<tokensmith::doctor::Finding>,
    pub status: Option<Status>,
    pub input: Input,
    pub token_pane: panes::TokenPane,
    pub snippet_view: panes::SnippetView,
    /// What the import field holds, in words ("EC P-256 private key, PKCS#8, 5 lines"), so a
    /// pasted key is never echoed; derived when the field changes.
    pub input_summary: Option<String>,
    pub history: panes::HistoryView,
    pub kind_choice: usize,
    pub spinner: usize,
    pub color: bool,
    pub size: (u16, u16),
    pub quit: bool,
    /// The store passphrase, when one was given (never shown, never saved).
    pub passphrase: Option<tokensmith::secret::Secret>,
    /// A new passphrase typed once, waiting to be typed again (then it locks the store).
    pub new_passphrase: Option<tokensmith::secret::Secret>,
    pub doctor: panes::DoctorPane,
    /// The profile form, while it is open.
    pub form: Option<super::profile_form::ProfileForm>,
    /// The keys in force: the bindings' defaults with the user's remaps, built once at start.
    pub keymap: super::bindings::Keymap,
}

impl App {
    pub fn new(mut profiles: Vec<Profile>, now: i64) -> App {
        // Vendors first, alphabetically; the generic profiles after them.
        profiles.sort_by(|a, b| {
            (a.id.starts_with("generic-"), &a.id).cmp(&(b.id.starts_with("generic-"), &b.id))
        });
        App {
            now,
            focus: Pane::Claims,
            mode: Mode::Normal,
            profiles,
            filter: String::new(),
            profile: 0,
            states: HashMap::new(),
            claims_pane: panes::ClaimsPane::default(),
            keys: KeysPane::default(),
            token: TokenState::NoKey(String::new()),
            warnings: Vec::new(),
            status: None,
            input: Input::default(),
            token_pane: panes::TokenPane::default(),
            snippet_view: panes::SnippetView::default(),
            input_summary: None,
            history: panes::HistoryView::default(),
            kind_choice: 0,
            spinner: 0,
            color: true,
            size: (80, 24),
            quit: false,
            passphrase: None,
            new_passphrase: None,
            doctor: panes::DoctorPane::default(),
            form: None,
            keymap: super::bindings::Keymap::default(),
        }
    }

    pub fn current(&self) -> Option<&Profile> {
        self.profiles.get(self.profile)
    }

    pub fn state(&self) -> ProfileState {
        self.current().and_then(|p| self.states.get(&p.id)).cloned().unwrap_or_default()
    }

    pub fn state_mut(&mut self) -> Option<&mut ProfileState> {
        let id = self.current()?.id.clone();
        Some(self.states.entry(id).or_default())
    }

    /// Indices into `profiles` that match the filter (id or name, case-insensitive).
    pub fn visible_profiles(&self) -> Vec<usize> {
        let needle = self.filter.to_lowercase();
        (0..self.profiles.len())
            .filter(|&i| {
                let p = &self.profiles[i];
                needle.is_empty()
                    || p.id.to_lowercase().contains(&needle)
                    || p.name.to_lowercase().contains(&needle)
            })
            .collect()
    }

    /// The claims form's rows: declared fields, free claims, snippet parameters.
    pub fn rows(&self) -> Vec<Row> {
        let Some(p) = self.current() else { return Vec::new() };
        let state = self.state();
        (0..p.claims.len())
            .map(Row::Field)
            .chain((0..state.extras.len()).map(Row::Extra))
            .chain((0..state.headers.len()).map(Row::Header))
            .chain((0..p.params.len()).map(Row::Param))
            // A lifetime means nothing for an identity hash or a token the vendor issues.
            .chain((p.scheme == tokensmith::profile::Scheme::Jwt).then_some(Row::Lifetime))
            .collect()
    }

    /// The text a row shows or edits: the value set, else the default expression.
    pub fn row_text(&self, row: Row) -> (String, bool) {
        let Some(p) = self.current() else { return (String::new(), false) };
        let state = self.state();
        match row {
            Row::Field(i) => {
                let field = &p.claims[i];
                match state.values.get(&field.path.to_string()) {
                    Some(v) => (v.clone(), true),
                    None => (field.default.as_ref().map(|d| d.to_string()).unwrap_or_default(), false),
                }
            }
            Row::Extra(i) => (state.extras.get(i).map(|e| e.1.clone()).unwrap_or_default(), true),
            Row::Header(i) => (state.headers.get(i).map(|h| h.1.clone()).unwrap_or_default(), true),
            Row::Lifetime => match &state.ttl {
                Some(ttl) => (ttl.clone(), true),
                None => (String::new(), false),
            },
            Row::Param(i) => {
                let Some(param) = p.params.get(i) else { return (String::new(), false) };
                match state.params.get(&param.name) {
                    Some(v) => (v.clone(), true),
                    None => (param.default.clone(), false),
                }
            }
        }
    }

    /// The stored key used for signing with the current profile: the one remembered for it
    /// if it fits, else the one stored for the profile, else the first that fits.
    pub fn active_key(&self) -> Option<&KeyEntry> {
        let p = self.current()?;
        let remembered = self.state().key;
        let fits = |e: &&KeyEntry| self.key_fits(e);
        remembered
            .and_then(|name| self.keys.entries.iter().find(|e| e.name == name).filter(fits))
            .or_else(|| self.keys.entries.iter().filter(fits).find(|e| e.profile.as_deref() == Some(&p.id)))
            .or_else(|| self.keys.entries.iter().find(fits))
    }

    /// Whether a stored key can sign (or make the hash) for the current profile: its family,
    /// and a private key or secret.
    pub fn key_fits(&self, entry: &KeyEntry) -> bool {
        self.current().is_some_and(|p| entry.kind.family() == p.key_kind && entry.kind.can_sign())
    }

    /// With nowhere to return to: the first profile a stored key can sign for, or, with no keys
    /// yet, the first that takes an HMAC secret (what the demo key is).
    pub fn open_on_signable_profile(&mut self) {
        let families: Vec<tokensmith::token::Family> =
            self.keys.entries.iter().filter(|e| e.kind.can_sign()).map(|e| e.kind.family).collect();
        let fits = |p: &Profile| {
            if p.scheme != tokensmith::profile::Scheme::Jwt {
                return false;
            }
            if families.is_empty() {
                p.key_kind == tokensmith::token::Family::Hmac
            } else {
                families.contains(&p.key_kind)
            }
        };
        if self.current().is_some_and(fits) {
            return;
        }
        if let Some(index) = self.profiles.iter().position(fits) {
            self.profile = index;
        }
    }

    /// Makes the profile at `index` the current one, and leaves nothing of the last one on
    /// screen: the status line (it may name the last profile's key), the Token pane's scroll,
    /// the claims row, the snippet flavour.
    pub fn select_profile(&mut self, index: usize) {
        self.profile = index;
        self.snippet_view.flavor = 0;
        self.snippet_view.text = None;
        self.claims_pane.row = 0;
        self.token_pane.scroll = 0;
        self.status = None;
    }

    /// Profile parameters with their current values.
    pub fn params(&self) -> Vec<(String, String)> {
        let Some(p) = self.current() else { return Vec::new() };
        let state = self.state();
        p.params
            .iter()
            .map(|param| {
                (param.name.clone(), state.params.get(&param.name).cloned().unwrap_or(param.default.clone()))
            })
            .collect()
    }

    /// How wide the left column would like to be: its longest profile row or key row, plus
    /// the border. The profile brief wraps, so it does not count.
    pub fn left_width_wanted(&self) -> u16 {
        let profiles = self.profiles.iter().map(|p| {
            let alg = p.algorithms.first().map_or(1, |a| a.name().len());
            p.id.chars().count() + alg + 5
        });
        let keys = self.keys.entries.iter().enumerate().map(|(i, e)| {
            let tie = e.profile.as_deref().map_or(0, |p| p.chars().count() + 1);
            e.name.chars().count() + 3 + 12 + tie + self.keys.fingerprint(i).chars().count()
        });
        let widest = profiles.chain(keys).max().unwrap_or(0).saturating_add(2);
        u16::try_from(widest).unwrap_or(u16::MAX)
    }

    /// How many rows the Keys pane would like inside its border: one a key and one spare
    /// (for a key being generated), or its messages; as many as it can have when the store
    /// cannot be used (the reason wraps).
    pub fn keys_rows_wanted(&self) -> u16 {
        let rows = if self.keys.store_error.is_some() {
            usize::from(u16::MAX)
        } else if self.keys.locked {
            4
        } else if self.keys.entries.is_empty() {
            3
        } else {
            self.keys.entries.len().saturating_add(1)
        };
        u16::try_from(rows).unwrap_or(u16::MAX)
    }

    /// Recomputes the token, row errors and rule warnings from the inputs.
    pub fn refresh(&mut self) {
        self.keys.refresh_fingerprints();
        self.refresh_token();
        // The snippet is rendered only while it is shown (or when copied): rendering templates
        // at start-up would delay the first token.
        if self.mode == Mode::Snippet {
            self.refresh_snippet();
        } else {
            self.snippet_view.text = None;
        }
    }

    fn refresh_token(&mut self) {
        let Some(profile) = self.current().cloned() else {
            self.token = TokenState::NoKey("no profiles".into());
            return;
        };
        let state = self.state();
        let now = self.now;
        self.claims_pane.errors = self
            .rows()
            .into_iter()
            .map(|row| match row {
                Row::Field(i) => {
                    let field = &profile.claims[i];
                    let text = state.values.get(&field.path.to_string())?;
                    field.ty.convert(text, now).err().map(|e| format!("'{text}' {e}"))
                }
                Row::Extra(i) => {
                    let (name, _) = state.extras.get(i)?;
                    name.parse::<tokensmith::claims::ClaimPath>().err()
                }
                Row::Lifetime => {
                    let ttl = state.ttl.as_ref()?;
                    tokensmith::time::parse_duration(ttl).err()
                }
                Row::Param(_) | Row::Header(_) => None,
            })
            .collect();
        self.warnings.clear();
        let given_params: Vec<(String, String)> =
            state.params.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let pasted = self.doctor.refresh_parts();
        self.doctor.report = self
            .doctor
            .input
            .as_ref()
            .map(|input| self.diagnose(input, &profile, &given_params, self.doctor.at.unwrap_or(now)));
        let bench = match &self.token {
            TokenState::Signed(s) => Some((&s.header, &s.payload)),
            _ => None,
        };
        self.doctor.refresh_diff(pasted.as_ref(), bench, &self.history, &profile, now);
        if let Some(issued) =
            profile.issued.as_ref().filter(|_| profile.scheme == tokensmith::profile::Scheme::VendorIssued)
        {
            self.token = TokenState::NoKey(format!(
                "{} issues these tokens, tokensmith cannot sign them: {}. Press t to paste one.",
                profile.name, issued.origin.value
            ));
            return;
        }
        let Some(entry) = self.active_key().cloned() else {
            self.token = TokenState::NoKey(no_key_message(&profile, &self.keys));
            return;
        };
        let key = match entry.key() {
            Ok(key) => key,
            Err(e) => {
                self.token = TokenState::Error(format!("stored key '{}' cannot be used: {e}", entry.name));
                return;
            }
        };
        if profile.scheme == tokensmith::profile::Scheme::IdentityHash {
            let fresh = hash(&profile, &state, &key, &entry, &given_params, now);
            let identifier_changed = match (&self.token, &fresh) {
                (TokenState::Hashed(a), TokenState::Hashed(b)) => a.values != b.values,
                _ => true,
            };
            self.token = fresh;
            // The doctor judged a pasted hash against the identifier as it was: judge again.
            if identifier_changed && self.doctor.input.is_some() {
                self.refresh_token();
            }
            return;
        }
        self.token = match sign(&profile, &state, &key, &entry, &given_params, now) {
            Ok((signed, broken)) => {
                self.warnings = broken;
                TokenState::Signed(Box::new(signed))
            }
            Err(e) => TokenState::Error(e),
        };
    }

    /// The token's `exp`, when it has a numeric one.
    pub fn exp(&self) -> Option<i64> {
        match &self.token {
            TokenState::Signed(s) => tokensmith::time_rules::Times::read(&s.payload).exp_secs(),
            _ => None,
        }
    }

    /// The snippet flavours of the current profile.
    pub fn flavors(&self) -> Vec<tokensmith::snippet::Flavor> {
        self.current().map(tokensmith::snippet::flavors).unwrap_or_default()
    }

    /// The chosen snippet flavour's name.
    pub fn flavor(&self) -> Option<String> {
        let flavors = self.flavors();
        flavors.get(self.snippet_view.flavor.min(flavors.len().saturating_sub(1))).map(|f| f.name.clone())
    }

    /// The chosen snippet for the current token (or the reason it cannot be made), as last
    /// derived: the view and the tick never render templates.
    pub fn snippet(&self) -> Option<String> {
        self.snippet_view.text.clone()
    }

    /// Renders the chosen snippet again; called when the token, the parameters or the flavour
    /// change.
    pub fn refresh_snippet(&mut self) {
        self.snippet_view.text = (|| {
            let profile = self.current()?;
            let flavor = self.flavor()?;
            let params = self.params();
            let server = self
                .flavors()
                .iter()
                .any(|f| f.name == flavor && f.kind == tokensmith::snippet::FlavorKind::Server);
            // Server code issues tokens itself: it needs the claims, not a token or a key.
            let unsigned;
            let (token, payload) = match &self.token {
                TokenState::Signed(signed) => (signed.token.as_str(), &signed.payload),
                TokenState::Hashed(hashed) => (hashed.hash.as_str(), &hashed.values),
                _ if server => {
                    let claims = assignments(profile, &self.state()).ok()?;
                    let mut uuid = tokensmith::claims::random_uuid;
                    unsigned =
                        tokensmith::sign::build_payload(profile, &claims, &params, self.now, &mut uuid)
                            .ok()?;
                    ("", &unsigned)
                }
                _ => return None,
            };
            let input = tokensmith::snippet::SnippetInput { profile, token, payload, params: &params };
            Some(tokensmith::snippet::render(&input, &flavor).unwrap_or_else(|e| e.to_string()))
        })();
    }

    pub fn set_status(&mut self, level: Level, text: impl Into<String>) {
        self.status = Some(Status { text: text.into(), level });
    }
}

fn no_key_message(profile: &Profile, keys: &KeysPane) -> String {
    if let Some(err) = &keys.store_error {
        return format!("the key store cannot be used: {err}");
    }
    if keys.locked {
        return "the key store is locked: its keys show once its passphrase is given (press 3, then u)"
            .into();
    }
    if keys.entries.is_empty() {
        return "no keys yet: press 3 for the Keys pane, then n (new secret), i (import) or g (generate)"
            .into();
    }
    format!(
        "{} needs {}: none of the stored keys fits; press 3, then n, i or g to add one",
        profile.name,
        key_needed(profile)
    )
}

/// The kind of key a profile signs with, in words: "an HMAC secret", "an RSA key pair
/// (private key)".
pub fn key_needed(profile: &Profile) -> String {
    match profile.key_kind {
        tokensmith::token::Family::Hmac => "an HMAC secret".to_string(),
        other => format!("an {} (private key)", other.key_pair_name()),
    }
}

/// Assignments from what the user set: field values as typed; free claims as JSON when they
/// parse as JSON (so `124` stays a number), else as text.
pub fn assignments(profile: &Profile, state: &ProfileState) -> Result<Vec<ClaimAssignment>, String> {
    let mut out = Vec::new();
    for field in &profile.claims {
        if let Some(text) = state.values.get(&field.path.to_string()) {
            out.push(ClaimAssignment { path: field.path.clone(), input: ClaimInput::Text(text.clone()) });
        }
    }
    for (name, value) in &state.extras {
        let path = name.parse().map_err(|e| format!("free claim '{name}': {e}"))?;
        let input = match serde_json::from_str::<Value>(value) {
            Ok(json) => ClaimInput::Json(json),
            Err(_) => ClaimInput::Text(value.clone()),
        };
        out.push(ClaimAssignment { path, input });
    }
    Ok(out)
}

/// The identity hash of the profile's identifier, from the values set in the claims form.
fn hash(
    profile: &Profile,
    state: &ProfileState,
    key: &KeyMaterial,
    entry: &KeyEntry,
    params: &[(String, String)],
    now: i64,
) -> TokenState {
    let KeyMaterial::Hmac(secret) = key else {
        return TokenState::Error(format!("stored key '{}' is not an HMAC secret", entry.name));
    };
    let values = (|| {
        let mut uuid = tokensmith::claims::random_uuid;
        tokensmith::sign::build_payload(profile, &assignments(profile, state)?, params, now, &mut uuid)
            .map_err(|e| e.to_string())
    })();
    let values = match values {
        Ok(values) => values,
        Err(e) => return TokenState::Error(e),
    };
    match tokensmith::hash::pick_identifier(profile, &values) {
        Ok((field, identifier)) => TokenState::Hashed(Box::new(Hashed {
            hash: tokensmith::hash::identity_hash(secret.expose(), &identifier),
            field,
            identifier,
            values,
            key_name: entry.name.clone(),
        })),
        Err(e) => TokenState::Error(e.to_string()),
    }
}

/// Signs through the one pipeline (`tokensmith::sign`), with the rules the token breaks.
fn sign(
    profile: &Profile,
    state: &ProfileState,
    key: &KeyMaterial,
    entry: &KeyEntry,
    params: &[(String, String)],
    now: i64,
) -> Result<(Signed, Vec<tokensmith::doctor::Finding>), String> {
    let ttl = state
        .ttl
        .as_deref()
        .map(tokensmith::time::parse_duration)
        .transpose()
        .map_err(|e| format!("lifetime: {e}"))?;
    let headers = state
        .headers
        .iter()
        .map(|(name, value)| {
            (name.clone(), serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.clone())))
        })
        .collect();
    let request = tokensmith::sign::SignRequest {
        profile,
        key,
        claims: assignments(profile, state)?,
        params,
        ttl,
        alg: None,
        kid: entry.kid.clone(),
        headers,
        now,
    };
    let mut uuid = tokensmith::claims::random_uuid;
    let signed = tokensmith::sign::sign(request, &mut uuid).map_err(|e| match e {
        // The CLI's hint (PATH:=JSON) means nothing here: say it in the workbench's words.
        tokensmith::sign::SignError::Claims(tokensmith::claims::ClaimError::BadValue { path, ty, value, reason }) => {
            format!("claim '{path}' is {ty}: '{value}' {reason}; select it in Claims (2) and press Enter to change it")
        }
        tokensmith::sign::SignError::TtlAndExp => {
            "the lifetime and exp are both set: clear one of them (r on its row)".to_string()
        }
        other => other.to_string(),
    })?;
    let broken = signed.broken;
    Ok((
        Signed {
            token: signed.token,
            header_text: serde_json::to_string_pretty(&signed.header).unwrap_or_default(),
            payload_text: serde_json::to_string_pretty(&signed.payload).unwrap_or_default(),
            header: signed.header,
            payload: signed.payload,
            alg: signed.alg,
            key_name: entry.name.clone(),
            key_description: key.describe(),
        },
        broken,
    ))
}
