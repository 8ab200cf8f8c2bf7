//! The profile form: `y` on the Profiles pane copies the selected profile into an editable
//! draft; rows change its id, name, algorithm, time rules, claims (add, remove, type,
//! required, default), parameters and notes. Every change is checked as the file would be
//! (written as TOML, read back); `w` saves it to `<config>/profiles/ID.toml` (the loop writes
//! it atomically and reloads the profiles). State and update live here; the drawing is in
//! `view/profile_form.rs`.

use std::path::PathBuf;

use tokensmith::claims::{ClaimPath, ClaimType, ValueExpr};
use tokensmith::profile::{Profile, ProfileSource, Secs, Sourced};
use tokensmith::token::Alg;

/// The claim types, in the order ←/→ cycles through them.
const TYPES: [ClaimType; 8] = [
    ClaimType::String,
    ClaimType::Email,
    ClaimType::Id,
    ClaimType::Integer,
    ClaimType::Number,
    ClaimType::Boolean,
    ClaimType::UnixTime,
    ClaimType::Json,
];

/// One row of the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormRow {
    Id,
    Name,
    Algorithm,
    ExpRequired,
    IatRequired,
    MaxLifetime,
    RecommendedLifetime,
    IatSkew,
    IntegerTimes,
    ClaimPath(usize),
    ClaimType(usize),
    ClaimRequired(usize),
    ClaimDefault(usize),
    ParamName(usize),
    ParamDefault(usize),
    Note(usize),
}

/// How a row is changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// Enter edits its text.
    Text,
    /// Enter or Space turns it on or off.
    Toggle,
    /// ←/→ (or Enter) picks the next value.
    Choice,
}

/// The draft being edited and where the cursor is.
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileForm {
    /// The profile as edited so far.
    pub draft: Profile,
    /// The user file it replaces when saved (None: a new file `<config>/profiles/ID.toml`).
    pub file: Option<PathBuf>,
    /// The selected row.
    pub row: usize,
    /// Why the draft would be refused, as `profile validate` says it; None when valid.
    pub problem: Option<String>,
    /// Changed since opened or saved.
    pub dirty: bool,
    /// Esc was pressed once with unsaved changes: the next Esc discards them.
    pub confirm_discard: bool,
}

impl ProfileForm {
    /// A form on a copy of `profile`: a user's own file is edited in place; a built-in is
    /// copied under a new id (`talla-copy`) that no profile has yet.
    pub fn copy_of(profile: &Profile, taken: &[Profile]) -> ProfileForm {
        let mut draft = profile.clone();
        let file = match &profile.source {
            ProfileSource::User(path) => Some(path.clone()),
            ProfileSource::BuiltIn => {
                let base = format!("{}-copy", profile.id);
                let free = |id: &str| !taken.iter().any(|p| p.id == id);
                draft.id = (1..100u32)
                    .map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") })
                    .find(|id| free(id))
                    .unwrap_or(base);
                draft.name = format!("{} (copy)", profile.name);
                None
            }
        };
        let mut form =
            ProfileForm { draft, file, row: 0, problem: None, dirty: false, confirm_discard: false };
        form.check();
        form
    }

    /// The rows, top to bottom.
    pub fn rows(&self) -> Vec<FormRow> {
        let mut rows = vec![
            FormRow::Id,
            FormRow::Name,
            FormRow::Algorithm,
            FormRow::ExpRequired,
            FormRow::IatRequired,
            FormRow::MaxLifetime,
            FormRow::RecommendedLifetime,
            FormRow::IatSkew,
            FormRow::IntegerTimes,
        ];
        for i in 0..self.draft.claims.len() {
            rows.extend([
                FormRow::ClaimPath(i),
                FormRow::ClaimType(i),
                FormRow::ClaimRequired(i),
                FormRow::ClaimDefault(i),
            ]);
        }
        for i in 0..self.draft.params.len() {
            rows.extend([FormRow::ParamName(i), FormRow::ParamDefault(i)]);
        }
        rows.extend((0..self.draft.notes.len()).map(FormRow::Note));
        rows
    }

    /// The selected row.
    pub fn current(&self) -> Option<FormRow> {
        self.rows().get(self.row).copied()
    }

    /// A row's label and value, as the form shows them.
    pub fn row_text(&self, row: FormRow) -> (String, String) {
        let p = &self.draft;
        let t = &p.time;
        let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
        let secs = |r: &Option<Sourced<Secs>>| {
            r.as_ref().map_or_else(String::new, |r| tokensmith::time::human_duration(r.value.0))
        };
        let claim = |i: usize| p.claims.get(i);
        let param = |i: usize| p.params.get(i);
        match row {
            FormRow::Id => ("id".into(), p.id.clone()),
            FormRow::Name => ("name".into(), p.name.clone()),
            FormRow::Algorithm => {
                let algs: Vec<&str> = p.algorithms.iter().map(|a| a.name()).collect();
                ("algorithm".into(), format!("{}  ({})", algs.join(", "), p.key_kind.key_pair_id()))
            }
            FormRow::ExpRequired => ("exp required".into(), yes_no(t.exp_required.value)),
            FormRow::IatRequired => ("iat required".into(), yes_no(t.iat_required.value)),
            FormRow::MaxLifetime => ("max lifetime".into(), secs(&t.max_lifetime)),
            FormRow::RecommendedLifetime => ("recommended lifetime".into(), secs(&t.recommended_lifetime)),
            FormRow::IatSkew => ("iat skew".into(), secs(&t.iat_skew)),
            FormRow::IntegerTimes => ("whole-second times".into(), yes_no(t.integer.value)),
            FormRow::ClaimPath(i) => {
                ("claim".into(), claim(i).map(|c| c.path.to_string()).unwrap_or_default())
            }
            FormRow::ClaimType(i) => {
                ("  type".into(), claim(i).map(|c| c.ty.to_string()).unwrap_or_default())
            }
            FormRow::ClaimRequired(i) => {
                ("  required".into(), claim(i).map(|c| yes_no(c.required)).unwrap_or_default())
            }
            FormRow::ClaimDefault(i) => (
                "  default".into(),
                claim(i).and_then(|c| c.default.as_ref()).map(ToString::to_string).unwrap_or_default(),
            ),
            FormRow::ParamName(i) => {
                ("parameter".into(), param(i).map(|p| p.name.clone()).unwrap_or_default())
            }
            FormRow::ParamDefault(i) => {
                ("  default".into(), param(i).map(|p| p.default.clone()).unwrap_or_default())
            }
            FormRow::Note(i) => ("note".into(), p.notes.get(i).cloned().unwrap_or_default()),
        }
    }

    /// How the row is changed.
    pub fn kind(row: FormRow) -> RowKind {
        match row {
            FormRow::ExpRequired
            | FormRow::IatRequired
            | FormRow::IntegerTimes
            | FormRow::ClaimRequired(_) => RowKind::Toggle,
            FormRow::Algorithm | FormRow::ClaimType(_) => RowKind::Choice,
            _ => RowKind::Text,
        }
    }

    /// Checks the draft as `profile validate` would check its file. The line and column of
    /// the text written for the check mean nothing to the user: the field and reason do.
    fn check(&mut self) {
        use tokensmith::profile::ProfileError;
        self.problem = match tokensmith::profile::to_toml(&self.draft) {
            Err(e) => Some(e.to_string()),
            Ok(text) => match tokensmith::profile::parse(&text, "this profile", ProfileSource::BuiltIn) {
                Ok(_) => None,
                Err(ProfileError::Invalid { field, message, .. }) => {
                    Some(format!("field '{field}': {message}"))
                }
                Err(ProfileError::Parse { field: Some(field), message, .. }) => {
                    Some(format!("field '{field}': {message}"))
                }
                Err(ProfileError::Parse { message, .. }) => Some(message),
                Err(e) => Some(e.to_string()),
            },
        };
    }

    pub fn changed(&mut self) {
        self.dirty = true;
        self.confirm_discard = false;
        self.check();
    }

    /// Sets a text row from what was typed; an error says why the text does not fit.
    pub fn set_text(&mut self, row: FormRow, text: &str) -> Result<(), String> {
        let p = &mut self.draft;
        let duration = |text: &str| -> Result<Option<Sourced<Secs>>, String> {
            if text.trim().is_empty() {
                return Ok(None);
            }
            tokensmith::time::parse_duration(text).map(|s| Some(Sourced::plain(Secs(s))))
        };
        match row {
            FormRow::Id => p.id = text.trim().to_string(),
            FormRow::Name => p.name = text.to_string(),
            FormRow::MaxLifetime => p.time.max_lifetime = duration(text)?,
            FormRow::RecommendedLifetime => p.time.recommended_lifetime = duration(text)?,
            FormRow::IatSkew => p.time.iat_skew = duration(text)?,
            FormRow::ClaimPath(i) => {
                let path: ClaimPath = text.parse()?;
                if let Some(c) = p.claims.get_mut(i) {
                    c.path = path;
                }
            }
            FormRow::ClaimDefault(i) => {
                let default = if text.is_empty() { None } else { Some(ValueExpr::parse_or_literal(text)?) };
                if let Some(c) = p.claims.get_mut(i) {
                    c.default = default;
                }
            }
            FormRow::ParamName(i) => {
                if let Some(param) = p.params.get_mut(i) {
                    param.name = text.trim().to_string();
                }
            }
            FormRow::ParamDefault(i) => {
                if let Some(param) = p.params.get_mut(i) {
                    param.default = text.to_string();
                }
            }
            FormRow::Note(i) => {
                if let Some(note) = p.notes.get_mut(i) {
                    *note = text.to_string();
                }
            }
            FormRow::Algorithm
            | FormRow::ExpRequired
            | FormRow::IatRequired
            | FormRow::IntegerTimes
            | FormRow::ClaimType(_)
            | FormRow::ClaimRequired(_) => {}
        }
        self.changed();
        Ok(())
    }

    /// Toggles a yes/no row or steps a choice row (`step` is +1 or -1).
    pub fn step(&mut self, row: FormRow, forward: bool) {
        let p = &mut self.draft;
        let next = |i: usize, len: usize| if forward { (i + 1) % len } else { (i + len - 1) % len };
        match row {
            FormRow::ExpRequired => p.time.exp_required.value = !p.time.exp_required.value,
            FormRow::IatRequired => p.time.iat_required.value = !p.time.iat_required.value,
            FormRow::IntegerTimes => p.time.integer.value = !p.time.integer.value,
            FormRow::ClaimRequired(i) => {
                if let Some(c) = p.claims.get_mut(i) {
                    c.required = !c.required;
                }
            }
            FormRow::Algorithm => {
                let now =
                    p.algorithms.first().and_then(|a| Alg::ALL.iter().position(|x| x == a)).unwrap_or(0);
                if let Some(&alg) = Alg::ALL.get(next(now, Alg::ALL.len())) {
                    p.algorithms = vec![alg];
                    p.key_kind = alg.family();
                }
            }
            FormRow::ClaimType(i) => {
                if let Some(c) = p.claims.get_mut(i) {
                    let now = TYPES.iter().position(|t| *t == c.ty).unwrap_or(0);
                    if let Some(&ty) = TYPES.get(next(now, TYPES.len())) {
                        c.ty = ty;
                    }
                }
            }
            _ => return,
        }
        self.changed();
    }

    /// The claim, parameter or note the selected row belongs to, removed.
    pub fn delete(&mut self, row: FormRow) -> Option<String> {
        let p = &mut self.draft;
        let gone = match row {
            FormRow::ClaimPath(i)
            | FormRow::ClaimType(i)
            | FormRow::ClaimRequired(i)
            | FormRow::ClaimDefault(i)
                if i < p.claims.len() =>
            {
                format!("claim '{}'", p.claims.remove(i).path)
            }
            FormRow::ParamName(i) | FormRow::ParamDefault(i) if i < p.params.len() => {
                format!("parameter '{}'", p.params.remove(i).name)
            }
            FormRow::Note(i) if i < p.notes.len() => {
                p.notes.remove(i);
                "the note".to_string()
            }
            _ => return None,
        };
        self.changed();
        self.row = self.row.min(self.rows().len().saturating_sub(1));
        Some(gone)
    }

    pub fn select_row(&mut self, wanted: FormRow) {
        if let Some(i) = self.rows().iter().position(|r| *r == wanted) {
            self.row = i;
        }
    }
}

/// The loop's part of saving: the file the draft goes to, written atomically, then every
/// profile read again. Refuses to write over another profile's file.
pub fn save(
    dir: &std::path::Path,
    profile: &Profile,
    file: Option<&std::path::Path>,
) -> Result<(Vec<Profile>, String, PathBuf), String> {
    let target = tokensmith::profile::user_file(dir, &profile.id);
    let same_file = file.is_some_and(|f| f == target);
    if target.exists() && !same_file {
        return Err(format!(
            "'{}' already exists and is another profile's file: change the id, or edit that file",
            target.display()
        ));
    }
    let path = match file {
        // A user's file named otherwise (acme.toml with id 'acme-chat') is saved where it is.
        Some(f) if f.exists() && !target.exists() && tokensmith::profile::valid_id(&profile.id) => {
            let text = tokensmith::profile::to_toml_keeping(f, profile).map_err(|e| e.to_string())?;
            let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let parent = f.parent().unwrap_or(dir);
            tokensmith::fsio::write_atomic(parent, &name, text.as_bytes()).map_err(|e| e.to_string())?;
            f.to_path_buf()
        }
        _ => tokensmith::profile::save_user_profile(dir, profile).map_err(|e| e.to_string())?,
    };
    let set = tokensmith::profile::ProfileSet::load(Some(dir));
    Ok((set.profiles, profile.id.clone(), path))
}

#[cfg(test)]
mod tests;
