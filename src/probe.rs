//! The probe: calls the customer's token endpoint as the page would (its method, headers,
//! cookies and origin, a few times) and judges what comes back: the status and content type,
//! the token under the profile's JSON key, caching (the same token twice, `Cache-Control`
//! without `no-store`), CORS for the page's origin, the server's clock (its `Date` against the
//! token's `iat`), and the doctor's findings on each token. The CLI's `probe` and the
//! workbench's `P` both run [`run`]; the judging of one answer is [`judge`], which needs no
//! network.

use std::time::Duration;

use serde::Serialize;

use crate::doctor::{Candidate, Finding, Severity};
use crate::net::{self, NetError, Response};
use crate::profile::Profile;

mod judge;
mod plan;

pub use judge::{judge, judge_run};
pub use plan::{Plan, PlanError};

/// The most requests one probe makes.
pub const MAX_COUNT: u32 = 20;
/// The default number of requests: two, to see whether the token changes.
pub const DEFAULT_COUNT: u32 = 2;
/// The default wait between requests: a second, so two tokens made from the clock differ
/// (most servers write times in whole seconds).
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(1);
/// The tolerance between the server's `Date` (whole seconds) and the token's `iat`.
pub const CLOCK_TOLERANCE: u64 = 5;

/// What one request brought: the answer's facts and the findings on it.
#[derive(Clone, Debug, Serialize)]
pub struct Exchange {
    /// 1 for the first request.
    pub number: u32,
    /// Unix time the answer came (the local clock).
    pub at: i64,
    /// The HTTP status, when there was an answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The Content-Type header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The Cache-Control header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<String>,
    /// The server's Date header, as unix time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<i64>,
    /// The JSON key the token was found under.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The token, shortened for showing (it is the user's credential: never shown in full).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_shown: Option<String>,
    /// The token itself, for comparing and for the doctor; never serialized.
    #[serde(skip)]
    pub token: Option<String>,
    /// The key that verified the token's signature, when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_with: Option<String>,
    /// The probe's findings and the doctor's on the token, errors first.
    pub findings: Vec<Finding>,
}

/// A whole probe: each request's exchange, and the findings on the run (a cached token).
#[derive(Clone, Debug, Serialize)]
pub struct ProbeReport {
    /// The URL probed.
    pub url: String,
    /// The profile judged against.
    pub profile: String,
    /// The JSON key the profile's page reads the token from.
    pub response_key: String,
    /// One per request, in order.
    pub exchanges: Vec<Exchange>,
    /// Findings about the requests together.
    pub findings: Vec<Finding>,
}

impl ProbeReport {
    /// Every finding: each exchange's, then the run's.
    pub fn all_findings(&self) -> impl Iterator<Item = &Finding> {
        self.exchanges.iter().flat_map(|e| e.findings.iter()).chain(self.findings.iter())
    }

    /// True when no finding is an error.
    pub fn passes(&self) -> bool {
        !self.all_findings().any(|f| f.severity == Severity::Error)
    }

    /// The codes, in order, each once.
    pub fn codes(&self) -> Vec<&'static str> {
        let mut codes: Vec<&'static str> = Vec::new();
        for f in self.all_findings() {
            if !codes.contains(&f.code) {
                codes.push(f.code);
            }
        }
        codes
    }

    /// How many findings of a severity, counting a finding repeated on each request once.
    pub fn count(&self, severity: Severity) -> usize {
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for f in self.all_findings().filter(|f| f.severity == severity) {
            if !seen.contains(&(f.code, f.found.as_str())) {
                seen.push((f.code, f.found.as_str()));
            }
        }
        seen.len()
    }

    /// The verdict in words, for both faces.
    pub fn verdict(&self, profile: &Profile) -> String {
        let (errors, warnings) = (self.count(Severity::Error), self.count(Severity::Warning));
        if errors > 0 {
            format!(
                "{errors} error(s), {warnings} warning(s): the page cannot get a token {} accepts from this endpoint",
                profile.name
            )
        } else {
            format!(
                "no errors, {warnings} warning(s): this endpoint serves tokens {} should accept",
                profile.name
            )
        }
    }
}

/// What the doctor needs besides the token: the keys to try and the customer's parameters.
#[derive(Clone, Copy, Debug)]
pub struct Judge<'a> {
    /// The vendor profile.
    pub profile: &'a Profile,
    /// The keys to verify the tokens with.
    pub candidates: &'a [Candidate],
    /// The customer's parameter values (`project_id`).
    pub params: &'a [(String, String)],
}

/// Makes the plan's requests, one after another with the plan's interval between them, and
/// judges each answer and the run. `now` reads the clock (unix seconds) when each answer
/// comes. A plan that cannot be sent (a bad URL, a private address not allowed) is an error
/// before any connection; a request that fails is a finding (`probe.request`).
pub fn run(
    plan: &Plan,
    options: &net::Options,
    judge_with: Judge<'_>,
    now: &dyn Fn() -> i64,
) -> Result<ProbeReport, PlanError> {
    plan.check()?;
    let options = net::Options { refuse_private: !plan.allow_private, ..options.clone() };
    let request = plan.request();
    let mut exchanges = Vec::new();
    for number in 1..=plan.count {
        if number > 1 {
            std::thread::sleep(plan.interval);
        }
        let answer: Result<Response, NetError> = net::send(&request, &options);
        let failed_before_connecting =
            matches!(answer, Err(NetError::Private { .. } | NetError::BadUrl { .. }));
        exchanges.push(judge(plan, judge_with, number, answer, now()));
        if failed_before_connecting {
            break;
        }
    }
    let findings = judge_run(&exchanges);
    Ok(ProbeReport {
        url: crate::text::inline(&plan.url).into_owned(),
        profile: judge_with.profile.id.clone(),
        response_key: response_key(judge_with.profile).to_string(),
        exchanges,
        findings,
    })
}

/// The JSON key the profile's page reads the token from (`token` when the profile says none).
pub fn response_key(profile: &Profile) -> &str {
    profile.server.as_ref().map_or("token", |s| s.response_key.as_str())
}

/// A token as it may be shown: its start and its length, never the whole credential.
pub fn shorten(token: &str) -> String {
    let start: String = token.chars().take(16).collect();
    format!("{}... ({} chars)", crate::text::inline(&start), token.chars().count())
}
