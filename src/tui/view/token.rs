//! Pane 4: the token coloured by part, its decoded header and payload with readable times,
//! the signature, the profile's rule checks, and the live countdown to `exp`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use tokensmith::time::{MILLIS_THRESHOLD, human_duration, utc};
use tokensmith::token::numeric_time;

use super::{Theme, pane_block};
use crate::tui::app::{App, Pane, TokenState};

/// How the countdown reads and looks: green, amber under a minute, red once expired.
pub fn countdown(exp: i64, now: i64, theme: &Theme) -> Span<'static> {
    let left = exp - now;
    if left <= 0 {
        Span::styled(
            format!("expired {} ago", human_duration(left.unsigned_abs())),
            theme.fg(Color::Red).add_modifier(Modifier::BOLD),
        )
    } else if left < 60 {
        Span::styled(
            format!("expires in {}", human_duration(left as u64)),
            theme.fg(Color::Yellow).add_modifier(Modifier::BOLD),
        )
    } else {
        Span::styled(format!("expires in {}", human_duration(left as u64)), theme.fg(Color::Green))
    }
}

fn part_colors(theme: &Theme) -> [Style; 3] {
    [theme.fg(Color::Red), theme.fg(Color::Magenta), theme.fg(Color::Cyan)]
}

/// The compact token cut into lines of `width`, each character coloured by its part.
fn token_lines(token: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let colors = part_colors(theme);
    let mut lines = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    let mut current = String::new();
    let mut part = 0;
    let mut style = colors[0];
    let mut column = 0;
    for c in token.chars() {
        let c_style = if c == '.' { theme.dim() } else { colors[part.min(2)] };
        if c_style != style && !current.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut current), style));
        }
        style = c_style;
        current.push(c);
        if c == '.' {
            part += 1;
        }
        column += 1;
        if column == width.max(1) {
            spans.push(Span::styled(std::mem::take(&mut current), style));
            lines.push(Line::from(std::mem::take(&mut spans)));
            column = 0;
        }
    }
    if !current.is_empty() {
        spans.push(Span::styled(current, style));
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

fn json_lines(
    value: &serde_json::Map<String, serde_json::Value>,
    now: i64,
    style: Style,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.lines()
        .map(|line| {
            let mut spans = vec![Span::styled(line.to_string(), style)];
            let trimmed = line.trim_start();
            for claim in ["exp", "iat", "nbf"] {
                let key = format!("\"{claim}\": ");
                if let Some(rest) = trimmed.strip_prefix(&key)
                    && trimmed.len() == line.len() - 2
                    && let Ok(v) = serde_json::from_str::<serde_json::Value>(rest.trim_end_matches(','))
                    && let Some(t) = numeric_time(&v)
                {
                    let note = if t > MILLIS_THRESHOLD {
                        "  ← milliseconds? should be seconds".to_string()
                    } else {
                        format!("  ← {}, {}", utc(t).unwrap_or_default(), tokensmith::time::relative(t, now))
                    };
                    spans.push(Span::styled(note, theme.dim()));
                }
            }
            Line::from(spans)
        })
        .collect()
}

pub fn render_token(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut title = vec![Span::raw("Token")];
    if let TokenState::Signed(s) = &app.token {
        title.push(Span::styled(format!(" · {} · {}", s.alg, s.key_name), theme.dim()));
    }
    let block = pane_block(app, theme, Pane::Token, Line::from(title));
    let block = match app.exp() {
        Some(exp) => block.title(
            Line::from(vec![Span::raw(" "), countdown(exp, app.now, theme), Span::raw(" ")]).right_aligned(),
        ),
        None => block,
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let label = Style::new().add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line> = Vec::new();
    match &app.token {
        TokenState::NoKey(why) => {
            lines.push(Line::styled("Not signed yet", label));
            lines.push(Line::styled(why.clone(), theme.fg(Color::Yellow)));
        }
        TokenState::Error(why) => {
            lines.push(Line::styled("Cannot sign", theme.fg(Color::Red).add_modifier(Modifier::BOLD)));
            lines.push(Line::styled(why.clone(), theme.fg(Color::Red)));
        }
        TokenState::Signed(signed) => {
            let [header_style, payload_style, signature_style] = part_colors(theme);
            lines.extend(token_lines(&signed.token, width, theme));
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![Span::styled("Header", label.patch(header_style))]));
            lines.extend(json_lines(&signed.header, app.now, header_style, theme));
            lines.push(Line::from(vec![Span::styled("Payload", label.patch(payload_style))]));
            lines.extend(json_lines(&signed.payload, app.now, payload_style, theme));
            let signature_bytes = signed.token.rsplit('.').next().map_or(0, |s| s.len() * 3 / 4);
            lines.push(Line::from(vec![
                Span::styled("Signature ", label.patch(signature_style)),
                Span::raw(format!(
                    "{} with '{}' ({}), {signature_bytes} bytes",
                    signed.alg, signed.key_name, signed.key_description
                )),
            ]));
            let expired = app.exp().is_some_and(|exp| exp <= app.now);
            if expired {
                lines.push(Line::styled(
                    "⚠ expired: press R to re-sign with fresh times",
                    theme.fg(Color::Red),
                ));
            }
            for warning in &app.warnings {
                lines.push(Line::styled(format!("⚠ {warning}"), theme.fg(Color::Yellow)));
            }
            if app.warnings.is_empty() && !expired && app.current().is_some() {
                lines.push(Line::styled("✓ fits the profile's rules", theme.fg(Color::Green)));
            }
        }
    }
    frame
        .render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((app.token_scroll, 0)), inner);
}
