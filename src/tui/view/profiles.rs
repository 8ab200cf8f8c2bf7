//! Pane 1: the vendor profiles, a filter, and a brief of the selected one. The brief always
//! has room for its first lines (the name the Claims pane shows, the algorithm and key kind,
//! the lifetime rule): where the list is longer than the rest, it scrolls with the selection in
//! sight, and a line under it counts the profiles above and below.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use tokensmith::profile::{Profile, ProfileSource, Scheme};
use tokensmith::time::human_duration;

use super::fit::{first_fitting, fit, wrap_words};
use super::{Theme, pane_block};
use crate::tui::app::{App, Mode, Pane};

/// Rows kept for the brief below the list: the profile's name, algorithm and key kind, and its
/// lifetime rule (or where the rest of the brief is).
const BRIEF_ROWS: usize = 4;

/// Below this many rows the pane is the list alone.
const ROWS_FOR_A_BRIEF: usize = 8;

/// How the pane's rows are shared, for the view and for the mouse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Profiles above the first row shown (indices into `App::visible_profiles`).
    pub skip: usize,
    /// Rows of the list.
    pub rows: usize,
    /// Profiles below the last row shown.
    pub below: usize,
    /// Rows left for the brief, after the line between it and the list.
    pub brief_rows: usize,
}

/// Shares `height` rows (inside the border, less the filter line) between the list and the
/// brief of the selected profile, whose lines at this width are `brief_lines`.
pub fn plan(app: &App, height: usize, brief_lines: usize) -> Plan {
    let visible = app.visible_profiles();
    let reserve = if height >= ROWS_FOR_A_BRIEF { 1 + brief_lines.min(BRIEF_ROWS) } else { 0 };
    let whole = visible.len().max(1) <= height.saturating_sub(reserve);
    // When the list does not fit, one of its rows says how many are out of sight.
    let rows = if whole {
        visible.len()
    } else if reserve > 0 {
        height.saturating_sub(reserve)
    } else {
        height.saturating_sub(1).max(1)
    };
    let at = visible.iter().position(|&i| i == app.profile).unwrap_or(0);
    let skip = at.saturating_sub(rows.saturating_sub(1));
    let below = visible.len().saturating_sub(skip.saturating_add(rows));
    let brief_rows = if reserve > 0 { height.saturating_sub(rows).saturating_sub(1) } else { 0 };
    Plan { skip, rows, below, brief_rows }
}

/// The pane's inner rows for the list and brief (less the filter line), and the brief's lines.
pub fn measure(app: &App, inner: Rect) -> (usize, Vec<(String, Style)>) {
    let filter_line = app.mode == Mode::Filter || !app.filter.is_empty();
    let height = usize::from(inner.height).saturating_sub(usize::from(filter_line));
    let brief = app.current().map(|p| brief(p, usize::from(inner.width))).unwrap_or_default();
    (height, brief)
}

/// Which profile a click on a row inside the pane's border means, as an index into
/// `App::visible_profiles`; None on the count or the brief.
pub fn profile_at(app: &App, area: Rect, row: usize) -> Option<usize> {
    let inner =
        Rect { x: 0, y: 0, width: area.width.saturating_sub(2), height: area.height.saturating_sub(2) };
    let (height, brief) = measure(app, inner);
    let plan = plan(app, height, brief.len());
    (row < plan.rows).then(|| plan.skip.saturating_add(row))
}

pub fn render_profiles(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = pane_block(app, theme, Pane::Profiles, Line::from(Pane::Profiles.title()), area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let visible = app.visible_profiles();
    let (height, brief) = measure(app, inner);
    let plan = plan(app, height, brief.len());
    let mut lines: Vec<Line> = visible
        .iter()
        .skip(plan.skip)
        .take(plan.rows)
        .filter_map(|&index| app.profiles.get(index).map(|p| (index, p)))
        .map(|(index, p)| {
            let style = if index == app.profile { theme.selected() } else { Style::new() };
            Line::styled(row_text(p, width), style)
        })
        .collect();
    if visible.is_empty() {
        lines.push(Line::styled(fit(&format!(" no profile matches '{}'", app.filter), width), theme.dim()));
    }
    if plan.skip > 0 || plan.below > 0 {
        lines.push(Line::styled(fit(&more_text(app, &plan), width), theme.fg(Color::Cyan)));
    } else if plan.brief_rows > 0 {
        lines.push(Line::raw(""));
    }
    lines.extend(brief_shown(app, brief, plan.brief_rows, width, theme));
    if app.mode == Mode::Filter || !app.filter.is_empty() {
        render_filter_line(app, frame, inner, &mut lines, height, theme);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A profile's row: its id (`*` for one of the user's own) and its algorithm at the right.
fn row_text(p: &Profile, width: usize) -> String {
    let alg = p.algorithms.first().map(|a| a.name()).unwrap_or(match p.scheme {
        Scheme::IdentityHash => "hash",
        Scheme::VendorIssued => "issued",
        Scheme::Jwt => "-",
    });
    let mine = if matches!(p.source, ProfileSource::User(_)) { "*" } else { "" };
    let label = format!("{}{mine}", p.id);
    let pad = width.saturating_sub(label.chars().count() + alg.len() + 2);
    let text =
        format!(" {}{}{alg} ", fit(&label, width.saturating_sub(alg.len() + 3)), " ".repeat(pad.max(1)));
    fit(&text, width)
}

/// "↑ 2 · ↓ 7 more · / filters": how many profiles are out of sight, and how to find one.
fn more_text(app: &App, plan: &Plan) -> String {
    let counts = match (plan.skip, plan.below) {
        (0, below) => format!("↓ {below} more"),
        (above, 0) => format!("↑ {above} more"),
        (above, below) => format!("↑ {above} · ↓ {below} more"),
    };
    if app.filter.is_empty() { format!(" {counts} · / filters") } else { format!(" {counts}") }
}

/// The brief's lines at this width: the profile's name (as the Claims pane's title shows it),
/// algorithm and key kind, time rules, then its notes, all wrapped.
fn brief(p: &Profile, width: usize) -> Vec<(String, Style)> {
    let wrap = |text: &str| wrap_words(text, width.saturating_sub(1));
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut lines: Vec<(String, Style)> = wrap(&p.name).into_iter().map(|l| (l, bold)).collect();
    let signs = match p.scheme {
        Scheme::IdentityHash => "identity hash (HMAC-SHA256)".to_string(),
        Scheme::VendorIssued => "issued by the vendor".to_string(),
        Scheme::Jwt => p.algorithms.iter().map(|a| a.name()).collect::<Vec<_>>().join(","),
    };
    let mut facts = vec![format!("{signs} · {}", p.key_kind.key_pair_name())];
    let t = &p.time;
    if let Some(max) = &t.max_lifetime {
        facts.push(format!("exp ≤ iat + {}", human_duration(max.value.0)));
    } else if let Some(rec) = &t.recommended_lifetime {
        facts.push(format!("exp: {} recommended", human_duration(rec.value.0)));
    } else if t.exp_required.value {
        facts.push("exp required".into());
    }
    if let Some(skew) = &t.iat_skew {
        facts.push(format!("iat skew {}", human_duration(skew.value.0)));
    }
    facts.extend(p.notes.iter().cloned());
    // Wrapped, not cut: the notes hold what a support engineer must know.
    lines.extend(facts.iter().flat_map(|f| wrap(f)).map(|l| (l, Style::new())));
    lines
}

/// As much of the brief as `rows` holds. Where it does not all fit, the name takes one line
/// and the last row says where the whole brief is.
fn brief_shown(
    app: &App,
    mut brief: Vec<(String, Style)>,
    rows: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let Some(p) = app.current().filter(|_| rows > 0) else { return Vec::new() };
    let cut = brief.len() > rows;
    if cut {
        let name_lines = wrap_words(&p.name, width.saturating_sub(1)).len();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        brief.splice(..name_lines.min(brief.len()), [(fit(&p.name, width.saturating_sub(1)), bold)]);
    }
    let keep = if cut { rows.saturating_sub(1) } else { rows };
    let mut lines: Vec<Line> = brief
        .into_iter()
        .take(keep)
        .map(|(text, style)| {
            // The name in the text's own colour, bold; the facts and notes dim.
            let style = if style == Style::new() { theme.dim() } else { style };
            Line::styled(format!(" {text}"), style)
        })
        .collect();
    if cut {
        let (long, short) = (format!(" … more: profile show {}", p.id), format!(" … profile show {}", p.id));
        let more = first_fitting(&[&long, &short, " … more"], width);
        lines.push(Line::styled(more, theme.dim().add_modifier(Modifier::ITALIC)));
    }
    lines
}

/// The filter on the pane's last row, with the cursor while it is typed.
fn render_filter_line(
    app: &App,
    frame: &mut Frame,
    inner: Rect,
    lines: &mut Vec<Line>,
    height: usize,
    theme: &Theme,
) {
    let width = usize::from(inner.width);
    while lines.len() < height {
        lines.push(Line::raw(""));
    }
    lines.truncate(height);
    let style = theme.fg(Color::Yellow).add_modifier(Modifier::BOLD);
    let text = if app.mode == Mode::Filter { app.input.value().to_string() } else { app.filter.clone() };
    lines.push(Line::from(vec![Span::styled(" / ", style), Span::raw(fit(&text, width.saturating_sub(3)))]));
    if app.mode == Mode::Filter {
        let column = u16::try_from(app.input.visual_cursor().min(width.saturating_sub(4))).unwrap_or(0);
        frame.set_cursor_position((inner.x + 3 + column, inner.y + inner.height.saturating_sub(1)));
    }
}
