//! Finding the token in what was pasted. Support engineers paste from chat, HAR viewers, curl
//! commands, logs and JSON: `Authorization: Bearer <tok>`, `"tok",`, `{"token":"..."}`,
//! `?jwt=...&x=1`, a token URL-encoded or wrapped over lines, with invisible characters picked
//! up on the way. The finder keeps the token, says what was around it and what it removed,
//! and names invisible characters as such.

use std::fmt;

use serde::Serialize;

use super::decode::DecodeError;

/// Something that was removed from around the token before decoding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cleanup {
    /// Spaces or line breaks around or inside the token.
    Whitespace,
    /// Surrounding `"` or `'` quotes.
    Quotes,
    /// A `Bearer ` prefix (an HTTP Authorization header value).
    BearerPrefix,
    /// A `JWT ` prefix (as Tiledesk's snippet needs).
    JwtPrefix,
    /// `=` padding at the end of a segment (JWS forbids it).
    Padding,
    /// A header name before the value (`Authorization: `).
    HeaderName,
    /// Percent-encoding (`%2E` for `.`), as URLs and form bodies carry tokens.
    UrlEncoding,
    /// Punctuation after the token (`,` `;` or a sentence's `.`).
    Punctuation,
    /// JSON or a query string around the token (`{"token":"..."}`, `?jwt=...&x=1`).
    Wrapper,
    /// Invisible characters (zero-width spaces, a byte order mark, soft hyphens, direction
    /// marks), named.
    Invisible(String),
}

impl fmt::Display for Cleanup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cleanup::Whitespace => f.write_str("surrounding whitespace or line breaks"),
            Cleanup::Quotes => f.write_str("surrounding quotes"),
            Cleanup::BearerPrefix => f.write_str("a 'Bearer ' prefix"),
            Cleanup::JwtPrefix => f.write_str("a 'JWT ' prefix"),
            Cleanup::Padding => f.write_str("'=' padding, which JWTs do not use"),
            Cleanup::HeaderName => f.write_str("a header name ('Authorization: ')"),
            Cleanup::UrlEncoding => f.write_str("URL encoding ('%2E' for '.')"),
            Cleanup::Punctuation => f.write_str("punctuation after the token"),
            Cleanup::Wrapper => f.write_str("the JSON or query string around the token"),
            Cleanup::Invisible(what) => write!(f, "invisible characters: {what}"),
        }
    }
}

/// Characters that take no room on screen and are never part of a token.
fn invisible(c: char) -> bool {
    c != ' ' && !c.is_whitespace() && crate::text::is_unsafe(c)
}

/// The text without invisible characters, and their names ("a zero-width space (U+200B)").
fn drop_invisible(text: &str, cleaned: &mut Vec<Cleanup>) -> String {
    let mut names: Vec<String> = Vec::new();
    for c in text.chars().filter(|&c| invisible(c)) {
        let name = crate::text::describe_invisible(c);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if names.is_empty() {
        return text.to_string();
    }
    cleaned.push(Cleanup::Invisible(names.join(", ")));
    text.chars().filter(|&c| !invisible(c)).collect()
}

/// Base64url text with dots: what a compact JWS is made of.
fn token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// Whether a piece of text has the shape of a compact JWS: three parts, a header part of at
/// least a few characters.
fn looks_like_jws(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 3
        && parts.first().is_some_and(|h| h.len() >= 4)
        && text.chars().all(|c| token_char(c) || c == '=')
}

/// `%2E` and the like, decoded, when the text holds percent-encoding.
fn url_decoded(text: &str, cleaned: &mut Vec<Cleanup>) -> String {
    let has_escape = text
        .as_bytes()
        .windows(3)
        .any(|w| matches!(w, [b'%', a, b] if a.is_ascii_hexdigit() && b.is_ascii_hexdigit()));
    if !has_escape {
        return text.to_string();
    }
    match percent_encoding::percent_decode_str(text).decode_utf8() {
        Ok(decoded) if decoded != text => {
            cleaned.push(Cleanup::UrlEncoding);
            decoded.into_owned()
        }
        _ => text.to_string(),
    }
}

/// The token inside JSON (`{"token": "..."}`, at any depth).
fn from_json(text: &str) -> Option<String> {
    let trimmed = text.trim();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(trimmed).ok()?;
    first_jws_in(&value)
}

fn first_jws_in(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => {
            let (inner, _) = clean_plain(s);
            looks_like_jws(&inner).then_some(inner)
        }
        serde_json::Value::Array(items) => items.iter().find_map(first_jws_in),
        serde_json::Value::Object(map) => map.values().find_map(first_jws_in),
        _ => None,
    }
}

/// A query string's or form body's value that holds the token: `?jwt=...&x=1`.
fn from_query(text: &str) -> Option<String> {
    if !text.contains('=') {
        return None;
    }
    let query = text.rsplit_once('?').map_or(text, |(_, q)| q);
    query.split(['&', ';']).filter_map(|pair| pair.split_once('=')).map(|(_, v)| v.trim()).find_map(|v| {
        let (inner, _) = clean_plain(v);
        looks_like_jws(&inner).then_some(inner)
    })
}

/// Removes what people paste around tokens (header names, `Bearer `/`JWT ` prefixes followed
/// by any whitespace, quotes, trailing punctuation, whitespace inside, padding) and says what
/// was removed.
fn clean_plain(input: &str) -> (String, Vec<Cleanup>) {
    let mut cleaned = Vec::new();
    let note = |c: Cleanup, cleaned: &mut Vec<Cleanup>| {
        if !cleaned.contains(&c) {
            cleaned.push(c);
        }
    };
    let mut text = input;
    loop {
        let before = text.len();
        let trimmed = text.trim();
        if trimmed.len() != text.len() {
            note(Cleanup::Whitespace, &mut cleaned);
        }
        text = trimmed;
        if let Some(rest) = strip_header_name(text) {
            text = rest;
            note(Cleanup::HeaderName, &mut cleaned);
        }
        for quote in ['"', '\'', '`'] {
            if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
                text = inner;
                note(Cleanup::Quotes, &mut cleaned);
            }
        }
        if let Some(inner) = text.strip_suffix([',', ';']) {
            text = inner;
            note(Cleanup::Punctuation, &mut cleaned);
        }
        for (prefix, what) in [("bearer", Cleanup::BearerPrefix), ("jwt", Cleanup::JwtPrefix)] {
            // `get` never splits a character: a multi-byte start is simply not the prefix.
            let head = text.get(..prefix.len());
            let rest = text.get(prefix.len()..).unwrap_or_default();
            // Followed by whitespace, or glued to a header (`BearereyJ…`: a field that drops
            // tabs, or a copy that lost the space): a JWS header's base64 starts with `eyJ` or
            // `ew`, and never with "Bearer".
            let glued = rest.starts_with("eyJ") || rest.starts_with("ew");
            if head.is_some_and(|h| h.eq_ignore_ascii_case(prefix))
                && (rest.starts_with(char::is_whitespace) || glued)
                && !rest.trim().is_empty()
            {
                text = rest.trim_start();
                note(what, &mut cleaned);
            }
        }
        if text.len() == before {
            break;
        }
    }
    let mut token: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if token.len() != text.len() {
        note(Cleanup::Whitespace, &mut cleaned);
    }
    // A sentence's full stop after a signed token: "header.payload.signature." has four parts.
    if token.split('.').count() == 4 && token.ends_with('.') && !token.ends_with("..") {
        token.pop();
        note(Cleanup::Punctuation, &mut cleaned);
    }
    if token.contains("=.") || token.ends_with('=') {
        let parts: Vec<&str> = token.split('.').map(|p| p.trim_end_matches('=')).collect();
        token = parts.join(".");
        note(Cleanup::Padding, &mut cleaned);
    }
    (token, cleaned)
}

/// `Authorization: ...` or any `Header-Name: ...`: the value after the colon.
fn strip_header_name(text: &str) -> Option<&str> {
    let (name, rest) = text.split_once(':')?;
    let is_name = !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    (is_name && !rest.trim().is_empty()).then_some(rest.trim_start())
}

/// How many whitespace-separated pieces of the text have a token's shape on their own.
fn tokens_in(text: &str) -> usize {
    text.split_whitespace()
        .map(|piece| piece.trim_matches(|c: char| !token_char(c)))
        .filter(|piece| looks_like_jws(piece))
        .count()
}

/// Finds the token in what was pasted and says what was removed around it. Two or more
/// tokens in one paste are an error of their own, not "an encrypted JWE".
pub fn find(input: &str) -> Result<(String, Vec<Cleanup>), DecodeError> {
    let mut cleaned = Vec::new();
    // URL-decoding first: `%0E` or `%E2%80%8B` decode to characters the next step removes.
    let decoded = url_decoded(input, &mut cleaned);
    let text = drop_invisible(&decoded, &mut cleaned);
    let found = tokens_in(&text);
    if found > 1 {
        return Err(DecodeError::SeveralTokens { found });
    }
    if let Some(inner) = from_json(&text).or_else(|| from_query(text.trim())) {
        cleaned.push(Cleanup::Wrapper);
        return Ok((inner, cleaned));
    }
    let (token, more) = clean_plain(&text);
    for c in more {
        if !cleaned.contains(&c) {
            cleaned.push(c);
        }
    }
    Ok((token, cleaned))
}

/// The token and what was removed, for display: as [`find`], but several tokens are kept as
/// they are (the caller shows the error).
pub fn clean(input: &str) -> (String, Vec<Cleanup>) {
    find(input).unwrap_or_else(|_| clean_plain(input))
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 7519 section 3.1's example JWT.
    const T: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    fn found(input: &str) -> (String, Vec<Cleanup>) {
        find(input).unwrap_or_else(|e| panic!("{input:?}: {e}"))
    }

    #[test]
    fn messy_pastes_give_the_token_and_say_what_was_around_it() {
        use Cleanup::*;
        let cases: Vec<(String, Vec<Cleanup>)> = vec![
            (format!("Bearer\n{T}"), vec![BearerPrefix]),
            (format!("Bearer\t{T}"), vec![BearerPrefix]),
            (format!("Bearer{T}"), vec![BearerPrefix]),
            (format!("Authorization: Bearer {T}"), vec![HeaderName, BearerPrefix]),
            (T.replace('.', "%2E"), vec![UrlEncoding]),
            (format!("{T}."), vec![Punctuation]),
            (format!("{T},"), vec![Punctuation]),
            (format!("\"{T}\","), vec![Punctuation, Quotes]),
            (format!("{{\"token\":\"{T}\"}}"), vec![Wrapper]),
            (format!("{{\"data\":{{\"jwt\":\"{T}\"}},\"ok\":true}}"), vec![Wrapper]),
            (format!("?jwt={T}&x=1"), vec![Wrapper]),
            (format!("https://x.example/cb?state=1&token={T}"), vec![Wrapper]),
        ];
        for (input, cleanups) in cases {
            let (token, cleaned) = found(&input);
            assert_eq!(token, T, "{input:?}");
            assert_eq!(cleaned, cleanups, "{input:?}");
        }
    }

    #[test]
    fn invisible_characters_are_removed_and_named() {
        for (c, name) in [
            ('\u{200b}', "a zero-width space (U+200B)"),
            ('\u{feff}', "a byte order mark"),
            ('\u{ad}', "a soft hyphen (U+00AD)"),
        ] {
            let (head, tail) = T.split_at(20);
            let (token, cleaned) = found(&format!("{c}{head}{c}{tail}"));
            assert_eq!(token, T);
            match cleaned.as_slice() {
                [Cleanup::Invisible(what)] => assert!(what.contains(name), "{what}"),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn two_tokens_are_named_as_two_tokens() {
        for input in [format!("{T} {T}"), format!("{T}\n{T}\n"), format!("\"{T}\", \"{T}\"")] {
            assert_eq!(find(&input), Err(DecodeError::SeveralTokens { found: 2 }), "{input}");
        }
        assert!(DecodeError::SeveralTokens { found: 2 }.to_string().contains("2 tokens"));
    }

    #[test]
    fn a_token_wrapped_over_lines_is_one_token() {
        let (head, tail) = T.split_at(60);
        assert_eq!(found(&format!("{head}\n{tail}")), (T.to_string(), vec![Cleanup::Whitespace]));
    }

    /// Found by the paste fuzz target: `%0e` decoded to a control character that stayed.
    #[test]
    fn url_decoding_never_leaves_a_control_character() {
        let (token, cleaned) = found("%0e");
        assert_eq!(token, "");
        assert!(matches!(cleaned.as_slice(), [Cleanup::UrlEncoding, Cleanup::Invisible(_)]), "{cleaned:?}");
    }

    #[test]
    fn an_unsigned_token_keeps_its_final_dot() {
        let unsigned = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.";
        assert_eq!(found(unsigned), (unsigned.to_string(), vec![]));
    }
}
