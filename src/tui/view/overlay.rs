//! Overlays: help (from the binding table), snippet, prompts, the key-kind picker, questions.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use tokensmith::store::keygen::GenKind;

use super::fit::fit_line;
use super::{Theme, fit};
use crate::tui::app::{App, Confirm, Mode, Pane, Prompt};
use crate::tui::keymap::{BINDINGS, Context, EDITING_KEYS};

pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] =
        Layout::vertical([Constraint::Length(height.min(area.height))]).flex(Flex::Center).areas(area);
    let [cell] =
        Layout::horizontal([Constraint::Length(width.min(area.width))]).flex(Flex::Center).areas(row);
    cell
}

/// An overlay's frame, its title cut to fit the box's `width`.
pub(super) fn boxed<'a>(theme: &Theme, title: &str, width: u16) -> Block<'a> {
    let title = fit(title, usize::from(width).saturating_sub(4));
    Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.fg(Color::Yellow))
        .title(Line::styled(format!(" {title} "), Style::new().add_modifier(Modifier::BOLD)))
}

pub fn render_overlay(app: &App, theme: &Theme, frame: &mut Frame) {
    // Over the panes only: the status line (where "copied" is said) and the footer (the
    // overlay's own keys) stay in sight below.
    let screen = frame.area();
    let area = Rect { height: screen.height.saturating_sub(2), ..screen };
    match &app.mode {
        Mode::Help => render_help(app, theme, frame, area),
        Mode::Snippet => render_snippet(app, theme, frame, area),
        Mode::History => render_history(app, theme, frame, area),
        Mode::Har => super::har::render_har(app, theme, frame, area),
        Mode::Prompt(prompt) => render_prompt(app, theme, frame, area, prompt),
        Mode::PickKind => render_kinds(app, theme, frame, area),
        Mode::Confirm(question) => render_confirm(theme, frame, area, question),
        Mode::Normal => render_reveal(app, theme, frame, area),
        _ => {}
    }
}

/// `v` in Keys: the whole secret (or private key) in an overlay until its time is up; the row
/// itself stays masked, and nothing else shows it.
fn render_reveal(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some((name, until)) = &app.keys.revealed else { return };
    let Some(entry) = app.keys.entries.iter().find(|e| &e.name == name) else { return };
    let text = String::from_utf8_lossy(entry.material.expose()).into_owned();
    let lines_needed = u16::try_from(text.lines().count()).unwrap_or(u16::MAX).saturating_add(4);
    let rect = centered(
        area,
        area.width.saturating_sub(4).min(100),
        lines_needed.min(area.height.saturating_sub(2)),
    );
    frame.render_widget(Clear, rect);
    let left = until.saturating_sub(app.now).max(0);
    let title = format!("'{name}' · {} · hidden again in {left}s", entry.kind);
    let mut lines = vec![Line::styled("Visible to anyone who can see this screen.", theme.dim())];
    lines.extend(
        text.lines()
            .map(|l| Line::styled(l.to_string(), theme.fg(Color::Yellow).add_modifier(Modifier::BOLD))),
    );
    frame.render_widget(
        Paragraph::new(lines).block(boxed(theme, &title, rect.width)).wrap(Wrap { trim: false }),
        rect,
    );
}

/// The help lines, grouped by where the keys apply.
pub fn help_lines(keymap: &crate::tui::keymap::Keymap, theme: &Theme) -> Vec<Line<'static>> {
    let key_style = theme.fg(Color::Cyan).add_modifier(Modifier::BOLD);
    let head = Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    let mut lines = Vec::new();
    // One column for every key name, two spaces wider than the longest, so a name never runs
    // into its text.
    let key_text = |b: &crate::tui::keymap::Binding| {
        keymap.keys(b).iter().map(|k| k.label()).collect::<Vec<_>>().join(" / ")
    };
    let width = BINDINGS
        .iter()
        .map(|b| key_text(b).chars().count())
        .chain(EDITING_KEYS.iter().map(|(k, _)| k.chars().count()))
        .max()
        .unwrap_or(0)
        .saturating_add(2);
    let key_cell = |keys: &str| {
        let pad = width.saturating_sub(keys.chars().count());
        format!("  {keys}{}", " ".repeat(pad))
    };
    let contexts = [
        ("Everywhere", Context::Global),
        ("1 Profiles", Context::Pane(Pane::Profiles)),
        ("2 Claims", Context::Pane(Pane::Claims)),
        ("3 Keys", Context::Pane(Pane::Keys)),
        ("4 Token", Context::Pane(Pane::Token)),
    ];
    for (title, context) in contexts {
        lines.push(Line::styled(title, head));
        for b in BINDINGS.iter().filter(|b| b.context == context) {
            lines.push(Line::from(vec![Span::styled(key_cell(&key_text(b)), key_style), Span::raw(b.label)]));
        }
    }
    for (title, overlay) in [
        ("In the snippet overlay", crate::tui::keymap::Overlay::Snippet),
        ("In the history overlay", crate::tui::keymap::Overlay::History),
        ("In the profile form (y on Profiles)", crate::tui::keymap::Overlay::ProfileForm),
    ] {
        lines.push(Line::styled(title, head));
        for b in BINDINGS.iter().filter(|b| b.context == Context::Overlay(overlay)) {
            lines.push(Line::from(vec![Span::styled(key_cell(&key_text(b)), key_style), Span::raw(b.label)]));
        }
    }
    lines.push(Line::styled("While typing", head));
    for (keys, label) in EDITING_KEYS {
        lines.push(Line::from(vec![Span::styled(key_cell(keys), key_style), Span::raw(*label)]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Time claims take now, now+5m, now-30s, unix seconds or 2026-01-31T12:00:00Z.",
        theme.dim(),
    ));
    lines.push(Line::styled(
        "Free claim values are JSON when they parse as JSON (124, true, \"124\").",
        theme.dim(),
    ));
    lines
}

fn render_help(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rect = centered(area, 72, area.height.saturating_sub(2));
    frame.render_widget(Clear, rect);
    let block = boxed(theme, "Keys · Esc to close", rect.width);
    let inner = usize::from(rect.width.saturating_sub(2));
    let lines: Vec<Line> = help_lines(&app.keymap, theme).into_iter().map(|l| fit_line(l, inner)).collect();
    frame.render_widget(Paragraph::new(lines).block(block).scroll((app.snippet_view.scroll, 0)), rect);
}

fn render_history(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rect = centered(area, area.width.saturating_sub(4), area.height.saturating_sub(2));
    frame.render_widget(Clear, rect);
    let block =
        boxed(theme, "History · the last tokens copied (made) or pasted · ↑↓ · Esc close", rect.width);
    let mut lines: Vec<Line> = Vec::new();
    if app.history.entries.is_empty() {
        lines.push(Line::styled(
            "Nothing yet: a token copied with c, or pasted into the doctor with t, is kept here (never the token or a secret: its header and payload).",
            theme.dim(),
        ));
    }
    let newest_first: Vec<&tokensmith::history::Entry> = app.history.entries.iter().rev().collect();
    let list_rows = usize::from(rect.height.saturating_sub(2) / 3).max(3);
    let skip = app.history.selected.saturating_sub(list_rows.saturating_sub(1));
    for (i, entry) in newest_first.iter().enumerate().skip(skip).take(list_rows) {
        let origin = entry.origin_word();
        let text = format!(
            "{:<10} {origin:<7} {:<14} {}",
            tokensmith::time::relative(entry.at, app.now),
            entry.profile,
            entry.who()
        );
        let style = if i == app.history.selected { theme.selected() } else { Style::new() };
        lines.push(Line::styled(text, style));
    }
    if let Some(entry) = newest_first.get(app.history.selected) {
        lines.push(Line::raw(""));
        let json = |map: &serde_json::Map<String, serde_json::Value>| {
            tokensmith::text::json(&serde_json::to_string_pretty(map).unwrap_or_default()).into_owned()
        };
        lines.push(Line::styled(
            format!("{} · {}", tokensmith::time::utc(entry.at).unwrap_or_default(), entry.profile),
            theme.dim(),
        ));
        lines.extend(json(&entry.header).lines().map(|l| Line::raw(l.to_string())));
        lines.extend(json(&entry.payload).lines().map(|l| Line::raw(l.to_string())));
    }
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), rect);
}

fn render_snippet(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rect = centered(area, area.width.saturating_sub(4), area.height.saturating_sub(2));
    frame.render_widget(Clear, rect);
    let title = match app.current() {
        Some(p) => format!("Snippet for {} · ←/→ flavour · s copy · Esc close", p.name),
        None => "Snippet".into(),
    };
    let chosen = app.flavor().unwrap_or_default();
    let mut tabs = Vec::new();
    for flavor in app.flavors() {
        let style = if flavor.name == chosen { theme.selected() } else { theme.dim() };
        tabs.push(Span::styled(format!(" {} ", flavor.name), style));
        tabs.push(Span::raw(" "));
    }
    let description = app
        .flavors()
        .into_iter()
        .find(|f| f.name == chosen)
        .map(|f| format!("{} · {}", f.kind, f.description));
    let text = app.snippet().unwrap_or_else(|| {
        "No token yet, and this page snippet needs one: add a key in Keys (3).\nThe server flavours need none: → to choose one.".to_string()
    });
    let mut lines: Vec<Line> =
        vec![Line::from(tabs), Line::styled(description.unwrap_or_default(), theme.dim()), Line::raw("")];
    lines.extend(text.lines().map(|l| Line::raw(l.to_string())));
    frame.render_widget(
        Paragraph::new(lines)
            .block(boxed(theme, &title, rect.width))
            .wrap(Wrap { trim: false })
            .scroll((app.snippet_view.scroll, 0)),
        rect,
    );
}

fn render_prompt(app: &App, theme: &Theme, frame: &mut Frame, area: Rect, prompt: &Prompt) {
    let rect = centered(area, 68, 5);
    frame.render_widget(Clear, rect);
    let block = boxed(theme, &prompt.title(), rect.width);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = inner.width as usize;
    let value = app.input.value();
    let shown = if let (Prompt::ImportSource(_), Some(summary)) = (prompt, &app.input_summary) {
        summary.clone()
    } else if prompt.masked() {
        format!(
            "{} ({} characters)",
            "•".repeat(value.chars().count().min(width.saturating_sub(20))),
            value.chars().count()
        )
    } else if value.contains('\n') {
        format!("(pasted {} lines; Enter to import)", value.lines().count())
    } else {
        let scroll = app.input.visual_scroll(width.saturating_sub(1));
        value.chars().skip(scroll).collect()
    };
    let hint = match prompt {
        Prompt::SecretValue(_) => "stored masked; never shown unless you reveal it (v)",
        Prompt::ImportSource(_) => "PEM or JWK, or a file: PEM, DER, JWK, encrypted PKCS#8, EC point",
        Prompt::KeyPassphrase { .. } => "opens the key to store it; L in Keys locks the whole store",
        Prompt::Passphrase => "Esc: later, u in Keys asks again · or set TOKENSMITH_PASSPHRASE",
        Prompt::NewPassphrase | Prompt::NewPassphraseAgain => "a forgotten passphrase cannot be recovered",
        Prompt::Kid(_) => "the header's kid when this key signs",
        Prompt::Note(_) => "a free note, shown in keys list",
        Prompt::Expect => "each mismatch becomes an error finding, as verify --iss/--aud/--sub/--require",
        _ => "letters, digits, '-', '_', '.'",
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(fit(&shown, width), Style::new().add_modifier(Modifier::UNDERLINED)),
            Line::raw(""),
            Line::styled(fit(hint, width), theme.dim()),
        ]),
        inner,
    );
    if !prompt.masked() && !value.contains('\n') {
        let scroll = app.input.visual_scroll(width.saturating_sub(1));
        frame.set_cursor_position((inner.x + (app.input.visual_cursor() - scroll) as u16, inner.y));
    }
}

fn describe(kind: GenKind) -> &'static str {
    match kind {
        GenKind::Hmac => "HMAC secret, 32 random bytes (HS256)",
        GenKind::Hmac64 => "HMAC secret, 64 random bytes (HS512)",
        GenKind::Rsa2048 => "RSA 2048-bit key pair (RS256, PS256)",
        GenKind::Rsa3072 => "RSA 3072-bit key pair",
        GenKind::Rsa4096 => "RSA 4096-bit key pair (slow)",
        GenKind::P256 => "EC P-256 key pair (ES256)",
        GenKind::P384 => "EC P-384 key pair (ES384)",
        GenKind::P521 => "EC P-521 key pair (ES512)",
        GenKind::Ed25519 => "Ed25519 key pair (EdDSA)",
    }
}

fn render_kinds(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rect = centered(area, 50, GenKind::ALL.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    let lines: Vec<Line> = GenKind::ALL
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let text = fit(
                &format!(" {:<8} {}", kind.name(), describe(*kind)),
                usize::from(rect.width.saturating_sub(2)),
            );
            if i == app.kind_choice { Line::styled(text, theme.selected()) } else { Line::raw(text) }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(boxed(theme, "Generate a key", rect.width)), rect);
}

fn render_confirm(theme: &Theme, frame: &mut Frame, area: Rect, question: &Confirm) {
    let (title, text) = match question {
        Confirm::DeleteKey(name) => ("Delete key", format!("Delete '{name}' from the store? It cannot be undone.")),
        Confirm::QuitWhileEditing => ("Quit", "An edit is open and will be lost. Quit anyway?".to_string()),
        Confirm::CreateDemo => (
            "Welcome to tokensmith",
            "The key store is empty. Create a demo HMAC secret named 'demo' so you can sign a token right away? (It is random, labelled as a demo, and belongs to no vendor.)".to_string(),
        ),
        Confirm::RemovePassphrase => (
            "Remove passphrase",
            "Remove the store's passphrase? The keys stay, written as plain JSON (mode 0600) that anyone with your account can read.".to_string(),
        ),
    };
    let rect = centered(area, 60, 7);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(vec![
            Line::raw(text),
            Line::raw(""),
            Line::styled("y yes · n no", theme.fg(Color::Cyan)),
        ])
        .wrap(Wrap { trim: true })
        .block(boxed(theme, title, rect.width)),
        rect,
    );
}
