//! Pane 3: the stored keys, masked; the one signing marked; generation in progress.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use tokensmith::store::EntryKind;

use super::{Theme, fit, pane_block};
use crate::tui::app::{App, Pane};

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

fn short_kind(kind: EntryKind) -> String {
    use tokensmith::token::{Curve, Family};
    let family = match kind.family {
        Family::Hmac => "HMAC",
        Family::Rsa => "RSA",
        Family::Ec(Curve::P256) => "P-256",
        Family::Ec(Curve::P384) => "P-384",
        Family::Ed25519 => "Ed25519",
    };
    if kind.private { family.to_string() } else { format!("{family} pub") }
}

pub fn render_keys(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let title = if app.keys.encrypted { "Keys · locked store" } else { "Keys" };
    let block = pane_block(app, theme, Pane::Keys, Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    if let Some(err) = &app.keys.store_error {
        let text = format!(
            "The key store cannot be used:\n{err}\nYou can still sign with keys given on the command line."
        );
        frame
            .render_widget(Paragraph::new(text).style(theme.fg(Color::Red)).wrap(Wrap { trim: true }), inner);
        return;
    }
    let active = app.active_key().map(|e| e.name.clone());
    let mut lines = Vec::new();
    let height = inner.height as usize;
    let skip = app.keys.selected.saturating_sub(height.saturating_sub(2));
    for (index, entry) in app.keys.entries.iter().enumerate().skip(skip) {
        let marker = if active.as_deref() == Some(&entry.name) { "●" } else { " " };
        let revealed = app.keys.revealed.as_ref().is_some_and(|(name, _)| name == &entry.name);
        // The whole secret shows in the overlay only; the row says so.
        let secret = if revealed { "(shown above)".to_string() } else { entry.masked() };
        let head = format!("{marker} {} ", entry.name);
        let kind = format!("{} ", short_kind(entry.kind));
        let selected = index == app.keys.selected && app.focus == Pane::Keys;
        let base = if selected { theme.selected() } else { Style::new() };
        let rest = width.saturating_sub(head.chars().count() + kind.len());
        lines.push(Line::from(vec![
            Span::styled(
                fit(&head, width),
                base.patch(if marker == "●" { theme.fg(Color::Green) } else { Style::new() }),
            ),
            Span::styled(kind, base.patch(theme.fg(Color::Cyan))),
            Span::styled(
                fit(&secret, rest),
                if revealed {
                    base.patch(theme.fg(Color::Yellow).add_modifier(Modifier::BOLD))
                } else {
                    base.patch(theme.dim())
                },
            ),
        ]));
    }
    if let Some((kind, name)) = &app.keys.generating {
        let frame_char = SPINNER[app.spinner % SPINNER.len()];
        lines
            .push(Line::styled(format!("{frame_char} generating {kind} '{name}'…"), theme.fg(Color::Yellow)));
    }
    if app.keys.entries.is_empty() && app.keys.generating.is_none() {
        lines.push(Line::styled(" no keys yet", theme.dim()));
        lines.push(Line::styled(" n new secret · i import · g generate", theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
