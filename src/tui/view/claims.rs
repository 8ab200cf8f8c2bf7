//! Pane 2: the profile's claim fields, free claims and snippet parameters as a form.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::fit::first_fitting;
use super::{Theme, fit, pane_block};
use crate::tui::app::{App, EditTarget, Mode, Pane, Row};

pub fn render_claims(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let title = match app.current() {
        Some(p) => Line::from(vec![
            Span::raw("Claims · "),
            Span::styled(p.name.clone(), Style::new().add_modifier(Modifier::BOLD)),
        ]),
        None => Line::from("Claims"),
    };
    let block = pane_block(app, theme, Pane::Claims, title, area.width);
    let inner = block.inner(area);
    let Some(profile) = app.current() else {
        frame.render_widget(block, area);
        return;
    };
    let rows = app.rows();
    let state = app.state();
    let width = inner.width as usize;
    let name_width = name_width(profile, &state, &rows).clamp(4, width / 3);
    let height = inner.height as usize;
    let editing_new = matches!(
        app.mode,
        Mode::Editing(
            EditTarget::NewClaimName
                | EditTarget::NewClaimValue(_)
                | EditTarget::NewHeaderName
                | EditTarget::NewHeaderValue(_)
        )
    );
    let list_height = height.saturating_sub(usize::from(editing_new));
    let skip = app.claims_pane.row.saturating_sub(list_height.saturating_sub(1));
    // Rows out of sight are counted on the border, so a short terminal does not hide them.
    let below = rows.len().saturating_sub(skip.saturating_add(list_height));
    let block = match (skip, below) {
        (0, 0) => block,
        (above, 0) => {
            block.title_bottom(Line::styled(format!(" ↑ {above} more "), theme.dim()).right_aligned())
        }
        (_, below) => {
            block.title_bottom(Line::styled(format!(" ↓ {below} more "), theme.dim()).right_aligned())
        }
    };
    frame.render_widget(block, area);
    let mut lines = Vec::new();
    let mut cursor = None;
    for (index, row) in rows.iter().enumerate().skip(skip).take(list_height) {
        let (mark, name, ty) = row_label(profile, &state, *row);
        let (value, set) = app.row_text(*row);
        let error = app.claims_pane.errors.get(index).cloned().flatten();
        let selected = index == app.claims_pane.row && app.focus == Pane::Claims;
        let prefix = format!("{mark}{:<name_width$} {:<9} ", fit(&name, name_width), ty);
        let value_width = width.saturating_sub(prefix.chars().count() + 1);
        let editing_this = app.mode == Mode::Editing(EditTarget::Row(*row));
        let mut spans = vec![Span::styled(
            prefix.clone(),
            if selected { theme.selected() } else { theme.fg(Color::Gray) },
        )];
        if editing_this {
            let scroll = app.input.visual_scroll(value_width.saturating_sub(1));
            let shown: String = app.input.value().chars().skip(scroll).take(value_width).collect();
            spans.push(Span::styled(shown, Style::new().add_modifier(Modifier::UNDERLINED)));
            cursor = Some((
                inner.x
                    + prefix.chars().count() as u16
                    + (app.input.visual_cursor().saturating_sub(scroll)) as u16,
                inner.y + (index - skip) as u16,
            ));
        } else {
            spans.push(value_span(app, *row, (&value, set), error.as_deref(), value_width, theme));
        }
        lines.push(Line::from(spans));
    }
    if editing_new {
        let (label, value) = match &app.mode {
            Mode::Editing(EditTarget::NewClaimValue(name)) => {
                (format!("+ {name} = "), app.input.value().to_string())
            }
            Mode::Editing(EditTarget::NewHeaderName) => {
                ("+ new header field: ".to_string(), app.input.value().to_string())
            }
            Mode::Editing(EditTarget::NewHeaderValue(name)) => {
                (format!("+ header.{name} = "), app.input.value().to_string())
            }
            _ => ("+ new claim name: ".to_string(), app.input.value().to_string()),
        };
        while lines.len() < list_height {
            lines.push(Line::raw(""));
        }
        cursor = Some((
            inner.x + label.chars().count() as u16 + app.input.visual_cursor() as u16,
            inner.y + list_height as u16,
        ));
        lines.push(Line::from(vec![
            Span::styled(label, theme.fg(Color::Yellow).add_modifier(Modifier::BOLD)),
            Span::styled(value, Style::new().add_modifier(Modifier::UNDERLINED)),
        ]));
    }
    if let Some((x, y)) = cursor {
        frame.set_cursor_position((x.min(inner.x + inner.width.saturating_sub(1)), y));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A row's required mark, name and type column.
fn row_label(
    profile: &tokensmith::profile::Profile,
    state: &crate::tui::app::ProfileState,
    row: Row,
) -> (&'static str, String, String) {
    match row {
        Row::Field(i) => {
            let f = &profile.claims[i];
            (if f.required { "*" } else { " " }, f.path.to_string(), f.ty.to_string())
        }
        Row::Extra(i) => (" ", state.extras.get(i).map(|e| e.0.clone()).unwrap_or_default(), "extra".into()),
        Row::Param(i) => {
            (" ", profile.params.get(i).map(|p| p.name.clone()).unwrap_or_default(), "param".into())
        }
        Row::Header(i) => (
            " ",
            state.headers.get(i).map(|h| format!("header.{}", h.0)).unwrap_or_default(),
            "header".into(),
        ),
        Row::Lifetime => (" ", "lifetime".to_string(), "ttl".into()),
    }
}

/// A row's value as shown when it is not being edited: its error, the value set, a
/// placeholder to replace, or the default in italics.
fn value_span(
    app: &App,
    row: Row,
    (value, set): (&str, bool),
    error: Option<&str>,
    value_width: usize,
    theme: &Theme,
) -> Span<'static> {
    if let Some(error) = error {
        Span::styled(fit(&format!("{value}  ✗ {error}"), value_width), theme.fg(Color::Red))
    } else if set {
        Span::raw(fit(value, value_width))
    } else if let Row::Param(i) = row
        && app.current().and_then(|p| p.params.get(i)).is_some_and(|p| p.placeholder)
    {
        // A placeholder the vendor would refuse: ask for the real value (the hint gives way
        // before the value is cut).
        let value = fit(value, value_width);
        let hint = first_fitting(
            &["  ← Enter: your value", "  ← Enter", ""],
            value_width.saturating_sub(super::fit::width(&value)),
        );
        Span::styled(format!("{value}{hint}"), theme.fg(Color::Yellow))
    } else if row == Row::Lifetime {
        let hint =
            first_fitting(&["(exp as the claim says; Enter: 5m, 2h...)", "(Enter: 5m, 2h...)"], value_width);
        Span::styled(hint, theme.dim())
    } else if value.is_empty() {
        Span::styled("(not set)", theme.dim())
    } else {
        Span::styled(fit(value, value_width), theme.dim().add_modifier(Modifier::ITALIC))
    }
}

/// The widest row name, for the name column.
fn name_width(
    profile: &tokensmith::profile::Profile,
    state: &crate::tui::app::ProfileState,
    rows: &[Row],
) -> usize {
    rows.iter()
        .map(|row| match row {
            Row::Field(i) => profile.claims[*i].path.to_string().chars().count(),
            Row::Extra(i) => state.extras.get(*i).map_or(0, |e| e.0.chars().count()),
            Row::Param(i) => profile.params.get(*i).map_or(0, |p| p.name.chars().count()),
            Row::Header(i) => state.headers.get(*i).map_or(0, |h| h.0.chars().count() + "header.".len()),
            Row::Lifetime => "lifetime".len(),
        })
        .max()
        .unwrap_or(4)
}
