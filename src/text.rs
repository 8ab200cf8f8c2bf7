//! Text from strangers made safe to print. A token's claims, a key file's name or a pasted
//! header can hold ESC, BEL, C1 controls or bidirectional overrides that retitle a terminal,
//! clear it, or show text in another order than it is stored. Every output path (the CLI's
//! text and JSON, the doctor's report, the workbench) passes what it prints through here.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether a character must not reach a terminal as it is: C0 and C1 controls, DEL, and the
/// characters that reorder or hide text (bidi embeddings, overrides, isolates and marks; zero
/// width spaces and joiners; the BOM; soft hyphen; interlinear annotation marks).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// What a finder or message calls an invisible character: "a zero-width space (U+200B)".
pub fn describe_invisible(c: char) -> String {
    let name = match c {
        '\u{00AD}' => "a soft hyphen",
        '\u{200B}' => "a zero-width space",
        '\u{200C}' => "a zero-width non-joiner",
        '\u{200D}' => "a zero-width joiner",
        '\u{2060}' => "a word joiner",
        '\u{FEFF}' => "a byte order mark (zero-width no-break space)",
        '\u{200E}' | '\u{200F}' | '\u{061C}' => "a direction mark",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => "a bidirectional control",
        '\u{00A0}' => "a no-break space",
        c if c.is_control() => "a control character",
        _ => "an invisible character",
    };
    format!("{name} (U+{:04X})", u32::from(c))
}

fn escape_with(text: &str, keep_line_breaks: bool, json: bool) -> Cow<'_, str> {
    let keep = |c: char| keep_line_breaks && (c == '\n' || c == '\t');
    if !text.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().saturating_add(16));
    for c in text.chars() {
        if !is_unsafe(c) || keep(c) {
            out.push(c);
        } else if json {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c => {
                    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
                }
            }
        }
    }
    Cow::Owned(out)
}

/// A stranger's value placed inside a line of text: every unsafe character, line breaks and
/// tabs included, becomes a visible escape (`\u{1b}`, `\n`), so it can neither drive the
/// terminal nor start a line of its own (a fake "result: no errors").
pub fn inline(text: &str) -> Cow<'_, str> {
    escape_with(text, false, false)
}

/// Whole lines about to be printed: the same escapes, but line breaks and tabs are kept.
/// This is the last guard on every output path; values inside the lines go through
/// [`inline`] first.
pub fn lines(text: &str) -> Cow<'_, str> {
    escape_with(text, true, false)
}

/// Whole lines of the CLI's own output, which may carry its own colours: as [`lines`], but a
/// complete SGR sequence (`ESC [ 1;31 m`, colour and weight only) is kept. Every other escape
/// sequence (titles, clearing, cursor moves, OSC) is escaped. The values inside the lines
/// went through [`inline`] or [`json`] first, so no stranger's colour reaches this far.
pub fn lines_styled(text: &str) -> Cow<'_, str> {
    if !text.contains('\u{1b}') {
        return lines(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        let (before, from) = rest.split_at(at);
        out.push_str(&lines(before));
        let sgr_len = from
            .strip_prefix("\u{1b}[")
            .and_then(|body| body.find(|c: char| !(c.is_ascii_digit() || c == ';')).map(|end| (body, end)))
            .filter(|(body, end)| body.get(*end..).is_some_and(|t| t.starts_with('m')))
            .map(|(_, end)| end.saturating_add(3));
        match sgr_len.and_then(|n| from.get(..n).map(|sgr| (sgr, n))) {
            Some((sgr, n)) => {
                out.push_str(sgr);
                rest = from.get(n..).unwrap_or_default();
            }
            None => {
                out.push_str("\\u{1b}");
                rest = from.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(&lines(rest));
    Cow::Owned(out)
}

/// JSON text about to be printed: unsafe characters inside its strings become `\uXXXX`
/// escapes, so the JSON means the same and stays safe on a terminal (serde_json escapes only
/// U+0000 to U+001F itself).
pub fn json(text: &str) -> Cow<'_, str> {
    escape_with(text, true, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str =
        "a\u{1b}]2;PWNED\u{7}\u{1b}[2J\u{9b}1m\u{202e}b\u{2066}\u{200b}\r\nresult: ok\u{7f}";

    #[test]
    fn inline_leaves_nothing_a_terminal_acts_on() {
        let out = inline(HOSTILE);
        assert!(!out.chars().any(is_unsafe), "{out:?}");
        assert_eq!(
            out,
            "a\\u{1b}]2;PWNED\\u{7}\\u{1b}[2J\\u{9b}1m\\u{202e}b\\u{2066}\\u{200b}\\r\\nresult: ok\\u{7f}"
        );
    }

    #[test]
    fn lines_keeps_line_breaks_only() {
        assert_eq!(lines("one\n\ttwo\u{1b}"), "one\n\ttwo\\u{1b}");
        assert!(matches!(lines("plain\ntext"), Cow::Borrowed(_)));
    }

    #[test]
    fn styled_lines_keep_colours_only() {
        assert_eq!(lines_styled("\u{1b}[1;31merror:\u{1b}[0m x"), "\u{1b}[1;31merror:\u{1b}[0m x");
        assert_eq!(lines_styled("\u{1b}]2;PWNED\u{7}\u{1b}[2J"), "\\u{1b}]2;PWNED\\u{7}\\u{1b}[2J");
        assert_eq!(lines_styled("a\u{1b}"), "a\\u{1b}");
    }

    #[test]
    fn json_escapes_stay_json() {
        let text = serde_json::to_string(&serde_json::json!({ "sub": HOSTILE })).expect("json");
        let safe = json(&text);
        assert!(!safe.chars().any(|c| is_unsafe(c) && c != '\n' && c != '\t'), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back["sub"], HOSTILE);
    }

    #[test]
    fn invisible_characters_have_names() {
        assert_eq!(describe_invisible('\u{200b}'), "a zero-width space (U+200B)");
        assert_eq!(describe_invisible('\u{feff}'), "a byte order mark (zero-width no-break space) (U+FEFF)");
    }
}
