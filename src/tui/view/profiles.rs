//! Pane 1: the vendor profiles, a filter, and a brief of the selected one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use tokensmith::profile::ProfileSource;
use tokensmith::time::human_duration;

use super::fit::wrap_words;
use super::{Theme, fit, pane_block};
use crate::tui::app::{App, Mode, Pane};

pub fn render_profiles(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let block = pane_block(app, theme, Pane::Profiles, Line::from(Pane::Profiles.title()), area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let visible = app.visible_profiles();
    let mut lines: Vec<Line> = Vec::new();
    let filter_line = app.mode == Mode::Filter || !app.filter.is_empty();
    let list_height = inner.height.saturating_sub(u16::from(filter_line)) as usize;
    let at = visible.iter().position(|&i| i == app.profile).unwrap_or(0);
    let skip = at.saturating_sub(list_height.saturating_sub(1));
    for &index in visible.iter().skip(skip).take(list_height) {
        let p = &app.profiles[index];
        let alg = p.algorithms.first().map(|a| a.name()).unwrap_or(match p.scheme {
            tokensmith::profile::Scheme::IdentityHash => "hash",
            tokensmith::profile::Scheme::VendorIssued => "issued",
            tokensmith::profile::Scheme::Jwt => "-",
        });
        let mine = if matches!(p.source, ProfileSource::User(_)) { "*" } else { "" };
        let label = format!("{}{mine}", p.id);
        let pad = width.saturating_sub(label.chars().count() + alg.len() + 2);
        let text =
            format!(" {}{}{alg} ", fit(&label, width.saturating_sub(alg.len() + 3)), " ".repeat(pad.max(1)));
        let style = if index == app.profile { theme.selected() } else { ratatui::style::Style::new() };
        lines.push(Line::styled(fit(&text, width), style));
    }
    if visible.is_empty() {
        lines.push(Line::styled(format!(" no profile matches '{}'", app.filter), theme.dim()));
    }
    // The brief of the selected profile, when there is room below the list.
    let room = list_height.saturating_sub(lines.len());
    if let Some(p) = app.current().filter(|_| room >= 4) {
        lines.push(Line::raw(""));
        let mut brief = vec![format!(
            "{} · {}",
            p.algorithms.iter().map(|a| a.name()).collect::<Vec<_>>().join(","),
            p.key_kind.key_pair_name()
        )];
        let t = &p.time;
        if let Some(max) = &t.max_lifetime {
            brief.push(format!("exp ≤ iat + {}", human_duration(max.value.0)));
        } else if let Some(rec) = &t.recommended_lifetime {
            brief.push(format!("exp: {} recommended", human_duration(rec.value.0)));
        } else if t.exp_required.value {
            brief.push("exp required".into());
        }
        if let Some(skew) = &t.iat_skew {
            brief.push(format!("iat skew {}", human_duration(skew.value.0)));
        }
        brief.extend(p.notes.iter().cloned());
        // Notes are wrapped, not cut: they hold what a support engineer must know. Where they
        // do not all fit, the last row says where the whole brief is.
        let wrapped: Vec<String> =
            brief.iter().flat_map(|text| wrap_words(text, width.saturating_sub(2))).collect();
        let fits = room.saturating_sub(1);
        let cut = wrapped.len() > fits;
        for text in wrapped.iter().take(if cut { fits.saturating_sub(1) } else { fits }) {
            lines.push(Line::styled(format!(" {text}"), theme.dim()));
        }
        if cut {
            let more = format!(" … more: profile show {}", p.id);
            lines.push(Line::styled(fit(&more, width), theme.dim().add_modifier(Modifier::ITALIC)));
        }
    }
    if filter_line {
        while lines.len() < list_height {
            lines.push(Line::raw(""));
        }
        let style = theme.fg(Color::Yellow).add_modifier(Modifier::BOLD);
        let text = if app.mode == Mode::Filter { app.input.value().to_string() } else { app.filter.clone() };
        lines.push(Line::from(vec![
            Span::styled(" / ", style),
            Span::raw(fit(&text, width.saturating_sub(3))),
        ]));
        if app.mode == Mode::Filter {
            let x = inner.x + 3 + app.input.visual_cursor().min(width.saturating_sub(4)) as u16;
            frame.set_cursor_position((x, inner.y + inner.height.saturating_sub(1)));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
