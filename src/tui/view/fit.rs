//! Text cut to a width: at the end of a word with an ellipsis, never inside one, measured in
//! terminal columns (a CJK character takes two) and never parting a character from its
//! combining marks. Every text the workbench shortens goes through [`fit`] or [`fit_line`];
//! text that must be read whole is wrapped with [`wrap_words`].

use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// What marks a cut.
pub const ELLIPSIS: &str = "…";

/// Columns `text` takes on a terminal.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Left at the end of what is kept, they would dangle before the ellipsis (`path,…`, `a ·…`).
fn dangling(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ';' | ':' | '·' | '(' | '[' | '-' | '–' | '—' | '/' | '←' | '→')
}

/// The byte length of the part of `text` kept when it is cut to `width` columns (the ellipsis
/// after it included), or None when it fits whole. The part ends with the last word that fits;
/// only a first word wider than the whole width is cut inside (the ellipsis says so).
fn cut(text: &str, width: usize) -> Option<usize> {
    if self::width(text) <= width {
        return None;
    }
    let room = width.saturating_sub(self::width(ELLIPSIS));
    let mut used = 0usize;
    let mut word_end = None;
    let mut fits_end = 0;
    let mut in_word = false;
    for (at, grapheme) in text.grapheme_indices(true) {
        let space = grapheme.chars().all(char::is_whitespace);
        if space && in_word {
            word_end = Some(at);
        }
        used = used.saturating_add(self::width(grapheme));
        if used > room {
            break;
        }
        fits_end = at.saturating_add(grapheme.len());
        in_word = !space;
    }
    let trimmed = |end: usize| text.get(..end).map_or(0, |kept| kept.trim_end_matches(dangling).len());
    Some(match word_end.map(trimmed) {
        Some(end) if end > 0 => end,
        // One word wider than the room: the only place left to cut is inside it.
        _ => trimmed(fits_end),
    })
}

/// `text` in at most `width` columns: whole when it fits, else cut after its last word that
/// fits, with an ellipsis.
pub fn fit(text: &str, width: usize) -> String {
    match cut(text, width) {
        None => text.to_string(),
        Some(_) if width == 0 => String::new(),
        Some(end) => format!("{}{ELLIPSIS}", text.get(..end).unwrap_or_default()),
    }
}

/// The first of `choices` (longest first) that fits `width` whole, else the last one cut: for
/// a hint that has a shorter form.
pub fn first_fitting(choices: &[&str], width: usize) -> String {
    match choices.iter().find(|c| self::width(c) <= width) {
        Some(choice) => (*choice).to_string(),
        None => fit(choices.last().copied().unwrap_or_default(), width),
    }
}

/// A styled line in at most `width` columns, cut as [`fit`] cuts text; each span keeps its
/// style, and the ellipsis takes the style of the text before it.
pub fn fit_line(line: Line<'_>, width: usize) -> Line<'static> {
    let whole: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let Some(end) = cut(&whole, width) else {
        let spans: Vec<Span<'static>> =
            line.spans.into_iter().map(|s| Span::styled(s.content.into_owned(), s.style)).collect();
        return Line { spans, style: line.style, alignment: line.alignment };
    };
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut left = if width == 0 { 0 } else { end };
    let mut last_style = line.style;
    for span in line.spans {
        if left == 0 {
            break;
        }
        let take = span.content.len().min(left);
        let kept = span.content.get(..take).unwrap_or_default().to_string();
        left = left.saturating_sub(take);
        last_style = span.style;
        spans.push(Span::styled(kept, span.style));
    }
    if width > 0 {
        spans.push(Span::styled(ELLIPSIS, last_style));
    }
    Line { spans, style: line.style, alignment: line.alignment }
}

/// Text broken into lines of at most `width` columns at spaces; a word wider than a line is
/// broken between its characters (never inside one).
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = self::width(&line) + usize::from(!line.is_empty()) + self::width(word);
        if needed > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        for grapheme in word.graphemes(true) {
            if self::width(&line) + self::width(grapheme) > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line.push_str(grapheme);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTENCE: &str = "The key store is locked: passphrase (Esc: later, u in Keys asks again)";

    #[test]
    fn a_text_that_fits_is_kept_whole() {
        assert_eq!(fit("Token · HS256", 13), "Token · HS256");
        assert_eq!(fit("", 0), "");
    }

    #[test]
    fn a_cut_ends_after_a_whole_word_with_an_ellipsis() {
        assert_eq!(fit(SENTENCE, 40), "The key store is locked: passphrase…");
        assert_eq!(fit(SENTENCE, 27), "The key store is locked…");
        assert_eq!(fit("your-app-id  ← Enter: your value", 22), "your-app-id  ← Enter…");
        assert_eq!(fit("stored 'demo', now the key for Drift", 30), "stored 'demo', now the key…");
    }

    #[test]
    fn only_a_first_word_wider_than_the_width_is_cut_inside() {
        assert_eq!(fit("team_logo_icon param", 8), "team_lo…");
        assert_eq!(fit("anything", 1), "…");
        assert_eq!(fit("anything", 0), "");
    }

    #[test]
    fn widths_are_terminal_columns_and_characters_stay_whole() {
        // Each CJK character takes two columns; an accent stays with its letter.
        assert_eq!(fit("漢字漢字 漢字", 6), "漢字…");
        assert_eq!(width(&fit("漢字漢字漢字", 6)), 5);
        assert_eq!(fit("cafe\u{301} au lait", 8), "cafe\u{301} au…");
        assert_eq!(fit("e\u{301}e\u{301}e\u{301}", 2), "e\u{301}…");
    }

    #[test]
    fn at_every_width_the_cut_fits_and_falls_between_words() {
        for text in
            [SENTENCE, "Paste the customer's token (quotes, 'Bearer ' and line breaks are fine), then Enter:"]
        {
            for w in 0..=width(text) + 1 {
                let shown = fit(text, w);
                assert!(width(&shown) <= w, "{w}: {shown:?}");
                if shown == text {
                    continue;
                }
                let kept = shown.strip_suffix(ELLIPSIS).unwrap_or(&shown);
                assert!(text.starts_with(kept), "{w}: {shown:?}");
                let next = text[kept.len()..].chars().next();
                let first_word = text.split_whitespace().next().unwrap_or_default();
                assert!(
                    next.is_some_and(dangling) || width(first_word) >= w,
                    "{w}: {shown:?} is cut inside a word"
                );
            }
        }
    }

    #[test]
    fn a_hint_takes_its_longest_form_that_fits() {
        let choices = ["  ← Enter: your value", "  ← Enter", ""];
        assert_eq!(first_fitting(&choices, 30), "  ← Enter: your value");
        assert_eq!(first_fitting(&choices, 12), "  ← Enter");
        assert_eq!(first_fitting(&choices, 3), "");
        assert_eq!(first_fitting(&["a long hint", "short hint"], 7), "short…");
    }

    #[test]
    fn a_styled_line_is_cut_the_same_way_and_keeps_its_styles() {
        use ratatui::style::{Color, Style};
        let red = Style::new().fg(Color::Red);
        let line = Line::from(vec![Span::raw("Doctor"), Span::styled(" · Drift identity verification", red)]);
        let cut = fit_line(line, 24);
        let text: String = cut.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "Doctor · Drift identity…");
        assert_eq!(cut.spans.last().map(|s| s.style), Some(red));
        assert_eq!(cut.spans.first().map(|s| s.style), Some(Style::new()));
    }

    #[test]
    fn words_wrap_without_splitting_characters() {
        assert_eq!(
            wrap_words("the shared secret comes from Project Settings", 12),
            ["the shared", "secret comes", "from Project", "Settings"]
        );
        assert_eq!(
            wrap_words("ünïcödé-wörd-longer-than-width", 8),
            ["ünïcödé-", "wörd-lon", "ger-than", "-width"]
        );
        assert_eq!(wrap_words("漢字漢字漢字", 5), ["漢字", "漢字", "漢字"]);
        assert_eq!(wrap_words("", 5), Vec::<String>::new());
    }
}
