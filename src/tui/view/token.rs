//! Pane 4: the token coloured by part, its decoded header and payload with readable times,
//! the signature, the profile's rule checks, and the live countdown to `exp`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use tokensmith::time::{human_duration, utc};
use tokensmith::time_rules::{Reading, gap, is_expired};

use super::{Theme, pane_block};
use crate::tui::app::{App, EditTarget, Mode, Pane, TokenState};

/// How the countdown reads and looks: green, amber under a minute, red once expired.
pub fn countdown(exp: i64, now: i64, theme: &Theme) -> Span<'static> {
    let left = gap(exp, now);
    if is_expired(exp, now, 0) {
        Span::styled(
            format!("expired {} ago", human_duration(gap(now, exp))),
            theme.fg(Color::Red).add_modifier(Modifier::BOLD),
        )
    } else if left < 60 {
        Span::styled(
            format!("expires in {}", human_duration(left)),
            theme.fg(Color::Yellow).add_modifier(Modifier::BOLD),
        )
    } else {
        Span::styled(format!("expires in {}", human_duration(left)), theme.fg(Color::Green))
    }
}

/// The token's life on one line: from `iat` (or `nbf`) through now to `exp`, with the vendor's
/// maximum lifetime marked, so a wrong time shows at a glance:
/// `iat ━━━━━━●────────┤      │  1m 12s of 5m (┤ exp · │ max 10m)`. The part past the maximum
/// is red.
pub fn life_line(
    payload: &serde_json::Map<String, serde_json::Value>,
    rules: &tokensmith::profile::TimeRules,
    now: i64,
    width: usize,
    theme: &Theme,
) -> Option<Line<'static>> {
    let times = tokensmith::time_rules::Times::read(payload);
    let (from, start) = match (times.iat_secs(), times.nbf_secs()) {
        (Some(iat), _) => ("iat", iat),
        (None, Some(nbf)) => ("nbf", nbf),
        (None, None) => return None,
    };
    let exp = times.exp_secs().filter(|exp| *exp > start)?;
    let lifetime = gap(exp, start);
    let max = rules.max_lifetime.as_ref().map(|m| m.value.0);
    let label = format!(
        "  {} of {} (┤ exp{})",
        human_duration(gap(now.clamp(start, exp), start)),
        human_duration(lifetime),
        max.map(|m| format!(" · │ max {}", human_duration(m))).unwrap_or_default()
    );
    let bar = width.saturating_sub(label.chars().count() + from.len() + 2).min(60);
    if bar < 8 {
        return None;
    }
    // The scale runs to exp, or to the maximum when that is later, so both can be seen.
    let span = i128::from(max.map_or(lifetime, |m| m.max(lifetime))).max(1);
    // Cell `c` covers [edge(c), edge(c + 1)); the last cell also holds its right edge.
    let edge = |cell: usize| {
        i128::from(start) + i128::try_from(cell).unwrap_or(0) * span / i128::try_from(bar).unwrap_or(1)
    };
    let (now, exp) = (i128::from(now), i128::from(exp));
    let limit = max.map(|m| i128::from(start) + i128::from(m));
    let mut spans = vec![Span::styled(format!("{from} "), theme.dim())];
    for cell in 0..bar {
        let (lo, hi) = (edge(cell), edge(cell + 1));
        let last = cell + 1 == bar;
        let inside = |t: i128| t >= lo && (t < hi || (last && t == hi));
        let over = limit.is_some_and(|l| lo >= l && lo < exp);
        let (symbol, color) = if inside(now) && now < exp {
            ("●", Color::Cyan)
        } else if inside(exp) {
            ("┤", if over { Color::Red } else { Color::Gray })
        } else if limit.is_some_and(inside) {
            ("│", Color::Yellow)
        } else if lo >= exp {
            (" ", Color::Gray)
        } else if hi <= now {
            ("━", if over { Color::Red } else { Color::Cyan })
        } else {
            ("─", if over { Color::Red } else { Color::Gray })
        };
        spans.push(Span::styled(symbol, theme.fg(color)));
    }
    spans.push(Span::styled(label, theme.dim()));
    Some(Line::from(spans))
}

pub(super) fn part_colors(theme: &Theme) -> [Style; 3] {
    [theme.fg(Color::Red), theme.fg(Color::Magenta), theme.fg(Color::Cyan)]
}

/// The compact token cut into lines of `width`, each character coloured by its part.
pub(super) fn token_lines(token: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
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

pub(super) fn json_lines(text: &str, now: i64, style: Style, theme: &Theme) -> Vec<Line<'static>> {
    // A pasted token's claims may hold controls or bidi characters: shown as JSON escapes.
    tokensmith::text::json(text)
        .lines()
        .map(|line| {
            let mut spans = vec![Span::styled(line.to_string(), style)];
            let trimmed = line.trim_start();
            for claim in ["exp", "iat", "nbf"] {
                let key = format!("\"{claim}\": ");
                if let Some(rest) = trimmed.strip_prefix(&key)
                    && trimmed.len() == line.len() - 2
                    && let Ok(v) = serde_json::from_str::<serde_json::Value>(rest.trim_end_matches(','))
                {
                    let note = match Reading::of(&v) {
                        Reading::Seconds { secs: t } | Reading::Fraction { secs: t, .. } => {
                            format!(
                                "  ← {}, {}",
                                utc(t).unwrap_or_default(),
                                tokensmith::time::relative(t, now)
                            )
                        }
                        Reading::Milliseconds { .. } => "  ← milliseconds? should be seconds".to_string(),
                        Reading::OutOfRange { .. } => "  ← no date: out of range".to_string(),
                        Reading::NotNumeric { .. } => "  ← not a number of seconds".to_string(),
                    };
                    spans.push(Span::styled(note, theme.dim()));
                }
            }
            Line::from(spans)
        })
        .collect()
}

/// Draws the lines scrolled as far as the state asks, never past their end, with a marker when
/// more is below. Returns (how far it can scroll, the page height).
pub(super) fn render_scrolled(
    app: &App,
    theme: &Theme,
    frame: &mut Frame,
    block: Block,
    area: Rect,
    lines: Vec<Line>,
) -> (u16, u16) {
    let inner = block.inner(area);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let total = u16::try_from(paragraph.line_count(inner.width)).unwrap_or(u16::MAX);
    let max = total.saturating_sub(inner.height);
    let scroll = app.token_pane.scroll.min(max);
    let below = max.saturating_sub(scroll);
    let block = if below > 0 {
        block.title_bottom(Line::styled(format!(" ↓ {below} more · PgDn/End "), theme.dim()).right_aligned())
    } else if scroll > 0 {
        block.title_bottom(Line::styled(" ↑ PgUp/Home ", theme.dim()).right_aligned())
    } else {
        block
    };
    frame.render_widget(block, area);
    frame.render_widget(paragraph.scroll((scroll, 0)), inner);
    (max, inner.height)
}

pub fn render_token(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) -> (u16, u16) {
    if app.doctor.report.is_some() || app.mode == Mode::Editing(EditTarget::DoctorToken) {
        return super::doctor::render_doctor(app, theme, frame, area);
    }
    let mut title = vec![Span::raw("Token")];
    if let TokenState::Signed(s) = &app.token {
        title.push(Span::styled(format!(" · {} · {}", s.alg, s.key_name), theme.dim()));
    }
    if let TokenState::Hashed(h) = &app.token {
        title.push(Span::styled(format!(" · identity hash · {}", h.key_name), theme.dim()));
    }
    let countdown = app.exp().map(|exp| countdown(exp, app.now, theme));
    // The countdown keeps its place on the border; the title gives way to it.
    let room = area.width.saturating_sub(countdown.as_ref().map_or(0, |c| c.width() as u16 + 2));
    let block = pane_block(app, theme, Pane::Token, Line::from(title), room);
    let block = match countdown {
        Some(countdown) => {
            block.title(Line::from(vec![Span::raw(" "), countdown, Span::raw(" ")]).right_aligned())
        }
        None => block,
    };
    let width = block.inner(area).width as usize;
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
        TokenState::Hashed(hashed) => {
            let field = app.current().and_then(|p| p.hash.as_ref()).map_or("hash", |r| r.page_field.as_str());
            lines.push(Line::styled(hashed.hash.clone(), theme.fg(Color::Cyan)));
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![
                Span::styled(format!("{field} "), label),
                Span::raw(format!(
                    "= hex HMAC-SHA256 of {} '{}', keyed with '{}'",
                    hashed.field, hashed.identifier, hashed.key_name
                )),
            ]));
            lines.push(Line::styled(
                "c copies the hash; S shows the page snippet that passes it",
                theme.dim(),
            ));
        }
        TokenState::Signed(signed) => {
            let [header_style, payload_style, signature_style] = part_colors(theme);
            lines.extend(token_lines(&signed.token, width, theme));
            // What the vendor would make of it comes first, where it is seen without scrolling.
            let expired = app.exp().is_some_and(|exp| is_expired(exp, app.now, 0));
            if expired {
                lines.push(Line::styled(
                    "⚠ expired: press R to re-sign with fresh times",
                    theme.fg(Color::Red),
                ));
            }
            for broken in app.warnings.iter().filter(|f| !(expired && f.code == "time.expired")) {
                let source = broken.source.as_ref().map(|s| format!(" [{}]", s.id)).unwrap_or_default();
                let (mark, color) = match broken.severity {
                    tokensmith::doctor::Severity::Error => ("✗", Color::Red),
                    _ => ("⚠", Color::Yellow),
                };
                lines.push(Line::styled(format!("{mark} {}{source}", broken.found), theme.fg(color)));
            }
            if app.warnings.is_empty() && !expired && app.current().is_some() {
                lines.push(Line::styled("✓ fits the profile's rules", theme.fg(Color::Green)));
            }
            if let Some(profile) = app.current()
                && let Some(line) = life_line(&signed.payload, &profile.time, app.now, width, theme)
            {
                lines.push(line);
            }
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![Span::styled("Header", label.patch(header_style))]));
            lines.extend(json_lines(&signed.header_text, app.now, header_style, theme));
            lines.push(Line::from(vec![Span::styled("Payload", label.patch(payload_style))]));
            lines.extend(json_lines(&signed.payload_text, app.now, payload_style, theme));
            let signature_bytes = signed.token.rsplit('.').next().map_or(0, |s| s.len() * 3 / 4);
            lines.push(Line::from(vec![
                Span::styled("Signature ", label.patch(signature_style)),
                Span::raw(format!(
                    "{} with '{}' ({}), {signature_bytes} bytes",
                    signed.alg, signed.key_name, signed.key_description
                )),
            ]));
        }
    }
    render_scrolled(app, theme, frame, block, area, lines)
}
