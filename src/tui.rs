//! The interactive workbench: ratatui over the core library. State, actions, update and view
//! are plain; this file owns the terminal, the clock, the clipboard, the store and threads.

pub mod action;
pub mod app;
pub mod bindings;
pub mod clipboard;
pub mod keymap;
pub mod pane;
pub mod profile_form;
pub mod safe_backend;
pub mod session;
pub mod status;
pub mod update;
pub mod view;

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;

use std::collections::VecDeque;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    KeyEventKind, MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;
use serde::Deserialize;

use tokensmith::paths::Paths;
use tokensmith::profile::ProfileSet;
use tokensmith::store::{KeyEntry, StoreDir, StoreError, StoreState};

use action::{Action, Effect, KeyPass};
use app::{App, Confirm, Level, Mode, Prompt};
use clipboard::{Clipboard, ClipboardSetting};

/// The workbench's terminal: crossterm behind the escaping guard.
type Screen = Terminal<safe_backend::SafeBackend<CrosstermBackend<std::io::Stdout>>>;

/// How often an idle workbench looks whether another tokensmith changed the store (one stat).
const STORE_CHECK_INTERVAL: Duration = Duration::from_secs(1);

/// While a key generates, the spinner turns this often.
const SPINNER_INTERVAL: Duration = Duration::from_millis(100);

/// How the workbench was started.
pub struct Options {
    pub mouse: bool,
    /// Draw one frame, then quit: for start-up benchmarks.
    pub exit_after_first_frame: bool,
}

#[derive(Debug, Default, Deserialize)]
struct Config {
    #[serde(default)]
    clipboard: ClipboardSetting,
    /// Remapped keys: binding name (as `?` lists them, in snake case) to keys.
    #[serde(default)]
    keys: std::collections::BTreeMap<String, Vec<String>>,
}

fn now_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Time until the next whole second, so the countdown changes exactly on the second.
fn until_next_second() -> Duration {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    Duration::from_nanos(1_000_000_000 - u64::from(nanos)) + Duration::from_millis(2)
}

/// Builds the app from disk: profiles, session memory, the store. Errors become status lines.
pub fn load(paths: &Paths, now: i64) -> App {
    let set = ProfileSet::load(Some(&paths.profiles()));
    let warnings = set.warnings();
    let mut app = App::new(set.profiles, now);
    app.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if let Some(first) = warnings.first() {
        app.set_status(Level::Warning, first.clone());
    }
    app.history.entries = tokensmith::history::load(&paths.data).unwrap_or_default();
    let mut returning = false;
    match session::load(&paths.data) {
        Ok(saved) => {
            returning = saved.profile.is_some();
            session::restore(&mut app, saved);
        }
        Err(e) => app.set_status(Level::Warning, e),
    }
    let store = StoreDir::new(&paths.data);
    match store.state() {
        Ok(StoreState::Missing) => app.mode = Mode::Confirm(Confirm::CreateDemo),
        Ok(StoreState::Encrypted) => match std::env::var_os("TOKENSMITH_PASSPHRASE") {
            Some(pass) => {
                app.passphrase = Some(tokensmith::secret::Secret::new(pass.into_encoded_bytes()));
                load_store(&mut app, &store);
            }
            None => {
                app.keys.encrypted = true;
                app.keys.locked = true;
                app.mode = Mode::Prompt(Prompt::Passphrase);
            }
        },
        Ok(StoreState::Plain) => load_store(&mut app, &store),
        Err(e) => app.keys.store_error = Some(e.to_string()),
    }
    // With a session, where the user left off; on a first run, a profile that can be signed
    // right away (one keypress after accepting the demo key).
    if !returning {
        app.open_on_signable_profile();
    }
    app.refresh();
    app
}

fn load_store(app: &mut App, store: &StoreDir) {
    match store.open(app.passphrase.as_ref()) {
        Ok(opened) => {
            app.keys.encrypted = opened.encrypted;
            if let Some(w) = opened.warnings.first() {
                app.set_status(Level::Warning, w.clone());
            }
            app.keys.entries = opened.entries;
            if app.keys.entries.is_empty() && app.mode == Mode::Normal {
                app.mode = Mode::Confirm(Confirm::CreateDemo);
            }
        }
        Err(e) => app.keys.store_error = Some(e.to_string()),
    }
}

/// Restores the terminal however the workbench ends: normally, by an error, or by a panic.
struct TerminalGuard {
    mouse: bool,
}

impl TerminalGuard {
    fn restore(mouse: bool) {
        let mut out = std::io::stdout();
        if mouse {
            let _ = execute!(out, DisableMouseCapture);
        }
        let _ = execute!(out, DisableBracketedPaste);
        ratatui::restore();
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        Self::restore(self.mouse);
    }
}

/// SIGTERM, SIGHUP, SIGINT and SIGQUIT (`kill`, a closed SSH session, `kill -INT`: in raw
/// mode Ctrl-C is a key, not a signal) end the workbench with the terminal restored: raw mode
/// off, the main screen back, mouse capture and bracketed paste released. The session and the
/// store are saved as each change is made, so nothing is left to write. A watcher thread
/// waits for the signal; the exit status is 128 + its number, as a shell reports.
#[cfg(unix)]
fn restore_on_signals(mouse: bool) -> Result<(), String> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])
        .map_err(|e| format!("cannot watch for signals: {e}"))?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            TerminalGuard::restore(mouse);
            std::process::exit(128 + signal);
        }
    });
    Ok(())
}

/// Elsewhere the console's own handling applies.
#[cfg(not(unix))]
fn restore_on_signals(_mouse: bool) -> Result<(), String> {
    Ok(())
}

/// Runs the workbench until the user quits.
pub fn run(paths: &Paths, options: Options) -> Result<u8, String> {
    let config = read_config(&paths.config.join("config.toml"));
    let mut app = load(paths, now_secs());
    if let Err(e) = &config {
        app.set_status(Level::Warning, e.clone());
    }
    if let Ok(config) = &config {
        let (keymap, problems) = keymap::Keymap::load(&config.keys);
        app.keymap = keymap;
        if let Some(problem) = problems.into_iter().next() {
            app.set_status(Level::Error, problem);
        }
    }
    let setting = config.map(|c| c.clipboard).unwrap_or_default();
    let over_ssh = std::env::var_os("SSH_TTY").is_some() || std::env::var_os("SSH_CONNECTION").is_some();
    let mut clipboard = Clipboard::new(setting, over_ssh);

    // ratatui::init installs a panic hook that restores the terminal; ours runs first to
    // release the mouse and bracketed paste too.
    // ratatui::init puts the terminal in raw mode on the alternate screen; the frames go
    // through SafeBackend, which lets no control or bidi character reach the terminal.
    drop(ratatui::init());
    let mut terminal =
        Terminal::new(safe_backend::SafeBackend::new(CrosstermBackend::new(std::io::stdout())))
            .map_err(|e| e.to_string())?;
    let mouse = options.mouse;
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let mut out = std::io::stdout();
        if mouse {
            let _ = execute!(out, DisableMouseCapture);
        }
        let _ = execute!(out, DisableBracketedPaste);
        ratatui_hook(info);
    }));
    let _guard = TerminalGuard { mouse };
    restore_on_signals(mouse)?;
    let mut out = std::io::stdout();
    if mouse {
        execute!(out, EnableMouseCapture).map_err(|e| e.to_string())?;
    }
    execute!(out, EnableBracketedPaste).map_err(|e| e.to_string())?;
    if let Ok(size) = terminal.size() {
        app.size = (size.width, size.height);
    }
    event_loop(&mut terminal, &mut app, paths, &mut clipboard, options.exit_after_first_frame)?;
    Ok(0)
}

fn read_config(path: &std::path::Path) -> Result<Config, String> {
    match tokensmith::limits::read_text(path, tokensmith::limits::MAX_TEXT_FILE_BYTES) {
        Ok(Some(text)) => toml::from_str(&text).map_err(|e| format!("{}: {}", path.display(), e.message())),
        Ok(None) => Ok(Config::default()),
        Err(e) => Err(e.to_string()),
    }
}

fn event_loop(
    terminal: &mut Screen,
    app: &mut App,
    paths: &Paths,
    clipboard: &mut Clipboard,
    exit_after_first_frame: bool,
) -> Result<(), String> {
    let (worker_tx, worker_rx) = mpsc::channel::<Action>();
    let store = StoreDir::new(&paths.data);
    let mut queue: VecDeque<Action> = VecDeque::new();
    let mut dirty = true;
    let mut save_pending = false;
    let mut session_warned = false;
    // The store as this view last read it: another tokensmith (the CLI, a second workbench)
    // may change it at any time, and no key is acted on or signed with from a stale list.
    let mut seen = store.stamp();
    loop {
        if dirty {
            let mut drawn = view::Drawn::default();
            terminal.draw(|frame| drawn = view::view(app, frame)).map_err(|e| e.to_string())?;
            app.token_pane.extent = drawn.token_view;
            dirty = false;
            if exit_after_first_frame {
                return Ok(());
            }
        }
        // The session is saved after the frame is on screen: its fsyncs stay off the path
        // from a keystroke to the redrawn token.
        if save_pending {
            save_pending = false;
            // Said once (a read-only data folder fails every save), then left quiet.
            if let Err(e) = session::save(&paths.data, app)
                && !session_warned
            {
                session_warned = true;
                app.set_status(
                    Level::Warning,
                    format!("this session will not be saved ({}): {e}", paths.data.display()),
                );
                dirty = true;
                continue;
            }
        }
        if app.quit {
            return Ok(());
        }
        // Sleep until something can change: a key, the next whole second while a countdown
        // or reveal is on screen, or the spinner while a key generates. No fixed tick.
        let (timeout, ticking) = if app.keys.generating.is_some() {
            (SPINNER_INTERVAL, true)
        } else if app.exp().is_some() || app.keys.revealed.is_some() {
            (until_next_second().min(STORE_CHECK_INTERVAL), true)
        } else {
            (STORE_CHECK_INTERVAL, false)
        };
        let ready = event::poll(timeout).map_err(|e| e.to_string())?;
        // Before the key is acted on: the store as it is on disk now.
        let stamp = store.stamp();
        if stamp != seen {
            seen = stamp;
            queue.push_back(reload_store(&store, app.passphrase.as_ref()));
        }
        if ready {
            let event = event::read().map_err(|e| e.to_string())?;
            app.now = now_secs();
            if let Some(action) = translate(app, event) {
                queue.push_back(action);
            } else if queue.is_empty() {
                dirty = true;
                continue;
            }
        } else if ticking {
            queue.push_back(Action::Tick(now_secs()));
        } else if queue.is_empty() {
            continue;
        }
        while let Ok(action) = worker_rx.try_recv() {
            queue.push_back(action);
        }
        while let Some(action) = queue.pop_front() {
            for effect in update::update(app, action) {
                if effect == Effect::SaveSession {
                    save_pending = true;
                } else {
                    queue.extend(perform(effect, app, paths, &store, clipboard, &worker_tx));
                }
            }
            dirty = true;
        }
        // This view's own writes were read back already.
        seen = store.stamp();
    }
}

fn translate(app: &App, event: Event) -> Option<Action> {
    match event {
        // Windows reports releases too; only presses act.
        Event::Key(key) if key.kind == KeyEventKind::Press || key.kind == KeyEventKind::Repeat => {
            keymap::action_for(app, &key)
        }
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        Event::Mouse(mouse) if app.mode == Mode::Normal => {
            let areas =
                view::layout(ratatui::layout::Rect::new(0, 0, app.size.0, app.size.1), view::Wanted::of(app));
            let (pane, row) = areas.hit(mouse.column, mouse.row)?;
            // A profile row is the profile it shows (the list scrolls); the count and the
            // brief under the list are no profile.
            let row = match pane {
                app::Pane::Profiles => view::profiles::profile_at(app, areas.profiles, row)?,
                _ => row,
            };
            match mouse.kind {
                MouseEventKind::Down(MouseButton::Left) => Some(Action::ClickRow(pane, row)),
                MouseEventKind::ScrollUp if pane == app.focus => Some(Action::SelectPrev),
                MouseEventKind::ScrollDown if pane == app.focus => Some(Action::SelectNext),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A key file read for the store: only a regular file, and at most the bound (a FIFO would
/// block this thread, the UI's, until a writer came, and /dev/zero would never end). Any form
/// the core reads (PEM, DER, JWK, a bare EC point); an encrypted key without its passphrase
/// (or with a wrong one) comes back as the action that asks for it.
fn read_import(name: &str, path: &str, pass: Option<&KeyPass>, now: i64) -> Result<KeyEntry, Box<Action>> {
    use tokensmith::store::StoreError;
    use tokensmith::token::KeyError;
    let file = expand_home(path);
    let what = format!("'{}'", file.display());
    let bytes = tokensmith::limits::read_file(&file, tokensmith::limits::MAX_KEY_FILE_BYTES, &what, true)
        .map_err(|e| Box::new(Action::Notice(Level::Error, e.to_string())))?;
    let bytes = zeroize::Zeroizing::new(bytes);
    let hint = tokensmith::token::KeyHint { alg: None, passphrase: pass.map(|p| p.0.expose()) };
    tokensmith::store::import_key(name, &bytes, &hint, now).map_err(|e| {
        Box::new(match e {
            StoreError::Key(e @ (KeyError::Encrypted { .. } | KeyError::WrongPassphrase)) => {
                Action::NeedKeyPassphrase {
                    name: name.to_string(),
                    path: path.to_string(),
                    why: e.to_string(),
                }
            }
            e => Action::Notice(Level::Error, format!("{what}: {e}")),
        })
    })
}

/// The doctor's keyset, read or fetched through the core as the CLI's --jwks and --discover
/// are; a private CA comes from TOKENSMITH_CA_FILE (the CLI's --ca-file).
fn fetch_keyset(spec: &str, token: &str) -> Result<action::FetchedKeyset, String> {
    let options = tokensmith::net::Options {
        ca_file: std::env::var_os("TOKENSMITH_CA_FILE").filter(|v| !v.is_empty()).map(PathBuf::from),
        ..tokensmith::net::Options::default()
    };
    let spec = if tokensmith::keyset::load::is_url(spec) || spec == "discover" {
        spec.to_string()
    } else {
        expand_home(spec).display().to_string()
    };
    tokensmith::keyset::load::from_prompt(&spec, token, &options)
        .map(|loaded| action::FetchedKeyset(std::sync::Arc::new(loaded)))
        .map_err(|e| e.to_string())
}

/// The doctor's probe, run through the core as the CLI's `probe` is; a private CA comes from
/// TOKENSMITH_CA_FILE (the CLI's --ca-file).
fn probe(
    line: &str,
    profile: &tokensmith::profile::Profile,
    candidates: &[tokensmith::doctor::Candidate],
) -> Result<action::FetchedProbe, String> {
    let plan = tokensmith::probe::Plan::parse_line(line).map_err(|e| e.to_string())?;
    let options = tokensmith::net::Options {
        ca_file: std::env::var_os("TOKENSMITH_CA_FILE").filter(|v| !v.is_empty()).map(PathBuf::from),
        ..tokensmith::net::Options::default()
    };
    let judge = tokensmith::probe::Judge { profile, candidates, params: &[] };
    tokensmith::probe::run(&plan, &options, judge, &now_secs)
        .map(|report| action::FetchedProbe(std::sync::Arc::new(report)))
        .map_err(|e| e.to_string())
}

/// Runs the doctor's probe on a thread of its own; the report comes back as an action (none
/// now).
fn spawn_probe(line: String, app: &App, worker: &mpsc::Sender<Action>) -> Vec<Action> {
    let Some(profile) = app.current().cloned() else { return Vec::new() };
    let candidates = tokensmith::doctor::stored_candidates(&app.keys.entries, &profile.id);
    let worker = worker.clone();
    std::thread::spawn(move || {
        let _ = worker.send(Action::ProbeDone(probe(&line, &profile, &candidates)));
    });
    Vec::new()
}

fn perform(
    effect: Effect,
    app: &App,
    paths: &Paths,
    store: &StoreDir,
    clipboard: &mut Clipboard,
    worker: &mpsc::Sender<Action>,
) -> Vec<Action> {
    let pass = app.passphrase.as_ref();
    let reload = |store: &StoreDir| reload_store(store, pass);
    // A store change that failed: the passphrase is asked for and the change kept for after;
    // an entry that changed on disk is shown as it is now.
    let failed = |effect: Effect, e: StoreError| match e {
        StoreError::NeedPassphrase => vec![Action::NeedPassphrase(Box::new(effect))],
        StoreError::Changed(_) => vec![reload(store), Action::Notice(Level::Error, e.to_string())],
        e => vec![Action::Notice(Level::Error, e.to_string())],
    };
    match effect {
        Effect::Copy { text, what } => {
            let mut out = std::io::stdout();
            let result = clipboard.copy(&text, &mut out);
            let _ = out.flush();
            vec![match result {
                Ok(how) => Action::Copied { what, how },
                Err(e) => Action::CopyFailed(e),
            }]
        }
        // Slow work (key generation, a keyset fetch, a HAR) runs beside the screen.
        effect @ (Effect::Generate { .. } | Effect::FetchKeyset { .. } | Effect::ReadHar { .. }) => {
            on_worker(effect, app, worker);
            Vec::new()
        }
        Effect::StoreAdd(entry) => {
            let (name, description) = (entry.name.clone(), entry.description.clone());
            match store.add(pass, (*entry).clone()) {
                // Read back first, so the new key is in the list when it is made the one that signs.
                Ok(()) => vec![reload(store), Action::KeyStored { name, description }],
                Err(e) => failed(Effect::StoreAdd(entry), e),
            }
        }
        Effect::StoreRemove { name, id } => match store.remove(pass, &name, id.as_deref()) {
            Ok(_) => vec![reload(store), Action::Notice(Level::Success, format!("deleted '{name}'"))],
            Err(e) => failed(Effect::StoreRemove { name, id }, e),
        },
        Effect::StoreReload => vec![reload(store)],
        // The same core function the CLI's sign, verify, hash and snippet call; a plain store
        // only (an encrypted one is left as it is, as the CLI leaves it).
        Effect::RecordUse { name, at } => match store.record_use(&name, at) {
            Ok(true) => vec![reload(store)],
            Ok(false) => Vec::new(),
            Err(e) => {
                vec![Action::Notice(Level::Warning, format!("'last used' of '{name}' was not saved: {e}"))]
            }
        },
        Effect::StoreLock => {
            let Some(new) = app.new_passphrase.as_ref() else { return Vec::new() };
            vec![Action::PassphraseChanged(store.lock(pass, new).map(|()| true).map_err(|e| e.to_string()))]
        }
        Effect::StoreUnlock => {
            let Some(current) = pass else { return Vec::new() };
            vec![Action::PassphraseChanged(store.unlock(current).map(|()| false).map_err(|e| e.to_string()))]
        }
        Effect::StoreRename { old, new, id } => match store.rename(pass, &old, &new, id.as_deref()) {
            Ok(()) => {
                vec![reload(store), Action::Notice(Level::Success, format!("renamed '{old}' to '{new}'"))]
            }
            Err(e) => failed(Effect::StoreRename { old, new, id }, e),
        },
        Effect::StoreSet { name, change, id } => match store.set(pass, &name, id.as_deref(), &change) {
            Ok(()) => vec![reload(store), Action::Notice(Level::Success, format!("updated '{name}'"))],
            Err(e) => failed(Effect::StoreSet { name, change, id }, e),
        },
        Effect::ImportFile { name, path, passphrase } => {
            match read_import(&name, &path, passphrase.as_ref(), app.now) {
                Ok(entry) => perform(Effect::StoreAdd(Box::new(entry)), app, paths, store, clipboard, worker),
                Err(action) => vec![*action],
            }
        }
        Effect::RecordHistory(entry) => tokensmith::history::record(&paths.data, *entry)
            .err()
            .map(|e| Action::Notice(Level::Warning, format!("the history was not saved: {e}")))
            .into_iter()
            .collect(),
        Effect::Probe { line } => spawn_probe(line, app, worker),
        Effect::SaveProfile { profile, file } => {
            vec![Action::ProfileSaved(
                profile_form::save(&paths.profiles(), &profile, file.as_deref()).map(Box::new),
            )]
        }
        Effect::SaveSession => session::save(&paths.data, app)
            .err()
            .map(|e| Action::Notice(Level::Warning, e))
            .into_iter()
            .collect(),
    }
}

/// Starts slow work on its own thread; its result comes back to the loop as an action.
fn on_worker(effect: Effect, app: &App, worker: &mpsc::Sender<Action>) {
    let worker = worker.clone();
    match effect {
        Effect::Generate { kind, name, note } => {
            let now = app.now;
            std::thread::spawn(move || {
                let result = tokensmith::store::keygen::generate(kind, &name, now)
                    .map(|mut entry| {
                        entry.note = note;
                        entry
                    })
                    .map_err(|e| e.to_string());
                let _ = worker.send(Action::KeyGenerated(result));
            });
        }
        Effect::FetchKeyset { spec, token } => {
            std::thread::spawn(move || {
                let _ = worker.send(Action::KeysetLoaded(fetch_keyset(&spec, &token)));
            });
        }
        Effect::ReadHar { path } => {
            let (profiles, keys, now) = (app.profiles.clone(), app.keys.entries.clone(), app.now);
            std::thread::spawn(move || {
                let _ = worker.send(Action::HarLoaded(read_har(&path, &profiles, &keys, now)));
            });
        }
        _ => {}
    }
}

/// The store as it is on disk now, for the view.
fn reload_store(store: &StoreDir, pass: Option<&tokensmith::secret::Secret>) -> Action {
    match store.open(pass) {
        Ok(opened) => Action::StoreLoaded(Ok(opened.entries)),
        Err(StoreError::NeedPassphrase) => Action::StoreLocked,
        Err(e) => Action::StoreLoaded(Err(e.to_string())),
    }
}

/// A HAR read and judged through the core, as the CLI's `har` reads it.
fn read_har(
    path: &str,
    profiles: &[tokensmith::profile::Profile],
    keys: &[tokensmith::store::KeyEntry],
    now: i64,
) -> Result<action::LoadedHar, String> {
    let file =
        std::fs::File::open(expand_home(path)).map_err(|e| format!("cannot read HAR file '{path}': {e}"))?;
    let judge = tokensmith::har::Judge { profiles, keys, params: &[], now };
    let case = tokensmith::har::examine(file, &format!("'{path}'"), &judge).map_err(|e| e.to_string())?;
    Ok(action::LoadedHar(std::sync::Arc::new(case), path.to_string()))
}

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}
