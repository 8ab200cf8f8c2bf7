//! Everything that can happen to the workbench, and the side effects it asks the loop for.

use tokensmith::store::KeyEntry;
use tokensmith::store::keygen::GenKind;
use tui_input::InputRequest;

use super::pane::Pane;
use super::status::Level;

/// One thing that happened: a key the keymap translated, or a result coming back.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Move focus to the next pane.
    FocusNext,
    /// Move focus to the previous pane.
    FocusPrev,
    /// Move focus to a pane.
    Focus(Pane),
    /// Move the selection in the focused pane up.
    SelectPrev,
    /// Move the selection in the focused pane down.
    SelectNext,
    /// Select the row under the mouse in a pane.
    ClickRow(Pane, usize),
    /// Start typing a profile filter.
    StartFilter,
    /// Edit the selected claims row.
    EditRow,
    /// Add a free claim (where the profile allows it).
    AddClaim,
    /// Remove the selected free claim, or clear the selected field back to its default.
    DeleteClaim,
    /// Reset the selected field to its default expression.
    ResetRow,
    /// Use the selected key for signing.
    UseKey,
    /// Add a header field (name, then value).
    AddHeader,
    /// Start the new-secret prompt.
    NewSecret,
    /// Rename the selected key.
    RenameKey,
    /// Set the selected key's kid.
    SetKeyKid,
    /// Set the selected key's note.
    SetKeyNote,
    /// Tie the selected key to the current profile (or untie it).
    ToggleKeyProfile,
    /// Ask for the store's passphrase (again).
    Unlock,
    /// Lock the store with a new passphrase (or change it).
    LockStore,
    /// Remove the store's passphrase.
    RemovePassphrase,
    /// Start the import prompt.
    ImportKey,
    /// Open the key-kind picker.
    GenerateKey,
    /// Copy the selected key's public key (SPKI PEM).
    ExportPublicKey,
    /// Copy the selected key's public JWK (with x5c for an RSA key pair), as `keys export
    /// --format jwk` prints it.
    ExportPublicJwk,
    /// Show the selected key's secret for 10 seconds.
    RevealSecret,
    /// Ask to delete the selected key.
    DeleteKey,
    /// Re-sign with fresh times.
    Resign,
    /// Paste a customer's token for the doctor.
    OpenDoctor,
    /// Close the doctor and show the signed token again.
    CloseDoctor,
    /// In the doctor: compare the pasted token with the bench's (or the newest from history).
    CompareTokens,
    /// In the doctor: verify the pasted token against a keyset (a JWKS path, URL or
    /// `discover`), asked for in a prompt.
    AskKeyset,
    /// The keyset asked for arrived from the worker thread, or why not.
    KeysetLoaded(Result<FetchedKeyset, String>),
    /// In the doctor: call the customer's token endpoint (a URL and the CLI's probe options,
    /// asked for in a prompt) and judge what it serves.
    AskProbe,
    /// The probe's report arrived from the worker thread, or why there is none.
    ProbeDone(Result<FetchedProbe, String>),
    /// A HAR was read and judged (or why not), for the doctor's timeline.
    HarLoaded(Result<LoadedHar, String>),
    /// In the doctor: put the pasted token's claims and header on the bench, under the profile
    /// it fits best, to edit and sign again.
    LoadToBench,
    /// In the doctor: say what the claims must be (iss, aud, sub, required claims).
    SetExpectations,
    /// Copy the token.
    CopyToken,
    /// Show the tokens copied or pasted before.
    ShowHistory,
    /// Copy the snippet.
    CopySnippet,
    /// Show the snippet overlay.
    ShowSnippet,
    /// Show the help overlay.
    ShowHelp,
    /// Choose the next snippet flavour.
    NextFlavor,
    /// Choose the previous snippet flavour.
    PrevFlavor,
    /// Close an overlay or cancel an edit.
    Cancel,
    /// Confirm an edit, prompt or question.
    Submit,
    /// Answer no to a question.
    Decline,
    /// A text-editing request for the open input.
    Edit(InputRequest),
    /// Text pasted into the terminal.
    Paste(String),
    /// Scroll an overlay or the token up.
    ScrollUp,
    /// Scroll an overlay or the token down.
    ScrollDown,
    /// Scroll the token a page up.
    ScrollPageUp,
    /// Scroll the token a page down.
    ScrollPageDown,
    /// Scroll the token to its start.
    ScrollTop,
    /// Scroll the token to its end.
    ScrollBottom,
    /// Quit (asks first while an edit is open).
    Quit,
    /// The clock moved (countdown, reveal timeout, spinner).
    Tick(i64),
    /// The terminal was resized.
    Resize(u16, u16),
    /// A key finished generating on the worker thread.
    KeyGenerated(Result<KeyEntry, String>),
    /// The store changed on disk: these are its entries now.
    StoreLoaded(Result<Vec<KeyEntry>, String>),
    /// A key was added to the store (new, generated or imported): its name and description.
    KeyStored { name: String, description: String },
    /// A copy finished: what was copied and how.
    Copied { what: String, how: String },
    /// A copy failed.
    CopyFailed(String),
    /// Another tokensmith locked the store: this view has no passphrase for it.
    StoreLocked,
    /// A store change needs the passphrase: ask for it, then perform the change.
    NeedPassphrase(Box<Effect>),
    /// The key file being imported is encrypted (or the passphrase given did not open it):
    /// ask for its passphrase, saying why.
    NeedKeyPassphrase { name: String, path: String, why: String },
    /// The store's passphrase was set or changed (true) or removed (false), or why not.
    PassphraseChanged(Result<bool, String>),
    /// Something finished that the status line should say.
    Notice(Level, String),
    /// Copy the selected profile into an editable one and open the profile form.
    CopyProfile,
    /// Profile form: turn the selected yes/no row on or off.
    ToggleValue,
    /// Profile form: the selected choice row's next value.
    NextValue,
    /// Profile form: the selected choice row's previous value.
    PrevValue,
    /// Profile form: add a parameter.
    AddParam,
    /// Profile form: add a note.
    AddNote,
    /// Profile form: save the draft as TOML in the user folder.
    SaveProfile,
    /// The profile was saved: every profile as read again, its id and file; or why not.
    ProfileSaved(Result<Box<(Vec<tokensmith::profile::Profile>, String, std::path::PathBuf)>, String>),
}

impl Action {
    /// Whether this is an event (the clock, the terminal, a result coming back from an effect)
    /// rather than something the user asked for with a key. Modal parts (the profile form) take
    /// every key but let events through. No wildcard: a new action must be placed here.
    pub fn is_event(&self) -> bool {
        match self {
            Action::Tick(_)
            | Action::Resize(..)
            | Action::KeyGenerated(_)
            | Action::StoreLoaded(_)
            | Action::KeyStored { .. }
            | Action::Copied { .. }
            | Action::CopyFailed(_)
            | Action::StoreLocked
            | Action::NeedPassphrase(_)
            | Action::NeedKeyPassphrase { .. }
            | Action::PassphraseChanged(_)
            | Action::Notice(..)
            | Action::ProfileSaved(_)
            | Action::KeysetLoaded(_)
            | Action::ProbeDone(_) => true,
            Action::HarLoaded(_) => true,
            Action::FocusNext
            | Action::FocusPrev
            | Action::Focus(_)
            | Action::SelectPrev
            | Action::SelectNext
            | Action::ClickRow(..)
            | Action::StartFilter
            | Action::EditRow
            | Action::AddClaim
            | Action::DeleteClaim
            | Action::ResetRow
            | Action::UseKey
            | Action::AddHeader
            | Action::NewSecret
            | Action::RenameKey
            | Action::SetKeyKid
            | Action::SetKeyNote
            | Action::ToggleKeyProfile
            | Action::Unlock
            | Action::LockStore
            | Action::RemovePassphrase
            | Action::ImportKey
            | Action::GenerateKey
            | Action::ExportPublicKey
            | Action::ExportPublicJwk
            | Action::RevealSecret
            | Action::DeleteKey
            | Action::Resign
            | Action::OpenDoctor
            | Action::CloseDoctor
            | Action::CompareTokens
            | Action::AskKeyset
            | Action::AskProbe
            | Action::LoadToBench
            | Action::SetExpectations
            | Action::CopyToken
            | Action::ShowHistory
            | Action::CopySnippet
            | Action::ShowSnippet
            | Action::ShowHelp
            | Action::NextFlavor
            | Action::PrevFlavor
            | Action::Cancel
            | Action::Submit
            | Action::Decline
            | Action::Edit(_)
            | Action::Paste(_)
            | Action::ScrollUp
            | Action::ScrollDown
            | Action::ScrollPageUp
            | Action::ScrollPageDown
            | Action::ScrollTop
            | Action::ScrollBottom
            | Action::Quit
            | Action::CopyProfile
            | Action::ToggleValue
            | Action::NextValue
            | Action::PrevValue
            | Action::AddParam
            | Action::AddNote
            | Action::SaveProfile => false,
        }
    }
}

/// A keyset read or fetched for the doctor (shared: the set is not copied per action).
#[derive(Clone, Debug)]
pub struct FetchedKeyset(pub std::sync::Arc<tokensmith::keyset::load::Loaded>);

/// A HAR's case, read on the worker thread, and the path it was read from.
#[derive(Clone, Debug)]
pub struct LoadedHar(pub std::sync::Arc<tokensmith::har::Case>, pub String);

impl PartialEq for LoadedHar {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl PartialEq for FetchedKeyset {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

/// A probe's report for the doctor (shared, compared by identity).
#[derive(Clone, Debug)]
pub struct FetchedProbe(pub std::sync::Arc<tokensmith::probe::ProbeReport>);

impl PartialEq for FetchedProbe {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

/// A side effect the loop performs; results come back as actions.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Put text on the clipboard.
    Copy { text: String, what: String },
    /// Generate a key on the worker thread.
    Generate { kind: GenKind, name: String, note: String },
    /// Add an entry to the store.
    StoreAdd(Box<KeyEntry>),
    /// Remove an entry from the store, while it is the one shown (`id`, its identity).
    StoreRemove { name: String, id: Option<String> },
    /// Rename an entry, while it is the one shown.
    StoreRename { old: String, new: String, id: Option<String> },
    /// Change an entry's kid, profile or note, while it is the one shown.
    StoreSet { name: String, change: tokensmith::store::EntryChange, id: Option<String> },
    /// Re-read the store (with the passphrase, if one was given).
    StoreReload,
    /// Seal the store with `App::new_passphrase` (re-sealing it when it has one).
    StoreLock,
    /// Remove the store's passphrase (the one in `App::passphrase`).
    StoreUnlock,
    /// Read a key file and add it to the store under this name (an encrypted one opened
    /// with the passphrase, when one was typed).
    ImportFile { name: String, path: String, passphrase: Option<KeyPass> },
    /// Save the session (last profile, key, claim values).
    SaveSession,
    /// Append a token's header and payload to the history file.
    RecordHistory(Box<tokensmith::history::Entry>),
    /// Note in the store that this key made what was just copied ("last used").
    RecordUse { name: String, at: i64 },
    /// Read or fetch a keyset (a path, a URL, or `discover` from this token's issuer) on the
    /// worker thread: a fetch may take seconds, never on the loop or the render path.
    FetchKeyset { spec: String, token: String },
    /// Probe a token endpoint (the prompt's line: a URL and the CLI's options) for the current
    /// profile on the worker thread: requests take seconds, never on the loop.
    Probe { line: String },
    /// Read and judge a HAR file on the worker thread (with the profiles and stored keys).
    ReadHar { path: String },
    /// Write a profile into the user folder (replacing `file`, its own file, when given).
    SaveProfile { profile: Box<tokensmith::profile::Profile>, file: Option<std::path::PathBuf> },
}

/// An encrypted key's passphrase, carried by an effect: never printed, compared in constant
/// time.
#[derive(Clone, Debug)]
pub struct KeyPass(pub tokensmith::secret::Secret);

impl PartialEq for KeyPass {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0)
    }
}
