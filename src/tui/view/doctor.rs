//! The Token pane while the doctor shows a pasted token: the verdict and the findings first,
//! where they are seen without scrolling however long the token is, then the token's parts
//! (the compact token with the parts at fault marked, its header and payload).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use tokensmith::doctor::{Finding, Report, Severity};
use tokensmith::time::utc;
use tokensmith::token::Segment;

use super::fit::wrap_words;
use super::token::{json_lines, part_colors, render_scrolled, token_lines};
use super::{Theme, pane_block};
use crate::tui::app::{App, EditTarget, Mode, Pane};

pub fn render_doctor(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) -> (u16, u16) {
    let profile = app.current().map(|p| p.name.clone()).unwrap_or_default();
    let title = Line::from(vec![
        Span::raw("Doctor"),
        Span::styled(format!(" · Esc closes · {profile}"), theme.dim()),
    ]);
    let block = pane_block(app, theme, Pane::Token, title, area.width);
    let inner = block.inner(area);
    let width = usize::from(inner.width);
    if let Mode::Editing(
        target @ (EditTarget::DoctorToken | EditTarget::DoctorKeyset | EditTarget::DoctorProbe),
    ) = &app.mode
    {
        frame.render_widget(block, area);
        let ask = match target {
            EditTarget::DoctorKeyset => {
                "Verify against a keyset (JWKS): a file path, an https URL, or 'discover' (from the token's iss); empty for the stored keys. A private CA: TOKENSMITH_CA_FILE. Then Enter:"
            }
            EditTarget::DoctorProbe => {
                "Probe the customer's token endpoint: URL [--origin https://shop.example] [--cookie NAME=VALUE] [--header NAME:VALUE] [--count N] [--allow-private for this machine or a private network], then Enter:"
            }
            _ => {
                "Paste the customer's token (quotes, 'Bearer ' and line breaks are fine), or a HAR file's path (.har, .har.gz), then Enter:"
            }
        };
        render_paste_field(app, theme, frame, inner, ask);
        return (0, inner.height);
    }
    let probed = probe_lines(app, theme);
    let Some(report) = &app.doctor.report else {
        return render_scrolled(app, theme, frame, block, area, probed);
    };
    let mut lines = probed;
    lines.extend(verdict(app, report, &profile, theme));
    lines.push(Line::raw(""));
    if app.doctor.compare {
        lines.extend(compare_lines(app, theme));
        lines.push(Line::raw(""));
    }
    for finding in &report.findings {
        lines.extend(finding_lines(finding, theme));
    }
    lines.push(Line::raw(""));
    lines.extend(parts(app, report, width, theme));
    render_scrolled(app, theme, frame, block, area, lines)
}

/// The last probe (`P`): the URL, each request's status and key, and the probe's own
/// findings (the doctor's on the token follow, as for a pasted one).
fn probe_lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let Some(report) = &app.doctor.probe else { return Vec::new() };
    let verdict = app.current().map(|p| report.verdict(p)).unwrap_or_default();
    let style = if report.passes() { theme.fg(Color::Green) } else { theme.fg(Color::Red) };
    let mut lines = vec![
        Line::styled(format!("Probe of {}", report.url), Style::new().add_modifier(Modifier::BOLD)),
        Line::styled(verdict, style),
    ];
    for exchange in &report.exchanges {
        let status = exchange.status.map_or_else(|| "no answer".to_string(), |s| format!("HTTP {s}"));
        let key = exchange.key.as_ref().map(|k| format!(", token under '{k}'")).unwrap_or_default();
        lines.push(Line::styled(format!("request {}: {status}{key}", exchange.number), theme.dim()));
    }
    let last = report.exchanges.last().map(|e| e.findings.iter()).into_iter().flatten();
    for finding in last.chain(report.findings.iter()).filter(|f| f.code.starts_with("probe.")) {
        lines.extend(finding_lines(finding, theme));
    }
    lines.push(Line::raw(""));
    lines
}

/// The field the token is pasted into, under what may be pasted (wrapped, not cut).
fn render_paste_field(app: &App, theme: &Theme, frame: &mut Frame, inner: Rect, ask: &str) {
    let width = usize::from(inner.width);
    let mut lines: Vec<Line> =
        wrap_words(ask, width).into_iter().map(|l| Line::styled(l, theme.dim())).collect();
    let field_row = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let scroll = app.input.visual_scroll(width.saturating_sub(1));
    let shown: String = app.input.value().chars().skip(scroll).take(width).collect();
    lines.push(Line::styled(shown, Style::new().add_modifier(Modifier::UNDERLINED)));
    let column = u16::try_from(app.input.visual_cursor().saturating_sub(scroll)).unwrap_or(0);
    let row = inner.y.saturating_add(field_row).min(inner.bottom().saturating_sub(1));
    frame.set_cursor_position((inner.x.saturating_add(column), row));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Whether the vendor would take it, when it was judged, and what the keys do here.
fn verdict(app: &App, report: &Report, profile: &str, theme: &Theme) -> Vec<Line<'static>> {
    let errors = report.findings.iter().filter(|f| f.severity == Severity::Error).count();
    let what = match app.current().map(|p| p.scheme) {
        Some(tokensmith::profile::Scheme::IdentityHash) => "hash",
        _ => "token",
    };
    let verdict = if errors == 0 {
        Line::styled(format!("✓ {profile} should accept this {what}"), theme.fg(Color::Green))
    } else {
        Line::styled(
            format!("✗ {profile} would refuse this {what} ({errors} error(s))"),
            theme.fg(Color::Red).add_modifier(Modifier::BOLD),
        )
    };
    let when = format!(
        "judged at {}{}; c copies this {what}, t pastes another, = compares it with the bench's, b puts it on the bench to re-sign, x says what its claims must be, 1 picks another profile",
        utc(report.at).unwrap_or_default(),
        if app.doctor.at.is_some() { " (when the HAR says it was sent)" } else { "" }
    );
    let mut lines = vec![verdict, Line::styled(when, theme.dim())];
    if !app.doctor.expect.is_empty() {
        lines.push(Line::styled(
            format!("expecting {} (x changes it)", tokensmith::text::inline(&app.doctor.expect.to_string())),
            theme.dim(),
        ));
    }
    lines
}

/// What differs between the bench's token (or the newest in the history) and the pasted one:
/// the claims, each token's times, and the rules only one of them breaks (`tokensmith::diff`,
/// as `tokensmith diff` prints it).
fn compare_lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let Some((what, d)) = &app.doctor.diff else {
        return vec![Line::styled(
            "Nothing to compare with: sign a token on the bench first (Esc)",
            theme.dim(),
        )];
    };
    let heading = if d.same() {
        format!("The same header and claims as {what} (= hides)")
    } else {
        format!("Against {what}, first, the pasted one second (= hides):")
    };
    let mut lines = vec![Line::styled(heading, Style::new().add_modifier(Modifier::BOLD))];
    for change in d.header.iter().chain(&d.payload) {
        lines.push(Line::raw(format!("  {}", change.words())));
    }
    for (name, times) in ["first", "pasted"].iter().zip(&d.times) {
        lines.push(Line::styled(format!("  {name}: {}", times.words()), theme.dim()));
    }
    if let Some(rules) = &d.rules {
        for (name, only) in [("first", &rules.only_first), ("pasted", &rules.only_second)] {
            for f in only {
                lines.push(Line::raw(format!("  only the {name} breaks: {} {}", f.severity, f.code)));
            }
        }
    }
    lines
}

/// One finding: its mark, code and what was found; for errors and warnings the fix and the
/// vendor's source.
fn finding_lines(f: &Finding, theme: &Theme) -> Vec<Line<'static>> {
    let (mark, style) = match f.severity {
        Severity::Error => ("✗", theme.fg(Color::Red).add_modifier(Modifier::BOLD)),
        Severity::Warning => ("⚠", theme.fg(Color::Yellow)),
        Severity::Info => ("·", theme.dim()),
    };
    let subject = f.subject.as_ref().map(|s| format!("{s}: ")).unwrap_or_default();
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{mark} {} ", f.code), style),
        Span::raw(format!("{subject}{}", f.found)),
    ])];
    if f.severity != Severity::Info {
        lines.push(Line::styled(format!("  → {}", f.fix), theme.dim()));
        if let Some(source) =
            f.source.as_ref().filter(|s| s.kind != tokensmith::profile::SourceKind::Standard)
        {
            lines.push(Line::styled(
                format!("  source [{}]: {}", source.id, tokensmith::doctor::source_phrase(source)),
                theme.dim(),
            ));
        }
    }
    lines
}

/// The token as pasted (cleaned), the parts at fault marked; then its header and payload when
/// they decode.
fn parts(app: &App, report: &Report, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let faulty: Vec<Segment> =
        report.findings.iter().filter(|f| f.severity == Severity::Error).filter_map(|f| f.segment).collect();
    let mut token = token_lines(&app.doctor.token, width, theme);
    if !faulty.is_empty() {
        let segments = [Segment::Header, Segment::Payload, Segment::Signature];
        let mut part = 0;
        for line in &mut token {
            for span in &mut line.spans {
                if span.content == "." {
                    part += 1;
                    continue;
                }
                if segments.get(part).is_some_and(|s| faulty.contains(s)) {
                    span.style = span.style.add_modifier(Modifier::REVERSED | Modifier::UNDERLINED);
                }
                part += span.content.matches('.').count();
            }
        }
    }
    let label = Style::new().add_modifier(Modifier::BOLD);
    let [header_style, payload_style, _] = part_colors(theme);
    let mut lines = token;
    if let Some((header, payload)) = &app.doctor.parts {
        lines.push(Line::styled("Header", label.patch(header_style)));
        lines.extend(json_lines(header, app.now, header_style, theme));
        lines.push(Line::styled("Payload", label.patch(payload_style)));
        lines.extend(json_lines(payload, app.now, payload_style, theme));
    }
    lines
}
