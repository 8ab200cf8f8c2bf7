//! The state each remaining pane and overlay owns, with the small moves that change only it
//! (the Keys pane's is in `keys.rs`, the profile form's in `profile_form.rs`). `App` holds one
//! of each; `update` dispatches to them.

use serde_json::{Map, Value};
use tokensmith::doctor::Report;
use tokensmith::history::{Entry, LIMIT};

/// Moves `current` by `delta` within `0..len` (clamped, not wrapped).
pub fn step(current: usize, delta: isize, len: usize) -> usize {
    current.saturating_add_signed(delta).min(len.saturating_sub(1))
}

/// The Claims pane: the selected row, and per row why its value does not fit its type.
#[derive(Clone, Debug, Default)]
pub struct ClaimsPane {
    pub row: usize,
    pub errors: Vec<Option<String>>,
}

impl ClaimsPane {
    /// Keeps the selection on one of `rows` rows.
    pub fn clamp(&mut self, rows: usize) {
        self.row = self.row.min(rows.saturating_sub(1));
    }
}

/// The Token pane's scrolling: where it is, and how far it can go with what page height, as
/// last drawn (None before the first frame: then scrolling is not bounded).
#[derive(Clone, Debug, Default)]
pub struct TokenPane {
    pub scroll: u16,
    pub extent: Option<(u16, u16)>,
}

impl TokenPane {
    /// One page less a line of overlap (10 lines before the first frame).
    pub fn page(&self) -> i32 {
        i32::from(self.extent.map_or(10, |(_, page)| page.saturating_sub(1).max(1)))
    }

    /// Scrolls by `lines` (negative: up), within what was last drawn.
    pub fn scroll_by(&mut self, lines: i32) {
        let max = self.extent.map_or(u16::MAX, |(max, _)| max);
        let moved = i32::from(self.scroll.min(max)).saturating_add(lines);
        self.scroll = u16::try_from(moved.clamp(0, i32::from(max))).unwrap_or(max);
    }
}

/// The snippet overlay: the chosen flavour, its scroll, and its text (derived by
/// `App::refresh_snippet`).
#[derive(Clone, Debug, Default)]
pub struct SnippetView {
    pub flavor: usize,
    pub scroll: u16,
    pub text: Option<String>,
}

/// The history overlay: the last tokens copied or pasted, oldest first
/// (`<data>/history.jsonl`), and the one shown, counted from the newest.
#[derive(Clone, Debug, Default)]
pub struct HistoryView {
    pub entries: Vec<Entry>,
    pub selected: usize,
}

impl HistoryView {
    /// Adds an entry unless it repeats the newest; keeps the last [`LIMIT`]. Whether it was
    /// added (and so is to be saved).
    pub fn record(&mut self, entry: &Entry) -> bool {
        if self
            .entries
            .last()
            .is_some_and(|last| last.payload == entry.payload && last.header == entry.header)
        {
            return false;
        }
        self.entries.push(entry.clone());
        let excess = self.entries.len().saturating_sub(LIMIT);
        self.entries.drain(..excess);
        true
    }

    pub fn move_by(&mut self, delta: isize) {
        self.selected = step(self.selected, delta, self.entries.len());
    }
}

/// The doctor: a token pasted for it (shown in the Token pane instead of the signed one) and
/// its report, against the current profile and every stored key.
#[derive(Clone, Debug, Default)]
pub struct DoctorPane {
    pub input: Option<String>,
    pub report: Option<Report>,
    /// The token found in what was pasted (quotes, `Bearer ` and line breaks taken off):
    /// what the pane shows and `c` copies. Derived with the report.
    pub token: String,
    /// Its header and payload pretty-printed, when they decode. Derived with the report.
    pub parts: Option<(String, String)>,
    /// Whether the pasted token is shown against the bench's (`=`).
    pub compare: bool,
    /// What differs from the bench's token (or the newest in the history), and which one that
    /// was; derived with the report while `compare` is on.
    pub diff: Option<(String, tokensmith::diff::TokenDiff)>,
    /// The HAR read last (a `.har` path pasted with `t`), shown as a timeline.
    pub har: Option<HarView>,
    /// The time the pasted token is judged at instead of now: when it was sent, for a token
    /// opened from a HAR.
    pub at: Option<i64>,
    /// What the engineer expects of the claims (`x`): each mismatch is a finding.
    pub expect: tokensmith::token::expect::Expectations,
    /// The keyset the doctor verifies against (`J`), in place of the stored keys.
    pub keyset: Option<std::sync::Arc<tokensmith::keyset::load::Loaded>>,
    /// What was typed for it last: shown again when `J` is pressed.
    pub keyset_spec: String,
    /// The last probe of the customer's token endpoint (`P`): its findings are shown above the
    /// doctor's, and the last token it got is the doctor's input.
    pub probe: Option<std::sync::Arc<tokensmith::probe::ProbeReport>>,
    /// What was typed for it last: shown again when `P` is pressed.
    pub probe_line: String,
}

/// A token's header and payload.
type Parts<'a> = (&'a Map<String, Value>, &'a Map<String, Value>);

impl DoctorPane {
    /// While comparing: what differs between the bench's token (else the newest token in the
    /// history) and the pasted one, under the profile's rules.
    /// `pasted` is what [`DoctorPane::refresh_parts`] decoded.
    pub fn refresh_diff(
        &mut self,
        pasted: Option<&tokensmith::token::DecodedToken>,
        bench: Option<Parts<'_>>,
        history: &HistoryView,
        profile: &tokensmith::profile::Profile,
        now: i64,
    ) {
        self.diff = None;
        let Some(pasted) = pasted.filter(|_| self.compare) else { return };
        let (what, first) = match (bench, history.entries.last()) {
            (Some(parts), _) => ("the bench's token".to_string(), parts),
            (None, Some(e)) => {
                (format!("the newest token in the history ({})", e.profile), (&e.header, &e.payload))
            }
            (None, None) => return,
        };
        let diff = tokensmith::diff::diff(first, (&pasted.header, &pasted.payload), Some(profile), now);
        self.diff = Some((what, diff));
    }

    /// Re-derives the cleaned token and its parts from what was pasted; the decoded token, for
    /// the comparison, so it is decoded once.
    pub fn refresh_parts(&mut self) -> Option<tokensmith::token::DecodedToken> {
        let Some(input) = self.input.as_deref() else {
            self.token.clear();
            self.parts = None;
            return None;
        };
        self.token = tokensmith::token::decode::clean(input).0;
        let decoded = tokensmith::token::decode(input).ok();
        let pretty = |map: &Map<String, Value>| serde_json::to_string_pretty(map).unwrap_or_default();
        self.parts = decoded.as_ref().map(|d| (pretty(&d.header), pretty(&d.payload)));
        decoded
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokensmith::history::Origin;

    fn entry(sub: i64) -> Entry {
        let payload = serde_json::json!({ "sub": sub }).as_object().cloned().unwrap_or_default();
        Entry { at: sub, origin: Origin::Made, profile: "p".into(), header: Default::default(), payload }
    }

    #[test]
    fn history_skips_a_repeat_of_the_newest_and_keeps_the_last_limit() {
        let mut history = HistoryView::default();
        assert!(history.record(&entry(1)));
        assert!(!history.record(&entry(1)), "the same token again is not a new entry");
        for sub in 2..=(LIMIT as i64 + 5) {
            assert!(history.record(&entry(sub)));
        }
        assert_eq!(history.entries.len(), LIMIT);
        assert_eq!(history.entries.first().map(|e| e.at), Some(6), "the oldest went first");
        history.move_by(-3);
        assert_eq!(history.selected, 0);
        history.move_by(LIMIT as isize * 2);
        assert_eq!(history.selected, LIMIT - 1);
    }

    #[test]
    fn the_token_pane_scrolls_within_what_was_drawn() {
        let mut pane = TokenPane::default();
        pane.scroll_by(500);
        assert_eq!(pane.scroll, 500, "before the first frame scrolling is not bounded");
        pane.extent = Some((12, 8));
        assert_eq!(pane.page(), 7);
        pane.scroll_by(pane.page());
        assert_eq!(pane.scroll, 12);
        pane.scroll_by(-100);
        assert_eq!(pane.scroll, 0);
        let mut claims = ClaimsPane { row: 9, errors: Vec::new() };
        claims.clamp(4);
        assert_eq!(claims.row, 3);
        claims.clamp(0);
        assert_eq!(claims.row, 0);
    }
}

/// A HAR read in the doctor: its tokens on a timeline, one selected.
#[derive(Clone, Debug, Default)]
pub struct HarView {
    /// The case (`tokensmith::har`), as the CLI's `har` reports it.
    pub case: std::sync::Arc<tokensmith::har::Case>,
    /// The file, as typed.
    pub path: String,
    /// The selected token.
    pub selected: usize,
}

impl HarView {
    /// Moves the selection, within the tokens.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.case.tokens.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }
}
