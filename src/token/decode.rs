//! Decoding any well-formed compact JWS, even one whose algorithm we cannot verify, straight
//! from its segments so that header fields and claim order are shown exactly as sent.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde_json::{Map, Value};

/// One of the three parts of a compact JWS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Segment {
    /// The first part.
    Header,
    /// The second part.
    Payload,
    /// The third part.
    Signature,
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Segment::Header => "header",
            Segment::Payload => "payload",
            Segment::Signature => "signature",
        })
    }
}

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
}

impl fmt::Display for Cleanup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Cleanup::Whitespace => "surrounding whitespace or line breaks",
            Cleanup::Quotes => "surrounding quotes",
            Cleanup::BearerPrefix => "a 'Bearer ' prefix",
            Cleanup::JwtPrefix => "a 'JWT ' prefix",
            Cleanup::Padding => "'=' padding, which JWTs do not use",
        })
    }
}

/// Why text is not a compact JWS. Positions are 0-based character offsets within the segment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Nothing left after cleaning.
    #[error("the token is empty: paste the whole token (three parts separated by '.')")]
    Empty,
    /// Not three dot-separated parts.
    #[error("{}", segment_count_message(*.found))]
    SegmentCount {
        /// How many parts were found.
        found: usize,
    },
    /// A segment is not base64url.
    #[error("{segment} segment is not base64url: {reason} at position {position}")]
    Base64 {
        /// Which segment.
        segment: Segment,
        /// Offset of the first bad character within the segment.
        position: usize,
        /// What is wrong there.
        reason: String,
    },
    /// A segment is not JSON.
    #[error(
        "{segment} segment is not JSON: {reason} (line {line}, column {column} of the decoded {segment})"
    )]
    Json {
        /// Which segment.
        segment: Segment,
        /// Line in the decoded JSON.
        line: usize,
        /// Column in the decoded JSON.
        column: usize,
        /// The parser's reason.
        reason: String,
    },
    /// A segment is JSON but not an object.
    #[error("{segment} segment is JSON {found}, but a JWT {segment} must be a JSON object ({{...}})")]
    NotObject {
        /// Which segment.
        segment: Segment,
        /// What was found ("an array", "a string", ...).
        found: &'static str,
    },
}

fn segment_count_message(found: usize) -> String {
    match found {
        5 => "the token has 5 parts: it is an encrypted JWE, not a signed JWS; tokensmith cannot decrypt it".to_string(),
        1 => "the token has no '.': a JWT has three base64url parts separated by '.' (header.payload.signature)".to_string(),
        n => format!(
            "the token has {n} parts, but a JWT has 3 (header.payload.signature){}",
            if n == 2 { ": the signature part is missing (even an unsigned token ends with '.')" } else { "" }
        ),
    }
}

/// A token's parts, decoded. Header and payload keep the order the token has them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecodedToken {
    /// The compact token after cleaning.
    pub token: String,
    /// What was removed around the token.
    pub cleaned: Vec<Cleanup>,
    /// The decoded header.
    pub header: Map<String, Value>,
    /// The decoded payload.
    pub payload: Map<String, Value>,
    /// The signature bytes.
    #[serde(skip)]
    pub signature: Vec<u8>,
}

impl DecodedToken {
    /// The header's `alg`, as written (it may be one we do not support, or `none`).
    pub fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    /// `header.payload`: the bytes the signature covers.
    pub fn signing_input(&self) -> &str {
        let end = self.token.rfind('.').unwrap_or(self.token.len());
        &self.token[..end]
    }

    /// The signature segment as written.
    pub fn signature_b64(&self) -> &str {
        self.token.rsplit('.').next().unwrap_or("")
    }
}

/// Removes what people paste around tokens (whitespace, quotes, `Bearer `/`JWT ` prefixes)
/// and says what was removed.
pub fn clean(input: &str) -> (String, Vec<Cleanup>) {
    let mut cleaned = Vec::new();
    let mut text = input;
    loop {
        let trimmed = text.trim();
        if trimmed.len() != text.len() && !cleaned.contains(&Cleanup::Whitespace) {
            cleaned.push(Cleanup::Whitespace);
        }
        text = trimmed;
        let before = text.len();
        for quote in ['"', '\'', '`'] {
            if text.len() >= 2 && text.starts_with(quote) && text.ends_with(quote) {
                text = &text[1..text.len() - 1];
                if !cleaned.contains(&Cleanup::Quotes) {
                    cleaned.push(Cleanup::Quotes);
                }
            }
        }
        for (prefix, what) in [("bearer ", Cleanup::BearerPrefix), ("jwt ", Cleanup::JwtPrefix)] {
            if text.len() > prefix.len() && text[..prefix.len()].eq_ignore_ascii_case(prefix) {
                text = &text[prefix.len()..];
                if !cleaned.contains(&what) {
                    cleaned.push(what);
                }
            }
        }
        if text.len() == before {
            break;
        }
    }
    let mut token: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if token.len() != text.len() && !cleaned.contains(&Cleanup::Whitespace) {
        cleaned.push(Cleanup::Whitespace);
    }
    if token.contains("=.") || token.ends_with('=') {
        let parts: Vec<&str> = token.split('.').map(|p| p.trim_end_matches('=')).collect();
        token = parts.join(".");
        cleaned.push(Cleanup::Padding);
    }
    (token, cleaned)
}

fn decode_segment(segment: Segment, text: &str) -> Result<Vec<u8>, DecodeError> {
    if let Some((position, c)) =
        text.char_indices().find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        let reason = match c {
            '+' | '/' => {
                format!("'{c}' is standard base64, JWTs use base64url ('-' and '_' instead of '+' and '/')")
            }
            c => format!("character '{}' is not allowed", c.escape_default()),
        };
        return Err(DecodeError::Base64 { segment, position, reason });
    }
    if text.len() % 4 == 1 {
        return Err(DecodeError::Base64 {
            segment,
            position: text.len().saturating_sub(1),
            reason: "the segment has a length no base64 text can have (cut short or one character too many)"
                .to_string(),
        });
    }
    URL_SAFE_NO_PAD.decode(text).map_err(|e| DecodeError::Base64 {
        segment,
        position: match e {
            base64::DecodeError::InvalidByte(p, _) | base64::DecodeError::InvalidLastSymbol(p, _) => p,
            _ => text.len().saturating_sub(1),
        },
        reason: e.to_string(),
    })
}

fn json_object(segment: Segment, bytes: &[u8]) -> Result<Map<String, Value>, DecodeError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| DecodeError::Json {
        segment,
        line: e.line(),
        column: e.column(),
        reason: e.to_string().split(" at line").next().unwrap_or_default().to_string(),
    })?;
    match value {
        Value::Object(map) => Ok(map),
        Value::Array(_) => Err(DecodeError::NotObject { segment, found: "an array" }),
        Value::String(_) => Err(DecodeError::NotObject { segment, found: "a string" }),
        Value::Number(_) => Err(DecodeError::NotObject { segment, found: "a number" }),
        Value::Bool(_) => Err(DecodeError::NotObject { segment, found: "a boolean" }),
        Value::Null => Err(DecodeError::NotObject { segment, found: "null" }),
    }
}

/// Decodes a compact JWS without verifying it. Works for any `alg`, including `none`.
pub fn decode(input: &str) -> Result<DecodedToken, DecodeError> {
    let (token, cleaned) = clean(input);
    if token.is_empty() {
        return Err(DecodeError::Empty);
    }
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(DecodeError::SegmentCount { found: parts.len() });
    }
    let header = json_object(Segment::Header, &decode_segment(Segment::Header, parts[0])?)?;
    let payload = json_object(Segment::Payload, &decode_segment(Segment::Payload, parts[1])?)?;
    let signature = decode_segment(Segment::Signature, parts[2])?;
    Ok(DecodedToken { token, cleaned, header, payload, signature })
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 7519 section 3.1's example JWT.
    const RFC7519: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    #[test]
    fn decodes_the_rfc7519_example_keeping_order() {
        let token = decode(RFC7519).expect("decodes");
        let header: Vec<&String> = token.header.keys().collect();
        assert_eq!(header, ["typ", "alg"]);
        let payload = serde_json::to_string(&token.payload).expect("json");
        assert_eq!(payload, r#"{"iss":"joe","exp":1300819380,"http://example.com/is_root":true}"#);
        assert_eq!(token.signature.len(), 32);
        assert!(token.cleaned.is_empty());
    }

    #[test]
    fn decodes_unsecured_tokens() {
        // RFC 7519 section 6.1: an unsecured JWT.
        let token = decode("eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.")
            .expect("decodes");
        assert_eq!(token.alg(), Some("none"));
        assert!(token.signature.is_empty());
    }

    #[test]
    fn strips_and_reports_what_surrounds_a_token() {
        let token = decode(&format!("  \"Bearer {RFC7519}\"\n")).expect("decodes");
        assert_eq!(token.cleaned, vec![Cleanup::Whitespace, Cleanup::Quotes, Cleanup::BearerPrefix]);
        assert_eq!(token.token, RFC7519);
        let token = decode(&format!("JWT {RFC7519}")).expect("decodes");
        assert_eq!(token.cleaned, vec![Cleanup::JwtPrefix]);
    }

    #[test]
    fn malformed_tokens_name_the_segment_and_reason() {
        assert_eq!(decode("  ").err(), Some(DecodeError::Empty));
        assert_eq!(decode("abc.def").err(), Some(DecodeError::SegmentCount { found: 2 }));
        assert_eq!(decode("a.b.c.d.e").err(), Some(DecodeError::SegmentCount { found: 5 }));
        match decode("eyJhbGciOiJIUzI1NiJ9.ab+c.sig") {
            Err(DecodeError::Base64 { segment: Segment::Payload, position: 2, reason }) => {
                assert!(reason.contains("base64url"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        // "not json" in base64url
        match decode("bm90IGpzb24.e30.") {
            Err(DecodeError::Json { segment: Segment::Header, line: 1, column: 2, .. }) => {}
            other => panic!("{other:?}"),
        }
        // header [1,2]
        assert_eq!(
            decode("WzEsMl0.e30.").err(),
            Some(DecodeError::NotObject { segment: Segment::Header, found: "an array" })
        );
        // payload "hi"
        assert_eq!(
            decode("e30.ImhpIg.").err(),
            Some(DecodeError::NotObject { segment: Segment::Payload, found: "a string" })
        );
    }
}
