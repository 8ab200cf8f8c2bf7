//! Issue 19's fuzz target for the workbench: random key sequences through the real update and
//! effect functions against a store on disk, while "another process" (the core API, as the CLI
//! uses it) renames, rotates and removes entries in between. Whatever happens, the store never
//! loses an entry it acknowledged: an entry leaves it only through a delete of that very
//! entry. `PROPTEST_CASES` sets how many sequences run (CI: the default 256; the closing note
//! of issue 19 gives a 10-minute run's figures).

use std::collections::BTreeSet;

use proptest::prelude::*;
use tui_input::InputRequest;

use tokensmith::profile::ProfileSet;
use tokensmith::store::{StoreDir, secret_entry};

use super::action::{Action, Effect};
use super::app::{App, Pane};
use super::update::update;

/// One step: a key the user presses, or something another process does to the store.
#[derive(Clone, Debug)]
enum Step {
    Key(Action),
    Type(String),
    OtherRenames(usize, String),
    OtherRotates(usize),
    OtherRemoves(usize),
}

fn step() -> impl Strategy<Value = Step> {
    let keys = prop::sample::select(vec![
        Action::Focus(Pane::Keys),
        Action::Focus(Pane::Claims),
        Action::SelectNext,
        Action::SelectPrev,
        Action::NewSecret,
        Action::RenameKey,
        Action::SetKeyKid,
        Action::SetKeyNote,
        Action::ToggleKeyProfile,
        Action::DeleteKey,
        Action::UseKey,
        Action::RevealSecret,
        Action::Submit,
        Action::Submit,
        Action::Decline,
        Action::Cancel,
        Action::Edit(InputRequest::DeletePrevChar),
        Action::CopyToken,
    ]);
    prop_oneof![
        6 => keys.prop_map(Step::Key),
        2 => "[a-z0-9-]{1,12}".prop_map(Step::Type),
        1 => (0..4usize, "[a-z]{1,6}").prop_map(|(i, n)| Step::OtherRenames(i, n)),
        1 => (0..4usize).prop_map(Step::OtherRotates),
        1 => (0..4usize).prop_map(Step::OtherRemoves),
    ]
}

/// The identities on disk.
fn on_disk(store: &StoreDir) -> BTreeSet<String> {
    store.open(None).map(|s| s.entries.iter().map(|e| e.identity()).collect()).unwrap_or_default()
}

/// What another tokensmith does between two keys.
fn other_process(store: &StoreDir, step: &Step, now: i64) {
    let Ok(opened) = store.open(None) else { return };
    let name_at = |i: usize| opened.entries.get(i % opened.entries.len().max(1)).map(|e| e.name.clone());
    match step {
        Step::OtherRenames(i, new) => {
            if let Some(old) = name_at(*i) {
                let _ = store.rename(None, &old, new, None);
            }
        }
        Step::OtherRotates(i) => {
            if let Some(old) = name_at(*i) {
                let _ = store.rename(None, &old, &format!("{old}-old"), None);
                if let Ok(entry) = secret_entry(
                    &old,
                    format!("rotated-{now}-{old}-0123456789abcdef").into_bytes(),
                    false,
                    now,
                ) {
                    let _ = store.add(None, entry);
                }
            }
        }
        Step::OtherRemoves(i) => {
            if let Some(name) = name_at(*i) {
                let _ = store.remove(None, &name, None);
            }
        }
        Step::Key(_) | Step::Type(_) => {}
    }
}

/// Runs one action through update, and its store effects through the loop's `perform`,
/// checking after each effect that no acknowledged entry was lost.
fn press(
    app: &mut App,
    store: &StoreDir,
    paths: &tokensmith::paths::Paths,
    action: Action,
) -> Result<(), TestCaseError> {
    let mut clipboard = super::clipboard::Clipboard::new(super::clipboard::ClipboardSetting::Osc52, false);
    let (worker, _results) = std::sync::mpsc::channel();
    let mut queue = std::collections::VecDeque::from([action]);
    let mut guard = 0;
    while let Some(action) = queue.pop_front() {
        guard += 1;
        prop_assert!(guard < 1000, "the effect loop does not settle");
        for effect in update(app, action) {
            if matches!(
                effect,
                Effect::SaveSession
                    | Effect::Copy { .. }
                    | Effect::Generate { .. }
                    | Effect::RecordHistory(_)
            ) {
                continue;
            }
            let before = on_disk(store);
            let removed = match &effect {
                Effect::StoreRemove { id, .. } => id.clone(),
                _ => None,
            };
            queue.extend(super::perform(effect, app, paths, store, &mut clipboard, &worker));
            let after = on_disk(store);
            for id in before.difference(&after) {
                prop_assert_eq!(
                    Some(id),
                    removed.as_ref(),
                    "an entry was lost that no delete of it asked for"
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn the_store_never_loses_an_acknowledged_entry(steps in prop::collection::vec(step(), 1..40)) {
        let dir = tempfile::tempdir().expect("temp");
        let store = StoreDir::new(dir.path());
        let paths = tokensmith::paths::Paths::under(dir.path());
        let now = 1_767_225_600;
        for name in ["prod", "staging", "demo"] {
            let entry = secret_entry(name, format!("{name}-secret-0123456789abcdef0123").into_bytes(), false, now)
                .expect("entry");
            store.add(None, entry).expect("add");
        }
        let mut app = App::new(ProfileSet::load(None).profiles, now);
        app.keys.entries = store.open(None).expect("open").entries;
        app.refresh();
        for step in &steps {
            match step {
                Step::Key(action) => press(&mut app, &store, &paths, action.clone())?,
                Step::Type(text) => {
                    for c in text.chars() {
                        press(&mut app, &store, &paths, Action::Edit(InputRequest::InsertChar(c)))?;
                    }
                }
                other => other_process(&store, other, now),
            }
        }
    }
}
