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

/// Matches `text` against a claim pattern (`https://x/projects/{project_id}`, `{project_id}_*`).
/// `bound` holds parameter values already known (given, or matched in another claim); a
/// placeholder seen for the first time is bound to what it matched. Returns false on mismatch.
pub fn match_pattern(pattern: &str, text: &str, bound: &mut Vec<(String, String)>) -> bool {
    // Ids and addresses are short; the cap keeps backtracking cheap on a hostile megabyte value.
    if text.len() > MAX_PATTERN_TEXT {
        return false;
    }
    let parts = pattern_parts(pattern);
    let mut new = Vec::new();
    let ok = match_parts(&parts, text, bound, &mut new);
    if ok {
        bound.extend(new);
    }
    ok
}

pub use crate::limits::MAX_PATTERN_TEXT;

#[derive(Debug, PartialEq)]
enum PatternPart<'a> {
    Text(&'a str),
    Param(&'a str),
    Any,
}

fn pattern_parts(pattern: &str) -> Vec<PatternPart<'_>> {
    let mut parts = Vec::new();
    let mut rest = pattern;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('*') {
            // `**` means what `*` means.
            if parts.last() != Some(&PatternPart::Any) {
                parts.push(PatternPart::Any);
            }
            rest = after;
            continue;
        }
        if let Some((name, after)) = placeholder(rest) {
            parts.push(PatternPart::Param(name));
            rest = after;
            continue;
        }
        let next = rest
            .char_indices()
            .skip(1)
            .find(|(i, c)| *c == '*' || (*c == '{' && placeholder(rest.get(*i..).unwrap_or("")).is_some()))
            .map_or(rest.len(), |(i, _)| i);
        let (text, after) = rest.split_at(next);
        parts.push(PatternPart::Text(text));
        rest = after;
    }
    parts
}

/// `{name}` at the start of `text`: the name and the text after it.
fn placeholder(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix('{')?;
    let end = inner.find('}')?;
    let (name, after) = inner.split_at(end);
    let ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    ok.then(|| (name, after.get(1..).unwrap_or("")))
}

/// The work one match may do: every step tries one way to split the text. With the memo
/// below a pattern's cost is at most its parts times the text's characters; the budget is a
/// second bound for patterns whose placeholders defeat the memo.
const MATCH_STEPS: u32 = crate::limits::MAX_PATTERN_STEPS;

/// Matching state: the steps left, and the (parts left, text left) pairs known to fail where no
/// placeholder remains (their outcome cannot depend on what was bound).
struct Matcher {
    steps: u32,
    failed: std::collections::HashSet<(usize, usize)>,
}

fn match_parts(
    parts: &[PatternPart<'_>],
    text: &str,
    bound: &[(String, String)],
    new: &mut Vec<(String, String)>,
) -> bool {
    let mut matcher = Matcher { steps: MATCH_STEPS, failed: std::collections::HashSet::new() };
    matcher.matches(parts, text, bound, new)
}

impl Matcher {
    fn matches(
        &mut self,
        parts: &[PatternPart<'_>],
        text: &str,
        bound: &[(String, String)],
        new: &mut Vec<(String, String)>,
    ) -> bool {
        let Some((first, rest)) = parts.split_first() else { return text.is_empty() };
        let Some(steps) = self.steps.checked_sub(1) else { return false };
        self.steps = steps;
        let memo = !parts.iter().any(|p| matches!(p, PatternPart::Param(_)));
        if memo && self.failed.contains(&(parts.len(), text.len())) {
            return false;
        }
        let ok = match first {
            PatternPart::Text(t) => {
                text.strip_prefix(t).is_some_and(|after| self.matches(rest, after, bound, new))
            }
            PatternPart::Param(name) => self.param(name, rest, text, bound, new),
            PatternPart::Any => {
                let ends: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
                ends.into_iter()
                    .any(|end| text.get(end..).is_some_and(|tail| self.matches(rest, tail, bound, new)))
            }
        };
        if memo && !ok {
            self.failed.insert((parts.len(), text.len()));
        }
        ok
    }

    fn param(
        &mut self,
        name: &str,
        rest: &[PatternPart<'_>],
        text: &str,
        bound: &[(String, String)],
        new: &mut Vec<(String, String)>,
    ) -> bool {
        let known = bound.iter().chain(new.iter()).find(|(n, _)| n == name).map(|(_, v)| v.clone());
        if let Some(value) = known {
            return text
                .strip_prefix(value.as_str())
                .is_some_and(|after| self.matches(rest, after, bound, new));
        }
        // Try every non-empty split within one path segment, longest first, so a following
        // `_*` binds the longest id.
        let segment = text.find('/').unwrap_or(text.len());
        let ends: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .skip(1)
            .chain([text.len()])
            .filter(|&i| i <= segment)
            .collect();
        for end in ends.into_iter().rev() {
            let (head, tail) = text.split_at(end);
            let mark = new.len();
            new.push((name.to_string(), head.to_string()));
            if self.matches(rest, tail, bound, new) {
                return true;
            }
            new.truncate(mark);
        }
        false
    }
}

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

/// Registered claims (RFC 7519 section 4.1) may always be set, even where a profile takes no
/// extra claims; the three times among them are typed as unix times.
pub const REGISTERED: [&str; 7] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

/// Everything building a payload needs from outside: the time, a UUID source and the
/// profile's parameters.
pub struct BuildContext<'a> {
    /// Unix seconds for `now` expressions.
    pub now: i64,
    /// Makes a fresh UUID string for `uuid` expressions.
    pub uuid: &'a mut dyn FnMut() -> String,
    /// Parameter values by name, for `{name}` references in templates.
    pub params: &'a [(String, String)],
}

/// The fields and rules a payload is built from.
pub struct ClaimSchema<'a> {
    /// Profile id, for messages.
    pub profile: &'a str,
    /// Declared fields, in payload order.
    pub fields: &'a [ClaimField],
    /// Whether undeclared claims may be added.
    pub allow_extra: bool,
}

fn hash_hex(expr: &ValueExpr, value: &Value) -> Option<String> {
    let bytes = match value {
        Value::String(s) => s.clone().into_bytes(),
        other => other.to_string().into_bytes(),
    };
    match expr {
        ValueExpr::Md5(_) => Some(hex::encode(md5::Md5::digest(&bytes))),
        ValueExpr::Sha256(_) => Some(hex::encode(sha2::Sha256::digest(&bytes))),
        _ => None,
    }
}

/// Evaluates a non-hash expression.
pub fn evaluate(expr: &ValueExpr, ctx: &mut BuildContext<'_>) -> Option<Value> {
    match expr {
        ValueExpr::Literal(v) => Some(v.clone()),
        ValueExpr::Now { offset } => ctx.now.checked_add(*offset).map(Value::from),
        ValueExpr::Uuid => Some(Value::String((ctx.uuid)())),
        ValueExpr::Md5(_) | ValueExpr::Sha256(_) | ValueExpr::Template(_) => None,
    }
}

/// A value as text inside a template: strings as they are, other JSON as written.
fn as_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Builds a payload: declared fields in order (given value, else default; optional fields
/// without either are left out), then extra claims in the order given.
pub fn build_payload(
    schema: &ClaimSchema<'_>,
    assignments: &[ClaimAssignment],
    ctx: &mut BuildContext<'_>,
) -> Result<Map<String, Value>, ClaimError> {
    for (i, a) in assignments.iter().enumerate() {
        if assignments.iter().take(i).any(|b| b.path == a.path) {
            return Err(ClaimError::Duplicate { path: a.path.to_string() });
        }
    }
    let mut values: Vec<(ClaimPath, Option<Value>)> = Vec::new();
    let mut pending: Vec<(usize, &ValueExpr)> = Vec::new();
    for field in schema.fields {
        let given = assignments.iter().find(|a| a.path == field.path);
        let value = match given {
            Some(a) => Some(typed_value(&field.path, field.ty, &a.input, ctx.now)?),
            None => match &field.default {
                Some(expr @ (ValueExpr::Md5(_) | ValueExpr::Sha256(_) | ValueExpr::Template(_))) => {
                    pending.push((values.len(), expr));
                    None
                }
                // A text literal on a typed field ("true" for a boolean) is read as that type.
                Some(ValueExpr::Literal(Value::String(text)))
                    if !matches!(field.ty, ClaimType::String | ClaimType::Email | ClaimType::Id) =>
                {
                    Some(field.ty.convert(text, ctx.now).map_err(|reason| ClaimError::BadDefault {
                        path: field.path.to_string(),
                        reason: format!("default '{text}' {reason}"),
                    })?)
                }
                Some(expr) => Some(evaluate(expr, ctx).ok_or_else(|| ClaimError::BadDefault {
                    path: field.path.to_string(),
                    reason: format!("default '{expr}' is out of range at this time"),
                })?),
                None => None,
            },
        };
        values.push((field.path.clone(), value));
    }
    for a in assignments {
        if schema.fields.iter().any(|f| f.path == a.path) {
            continue;
        }
        let name = a.path.to_string();
        let registered = REGISTERED.contains(&name.as_str());
        if !schema.allow_extra && !registered {
            return Err(ClaimError::UnknownClaim {
                path: name,
                profile: schema.profile.to_string(),
                known: schema.fields.iter().map(|f| f.path.to_string()).collect::<Vec<_>>().join(", "),
            });
        }
        let ty = if matches!(name.as_str(), "exp" | "nbf" | "iat") {
            ClaimType::UnixTime
        } else {
            ClaimType::String
        };
        values.push((a.path.clone(), Some(typed_value(&a.path, ty, &a.input, ctx.now)?)));
    }
    // Derived defaults (hashes and templates) read other claims, which may be derived too:
    // resolve what can be resolved until nothing changes.
    while !pending.is_empty() {
        let before = pending.len();
        let mut waiting = Vec::new();
        for (index, expr) in pending {
            match derive(expr, &values, ctx.params) {
                Some(value) => {
                    if let Some(slot) = values.get_mut(index) {
                        slot.1 = Some(value);
                    }
                }
                None => waiting.push((index, expr)),
            }
        }
        if waiting.len() == before
            && let Some(&(index, expr)) = waiting.first()
        {
            let path = values.get(index).map(|(p, _)| p.to_string()).unwrap_or_default();
            return Err(match expr {
                ValueExpr::Template(parts) => ClaimError::TemplateSource {
                    path,
                    missing: parts
                        .iter()
                        .filter_map(|p| match p {
                            TemplatePart::Ref(r) if lookup(r, &values, ctx.params).is_none() => {
                                Some(r.clone())
                            }
                            _ => None,
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                },
                other => ClaimError::HashSource {
                    path,
                    hashed: other.source().map(ToString::to_string).unwrap_or_default(),
                },
            });
        }
        pending = waiting;
    }
    for field in schema.fields.iter().filter(|f| f.required) {
        if values.iter().any(|(p, v)| p == &field.path && v.is_none()) {
            return Err(ClaimError::MissingRequired {
                path: field.path.to_string(),
                description: field.description.clone(),
            });
        }
    }
    let mut payload = Map::new();
    let mut placed: Vec<&ClaimPath> = Vec::new();
    for (path, value) in &values {
        let Some(value) = value else { continue };
        if let Some(other) = placed.iter().find(|p| p.is_prefix_of(path) || path.is_prefix_of(p)) {
            let (short, long) = if other.is_prefix_of(path) { (*other, path) } else { (path, *other) };
            return Err(ClaimError::Collision { path: short.to_string(), other: long.to_string() });
        }
        insert_path(&mut payload, path, value.clone());
        placed.push(path);
    }
    Ok(payload)
}

/// A `{name}` reference: a parameter, else a claim that has a value.
fn lookup(name: &str, values: &[(ClaimPath, Option<Value>)], params: &[(String, String)]) -> Option<String> {
    if let Some((_, v)) = params.iter().find(|(n, _)| n == name) {
        return Some(v.clone());
    }
    let path: ClaimPath = name.parse().ok()?;
    values.iter().find(|(p, _)| *p == path).and_then(|(_, v)| v.as_ref()).map(as_text)
}

/// A hash or template default, once what it reads has a value.
fn derive(
    expr: &ValueExpr,
    values: &[(ClaimPath, Option<Value>)],
    params: &[(String, String)],
) -> Option<Value> {
    match expr {
        ValueExpr::Template(parts) => {
            let mut out = String::new();
            for part in parts {
                match part {
                    TemplatePart::Text(t) => out.push_str(t),
                    TemplatePart::Ref(r) => out.push_str(&lookup(r, values, params)?),
                }
            }
            Some(Value::String(out))
        }
        other => {
            let source = other.source()?;
            let value = values.iter().find(|(p, _)| p == source).and_then(|(_, v)| v.as_ref())?;
            hash_hex(other, value).map(Value::String)
        }
    }
}

fn typed_value(path: &ClaimPath, ty: ClaimType, input: &ClaimInput, now: i64) -> Result<Value, ClaimError> {
    match input {
        ClaimInput::Json(v) => Ok(v.clone()),
        ClaimInput::Text(text) => ty.convert(text, now).map_err(|reason| ClaimError::BadValue {
            path: path.to_string(),
            ty,
            value: text.clone(),
            reason,
        }),
    }
}

/// Inserts a value at a dotted path, creating objects on the way. Callers check collisions.
pub fn insert_path(map: &mut Map<String, Value>, path: &ClaimPath, value: Value) {
    let Some((last, parents)) = path.keys().split_last() else { return };
    let mut current = map;
    for key in parents {
        let entry = current.entry(key.clone()).or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(next) = entry else { return };
        current = next;
    }
    current.insert(last.clone(), value);
}

#[cfg(test)]
mod tests {
    /// Issue 19 (9): this pattern took over 20 s on a 33-character claim (backtracking);
    /// the memo makes it parts x characters, and the step budget bounds what placeholders
    /// keep from the memo.
    #[test]
    fn hostile_patterns_end_at_once() {
        let a33 = "a".repeat(33);
        assert!(!match_pattern("*a*a*a*a*a*a*a*a*a*a*b", &a33, &mut Vec::new()));
        assert!(match_pattern("*a*a*a*a*a*a*a*a*a*a*b", &format!("{a33}b"), &mut Vec::new()));
        let long = "a".repeat(MAX_PATTERN_TEXT);
        assert!(!match_pattern("{a}{b}{c}{d}{e}{f}{g}*a*a*a*a*a*b", &long, &mut Vec::new()));
        let mut bound = Vec::new();
        assert!(match_pattern("https://x/projects/{id}/*", "https://x/projects/p1/users", &mut bound));
        assert_eq!(bound, vec![("id".to_string(), "p1".to_string())]);
    }

    use super::*;

    fn field(path: &str, ty: ClaimType, required: bool, default: Option<&str>) -> ClaimField {
        ClaimField {
            path: path.parse().expect("path"),
            ty,
            required,
            description: String::new(),
            default: default.map(|d| ValueExpr::parse_or_literal(d).expect("expr")),
            source: None,
            user: None,
            pattern: None,
            charset: None,
            max_length: None,
        }
    }

    fn build(fields: &[ClaimField], allow_extra: bool, args: &[&str]) -> Result<String, ClaimError> {
        let assignments: Vec<ClaimAssignment> = args.iter().map(|a| a.parse()).collect::<Result<_, _>>()?;
        let mut uuid = || "00000000-0000-4000-8000-000000000000".to_string();
        let params = [("project_id".to_string(), "p1".to_string())];
        let mut ctx = BuildContext { now: 1_700_000_000, uuid: &mut uuid, params: &params };
        let schema = ClaimSchema { profile: "test", fields, allow_extra };
        build_payload(&schema, &assignments, &mut ctx).map(|m| Value::Object(m).to_string())
    }

    #[test]
    fn dotted_paths_nest_and_defaults_evaluate_in_order() {
        let fields = [
            field("exp", ClaimType::UnixTime, true, Some("now+5m")),
            field("account.first_name", ClaimType::String, true, Some("john")),
            field("account.email", ClaimType::Email, true, Some("john@example.com")),
            field("account.uid", ClaimType::String, true, Some("md5(account.email)")),
            field("jti", ClaimType::String, false, Some("uuid")),
            field("nickname", ClaimType::String, false, None),
        ];
        assert_eq!(
            build(&fields, false, &[]),
            Ok(format!(
                r#"{{"exp":1700000300,"account":{{"first_name":"john","email":"john@example.com","uid":"{}"}},"jti":"00000000-0000-4000-8000-000000000000"}}"#,
                hex::encode(md5::Md5::digest(b"john@example.com"))
            ))
        );
        // md5 of "ada@example.com" follows the given email
        let out = build(&fields, false, &["account.email=ada@example.com"]).expect("builds");
        assert!(out.contains(&hex::encode(md5::Md5::digest(b"ada@example.com"))));
    }

    #[test]
    fn text_is_converted_to_the_declared_type_and_raw_json_kept() {
        let fields = [
            field("isLoggedIn", ClaimType::Boolean, true, Some("true")),
            field("age", ClaimType::Integer, false, None),
            field("iat", ClaimType::UnixTime, false, None),
        ];
        assert_eq!(
            build(
                &fields,
                true,
                &["isLoggedIn=false", "age=42", "iat=now-30s", "User ID:=124", "Telephone=0123"]
            ),
            Ok(r#"{"isLoggedIn":false,"age":42,"iat":1699999970,"User ID":124,"Telephone":"0123"}"#
                .to_string())
        );
        assert_eq!(
            build(&fields, true, &["isLoggedIn:=\"true\""]),
            Ok(r#"{"isLoggedIn":"true"}"#.to_string())
        );
        assert_eq!(
            build(&fields, false, &["iat=2023-11-14T22:13:20Z"]),
            Ok(r#"{"isLoggedIn":true,"iat":1700000000}"#.to_string())
        );
    }

    #[test]
    fn bad_input_names_the_claim_and_the_fix() {
        let fields =
            [field("email", ClaimType::Email, true, None), field("n", ClaimType::Integer, false, None)];
        assert!(matches!(build(&fields, false, &["email"]), Err(ClaimError::NoEquals { .. })));
        assert!(
            matches!(build(&fields, false, &[]), Err(ClaimError::MissingRequired { path, .. }) if path == "email")
        );
        let err = build(&fields, false, &["email=nope"]).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "claim 'email' is email: 'nope' is not an email address (name@example.com) (use email:=JSON to set any raw value)"
            )
        );
        assert!(matches!(build(&fields, false, &["email=a@b.co", "n=x"]), Err(ClaimError::BadValue { .. })));
        assert!(matches!(
            build(&fields, false, &["email=a@b.co", "zzz=1"]),
            Err(ClaimError::UnknownClaim { .. })
        ));
        assert!(matches!(
            build(&fields, false, &["email=a@b.co", "n:={oops"]),
            Err(ClaimError::BadJson { .. })
        ));
        assert!(matches!(
            build(&fields, true, &["email=a@b.co", "a=1", "a.b=2"]),
            Err(ClaimError::Collision { .. })
        ));
        assert!(matches!(
            build(&fields, true, &["email=a@b.co", "a.b=2", "a=1"]),
            Err(ClaimError::Collision { .. })
        ));
        assert!(matches!(
            build(&fields, true, &["email=a@b.co", "email=c@d.co"]),
            Err(ClaimError::Duplicate { .. })
        ));
        assert!(matches!(build(&fields, true, &["a..b=1"]), Err(ClaimError::BadPath { .. })));
        // registered claims are always allowed, and typed
        assert_eq!(
            build(&fields, false, &["email=a@b.co", "exp=now+1m"]),
            Ok(r#"{"email":"a@b.co","exp":1700000060}"#.to_string())
        );
    }

    #[test]
    fn templates_read_parameters_first_then_claims() {
        let fields = [
            field("_id", ClaimType::String, true, Some("{project_id}_{external_id}")),
            field("aud", ClaimType::String, true, Some("https://tiledesk.com/projects/{project_id}")),
            field("external_id", ClaimType::String, true, Some("u-1")),
        ];
        assert_eq!(
            build(&fields, false, &["external_id=42"]),
            Ok(r#"{"_id":"p1_42","aud":"https://tiledesk.com/projects/p1","external_id":"42"}"#.to_string())
        );
        let orphan = [field("x", ClaimType::String, true, Some("{nope}"))];
        assert!(
            matches!(build(&orphan, false, &[]), Err(ClaimError::TemplateSource { missing, .. }) if missing == "nope")
        );
        assert_eq!(ValueExpr::parse_or_literal("a{b}c").map(|e| e.to_string()), Ok("a{b}c".to_string()));
        // braces that are not a reference stay literal
        assert!(matches!(ValueExpr::parse_or_literal("{ not a ref }"), Ok(ValueExpr::Literal(_))));
    }

    #[test]
    fn patterns_bind_parameters_across_claims() {
        let mut bound = Vec::new();
        assert!(match_pattern(
            "https://tiledesk.com/projects/{project_id}",
            "https://tiledesk.com/projects/p_1",
            &mut bound
        ));
        assert_eq!(bound, vec![("project_id".to_string(), "p_1".to_string())]);
        assert!(match_pattern("{project_id}_*", "p_1_user", &mut bound));
        assert!(!match_pattern("{project_id}_*", "other_user", &mut bound));
        let mut fresh = Vec::new();
        assert!(match_pattern("{project_id}_*", "abc_def_ghi", &mut fresh));
        assert_eq!(fresh[0].1, "abc_def");
        assert!(!match_pattern("userexternal", "user", &mut fresh));
        assert!(match_pattern("userexternal", "userexternal", &mut fresh));
        assert!(!match_pattern("*", &"x".repeat(MAX_PATTERN_TEXT + 1), &mut fresh));
        // a parameter stays within one path segment; `*` may be empty
        let aud = "http*://*/projects/{project_id}*";
        for (text, id) in [
            ("https://tiledesk.com/projects/65f0", "65f0"),
            ("https://tiledesk.com/projects/65f0/", "65f0"),
            ("https://api.tiledesk.example/projects/65f0", "65f0"),
        ] {
            let mut bound = Vec::new();
            assert!(match_pattern(aud, text, &mut bound), "{text}");
            assert_eq!(bound, vec![("project_id".to_string(), id.to_string())], "{text}");
        }
        assert!(!match_pattern(aud, "https://tiledesk.com/bots/65f0", &mut Vec::new()));
        assert_eq!(Charset::Alphanumeric.outside("user-123_ab"), Vec::<char>::new());
        assert_eq!(Charset::Alphanumeric.outside("a b@c.d é"), vec![' ', '@', '.', 'é']);
    }

    #[test]
    fn type_checks_describe_what_was_found() {
        assert_eq!(
            ClaimType::Boolean.check(&Value::String("true".into())),
            Err("should be a boolean (true/false, not a string), found the string \"true\"".into())
        );
        assert!(ClaimType::UnixTime.check(&Value::from(1.5)).is_err());
        assert!(ClaimType::Email.check(&Value::from("a@b.co")).is_ok());
        assert!(!is_email("a@b"));
        assert!(!is_email("a b@c.de"));
    }

    #[test]
    fn expressions_parse_and_print_back() {
        for text in ["now", "now+5m", "now-30s", "uuid", "md5(account.email)", "sha256(email)"] {
            let expr = ValueExpr::parse_or_literal(text).expect("parses");
            assert_eq!(expr.to_string(), text);
            assert!(!matches!(expr, ValueExpr::Literal(_)), "{text}");
        }
        assert_eq!(ValueExpr::parse_or_literal("nowhere"), Ok(ValueExpr::Literal(Value::from("nowhere"))));
        assert!(ValueExpr::parse_or_literal("now+soon").is_err());
    }
}
