//! A HAR's tokens on a timeline (a `.har` path pasted in the doctor): one line each, its
//! outcome and time first, the selected one's verdict and requests below, then the case.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};

use tokensmith::har::case::Request;
use tokensmith::har::{Outcome, TokenCase, words};
use tokensmith::text::inline;

use super::Theme;
use super::fit::fit;
use super::overlay::{boxed, centered};
use crate::tui::app::App;

pub fn render_har(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(har) = &app.doctor.har else { return };
    let rect = centered(area, area.width.saturating_sub(4), area.height.saturating_sub(2));
    frame.render_widget(Clear, rect);
    let count = words::count(har.case.tokens.len(), "token");
    let title =
        format!("HAR {} · {count} · ↑↓ · Enter opens one in the doctor · Esc close", inline(&har.path));
    let width = usize::from(rect.width.saturating_sub(2));
    let mut lines: Vec<Line> = Vec::new();
    if har.case.tokens.is_empty() {
        lines.push(Line::styled("No widget token or identity hash in this HAR.", theme.dim()));
    }
    for (i, token) in har.case.tokens.iter().enumerate() {
        let style = if i == har.selected { theme.selected() } else { outcome_style(token, theme) };
        lines.push(Line::styled(fit(&row(token, &har.case.requests), width), style));
    }
    if let Some(token) = har.case.tokens.get(har.selected) {
        lines.push(Line::raw(""));
        lines.push(Line::raw(inline(&token.verdict).into_owned()));
        if let Some(vendor) = &token.vendor {
            lines.push(Line::styled(
                format!("vendor: {} ({})", vendor.profile, inline(&vendor.why)),
                theme.dim(),
            ));
        }
        for line in words::timeline(token, &har.case.requests) {
            lines.push(Line::styled(inline(&line).into_owned(), theme.dim()));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(inline(&har.case.summary).into_owned(), theme.dim()));
    for note in &har.case.notes {
        lines.push(Line::styled(format!("note: {note}"), theme.fg(Color::Yellow)));
    }
    frame.render_widget(
        Paragraph::new(lines).block(boxed(theme, &title, rect.width)).wrap(Wrap { trim: false }),
        rect,
    );
}

/// `✗ 00:00:01 tiledesk   refused 401 · issued by shop.example/api/jwt`.
fn row(token: &TokenCase, requests: &[Request]) -> String {
    let mark = match token.outcome {
        Outcome::Refused => "✗",
        Outcome::Accepted => "✓",
        Outcome::NotUsed => "·",
    };
    let at = token.judged_at.map_or_else(|| "--:--:--".to_string(), words::clock);
    let vendor = token.vendor.as_ref().map_or("?", |v| v.profile.as_str());
    let answer = match (token.outcome, token.used.last().and_then(|r| requests.get(*r))) {
        (_, None) => "not sent".to_string(),
        (Outcome::Refused, Some(r)) => format!("refused {}", r.status),
        (_, Some(r)) => format!("answered {}", r.status),
    };
    let issued =
        token.issued.and_then(|r| requests.get(r)).map(|r| format!(" · issued by {}", words::place(r)));
    let skew =
        token.skew.filter(|s| s.abs() >= words::SKEW_NOTICED).map(|s| format!(", {}", words::skew_words(s)));
    inline(&format!(
        "{mark} {at} {vendor:<14} {answer}{}{}",
        issued.unwrap_or_default(),
        skew.unwrap_or_default()
    ))
    .into_owned()
}

fn outcome_style(token: &TokenCase, theme: &Theme) -> Style {
    match token.outcome {
        Outcome::Refused => theme.fg(Color::Red),
        Outcome::Accepted => theme.fg(Color::Green),
        Outcome::NotUsed => theme.dim(),
    }
}
