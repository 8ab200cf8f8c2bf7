//! The profile form over the panes: one row per setting, the selected one highlighted (or
//! being typed into), and under them whether the draft would load, as `profile validate` says.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use super::{Theme, fit};
use crate::tui::app::{App, EditTarget, Mode};
use crate::tui::profile_form::{FormRow, ProfileForm, RowKind};

/// Width of the label column.
const LABEL: usize = 22;

pub fn render_profile_form(app: &App, theme: &Theme, frame: &mut Frame) {
    let Some(form) = &app.form else { return };
    let area = frame.area();
    // Leave the status line and the footer (the form's keys) visible.
    let rect = Rect { x: area.x, y: area.y, width: area.width, height: area.height.saturating_sub(2) };
    if rect.height < 5 || rect.width < 20 {
        return;
    }
    frame.render_widget(Clear, rect);
    let title = match &form.file {
        Some(path) => format!(" Profile '{}' · {} ", form.draft.id, path.display()),
        None => format!(" New profile '{}' · not saved yet ", form.draft.id),
    };
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.fg(Color::Yellow))
        .title(Line::styled(
            fit(&title, usize::from(rect.width.saturating_sub(4))),
            Style::new().add_modifier(Modifier::BOLD),
        ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let editing = app.mode == Mode::Editing(EditTarget::FormField);
    let width = usize::from(inner.width);
    // The last three lines: a blank and the verdict (wrapped on two lines).
    let list_height = usize::from(inner.height.saturating_sub(3)).max(1);
    let offset = form.row.saturating_sub(list_height.saturating_sub(1));
    let rows = form.rows();
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor = None;
    for (i, row) in rows.iter().enumerate().skip(offset).take(list_height) {
        let (label, value) = form.row_text(*row);
        let selected = i == form.row;
        let label = format!(" {:<LABEL$}", fit(&label, LABEL));
        let value_width = width.saturating_sub(LABEL + 2);
        let hint = match ProfileForm::kind(*row) {
            RowKind::Toggle if selected => "  (Space)",
            RowKind::Choice if selected => "  (←/→)",
            _ => "",
        };
        if selected && editing {
            let text = app.input.value();
            let scroll = app.input.visual_cursor().saturating_sub(value_width.saturating_sub(1));
            let shown: String = text.chars().skip(scroll).take(value_width).collect();
            let line_no = u16::try_from(lines.len()).unwrap_or(u16::MAX);
            let column =
                u16::try_from(LABEL + 1 + app.input.visual_cursor().saturating_sub(scroll)).unwrap_or(0);
            cursor = Some((inner.x.saturating_add(column), inner.y.saturating_add(line_no)));
            lines.push(Line::from(vec![
                Span::styled(label, Style::new().add_modifier(Modifier::BOLD)),
                Span::styled(shown, theme.fg(Color::Cyan).add_modifier(Modifier::UNDERLINED)),
            ]));
            continue;
        }
        let section = matches!(row, FormRow::ClaimPath(_) | FormRow::ParamName(_));
        let label_style = if section { Style::new().add_modifier(Modifier::BOLD) } else { theme.dim() };
        let value = if value.is_empty() { "-".to_string() } else { value };
        let mut spans =
            vec![Span::styled(label, label_style), Span::raw(fit(&format!("{value}{hint}"), value_width))];
        if selected {
            spans = spans.into_iter().map(|s| s.style(theme.selected())).collect();
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    let verdict = match &form.problem {
        None => Line::styled(
            format!(
                " ✓ valid{}: w saves it to your profiles folder",
                if form.dirty { ", unsaved" } else { "" }
            ),
            theme.fg(Color::Green),
        ),
        Some(problem) => Line::styled(format!(" ✗ {problem}"), theme.fg(Color::Red)),
    };
    let list_rows = u16::try_from(list_height).unwrap_or(u16::MAX).saturating_add(1);
    let verdict_area = Rect {
        x: inner.x,
        y: inner.y.saturating_add(list_rows),
        width: inner.width,
        height: inner.height.saturating_sub(list_rows),
    };
    frame.render_widget(Paragraph::new(verdict).wrap(ratatui::widgets::Wrap { trim: false }), verdict_area);
    if let Some((x, y)) = cursor {
        frame.set_cursor_position((x.min(inner.x.saturating_add(inner.width.saturating_sub(1))), y));
    }
}
