//! The one time-rule engine. It reads `exp`, `iat` and `nbf` from a payload, says whether a
//! token is valid at a given time, and checks a profile's time rules. `verify`, the doctor,
//! `sign`'s rule check, the CLI's words and the workbench countdown all ask it, so "expired at
//! exactly `exp`?" has one answer (yes: RFC 7519 §4.1.4 wants the current time *before* `exp`).
//! Arithmetic is checked throughout: no value a stranger pastes can wrap a time.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::sourced::Sourced;
use crate::time::Secs;

/// A value above this is almost certainly milliseconds (JavaScript's `Date.now()`): 1e11
/// seconds is the year 5138.
pub const MILLIS_THRESHOLD: i64 = 100_000_000_000;

/// The largest value read as milliseconds (1e14 ms is the year 5138 again); above it, or below
/// minus the seconds threshold, a time is out of range.
const MILLIS_MAX: i64 = MILLIS_THRESHOLD.saturating_mul(1000);

/// The id of the standard's rules (RFC 7519): always enforced.
pub const STANDARD: &str = "rfc7519";
/// The id of tokensmith's own advice: never an error.
pub const OURS: &str = "ours";

/// Time rules. Each names its source; the time-rule engine (`crate::time_rules`) applies them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeRules {
    /// The vendor refuses a token without `exp`.
    #[serde(default)]
    pub exp_required: Sourced<bool>,
    /// The vendor refuses a token without `iat`.
    #[serde(default)]
    pub iat_required: Sourced<bool>,
    /// Largest `exp - iat` the vendor accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_lifetime: Option<Sourced<Secs>>,
    /// The lifetime the vendor (or, with source `ours`, tokensmith) recommends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommended_lifetime: Option<Sourced<Secs>>,
    /// How far in the future `iat` may be (clock skew).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat_skew: Option<Sourced<Secs>>,
    /// How long after `iat` the vendor still accepts the token, whatever `exp` says (Kustomer:
    /// 15 minutes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<Sourced<Secs>>,
    /// `exp`, `iat` and `nbf` must be whole seconds (RFC 7519 allows fractions).
    #[serde(default)]
    pub integer: Sourced<bool>,
    /// The vendor keeps the token as the widget's session (Tiledesk): `exp` signs the visitor
    /// out, so the lifetime is a session length, not only a window to use the token in.
    #[serde(default, skip_serializing_if = "Sourced::is_false")]
    pub exp_ends_session: Sourced<bool>,
}

impl TimeRules {
    /// The lifetime a new token gets when nothing says otherwise: the recommended one, else the
    /// maximum, else five minutes.
    pub fn default_lifetime(&self) -> u64 {
        self.recommended_lifetime.as_ref().or(self.max_lifetime.as_ref()).map_or(300, |r| r.value.0)
    }
}

/// How a time claim's value reads.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Reading {
    /// Whole seconds since 1970.
    Seconds {
        /// The value.
        secs: i64,
    },
    /// A number with a fraction; `secs` is its floor.
    Fraction {
        /// The floor.
        secs: i64,
        /// The value as sent.
        raw: f64,
    },
    /// A whole number too large for seconds that reads as milliseconds.
    Milliseconds {
        /// The value as sent.
        millis: i64,
    },
    /// A number outside any sensible date (`1e30`, `-9e18`).
    OutOfRange {
        /// The value as sent.
        raw: String,
    },
    /// Not a number at all (`"1700000000"`, `null`).
    NotNumeric {
        /// The value as sent.
        raw: Value,
    },
}

impl Reading {
    /// Reads a JSON value.
    pub fn of(value: &Value) -> Reading {
        let Value::Number(n) = value else { return Reading::NotNumeric { raw: value.clone() } };
        let out_of_range = || Reading::OutOfRange { raw: n.to_string() };
        let (secs, fraction) = if let Some(whole) = n.as_i64() {
            (whole, None)
        } else if n.is_u64() {
            return out_of_range();
        } else {
            match n.as_f64().filter(|f| f.is_finite() && f.abs() < 9.0e18) {
                // Within ±9e18 the cast is exact to the second; beyond, the value is out of range.
                Some(f) if f.fract() == 0.0 => (f as i64, None),
                Some(f) => (f.floor() as i64, Some(f)),
                None => return out_of_range(),
            }
        };
        if secs.unsigned_abs() <= MILLIS_THRESHOLD.unsigned_abs() {
            return match fraction {
                Some(raw) => Reading::Fraction { secs, raw },
                None => Reading::Seconds { secs },
            };
        }
        if fraction.is_none() && secs > MILLIS_THRESHOLD && secs <= MILLIS_MAX {
            return Reading::Milliseconds { millis: secs };
        }
        out_of_range()
    }

    /// The value in seconds, when it is one (whole or fractional, floored).
    pub fn seconds(&self) -> Option<i64> {
        match self {
            Reading::Seconds { secs } | Reading::Fraction { secs, .. } => Some(*secs),
            _ => None,
        }
    }
}

/// One time claim in a payload.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimeClaim {
    /// `exp`, `iat` or `nbf`.
    pub name: &'static str,
    /// How its value reads.
    pub reading: Reading,
}

/// The time claims of a payload.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Times {
    /// `exp`, when present.
    pub exp: Option<TimeClaim>,
    /// `iat`, when present.
    pub iat: Option<TimeClaim>,
    /// `nbf`, when present.
    pub nbf: Option<TimeClaim>,
}

impl Times {
    /// Reads `exp`, `iat` and `nbf`.
    pub fn read(payload: &Map<String, Value>) -> Times {
        let claim = |name: &'static str| {
            payload.get(name).map(|value| TimeClaim { name, reading: Reading::of(value) })
        };
        Times { exp: claim("exp"), iat: claim("iat"), nbf: claim("nbf") }
    }

    /// The present claims, in the order iat, nbf, exp.
    pub fn present(&self) -> impl Iterator<Item = &TimeClaim> {
        [&self.iat, &self.nbf, &self.exp].into_iter().flatten()
    }

    /// `exp` in seconds, when readable.
    pub fn exp_secs(&self) -> Option<i64> {
        self.exp.as_ref().and_then(|c| c.reading.seconds())
    }

    /// `iat` in seconds, when readable.
    pub fn iat_secs(&self) -> Option<i64> {
        self.iat.as_ref().and_then(|c| c.reading.seconds())
    }

    /// `nbf` in seconds, when readable.
    pub fn nbf_secs(&self) -> Option<i64> {
        self.nbf.as_ref().and_then(|c| c.reading.seconds())
    }
}

pub use crate::time::gap;

fn leeway_i64(leeway: u64) -> i64 {
    i64::try_from(leeway).unwrap_or(i64::MAX)
}

/// Whether a token with this `exp` is expired at `now`: RFC 7519 wants `now` before `exp`
/// (plus leeway), so at exactly `exp` it is expired.
pub fn is_expired(exp: i64, now: i64, leeway: u64) -> bool {
    now >= exp.saturating_add(leeway_i64(leeway))
}

/// Whether a token with this `nbf` is not yet valid at `now`: valid from `nbf` on (minus leeway).
pub fn is_not_yet_valid(nbf: i64, now: i64, leeway: u64) -> bool {
    now.saturating_add(leeway_i64(leeway)) < nbf
}

/// Where a token stands at a time, for countdowns and `verify`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Validity {
    /// Valid now; `expires_in` seconds left when it has a readable `exp`.
    Valid {
        /// Seconds until `exp` (none without one).
        expires_in: Option<u64>,
    },
    /// `exp` has passed.
    Expired {
        /// Seconds since `exp`.
        ago: u64,
    },
    /// `nbf` is still ahead.
    NotYetValid {
        /// Seconds until `nbf`.
        wait: u64,
    },
}

/// Where a token stands at `now` with this leeway.
pub fn validity(times: &Times, now: i64, leeway: u64) -> Validity {
    if let Some(exp) = times.exp_secs()
        && is_expired(exp, now, leeway)
    {
        return Validity::Expired { ago: gap(now, exp) };
    }
    if let Some(nbf) = times.nbf_secs()
        && is_not_yet_valid(nbf, now, leeway)
    {
        return Validity::NotYetValid { wait: gap(nbf, now) };
    }
    Validity::Valid { expires_in: times.exp_secs().map(|exp| gap(exp, now)) }
}

/// What is wrong with a token's times.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum TimeIssue {
    /// Not a number.
    NotNumeric {
        /// The claim.
        claim: &'static str,
        /// Its value.
        raw: Value,
    },
    /// A number outside any date.
    OutOfRange {
        /// The claim.
        claim: &'static str,
        /// Its value.
        raw: String,
    },
    /// Milliseconds where seconds belong.
    Milliseconds {
        /// The claim.
        claim: &'static str,
        /// Its value.
        millis: i64,
    },
    /// A fraction where the vendor wants whole seconds.
    Fraction {
        /// The claim.
        claim: &'static str,
        /// Its value.
        raw: f64,
    },
    /// A claim the vendor requires is absent.
    Missing {
        /// The claim.
        claim: &'static str,
    },
    /// `exp` has passed.
    Expired {
        /// The `exp`.
        exp: i64,
        /// Seconds since.
        ago: u64,
    },
    /// `exp` is a number before any date (`-1e18`): expired, as every verifier reads it.
    ExpiredBeforeAnyDate {
        /// The value as sent.
        raw: String,
    },
    /// `nbf` is ahead.
    NotYetValid {
        /// The `nbf`.
        nbf: i64,
        /// Seconds until.
        wait: u64,
    },
    /// `iat` is in the future beyond the allowed skew (or at all, when none is allowed).
    IatFuture {
        /// The `iat`.
        iat: i64,
        /// Seconds ahead.
        ahead: u64,
        /// The skew the vendor allows, if it states one.
        skew: Option<u64>,
    },
    /// `iat` is further in the past than the vendor accepts.
    IatTooOld {
        /// The `iat`.
        iat: i64,
        /// Seconds since.
        age: u64,
        /// The most the vendor accepts.
        max: u64,
    },
    /// `exp` is not after `iat`.
    ExpNotAfterIat {
        /// The `exp`.
        exp: i64,
        /// The `iat`.
        iat: i64,
    },
    /// `exp` is further from its start than the vendor accepts.
    LifetimeOverMax {
        /// `exp - start`.
        lifetime: u64,
        /// The maximum.
        max: u64,
        /// What it is measured from: `iat`, `nbf` or `now`.
        from: &'static str,
    },
    /// Longer than recommended.
    LifetimeOverRecommended {
        /// `exp - start`.
        lifetime: u64,
        /// The recommendation.
        recommended: u64,
        /// What it is measured from.
        from: &'static str,
    },
}

impl TimeIssue {
    /// The claim it is about.
    pub fn claim(&self) -> &'static str {
        match self {
            TimeIssue::NotNumeric { claim, .. }
            | TimeIssue::OutOfRange { claim, .. }
            | TimeIssue::Milliseconds { claim, .. }
            | TimeIssue::Fraction { claim, .. }
            | TimeIssue::Missing { claim } => claim,
            TimeIssue::Expired { .. }
            | TimeIssue::ExpiredBeforeAnyDate { .. }
            | TimeIssue::ExpNotAfterIat { .. }
            | TimeIssue::LifetimeOverMax { .. }
            | TimeIssue::LifetimeOverRecommended { .. } => "exp",
            TimeIssue::NotYetValid { .. } => "nbf",
            TimeIssue::IatFuture { .. } | TimeIssue::IatTooOld { .. } => "iat",
        }
    }
}

/// A time issue and the id of the source whose rule it breaks (a profile source id,
/// [`STANDARD`] or [`OURS`]); a `None` source means the profile's default source.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleBreak {
    /// What is wrong.
    pub issue: TimeIssue,
    /// The rule's source id.
    pub source: Option<String>,
}

fn brk(issue: TimeIssue, source: Option<&str>) -> RuleBreak {
    RuleBreak { issue, source: source.map(str::to_string) }
}

/// An `iat` ahead of the clock beyond the skew allowed, or older than the vendor's max age.
fn iat_breaks(iat: i64, rules: &TimeRules, now: i64, leeway: u64, out: &mut Vec<RuleBreak>) {
    if iat > now {
        let skew = rules.iat_skew.as_ref();
        let ahead = gap(iat, now);
        if ahead > skew.map_or(0, |s| s.value.0) {
            let source = skew.map_or(Some(OURS.to_string()), |s| s.source.clone());
            out.push(RuleBreak {
                issue: TimeIssue::IatFuture { iat, ahead, skew: skew.map(|s| s.value.0) },
                source,
            });
        }
    }
    if let Some(max) = rules.max_age.as_ref()
        && now.saturating_sub(iat) > i64::try_from(max.value.0.saturating_add(leeway)).unwrap_or(i64::MAX)
    {
        out.push(RuleBreak {
            issue: TimeIssue::IatTooOld { iat, age: gap(now, iat), max: max.value.0 },
            source: max.source.clone(),
        });
    }
}

/// Checks a payload's times against rules at `now` (leeway applies to `exp` and `nbf`).
pub fn assess(payload: &Map<String, Value>, rules: &TimeRules, now: i64, leeway: u64) -> Vec<RuleBreak> {
    let times = Times::read(payload);
    let mut out = Vec::new();
    let standard = Some(STANDARD);
    // Which rule a malformed time breaks: nbf and a non-numeric exp break every library's
    // check (the standard); a millisecond exp or iat only breaks the vendor's lifetime or skew
    // rule where it has one (a JWT library takes 1.7e12 as a date far ahead), else it is advice.
    let iat_rule = rules
        .iat_skew
        .as_ref()
        .map(|r| r.source.clone())
        .or_else(|| rules.iat_required.value.then(|| rules.iat_required.source.clone()));
    let unreadable_source = |name: &str, numeric: bool| -> Option<String> {
        match name {
            "nbf" => standard.map(str::to_string),
            "exp" if !numeric => standard.map(str::to_string),
            "exp" => rules.max_lifetime.as_ref().map_or(Some(OURS.to_string()), |r| r.source.clone()),
            _ => iat_rule.clone().unwrap_or(Some(OURS.to_string())),
        }
    };
    for claim in times.present() {
        let name = claim.name;
        match &claim.reading {
            Reading::NotNumeric { raw } => out.push(RuleBreak {
                issue: TimeIssue::NotNumeric { claim: name, raw: raw.clone() },
                source: unreadable_source(name, false),
            }),
            // Before any date is still a time that has passed: verify and every library call
            // such a token expired, so the engine does too.
            Reading::OutOfRange { raw } if name == "exp" && raw.starts_with('-') => out.push(RuleBreak {
                issue: TimeIssue::ExpiredBeforeAnyDate { raw: raw.clone() },
                source: standard.map(str::to_string),
            }),
            Reading::OutOfRange { raw } => out.push(RuleBreak {
                issue: TimeIssue::OutOfRange { claim: name, raw: raw.clone() },
                source: unreadable_source(name, true),
            }),
            Reading::Milliseconds { millis } => out.push(RuleBreak {
                issue: TimeIssue::Milliseconds { claim: name, millis: *millis },
                source: unreadable_source(name, true),
            }),
            Reading::Fraction { raw, .. } if rules.integer.value => out.push(RuleBreak {
                issue: TimeIssue::Fraction { claim: name, raw: *raw },
                source: rules.integer.source.clone(),
            }),
            Reading::Fraction { .. } | Reading::Seconds { .. } => {}
        }
    }
    for (claim, rule, present) in
        [("exp", &rules.exp_required, times.exp.is_some()), ("iat", &rules.iat_required, times.iat.is_some())]
    {
        if rule.value && !present {
            out.push(RuleBreak { issue: TimeIssue::Missing { claim }, source: rule.source.clone() });
        }
    }
    let (exp, iat, nbf) = (times.exp_secs(), times.iat_secs(), times.nbf_secs());
    if let Some(exp) = exp
        && is_expired(exp, now, leeway)
    {
        out.push(brk(TimeIssue::Expired { exp, ago: gap(now, exp) }, standard));
    }
    if let Some(nbf) = nbf
        && is_not_yet_valid(nbf, now, leeway)
    {
        out.push(brk(TimeIssue::NotYetValid { nbf, wait: gap(nbf, now) }, standard));
    }
    if let Some(iat) = iat {
        iat_breaks(iat, rules, now, leeway, &mut out);
    }
    if let (Some(exp), Some(iat)) = (exp, iat)
        && exp <= iat
    {
        out.push(brk(TimeIssue::ExpNotAfterIat { exp, iat }, Some(OURS)));
        return out;
    }
    // Without iat or nbf, the lifetime is measured from `now` (only while exp is ahead).
    let (start, from) = match (iat, nbf) {
        (Some(iat), _) => (Some(iat), "iat"),
        (None, Some(nbf)) => (Some(nbf), "nbf"),
        (None, None) => (exp.filter(|e| *e > now).map(|_| now), "now"),
    };
    if let (Some(exp), Some(start)) = (exp, start) {
        let lifetime = gap(exp, start);
        if let Some(max) = rules.max_lifetime.as_ref().filter(|m| lifetime > m.value.0) {
            out.push(RuleBreak {
                issue: TimeIssue::LifetimeOverMax { lifetime, max: max.value.0, from },
                source: max.source.clone(),
            });
        } else if let Some(rec) = rules.recommended_lifetime.as_ref().filter(|r| lifetime > r.value.0) {
            out.push(RuleBreak {
                issue: TimeIssue::LifetimeOverRecommended { lifetime, recommended: rec.value.0, from },
                source: rec.source.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::sourced::Sourced;
    use crate::time::Secs;

    fn payload(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn readings_name_what_a_number_is() {
        assert_eq!(Reading::of(&json!(1_700_000_000)), Reading::Seconds { secs: 1_700_000_000 });
        assert_eq!(Reading::of(&json!(1.5)), Reading::Fraction { secs: 1, raw: 1.5 });
        assert_eq!(
            Reading::of(&json!(1_700_000_000_000_i64)),
            Reading::Milliseconds { millis: 1_700_000_000_000 }
        );
        assert!(matches!(Reading::of(&json!(1e30)), Reading::OutOfRange { .. }));
        assert!(matches!(Reading::of(&json!(u64::MAX)), Reading::OutOfRange { .. }));
        assert!(matches!(Reading::of(&json!(i64::MIN)), Reading::OutOfRange { .. }));
        assert!(matches!(Reading::of(&json!(i64::MAX)), Reading::OutOfRange { .. }));
        assert!(matches!(Reading::of(&json!("1700000000")), Reading::NotNumeric { .. }));
    }

    #[test]
    fn expired_at_exactly_exp_and_never_wraps() {
        assert!(is_expired(100, 100, 0));
        assert!(!is_expired(100, 99, 0));
        assert!(!is_expired(100, 100, 1));
        assert!(!is_expired(i64::MAX, i64::MAX - 1, u64::MAX));
        assert!(is_not_yet_valid(101, 100, 0));
        assert!(!is_not_yet_valid(100, 100, 0));
        let times = Times::read(&payload(json!({"exp": 100})));
        assert_eq!(validity(&times, 100, 0), Validity::Expired { ago: 0 });
        assert_eq!(validity(&times, 40, 0), Validity::Valid { expires_in: Some(60) });
        assert_eq!(gap(i64::MAX, i64::MIN), u64::MAX);
        assert_eq!(gap(i64::MIN, i64::MAX), 0);
    }

    #[test]
    fn rules_name_their_sources() {
        let rules = TimeRules {
            exp_required: Sourced { value: true, source: Some("seed".into()) },
            max_lifetime: Some(Sourced { value: Secs(600), source: Some("seed".into()) }),
            recommended_lifetime: Some(Sourced { value: Secs(300), source: Some(OURS.into()) }),
            integer: Sourced { value: true, source: Some("seed".into()) },
            ..TimeRules::default()
        };
        let breaks = assess(&payload(json!({"iat": 1000, "exp": 2000.5})), &rules, 1000, 0);
        let kinds: Vec<_> = breaks.iter().map(|b| (b.issue.clone(), b.source.clone())).collect();
        assert_eq!(
            kinds,
            vec![
                (TimeIssue::Fraction { claim: "exp", raw: 2000.5 }, Some("seed".into())),
                (TimeIssue::LifetimeOverMax { lifetime: 1000, max: 600, from: "iat" }, Some("seed".into())),
            ]
        );
        let breaks = assess(&payload(json!({"iat": 1000, "exp": 1400})), &rules, 1000, 0);
        assert_eq!(breaks[0].source.as_deref(), Some(OURS));
        let breaks = assess(&payload(json!({"iat": 1000, "exp": 900})), &rules, 1000, 0);
        assert!(breaks.iter().any(|b| matches!(b.issue, TimeIssue::ExpNotAfterIat { .. })));
        assert!(breaks.iter().any(|b| matches!(b.issue, TimeIssue::Expired { .. })));

        let breaks = assess(&payload(json!({})), &rules, 1000, 0);
        assert_eq!(breaks, vec![brk(TimeIssue::Missing { claim: "exp" }, Some("seed"))]);
        // extreme values are named, never wrapped
        let breaks = assess(&payload(json!({"iat": i64::MIN, "exp": i64::MAX})), &rules, 0, u64::MAX);
        assert!(breaks.iter().all(|b| matches!(b.issue, TimeIssue::OutOfRange { .. })), "{breaks:?}");
    }

    /// Issue 19 (13): `exp` of -1e18 or -100000000001 was "no errors" in the doctor.
    #[test]
    fn an_exp_before_any_date_is_expired() {
        let rules = TimeRules::default();
        for exp in [json!(-1e18), json!(-100_000_000_001i64), json!(i64::MIN)] {
            let payload = payload(json!({ "exp": exp }));
            let breaks = assess(&payload, &rules, 1_767_225_600, 0);
            assert!(
                breaks.iter().any(|b| matches!(b.issue, TimeIssue::ExpiredBeforeAnyDate { .. })),
                "{exp}: {breaks:?}"
            );
        }
    }

    /// Kustomer's rule: refused 15 minutes after iat, whatever exp says; the leeway counts.
    #[test]
    fn an_iat_older_than_the_max_age_is_refused_whatever_exp_says() {
        let rules = TimeRules {
            max_age: Some(Sourced { value: Secs(900), source: Some("docs".into()) }),
            ..TimeRules::default()
        };
        let at = |iat: i64, leeway: u64| {
            assess(&payload(json!({"iat": iat, "exp": 10_000})), &rules, 1_900, leeway)
        };
        assert_eq!(at(1_000, 0), Vec::new(), "exactly 15 minutes old still passes");
        assert_eq!(
            at(999, 0),
            vec![RuleBreak {
                issue: TimeIssue::IatTooOld { iat: 999, age: 901, max: 900 },
                source: Some("docs".into())
            }]
        );
        assert_eq!(at(999, 60), Vec::new(), "within the leeway");
        assert!(
            assess(&payload(json!({"iat": 0})), &TimeRules::default(), 1_900, 0).is_empty(),
            "no rule, no age limit"
        );
    }
}
