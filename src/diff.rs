//! Two tokens compared claim by claim: "this one fails and that one worked, what differs?".
//!
//! One function for both faces: `tokensmith diff A B` and the workbench's doctor. Header and
//! payload are walked into dotted paths (arrays are values); a path only in one token is added
//! or removed, one in both with another value is changed (or changed type), and a value that
//! left one path for another with the same last name (`email` to `account.email`) moved. Times
//! are put in words with each token's lifetime, and with a profile each token's broken rules
//! are listed where the other does not break them.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::profile::Profile;
use crate::rules::{Finding, check_rules};
use crate::time::{human_duration, utc};
use crate::time_rules::{Times, gap, is_expired};

/// One difference at one path (`exp`, `account.email`, `header.kid`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum Change {
    /// Only in the second token.
    Added { path: String, value: Value },
    /// Only in the first token.
    Removed { path: String, value: Value },
    /// In both, with another value of the same JSON type.
    Changed { path: String, from: Value, to: Value },
    /// In both, as another JSON type (`123` and `"123"`).
    ChangedType { path: String, from: Value, to: Value },
    /// The same value under another path with the same last name (nesting changed).
    Moved { from: String, to: String, value: Value },
}

impl Change {
    /// The change in words, one line, for both faces: `~ exp: 1767225900 → 1767229200`.
    pub fn words(&self) -> String {
        let v = |value: &Value| value.to_string();
        match self {
            Change::Added { path, value } => format!("+ {path}: {} (only in the second)", v(value)),
            Change::Removed { path, value } => format!("- {path}: {} (only in the first)", v(value)),
            Change::Changed { path, from, to } => format!("~ {path}: {} → {}", v(from), v(to)),
            Change::ChangedType { path, from, to } => {
                format!("≠ {path}: {} {} → {} {}", kind(from), v(from), kind(to), v(to))
            }
            Change::Moved { from, to, value } => format!("↪ {from} moved to {to}: {}", v(value)),
        }
    }

    /// The path it is about (for a move, where the value went).
    pub fn path(&self) -> &str {
        match self {
            Change::Added { path, .. }
            | Change::Removed { path, .. }
            | Change::Changed { path, .. }
            | Change::ChangedType { path, .. } => path,
            Change::Moved { to, .. } => to,
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

impl TimeSummary {
    /// The times in one line: `iat ..., exp ..., lives 5m, expires in 2m`.
    pub fn words(&self) -> String {
        let parts: Vec<String> = [("iat", &self.iat), ("nbf", &self.nbf), ("exp", &self.exp)]
            .into_iter()
            .filter_map(|(n, v)| v.as_ref().map(|v| format!("{n} {v}")))
            .chain(self.lifetime.as_ref().map(|l| format!("lives {l}")))
            .chain(self.state.clone())
            .collect();
        if parts.is_empty() { "no times".to_string() } else { parts.join(", ") }
    }
}

/// A token's times in words: `iat`, `nbf`, `exp` as dates, and `exp - iat`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TimeSummary {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nbf: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<String>,
    /// `exp - iat` in words ("5m"), when both are readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifetime: Option<String>,
    /// "expired 3m ago" or "expires in 2m", as of the comparison's time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// Each token's broken rules that the other does not break, under one profile.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RuleDiff {
    pub profile: String,
    pub only_first: Vec<Finding>,
    pub only_second: Vec<Finding>,
}

/// What differs between two tokens.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TokenDiff {
    pub header: Vec<Change>,
    pub payload: Vec<Change>,
    pub times: [TimeSummary; 2],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<RuleDiff>,
}

impl TokenDiff {
    /// Whether the two carry the same header and claims (signatures aside).
    pub fn same(&self) -> bool {
        self.header.is_empty() && self.payload.is_empty()
    }
}

/// Compares two decoded tokens (header and payload) as of `at`; with a profile, also which of
/// its rules each breaks that the other does not.
pub fn diff(
    first: (&Map<String, Value>, &Map<String, Value>),
    second: (&Map<String, Value>, &Map<String, Value>),
    profile: Option<&Profile>,
    at: i64,
) -> TokenDiff {
    TokenDiff {
        header: changes(first.0, second.0),
        payload: changes(first.1, second.1),
        times: [times(first.1, at), times(second.1, at)],
        rules: profile.map(|p| rule_diff(first, second, p, at)),
    }
}

/// The leaves of an object as (dotted path, value); arrays and empty objects are leaves.
fn leaves(map: &Map<String, Value>) -> Vec<(String, Value)> {
    fn walk(prefix: &str, map: &Map<String, Value>, out: &mut Vec<(String, Value)>) {
        for (key, value) in map {
            let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
            match value {
                Value::Object(inner) if !inner.is_empty() => walk(&path, inner, out),
                other => out.push((path, other.clone())),
            }
        }
    }
    let mut out = Vec::new();
    walk("", map, &mut out);
    out
}

fn last_name(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

fn same_type(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Path by path, in the first token's order, then what only the second has.
fn changes(first: &Map<String, Value>, second: &Map<String, Value>) -> Vec<Change> {
    let (a, b) = (leaves(first), leaves(second));
    let find =
        |list: &[(String, Value)], path: &str| list.iter().find(|(p, _)| p == path).map(|(_, v)| v.clone());
    let mut removed = Vec::new();
    let mut out = Vec::new();
    for (path, from) in &a {
        match find(&b, path) {
            None => removed.push((path.clone(), from.clone())),
            Some(to) if &to == from => {}
            Some(to) if same_type(from, &to) => {
                out.push(Change::Changed { path: path.clone(), from: from.clone(), to })
            }
            Some(to) => out.push(Change::ChangedType { path: path.clone(), from: from.clone(), to }),
        }
    }
    let mut added: Vec<(String, Value)> = b.into_iter().filter(|(p, _)| find(&a, p).is_none()).collect();
    for (path, value) in removed {
        let moved = added.iter().position(|(to, v)| *v == value && last_name(to) == last_name(&path));
        match moved {
            Some(i) => {
                let (to, value) = added.remove(i);
                out.push(Change::Moved { from: path, to, value });
            }
            None => out.push(Change::Removed { path, value }),
        }
    }
    out.extend(added.into_iter().map(|(path, value)| Change::Added { path, value }));
    out
}

fn times(payload: &Map<String, Value>, at: i64) -> TimeSummary {
    let t = Times::read(payload);
    let date = |secs: Option<i64>| secs.and_then(utc);
    let (iat, exp) = (t.iat_secs(), t.exp_secs());
    TimeSummary {
        iat: date(iat),
        nbf: date(t.nbf_secs()),
        exp: date(exp),
        lifetime: iat.zip(exp).filter(|(i, e)| e > i).map(|(i, e)| human_duration(gap(e, i))),
        // Expired at exactly exp, as the time-rule engine (and RFC 7519) reads it.
        state: exp.map(|e| {
            if is_expired(e, at, 0) {
                format!("expired {} ago", human_duration(gap(at, e)))
            } else {
                format!("expires in {}", human_duration(gap(e, at)))
            }
        }),
    }
}

fn rule_diff(
    first: (&Map<String, Value>, &Map<String, Value>),
    second: (&Map<String, Value>, &Map<String, Value>),
    profile: &Profile,
    at: i64,
) -> RuleDiff {
    let (a, b) =
        (check_rules(first.0, first.1, profile, &[], at), check_rules(second.0, second.1, profile, &[], at));
    let key = |f: &Finding| (f.code, f.subject.clone());
    let only = |these: &[Finding], others: &[Finding]| -> Vec<Finding> {
        these.iter().filter(|f| !others.iter().any(|o| key(o) == key(f))).cloned().collect()
    };
    RuleDiff { profile: profile.id.clone(), only_first: only(&a, &b), only_second: only(&b, &a) }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn each_kind_of_change_is_named_once() {
        let header = map(json!({"alg": "HS256", "typ": "JWT"}));
        let a = map(json!({"sub": "u1", "email": "a@b.co", "n": 1, "id": 123, "gone": true}));
        let b = map(json!({"sub": "u2", "account": {"email": "a@b.co"}, "n": 1, "id": "123", "new": [1]}));
        let d = diff((&header, &a), (&header, &b), None, 0);
        assert!(d.header.is_empty());
        assert_eq!(
            d.payload,
            vec![
                Change::Changed { path: "sub".into(), from: json!("u1"), to: json!("u2") },
                Change::ChangedType { path: "id".into(), from: json!(123), to: json!("123") },
                Change::Moved { from: "email".into(), to: "account.email".into(), value: json!("a@b.co") },
                Change::Removed { path: "gone".into(), value: json!(true) },
                Change::Added { path: "new".into(), value: json!([1]) },
            ]
        );
        assert!(!d.same());
        assert!(diff((&header, &a), (&header, &a), None, 0).same());
    }

    #[test]
    fn times_are_in_words_with_each_lifetime() {
        let h = Map::new();
        let a = map(json!({"iat": 1_767_225_600, "exp": 1_767_225_900}));
        let b = map(json!({"iat": 1_767_225_600, "exp": 1_767_229_200}));
        let d = diff((&h, &a), (&h, &b), None, 1_767_226_000);
        assert_eq!(d.times[0].lifetime.as_deref(), Some("5m"));
        assert_eq!(d.times[1].lifetime.as_deref(), Some("1h"));
        assert_eq!(d.times[0].state.as_deref(), Some("expired 1m 40s ago"));
        assert!(d.times[1].state.as_deref().is_some_and(|s| s.starts_with("expires in")));
    }
}
