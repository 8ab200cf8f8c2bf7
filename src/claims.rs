//! Typed claim fields with dotted paths (`account.first_name`), value expressions (`now+5m`,
//! `uuid`, `md5(email)`), and building a payload from a profile's fields plus the user's values.

use std::fmt;
use std::str::FromStr;

use md5::Digest as _;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use crate::time::{parse_duration, parse_rfc3339};

/// The type of a claim field; text typed by a person is converted to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClaimType {
    /// A JSON string.
    String,
    /// A string that must look like an email address.
    Email,
    /// An identifier: a string or a whole number (vendors' samples send `user.id` as it is).
    Id,
    /// A whole number.
    Integer,
    /// Any JSON number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Seconds since 1970 (NumericDate); accepts `now+5m` and RFC 3339 dates as input.
    #[serde(alias = "unix_time", alias = "unixtime")]
    UnixTime,
    /// Any JSON value, typed as JSON.
    Json,
}

impl fmt::Display for ClaimType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ClaimType::String => "string",
            ClaimType::Email => "email",
            ClaimType::Id => "id",
            ClaimType::Integer => "integer",
            ClaimType::Number => "number",
            ClaimType::Boolean => "boolean",
            ClaimType::UnixTime => "unix-time",
            ClaimType::Json => "json",
        })
    }
}

/// Checks that text looks like an email address (`local@domain.tld`, no spaces).
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && !text.chars().any(char::is_whitespace)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
}

impl ClaimType {
    /// Converts text a person typed into a JSON value of this type.
    pub fn convert(self, text: &str, now: i64) -> Result<Value, String> {
        match self {
            ClaimType::String | ClaimType::Id => Ok(Value::String(text.to_string())),
            ClaimType::Email => {
                if is_email(text) {
                    Ok(Value::String(text.to_string()))
                } else {
                    Err("is not an email address (name@example.com)".to_string())
                }
            }
            ClaimType::Integer => {
                text.trim().parse::<i64>().map(Value::from).map_err(|_| "is not a whole number".to_string())
            }
            ClaimType::Number => text
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(|f| {
                    if f.fract() == 0.0 && f.abs() < 9.0e15 {
                        Some(Value::from(f as i64))
                    } else {
                        Number::from_f64(f).map(Value::Number)
                    }
                })
                .ok_or_else(|| "is not a number".to_string()),
            ClaimType::Boolean => match text.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" | "on" => Ok(Value::Bool(true)),
                "false" | "no" | "0" | "off" => Ok(Value::Bool(false)),
                _ => Err("is not a boolean (true or false)".to_string()),
            },
            ClaimType::UnixTime => {
                let text = text.trim();
                if let Ok(secs) = text.parse::<i64>() {
                    return Ok(Value::from(secs));
                }
                if let Some(ValueExpr::Now { offset }) = ValueExpr::parse_expr(text)? {
                    let limit = crate::time_rules::MILLIS_THRESHOLD;
                    return now
                        .checked_add(offset)
                        .filter(|t| t.unsigned_abs() <= limit.unsigned_abs())
                        .map(Value::from)
                        .ok_or_else(|| format!("is past any date when added to the issue time {now}"));
                }
                parse_rfc3339(text)
                    .map(Value::from)
                    .ok_or_else(|| "is not a time: write seconds since 1970, now, now+5m, now-30s or 2026-01-31T12:00:00Z".to_string())
            }
            ClaimType::Json => serde_json::from_str(text).map_err(|e| format!("is not JSON ({e})")),
        }
    }

    /// Checks a JSON value against this type; the reason says what was found.
    pub fn check(self, value: &Value) -> Result<(), String> {
        let found = || match value {
            Value::String(s) => format!("the string \"{s}\""),
            Value::Number(n) => format!("the number {n}"),
            Value::Bool(b) => format!("the boolean {b}"),
            Value::Null => "null".to_string(),
            Value::Array(_) => "an array".to_string(),
            Value::Object(_) => "an object".to_string(),
        };
        let ok = match self {
            ClaimType::String => value.is_string(),
            ClaimType::Id => value.is_string() || value.is_i64() || value.is_u64(),
            ClaimType::Email => value.as_str().is_some_and(is_email),
            ClaimType::Integer | ClaimType::UnixTime => value.is_i64() || value.is_u64(),
            ClaimType::Number => value.is_number(),
            ClaimType::Boolean => value.is_boolean(),
            ClaimType::Json => true,
        };
        if ok { Ok(()) } else { Err(format!("should be {}, found {}", self.article(), found())) }
    }

    fn article(self) -> &'static str {
        match self {
            ClaimType::String => "a string",
            ClaimType::Id => "a string or a whole number",
            ClaimType::Email => "an email address string",
            ClaimType::Integer => "a whole number",
            ClaimType::Number => "a number",
            ClaimType::Boolean => "a boolean (true/false, not a string)",
            ClaimType::UnixTime => "a whole number of seconds since 1970",
            ClaimType::Json => "JSON",
        }
    }
}

/// A dotted claim path: `account.first_name` is the key `first_name` inside the object
/// `account`. Keys may contain spaces (`User ID`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClaimPath(Vec<String>);

impl ClaimPath {
    /// A path from its keys as they are (a key may hold a dot: a token's own claim names).
    pub fn from_keys(keys: Vec<String>) -> ClaimPath {
        ClaimPath(keys)
    }

    /// The keys from the outermost in.
    pub fn keys(&self) -> &[String] {
        &self.0
    }

    /// True when `self` is a strict prefix of `other` (`a` of `a.b`).
    pub fn is_prefix_of(&self, other: &ClaimPath) -> bool {
        self.0.len() < other.0.len() && other.0.starts_with(&self.0)
    }

    /// Reads the value at this path in a payload.
    pub fn get<'a>(&self, map: &'a Map<String, Value>) -> Option<&'a Value> {
        let (last, parents) = self.0.split_last()?;
        let mut current = map;
        for key in parents {
            current = current.get(key)?.as_object()?;
        }
        current.get(last)
    }
}

impl FromStr for ClaimPath {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim().is_empty() {
            return Err("the claim name is empty".to_string());
        }
        let depth = s.split('.').count();
        if depth > crate::limits::MAX_PATH_DEPTH {
            return Err(format!(
                "the claim name has {depth} parts: at most {} dot-separated keys are allowed",
                crate::limits::MAX_PATH_DEPTH
            ));
        }
        let keys: Vec<String> = s.split('.').map(str::to_string).collect();
        if keys.iter().any(|k| k.is_empty()) {
            return Err(format!("'{s}' has an empty part between dots"));
        }
        Ok(ClaimPath(keys))
    }
}

impl TryFrom<String> for ClaimPath {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<ClaimPath> for String {
    fn from(path: ClaimPath) -> Self {
        path.to_string()
    }
}

impl fmt::Display for ClaimPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

/// A fresh random UUID v4: what the `uuid` expression gives outside tests, which pass their own.
pub fn random_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A default value: a literal, or an expression evaluated when the token is built.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueExpr {
    /// A JSON value as it is.
    Literal(Value),
    /// The current time plus an offset in seconds (`now`, `now+5m`, `now-30s`).
    Now {
        /// Seconds to add (negative to subtract).
        offset: i64,
    },
    /// A random UUID v4.
    Uuid,
    /// Hex MD5 of another field's value.
    Md5(ClaimPath),
    /// Hex SHA-256 of another field's value.
    Sha256(ClaimPath),
    /// Text with `{name}` references to the profile's parameters (looked up first) or to other
    /// claims: `https://tiledesk.com/projects/{project_id}`.
    Template(Vec<TemplatePart>),
}

/// A piece of a [`ValueExpr::Template`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplatePart {
    /// Literal text.
    Text(String),
    /// `{name}`: a parameter, else a claim path.
    Ref(String),
}

impl TemplatePart {
    /// Splits text into parts; None when it holds no `{name}` reference.
    pub fn parse(text: &str) -> Option<Vec<TemplatePart>> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        let mut refs = 0usize;
        while let Some(c) = rest.chars().next() {
            if c == '{'
                && let Some((name, after)) = placeholder(rest)
            {
                if !literal.is_empty() {
                    parts.push(TemplatePart::Text(std::mem::take(&mut literal)));
                }
                parts.push(TemplatePart::Ref(name.to_string()));
                refs = refs.saturating_add(1);
                rest = after;
                continue;
            }
            literal.push(c);
            rest = rest.get(c.len_utf8()..).unwrap_or("");
        }
        if !literal.is_empty() {
            parts.push(TemplatePart::Text(literal));
        }
        (refs > 0).then_some(parts)
    }
}

impl ValueExpr {
    /// Parses an expression; `Ok(None)` when the text is not one (so it is a literal).
    pub fn parse_expr(text: &str) -> Result<Option<ValueExpr>, String> {
        let t = text.trim();
        if t == "uuid" {
            return Ok(Some(ValueExpr::Uuid));
        }
        if let Some(rest) = t.strip_prefix("now") {
            let rest = rest.trim();
            if rest.is_empty() {
                return Ok(Some(ValueExpr::Now { offset: 0 }));
            }
            let (sign, amount) = if let Some(amount) = rest.strip_prefix('+') {
                (1, amount)
            } else if let Some(amount) = rest.strip_prefix('-') {
                (-1, amount)
            } else {
                return Ok(None);
            };
            let secs = parse_duration(amount)?;
            let secs = i64::try_from(secs).map_err(|_| format!("'{t}' is too far away"))?;
            let offset = if sign < 0 { secs.checked_neg() } else { Some(secs) };
            return offset
                .map(|offset| Some(ValueExpr::Now { offset }))
                .ok_or_else(|| format!("'{t}' is too far away"));
        }
        if let Some(parts) = TemplatePart::parse(t) {
            return Ok(Some(ValueExpr::Template(parts)));
        }
        for (name, make) in
            [("md5(", ValueExpr::Md5 as fn(ClaimPath) -> ValueExpr), ("sha256(", ValueExpr::Sha256)]
        {
            if let Some(inner) = t.strip_prefix(name).and_then(|r| r.strip_suffix(')')) {
                return Ok(Some(make(inner.trim().parse()?)));
            }
        }
        Ok(None)
    }

    /// A literal string unless the text is an expression.
    pub fn parse_or_literal(text: &str) -> Result<ValueExpr, String> {
        Ok(Self::parse_expr(text)?.unwrap_or_else(|| ValueExpr::Literal(Value::String(text.to_string()))))
    }

    /// The names this expression reads: a hash's field, a template's `{name}`s (parameters or
    /// claims).
    pub fn references(&self) -> Vec<String> {
        match self {
            ValueExpr::Md5(p) | ValueExpr::Sha256(p) => vec![p.to_string()],
            ValueExpr::Template(parts) => parts
                .iter()
                .filter_map(|part| match part {
                    TemplatePart::Ref(name) => Some(name.clone()),
                    TemplatePart::Text(_) => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The field this expression reads, for hashes.
    pub fn source(&self) -> Option<&ClaimPath> {
        match self {
            ValueExpr::Md5(p) | ValueExpr::Sha256(p) => Some(p),
            _ => None,
        }
    }
}

impl fmt::Display for ValueExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueExpr::Literal(Value::String(s)) => f.write_str(s),
            ValueExpr::Literal(v) => write!(f, "{v}"),
            ValueExpr::Now { offset: 0 } => f.write_str("now"),
            ValueExpr::Now { offset } if *offset > 0 => {
                write!(f, "now+{}", crate::time::human_duration(offset.unsigned_abs()).replace(' ', ""))
            }
            ValueExpr::Now { offset } => {
                write!(f, "now-{}", crate::time::human_duration(offset.unsigned_abs()).replace(' ', ""))
            }
            ValueExpr::Uuid => f.write_str("uuid"),
            ValueExpr::Md5(p) => write!(f, "md5({p})"),
            ValueExpr::Sha256(p) => write!(f, "sha256({p})"),
            ValueExpr::Template(parts) => {
                for part in parts {
                    match part {
                        TemplatePart::Text(t) => f.write_str(t)?,
                        TemplatePart::Ref(r) => write!(f, "{{{r}}}")?,
                    }
                }
                Ok(())
            }
        }
    }
}

impl<'de> Deserialize<'de> for ValueExpr {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        match value {
            Value::String(s) => ValueExpr::parse_or_literal(&s).map_err(serde::de::Error::custom),
            other => Ok(ValueExpr::Literal(other)),
        }
    }
}

impl Serialize for ValueExpr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ValueExpr::Literal(v) => v.serialize(serializer),
            other => serializer.serialize_str(&other.to_string()),
        }
    }
}

/// One claim a profile declares.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimField {
    /// Where the claim goes in the payload.
    pub path: ClaimPath,
    /// Its type.
    #[serde(rename = "type")]
    pub ty: ClaimType,
    /// Whether the vendor requires it.
    #[serde(default)]
    pub required: bool,
    /// What it is, for people.
    #[serde(default)]
    pub description: String,
    /// The value used when none is given; optional fields without one are left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<ValueExpr>,
    /// Which of the profile's sources states this claim's rules (required, type, pattern,
    /// charset); none means the profile's `default_source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The field of the logged-in user the server code takes this claim from (`id`, `email`,
    /// `name`, `first_name`, `last_name`); none when the claim is not the user's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserField>,
    /// The shape the value must have: `{param}` matches a parameter's value (text without
    /// `/`, the same everywhere in the token), `*` any text, anything else itself. It may name
    /// its own source (`{ value = "...", source = "docs" }`) when another page states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<crate::sourced::Sourced<String>>,
    /// Which characters the value may hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset: Option<Charset>,
    /// The most characters the value may have (Zendesk's `external_id`: 255).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<usize>,
    /// Values the vendor reads as something else entirely (Tiledesk's `role` of `admin` signs
    /// the visitor in as an agent); the description says what happens.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forbidden: Vec<String>,
}

/// The fields of a logged-in user that server code reads (`user.id`, `user.email`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserField {
    /// The user's id in the customer's system (a number or a string).
    Id,
    /// The user's email address.
    Email,
    /// The user's full name.
    Name,
    /// The user's first name.
    FirstName,
    /// The user's last name.
    LastName,
}

impl UserField {
    /// The key in the user object (`first_name`).
    pub fn key(self) -> &'static str {
        match self {
            UserField::Id => "id",
            UserField::Email => "email",
            UserField::Name => "name",
            UserField::FirstName => "first_name",
            UserField::LastName => "last_name",
        }
    }
}

/// A set of characters a claim's value may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Charset {
    /// ASCII letters and digits, plus `-` and `_` (Tiledesk's page calls `user-123456`
    /// alphanumeric).
    Alphanumeric,
}

impl Charset {
    /// The characters of `text` outside the set, each once, in order.
    pub fn outside(self, text: &str) -> Vec<char> {
        let mut bad: Vec<char> = Vec::new();
        for c in text.chars() {
            let ok = match self {
                Charset::Alphanumeric => c.is_ascii_alphanumeric() || c == '-' || c == '_',
            };
            if !ok && !bad.contains(&c) {
                bad.push(c);
            }
        }
        bad
    }
}

impl fmt::Display for Charset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Charset::Alphanumeric => "letters, digits, '-' and '_'",
        })
    }
}

mod build;
mod pattern;

pub use build::*;
use pattern::placeholder;
pub use pattern::{MAX_PATTERN_TEXT, match_pattern};

/// What a person gave for a claim: text (converted to the field's type) or raw JSON.
#[derive(Clone, Debug, PartialEq)]
pub enum ClaimInput {
    /// `PATH=VALUE`: text, converted to the declared type.
    Text(String),
    /// `PATH:=JSON`: a JSON value used as it is.
    Json(Value),
}

/// One `--claim` argument.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimAssignment {
    /// Where it goes.
    pub path: ClaimPath,
    /// What goes there.
    pub input: ClaimInput,
}

impl FromStr for ClaimAssignment {
    type Err = ClaimError;

    /// `PATH=VALUE` or `PATH:=JSON` (as httpie writes them).
    fn from_str(arg: &str) -> Result<Self, Self::Err> {
        let Some((left, value)) = arg.split_once('=') else {
            return Err(ClaimError::NoEquals { arg: arg.to_string() });
        };
        let (raw, name) = match left.strip_suffix(':') {
            Some(name) => (true, name),
            None => (false, left),
        };
        let path: ClaimPath =
            name.parse().map_err(|reason| ClaimError::BadPath { arg: arg.to_string(), reason })?;
        let input = if raw {
            ClaimInput::Json(serde_json::from_str(value).map_err(|e| ClaimError::BadJson {
                path: path.to_string(),
                value: value.to_string(),
                reason: e.to_string(),
            })?)
        } else {
            ClaimInput::Text(value.to_string())
        };
        Ok(ClaimAssignment { path, input })
    }
}

/// Why a payload could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClaimError {
    /// `--claim` without `=`.
    #[error(
        "--claim '{arg}' has no '=': write PATH=VALUE (a string, converted to the claim's type) or PATH:=JSON (a raw JSON value)"
    )]
    NoEquals {
        /// The argument.
        arg: String,
    },
    /// A bad path.
    #[error("--claim '{arg}': {reason}")]
    BadPath {
        /// The argument.
        arg: String,
        /// What is wrong with the path.
        reason: String,
    },
    /// `PATH:=JSON` with invalid JSON.
    #[error(
        "claim '{path}': '{value}' is not valid JSON ({reason}); quote strings as '\"text\"' or use PATH=VALUE for text"
    )]
    BadJson {
        /// The claim.
        path: String,
        /// The text given.
        value: String,
        /// The parser's reason.
        reason: String,
    },
    /// A value that does not fit the declared type.
    #[error("claim '{path}' is {ty}: '{value}' {reason} (use {path}:=JSON to set any raw value)")]
    BadValue {
        /// The claim.
        path: String,
        /// Its declared type.
        ty: ClaimType,
        /// The text given.
        value: String,
        /// Why it does not fit.
        reason: String,
    },
    /// The same claim given twice.
    #[error("claim '{path}' is given twice: keep one --claim for it")]
    Duplicate {
        /// The claim.
        path: String,
    },
    /// Two paths that cannot both exist (`a` and `a.b`).
    #[error(
        "claims '{path}' and '{other}' collide: '{other}' would need '{path}' to be an object; rename one of them"
    )]
    Collision {
        /// One path.
        path: String,
        /// The other.
        other: String,
    },
    /// A claim the profile does not declare, where extras are not allowed.
    #[error("profile '{profile}' has no claim '{path}' and takes no extra claims; its claims are: {known}")]
    UnknownClaim {
        /// The claim.
        path: String,
        /// The profile id.
        profile: String,
        /// The claims it declares, comma-separated.
        known: String,
    },
    /// A required claim with no value and no default.
    #[error("required claim '{path}' has no value: set it with --claim {path}=VALUE{}", if .description.is_empty() { String::new() } else { format!(" ({})", .description) })]
    MissingRequired {
        /// The claim.
        path: String,
        /// Its description.
        description: String,
    },
    /// A hash default whose source has no value.
    #[error(
        "claim '{path}' is a hash of '{hashed}', which has no value: set {hashed} or give {path} directly"
    )]
    HashSource {
        /// The claim.
        path: String,
        /// The claim it hashes.
        hashed: String,
    },
    /// A template default whose references have no value.
    #[error(
        "claim '{path}' is made from {missing}, which has no value: set it (--param NAME=VALUE or --claim) or give {path} directly"
    )]
    TemplateSource {
        /// The claim.
        path: String,
        /// The references without a value, comma-separated.
        missing: String,
    },
    /// A default expression that could not be evaluated.
    #[error("claim '{path}': {reason}")]
    BadDefault {
        /// The claim.
        path: String,
        /// Why.
        reason: String,
    },
}

#[cfg(test)]
mod tests;
