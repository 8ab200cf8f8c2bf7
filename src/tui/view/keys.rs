//! Pane 3: the stored keys, masked; the one signing marked; generation in progress.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use tokensmith::store::EntryKind;

use super::fit::wrap_words;
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
        Family::Ec(Curve::P521) => "P-521",
        Family::Ed25519 => "Ed25519",
    };
    if kind.private { family.to_string() } else { format!("{family} pub") }
}

pub fn render_keys(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    // Locked: sealed and not opened here; encrypted: sealed, and opened with its passphrase.
    let title = match (app.keys.locked, app.keys.encrypted) {
        (true, _) => "Keys · locked",
        (false, true) => "Keys · encrypted",
        (false, false) => "Keys",
    };
    let block = pane_block(app, theme, Pane::Keys, Line::from(title), area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    if let Some(err) = &app.keys.store_error {
        let next = if app.keys.encrypted {
            "u: enter the passphrase again."
        } else {
            "Fix or move the file aside, then restart; `tokensmith keys list` says more."
        };
        let text = format!("The key store cannot be used:\n{err}\n{next}");
        frame
            .render_widget(Paragraph::new(text).style(theme.fg(Color::Red)).wrap(Wrap { trim: true }), inner);
        return;
    }
    let active = app.active_key().map(|e| e.name.clone());
    let mut lines = Vec::new();
    let height = inner.height as usize;
    let skip = app.keys.selected.saturating_sub(height.saturating_sub(2));
    for (index, entry) in app.keys.entries.iter().enumerate().skip(skip) {
        let signing = active.as_deref() == Some(&entry.name);
        let revealed = app.keys.revealed.as_ref().is_some_and(|(name, _)| name == &entry.name);
        // The whole secret shows in the overlay only; the row says so.
        let print = if revealed { "(shown above)" } else { app.keys.fingerprint(index) };
        let selected = index == app.keys.selected && app.focus == Pane::Keys;
        let base = if selected { theme.selected() } else { Style::new() };
        // Name, kind, profile, fingerprint: the name is cut at a word's end if it must be; the
        // others show whole or not at all, the fingerprint giving way first, then the profile.
        // (A name is one word: a long one is cut inside, with the ellipsis.)
        let name = fit(&entry.name, width.saturating_sub(3));
        let head = format!("{} {name} ", if signing { "●" } else { " " });
        let kind = format!("{} ", short_kind(entry.kind));
        let tie = entry.profile.as_deref().map(|p| format!("{p} ")).unwrap_or_default();
        let mut left = width.saturating_sub(super::fit::width(&head));
        let mut take = |text: &str| {
            let needed = super::fit::width(text.trim_end());
            if needed > left {
                left = 0;
                return String::new();
            }
            left = left.saturating_sub(super::fit::width(text));
            text.to_string()
        };
        let spans = vec![
            Span::styled(head, base.patch(if signing { theme.fg(Color::Green) } else { Style::new() })),
            Span::styled(take(&kind), base.patch(theme.fg(Color::Cyan))),
            Span::styled(take(&tie), base.patch(theme.fg(Color::Magenta))),
            Span::styled(
                take(print),
                if revealed {
                    base.patch(theme.fg(Color::Yellow).add_modifier(Modifier::BOLD))
                } else {
                    base.patch(theme.dim())
                },
            ),
        ];
        lines.push(Line::from(spans));
    }
    if let Some((kind, name)) = &app.keys.generating {
        let frame_char = SPINNER[app.spinner % SPINNER.len()];
        lines
            .push(Line::styled(format!("{frame_char} generating {kind} '{name}'…"), theme.fg(Color::Yellow)));
    }
    if app.keys.locked {
        // Not "no keys yet": what the store holds, and how much, is sealed with it.
        let text = "Locked: its keys, and how many there are, are sealed with a passphrase. u enters it.";
        lines.extend(
            wrap_words(text, width.saturating_sub(1))
                .into_iter()
                .map(|l| Line::styled(format!(" {l}"), theme.fg(Color::Yellow))),
        );
    } else if app.keys.entries.is_empty() && app.keys.generating.is_none() {
        let text = "no keys yet: n new secret · i import · g generate";
        let wrapped = wrap_words(text, width.saturating_sub(1));
        lines.extend(wrapped.into_iter().map(|l| Line::styled(format!(" {l}"), theme.dim())));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
