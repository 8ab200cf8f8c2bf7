//! `view(&App, &mut Frame)`: draws, and does nothing else. One file per pane.

mod claims;
mod doctor;
pub mod fit;
mod har;
mod keys;
pub mod overlay;
pub mod profile_form;
pub mod profiles;
pub mod token;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};

use super::action::Action;
use super::app::{App, Level, Mode, Pane};
use super::keymap;

/// Where each part of the screen goes; shared by the view and the mouse handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Areas {
    pub profiles: Rect,
    pub claims: Rect,
    pub keys: Rect,
    pub token: Rect,
    pub status: Rect,
    pub footer: Rect,
}

impl Areas {
    pub fn pane(&self, pane: Pane) -> Rect {
        match pane {
            Pane::Profiles => self.profiles,
            Pane::Claims => self.claims,
            Pane::Keys => self.keys,
            Pane::Token => self.token,
        }
    }

    /// The pane at a screen position, and the row inside its border.
    pub fn hit(&self, column: u16, row: u16) -> Option<(Pane, usize)> {
        Pane::ALL.into_iter().find_map(|pane| {
            let r = self.pane(pane);
            let inside = column >= r.x && column < r.x + r.width && row >= r.y && row < r.y + r.height;
            inside.then(|| (pane, row.saturating_sub(r.y + 1) as usize))
        })
    }
}

/// What the panes' sizes follow: the claims form's rows, and the left column's wishes (see
/// [`App::left_width_wanted`] and [`App::keys_rows_wanted`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wanted {
    pub claim_rows: usize,
    pub left_width: u16,
    pub key_rows: u16,
}

impl Wanted {
    pub fn of(app: &App) -> Wanted {
        Wanted {
            claim_rows: app.rows().len(),
            left_width: app.left_width_wanted(),
            key_rows: app.keys_rows_wanted(),
        }
    }
}

/// The layout for a terminal of this size: the left column as wide as its content wants,
/// between 22 columns and 40% of the width; in it the Keys pane as tall as its rows want
/// (at least 6 rows, at most 45%), the profiles above taking the rest.
pub fn layout(area: Rect, wanted: Wanted) -> Areas {
    let Wanted { claim_rows, left_width: left_wanted, key_rows } = wanted;
    let [main, status, footer] =
        Layout::vertical([Constraint::Min(8), Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let left_width = left_wanted.clamp(22, (area.width * 2 / 5).max(22));
    let [left, right] = Layout::horizontal([Constraint::Length(left_width), Constraint::Min(30)]).areas(main);
    let keys_height = key_rows.saturating_add(2).max(6).min((left.height * 45 / 100).max(3));
    let [profiles, keys] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(keys_height)]).areas(left);
    // Never clamp with min > max: on a short terminal the cap wins.
    let cap = (right.height * 45 / 100).max(3);
    let claims_height = (u16::try_from(claim_rows).unwrap_or(u16::MAX).saturating_add(2)).max(5).min(cap);
    let [claims, token] =
        Layout::vertical([Constraint::Length(claims_height), Constraint::Min(5)]).areas(right);
    Areas { profiles, claims, keys, token, status, footer }
}

/// Colours, or none when `NO_COLOR` is set (modifiers still mark focus and selection).
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn fg(&self, color: Color) -> Style {
        if self.color { Style::new().fg(color) } else { Style::new() }
    }
    pub fn dim(&self) -> Style {
        if self.color { Style::new().fg(Color::DarkGray) } else { Style::new().add_modifier(Modifier::DIM) }
    }
    pub fn selected(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Blue).fg(Color::White).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }
    pub fn level(&self, level: Level) -> Style {
        match level {
            Level::Info => Style::new(),
            Level::Success => self.fg(Color::Green),
            Level::Warning => self.fg(Color::Yellow),
            Level::Error => self.fg(Color::Red).add_modifier(Modifier::BOLD),
        }
    }
}

/// A pane's frame: number and title, highlighted when focused. The title is cut to fit `room`
/// columns (the pane's width, less what other titles on its top border take).
pub fn pane_block<'a>(app: &App, theme: &Theme, pane: Pane, title: Line<'a>, room: u16) -> Block<'a> {
    let focused = app.focus == pane && (app.mode == Mode::Normal || is_pane_mode(app, pane));
    let border = if focused { theme.fg(Color::Cyan).add_modifier(Modifier::BOLD) } else { theme.dim() };
    let mut spans = vec![Span::styled(format!(" {} ", pane.number()), border)];
    // Two corners, the number and a space after the title.
    spans.extend(fit::fit_line(title, usize::from(room).saturating_sub(6)).spans);
    spans.push(Span::raw(" "));
    Block::new()
        .borders(Borders::ALL)
        .border_type(if focused { BorderType::Thick } else { BorderType::Rounded })
        .border_style(border)
        .title(Line::from(spans))
}

fn is_pane_mode(app: &App, pane: Pane) -> bool {
    use super::app::EditTarget;
    match (&app.mode, pane) {
        (Mode::Editing(EditTarget::DoctorToken | EditTarget::DoctorKeyset | EditTarget::DoctorProbe), p) => {
            p == Pane::Token
        }
        (Mode::Filter, Pane::Profiles) | (Mode::Editing(_), Pane::Claims) => true,
        _ => false,
    }
}

/// The smallest terminal the workbench draws its panes in.
pub const MIN_WIDTH: u16 = 50;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 14;

/// What drawing learned about the screen that the next keys need: how far the token pane can
/// scroll and how tall a page of it is (ratatui's stateful widgets write their offsets the same
/// way). The loop stores it in [`App::token_view`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Drawn {
    pub token_view: Option<(u16, u16)>,
}

/// Draws the whole workbench.
pub fn view(app: &App, frame: &mut Frame) -> Drawn {
    let theme = Theme { color: app.color };
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "terminal too small: {}x{}, tokensmith needs {MIN_WIDTH}x{MIN_HEIGHT}; make it larger, or q to quit",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }), area);
        return Drawn::default();
    }
    let areas = layout(frame.area(), Wanted::of(app));
    profiles::render_profiles(app, &theme, frame, areas.profiles);
    claims::render_claims(app, &theme, frame, areas.claims);
    keys::render_keys(app, &theme, frame, areas.keys);
    let token_view = token::render_token(app, &theme, frame, areas.token);
    render_status(app, &theme, frame, areas.status);
    render_footer(app, &theme, frame, areas.footer);
    overlay::render_overlay(app, &theme, frame);
    profile_form::render_profile_form(app, &theme, frame);
    Drawn { token_view: Some(token_view) }
}

fn render_status(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let line = match &app.status {
        Some(status) => Line::styled(format!(" {}", status.text), theme.level(status.level)),
        None => Line::styled(" ready", theme.dim()),
    };
    frame.render_widget(Paragraph::new(fit::fit_line(line, usize::from(area.width))), area);
}

fn render_footer(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let key = theme.fg(Color::Cyan).add_modifier(Modifier::BOLD);
    // One table: the footer shows the bindings of the pane or overlay that has the keys, an
    // up/down pair as one entry.
    let entry = |b: &keymap::Binding| -> Option<(String, String)> {
        let keys =
            |b: &keymap::Binding| app.keymap.keys(b).iter().map(|k| k.label()).collect::<Vec<_>>().join("/");
        match b.action {
            Action::SelectNext | Action::ScrollDown | Action::ScrollPageUp => None,
            Action::ScrollPageDown => Some(("PgUp/PgDn".to_string(), "page".to_string())),
            Action::ScrollTop => None,
            Action::ScrollBottom => Some(("Home/End".to_string(), "start/end".to_string())),
            Action::SelectPrev => Some((format!("{}/{}", keys(b), "↓"), "move".to_string())),
            Action::ScrollUp => Some((format!("{}/{}", keys(b), "↓"), "scroll".to_string())),
            _ => Some((keys(b), b.label.to_string())),
        }
    };
    let pairs: Vec<(String, String)> = match &app.mode {
        Mode::Normal => keymap::footer(app.focus).into_iter().filter_map(entry).collect(),
        Mode::Editing(_) | Mode::Filter | Mode::Prompt(_) => {
            keymap::EDITING_KEYS.iter().take(4).map(|(k, l)| (k.to_string(), l.to_string())).collect()
        }
        mode => match keymap::overlay_of(mode) {
            Some(overlay) => keymap::BINDINGS
                .iter()
                .filter(|b| b.context == keymap::Context::Overlay(overlay))
                .filter_map(entry)
                .collect(),
            None => Vec::new(),
        },
    };
    // Keep it to one line: drop the pane's own entries from the end first; help and quit
    // (the last two in Normal mode) always stay.
    let mut pairs = pairs;
    let width = area.width as usize;
    let length = |pairs: &[(String, String)]| {
        pairs.iter().map(|(k, l)| k.chars().count() + l.chars().count() + 4).sum::<usize>()
    };
    while length(&pairs) > width && pairs.len() > 2 {
        let drop_at = if app.mode == Mode::Normal { pairs.len().saturating_sub(5) } else { pairs.len() - 1 };
        pairs.remove(drop_at);
    }
    let mut spans = vec![Span::raw(" ")];
    for (i, (k, label)) in pairs.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.dim()));
        }
        spans.push(Span::styled(k.clone(), key));
        spans.push(Span::raw(format!(" {label}")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub use fit::fit;
