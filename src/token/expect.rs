//! What `verify` can be told to expect of the claims: `--iss`, `--aud` (any of several),
//! `--sub` and `--require CLAIM`. Each mismatch names what was expected and what came.

use serde::Serialize;
use serde_json::{Map, Value};

/// The claims a verifier expects; empty expects nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Expectations {
    /// `iss` must equal this.
    pub iss: Option<String>,
    /// `aud` (a string, or any member of an array, as RFC 7519 §4.1.3 reads it) must be one of these.
    pub aud: Vec<String>,
    /// `sub` must equal this.
    pub sub: Option<String>,
    /// These claims must be present (dotted paths nest).
    pub require: Vec<String>,
}

/// A claim that is not what was expected.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mismatch {
    /// `iss`, `aud`, `sub`, or a required claim's path.
    pub claim: String,
    /// What was expected, in words (`"https://a.example"`, `one of "x", "y"`, `present`).
    pub expected: String,
    /// What the token has (None: the claim is missing).
    pub found: Option<Value>,
}

impl Mismatch {
    /// In words: `aud is "z", expected one of "x", "y"`; `email is missing, expected present`.
    pub fn words(&self) -> String {
        match &self.found {
            Some(found) => format!("{} is {found}, expected {}", self.claim, self.expected),
            None => format!("{} is missing, expected {}", self.claim, self.expected),
        }
    }
}

impl Expectations {
    /// The mismatches of a payload, in the order iss, aud, sub, then the required claims.
    pub fn check(&self, payload: &Map<String, Value>) -> Vec<Mismatch> {
        let mut out = Vec::new();
        let quoted = |s: &str| Value::from(s).to_string();
        for (claim, want) in [("iss", &self.iss), ("sub", &self.sub)] {
            if let Some(want) = want
                && payload.get(claim).and_then(Value::as_str) != Some(want.as_str())
            {
                out.push(Mismatch {
                    claim: claim.into(),
                    expected: quoted(want),
                    found: payload.get(claim).cloned(),
                });
            }
        }
        if !self.aud.is_empty() {
            let found = payload.get("aud");
            let has = |v: &Value| v.as_str().is_some_and(|a| self.aud.iter().any(|w| w == a));
            let ok = match found {
                Some(Value::Array(items)) => items.iter().any(has),
                Some(v) => has(v),
                None => false,
            };
            if !ok {
                let want: Vec<String> = self.aud.iter().map(|a| quoted(a)).collect();
                let expected =
                    if want.len() == 1 { want.join("") } else { format!("one of {}", want.join(", ")) };
                out.push(Mismatch { claim: "aud".into(), expected, found: found.cloned() });
            }
        }
        // iss before aud before sub, as a reader expects them.
        out.sort_by_key(|m| ["iss", "aud", "sub"].iter().position(|c| *c == m.claim).unwrap_or(3));
        for path in &self.require {
            if lookup(payload, path).is_none() {
                out.push(Mismatch { claim: path.clone(), expected: "present".into(), found: None });
            }
        }
        out
    }
}

/// `iss=`, `aud=`, `sub=` or `require=` given a name it does not know, or no value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExpectError {
    /// A word that is not `NAME=VALUE`, or a name not among the four.
    #[error(
        "'{0}' is not an expectation: write iss=VALUE, aud=VALUE (repeat or a,b for any of several), sub=VALUE or require=CLAIM, separated by spaces"
    )]
    Unknown(String),
    /// `NAME=` with nothing after it.
    #[error("{0}= needs a value (leave the name out to expect nothing of it)")]
    Empty(String),
}

impl Expectations {
    /// Whether nothing is expected.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The workbench's one-line form, `iss=https://a.example aud=x,y sub=u1 require=email`: the
/// same four expectations the CLI takes as `--iss`, `--aud`, `--sub` and `--require`.
impl std::str::FromStr for Expectations {
    type Err = ExpectError;

    fn from_str(text: &str) -> Result<Self, ExpectError> {
        let mut out = Expectations::default();
        for word in text.split_whitespace() {
            let (name, value) = word.split_once('=').ok_or_else(|| ExpectError::Unknown(word.into()))?;
            if value.is_empty() {
                return Err(ExpectError::Empty(name.into()));
            }
            let list = || value.split(',').filter(|v| !v.is_empty()).map(String::from);
            match name {
                "iss" => out.iss = Some(value.into()),
                "sub" => out.sub = Some(value.into()),
                "aud" => out.aud.extend(list()),
                "require" => out.require.extend(list()),
                _ => return Err(ExpectError::Unknown(word.into())),
            }
        }
        Ok(out)
    }
}

/// The one-line form again, which `str::parse` reads back.
impl std::fmt::Display for Expectations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut words = Vec::new();
        words.extend(self.iss.iter().map(|v| format!("iss={v}")));
        if !self.aud.is_empty() {
            words.push(format!("aud={}", self.aud.join(",")));
        }
        words.extend(self.sub.iter().map(|v| format!("sub={v}")));
        if !self.require.is_empty() {
            words.push(format!("require={}", self.require.join(",")));
        }
        f.write_str(&words.join(" "))
    }
}

/// The value at a dotted path.
fn lookup<'a>(payload: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut keys = path.split('.');
    let mut value = payload.get(keys.next()?)?;
    for key in keys {
        value = value.as_object()?.get(key)?;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn payload(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn each_mismatch_names_what_was_expected_and_what_came() {
        let expect = Expectations {
            iss: Some("https://a.example".into()),
            aud: vec!["x".into(), "y".into()],
            sub: Some("u1".into()),
            require: vec!["email".into(), "account.uid".into()],
        };
        let good = payload(
            json!({"iss": "https://a.example", "aud": ["z", "y"], "sub": "u1", "email": "e", "account": {"uid": 1}}),
        );
        assert_eq!(expect.check(&good), Vec::new());
        let bad = payload(json!({"iss": "https://b.example", "aud": "z", "account": {}}));
        let found: Vec<(String, String, Option<Value>)> =
            expect.check(&bad).into_iter().map(|m| (m.claim, m.expected, m.found)).collect();
        assert_eq!(
            found,
            vec![
                ("iss".into(), "\"https://a.example\"".into(), Some(json!("https://b.example"))),
                ("aud".into(), "one of \"x\", \"y\"".into(), Some(json!("z"))),
                ("sub".into(), "\"u1\"".into(), None),
                ("email".into(), "present".into(), None),
                ("account.uid".into(), "present".into(), None),
            ]
        );
        assert!(Expectations::default().check(&bad).is_empty());
    }

    #[test]
    fn the_one_line_form_reads_back_what_it_writes() {
        let expect: Expectations =
            "iss=https://a.example aud=x,y sub=u1 require=email require=account.uid".parse().expect("parses");
        assert_eq!(expect.aud, vec!["x", "y"]);
        assert_eq!(expect.require, vec!["email", "account.uid"]);
        assert_eq!(expect.to_string(), "iss=https://a.example aud=x,y sub=u1 require=email,account.uid");
        assert_eq!(expect.to_string().parse::<Expectations>(), Ok(expect));
        assert_eq!("".parse::<Expectations>(), Ok(Expectations::default()));
        assert_eq!("issuer=x".parse::<Expectations>(), Err(ExpectError::Unknown("issuer=x".into())));
        assert_eq!("email".parse::<Expectations>(), Err(ExpectError::Unknown("email".into())));
        assert_eq!("aud=".parse::<Expectations>(), Err(ExpectError::Empty("aud".into())));
    }
}
