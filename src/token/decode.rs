//! Decoding any well-formed compact JWS, even one whose algorithm we cannot verify, straight
//! from its segments so that header fields and claim order are shown exactly as sent.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde_json::{Map, Value};

pub use super::paste::{Cleanup, clean};

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
    /// Two or more tokens in one paste.
    #[error("{found} tokens were given (separated by spaces or line breaks): give one token at a time")]
    SeveralTokens {
        /// How many pieces had a token's shape.
        found: usize,
    },
    /// A segment nests deeper than tokensmith reads.
    #[error(
        "{segment} segment nests deeper than {limit} levels of arrays and objects: no widget token needs that; tokensmith reads at most {limit}"
    )]
    TooDeep {
        /// Which segment.
        segment: Segment,
        /// The bound.
        limit: usize,
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
    /// Member names given twice in the header or payload (at any depth), as `segment.path`.
    /// Parsers disagree on which copy wins, so `verify` refuses such a token (RFC 7515 §5.2,
    /// RFC 8725 §3.x); the decoded maps keep the last copy, as JavaScript's JSON.parse does.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub duplicates: Vec<String>,
    /// What was read leniently: lone UTF-16 surrogate escapes, read as U+FFFD.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lone_surrogates: Vec<String>,
}

impl DecodedToken {
    /// The header's `alg`, as written (it may be one we do not support, or `none`).
    pub fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    /// `header.payload`: the bytes the signature covers.
    pub fn signing_input(&self) -> &str {
        let end = self.token.rfind('.').unwrap_or(self.token.len());
        self.token.get(..end).unwrap_or_default()
    }

    /// The signature segment as written.
    pub fn signature_b64(&self) -> &str {
        self.token.rsplit('.').next().unwrap_or("")
    }
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

fn json_object(
    segment: Segment,
    bytes: &[u8],
    duplicates: &mut Vec<String>,
    notes: &mut Vec<String>,
) -> Result<Map<String, Value>, DecodeError> {
    let repaired = repair_lone_surrogates(bytes);
    if let Some((_, found)) = &repaired {
        notes.push(format!(
            "the {segment} holds {} (half of a character, as JSON.stringify leaves an emoji cut in two): read as U+FFFD, as node and Python read it",
            found.join(", ")
        ));
    }
    let bytes = repaired.as_ref().map_or(bytes, |(fixed, _)| fixed.as_slice());
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let mut found = Vec::new();
    let checked = serde::de::DeserializeSeed::deserialize(
        Checked { path: segment.to_string().to_lowercase(), duplicates: &mut found },
        &mut de,
    )
    .and_then(|v| de.end().map(|()| v));
    duplicates.extend(found);
    let value: Value = checked.map_err(|e| {
        if e.to_string().starts_with("recursion limit exceeded") {
            return DecodeError::TooDeep { segment, limit: crate::limits::MAX_NESTING };
        }
        DecodeError::Json {
            segment,
            line: e.line(),
            column: e.column(),
            reason: e.to_string().split(" at line").next().unwrap_or_default().to_string(),
        }
    })?;
    if nesting(&value) > crate::limits::MAX_NESTING {
        return Err(DecodeError::TooDeep { segment, limit: crate::limits::MAX_NESTING });
    }
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
    let (token, cleaned) = super::paste::find(input)?;
    if token.is_empty() {
        return Err(DecodeError::Empty);
    }
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(DecodeError::SegmentCount { found: parts.len() });
    }
    let [header, payload, signature] = parts.as_slice() else {
        return Err(DecodeError::SegmentCount { found: parts.len() });
    };
    let (mut duplicates, mut notes) = (Vec::new(), Vec::new());
    let header_bytes = decode_segment(Segment::Header, header)?;
    let header = json_object(Segment::Header, &header_bytes, &mut duplicates, &mut notes)?;
    let payload_bytes = decode_segment(Segment::Payload, payload)?;
    let payload = json_object(Segment::Payload, &payload_bytes, &mut duplicates, &mut notes)?;
    let signature = decode_segment(Segment::Signature, signature)?;
    Ok(DecodedToken { token, cleaned, header, payload, signature, duplicates, lone_surrogates: notes })
}

/// How deep a JSON value nests: 0 for a scalar, 1 for `{}` or `[]`, and so on.
pub fn nesting(value: &Value) -> usize {
    let inner = match value {
        Value::Array(items) => items.iter().map(nesting).max().unwrap_or(0),
        Value::Object(map) => map.values().map(nesting).max().unwrap_or(0),
        _ => return 0,
    };
    inner.saturating_add(1)
}

/// JSON text with each lone UTF-16 surrogate escape (`\ud83d` with no low half after it, or a
/// low half alone) replaced by `\ufffd`, and the escapes found; None when there is none.
/// JSON.parse in node and json.loads in Python accept such strings; serde_json refuses them.
fn repair_lone_surrogates(bytes: &[u8]) -> Option<(Vec<u8>, Vec<String>)> {
    let hex4 = |at: usize| -> Option<u32> {
        let digits = std::str::from_utf8(bytes.get(at..at.checked_add(4)?)?).ok()?;
        u32::from_str_radix(digits, 16).ok()
    };
    let escape_at = |at: usize| -> Option<u32> {
        (bytes.get(at) == Some(&b'\\') && bytes.get(at.checked_add(1)?) == Some(&b'u')).then_some(())?;
        hex4(at.checked_add(2)?)
    };
    let (mut out, mut found, mut i) = (Vec::with_capacity(bytes.len()), Vec::new(), 0usize);
    while let Some(&b) = bytes.get(i) {
        if b != b'\\' {
            out.push(b);
            i = i.saturating_add(1);
            continue;
        }
        let Some(unit) = escape_at(i) else {
            // Another escape (`\"`, `\\`): copy it whole, so its second byte is not read as
            // the start of one.
            out.extend(bytes.get(i..i.saturating_add(2).min(bytes.len())).unwrap_or_default());
            i = i.saturating_add(2);
            continue;
        };
        let pair = (0xD800..0xDC00).contains(&unit)
            && escape_at(i.saturating_add(6)).is_some_and(|low| (0xDC00..0xE000).contains(&low));
        let len = if pair { 12 } else { 6 };
        if (0xD800..0xE000).contains(&unit) && !pair {
            found.push(format!("a lone surrogate escape \\u{unit:04x}"));
            out.extend_from_slice(b"\\ufffd");
        } else {
            out.extend(bytes.get(i..i.saturating_add(len)).unwrap_or_default());
        }
        i = i.saturating_add(len);
    }
    (!found.is_empty()).then_some((out, found))
}

/// Deserializes a JSON value like `serde_json::Value`, noting member names that repeat within
/// one object (serde_json's own map silently keeps the last).
struct Checked<'a> {
    path: String,
    duplicates: &'a mut Vec<String>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Checked<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Checked<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        let mut index = 0usize;
        loop {
            let path = format!("{}[{index}]", self.path);
            match seq.next_element_seed(Checked { path, duplicates: &mut *self.duplicates })? {
                Some(v) => items.push(v),
                None => break,
            }
            index = index.saturating_add(1);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = format!("{}.{key}", self.path);
            let value =
                map.next_value_seed(Checked { path: path.clone(), duplicates: &mut *self.duplicates })?;
            if out.insert(key, value).is_some() && !self.duplicates.contains(&path) {
                self.duplicates.push(path);
            }
        }
        Ok(Value::Object(out))
    }
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
    fn multi_byte_text_never_splits_a_character() {
        for input in ["ab€cdefgh", "€", "\"€\"", "bearer€x", "jwt €.€.€", "é.é.é", "Bearer\u{00A0}x.y.z"]
        {
            assert!(decode(input).is_err(), "{input}");
        }
    }

    #[test]
    fn duplicate_member_names_are_noted() {
        use base64::Engine as _;
        let b64 = |s: &str| URL_SAFE_NO_PAD.encode(s);
        let token = format!(
            "{}.{}.",
            b64(r#"{"alg":"HS256","alg":"none"}"#),
            b64(r#"{"sub":"a","sub":"b","n":{"x":1,"x":2},"l":[{"y":1,"y":1}]}"#)
        );
        let decoded = decode(&token).expect("decodes");
        assert_eq!(decoded.duplicates, vec!["header.alg", "payload.sub", "payload.n.x", "payload.l[0].y"]);
        assert!(decode("e30.e30.").expect("decodes").duplicates.is_empty());
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
