//! From the values found in a HAR to a case: each token's issuer and users, linked; its vendor
//! and why; the vendor's answer; the doctor's findings at the moment it was used; the issuing
//! server's clock against the token's `iat`; a verdict per token and one for the case.

use serde::Serialize;
use serde_json::Value;

use super::find::{Direction, Hit, Kind, Place};
use super::read::Entry;
use crate::doctor::{Report, Severity};
use crate::profile::{Profile, Scheme};

/// The most distinct tokens and hashes a case follows (a HAR of a load test may hold one per
/// request): the rest are counted, not judged.
pub const MAX_TOKENS: usize = 1_000;

/// The most requests with a token a case keeps, and the most places one token is followed to:
/// a HAR of a million requests that all carry the same token stays a few megabytes. What is
/// beyond them is counted.
pub const MAX_REQUESTS: usize = 50_000;
/// See [`MAX_REQUESTS`].
pub const MAX_SIGHTINGS: usize = 1_000;

/// How much of a refusal's body is kept.
const ERROR_EXCERPT: usize = 300;

/// A request that carried or returned a token, as the case needs it.
#[derive(Clone, Debug, Serialize)]
pub struct Request {
    /// Its place among the HAR's entries, from 0.
    pub entry: usize,
    /// When it started (unix seconds), when the HAR says.
    pub at: Option<i64>,
    /// `GET`, `POST`, ...
    pub method: String,
    /// Its URL without the query string (which may hold credentials).
    pub url: String,
    /// Its host.
    pub host: String,
    /// The answer's status (0: none).
    pub status: i64,
    /// The status's words.
    pub status_text: String,
    /// The start of the answer's body when the status is an error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The answer's `Date` header (unix seconds): the server's clock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<i64>,
}

/// Where one token or hash was seen.
#[derive(Clone, Debug, Serialize)]
pub struct Sighting {
    /// Index into [`Case::requests`].
    pub request: usize,
    /// Where in it.
    pub place: Place,
    /// Sent or received.
    pub direction: Direction,
}

/// The vendor a token is for, and why tokensmith thinks so.
#[derive(Clone, Debug, Serialize)]
pub struct Vendor {
    /// The profile's id.
    pub profile: String,
    /// Its name.
    pub name: String,
    /// Why this one, in words.
    pub why: String,
}

/// One token or hash, followed through the HAR.
#[derive(Clone, Debug, Serialize)]
pub struct TokenCase {
    /// The token or hash.
    pub value: String,
    /// Which.
    pub kind: Kind,
    /// Every place it was seen, in HAR order.
    pub sightings: Vec<Sighting>,
    /// The request whose answer first carried it: where it was issued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued: Option<usize>,
    /// The requests that sent it.
    pub used: Vec<usize>,
    /// Its vendor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<Vendor>,
    /// The time it was judged at: when it was first used, else issued.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judged_at: Option<i64>,
    /// The identifier a hash was found with, when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// The doctor's report at that time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<Report>,
    /// The issuing server's clock against the token: `iat` minus the answer's `Date` (positive:
    /// the server that signed it runs ahead).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skew: Option<i64>,
    /// The vendor's answer to the last request that used it: refused (a 4xx or 5xx, or no
    /// answer), accepted (2xx), or unknown (not used).
    pub outcome: Outcome,
    /// In one line.
    pub verdict: String,
    #[serde(skip)]
    context: Option<String>,
}

/// What the vendor did with a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Its request got a 2xx or 3xx.
    Accepted,
    /// Its request got a 4xx or 5xx, or no answer.
    Refused,
    /// No request sent it.
    NotUsed,
}

/// A HAR, read as a support case.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Case {
    /// The tool that wrote the HAR.
    pub creator: String,
    /// How many requests the HAR holds.
    pub entries: usize,
    /// The requests that carried or returned a token or hash.
    pub requests: Vec<Request>,
    /// The tokens and hashes, in the order first seen.
    pub tokens: Vec<TokenCase>,
    /// What the HAR lacks that would matter (stripped bodies, a sanitized export).
    pub notes: Vec<String>,
    /// The case in one line.
    pub summary: String,
    /// Tokens beyond [`MAX_TOKENS`], counted only.
    pub untracked: usize,
    /// Sightings beyond [`MAX_REQUESTS`] or [`MAX_SIGHTINGS`], counted only.
    pub unfollowed: usize,
}

/// What a case is judged with: the profiles, the stored keys, the customer's parameters.
pub struct Judge<'a> {
    /// Every profile (built-in and the user's).
    pub profiles: &'a [Profile],
    /// The stored keys (the doctor tries those of each vendor's profile).
    pub keys: &'a [crate::store::KeyEntry],
    /// The customer's parameter values (`project_id`), when given.
    pub params: &'a [(String, String)],
    /// Now, for a token no request used and no answer dated.
    pub now: i64,
}

/// Gathers a case while the HAR streams by: only the requests with a token stay in memory.
#[derive(Default)]
pub struct Collector {
    case: Case,
    stripped: usize,
    credentials: usize,
}

impl Collector {
    /// Takes one entry: its tokens and hashes, and what it says of the export.
    pub fn add(&mut self, index: usize, entry: &Entry) {
        let content = &entry.response.content;
        if content.text.is_none() && content.size > 0 {
            self.stripped = self.stripped.saturating_add(1);
        }
        let headers = &entry.request.headers;
        if !entry.request.cookies.is_empty()
            || headers.iter().any(|h| {
                h.name.eq_ignore_ascii_case("cookie") || h.name.eq_ignore_ascii_case("authorization")
            })
        {
            self.credentials = self.credentials.saturating_add(1);
        }
        let hits = super::find::scan(entry);
        if hits.is_empty() {
            return;
        }
        if self.case.requests.len() >= MAX_REQUESTS {
            self.case.unfollowed = self.case.unfollowed.saturating_add(hits.len());
            return;
        }
        let request = self.case.requests.len();
        self.case.requests.push(request_of(index, entry));
        for hit in hits {
            self.sight(request, hit);
        }
    }

    fn sight(&mut self, request: usize, hit: Hit) {
        let sighting = Sighting { request, place: hit.place, direction: hit.direction };
        if let Some(token) = self.case.tokens.iter_mut().find(|t| t.value == hit.value) {
            if token.sightings.len() >= MAX_SIGHTINGS {
                self.case.unfollowed = self.case.unfollowed.saturating_add(1);
                return;
            }
            token.sightings.push(sighting);
            return;
        }
        if self.case.tokens.len() >= MAX_TOKENS {
            self.case.untracked = self.case.untracked.saturating_add(1);
            return;
        }
        self.case.tokens.push(TokenCase {
            value: hit.value,
            kind: hit.kind,
            sightings: vec![sighting],
            issued: None,
            used: Vec::new(),
            vendor: None,
            judged_at: None,
            identifier: None,
            report: None,
            skew: None,
            outcome: Outcome::NotUsed,
            verdict: String::new(),
            context: hit.context,
        });
    }

    /// The case, judged.
    pub fn finish(mut self, log: &super::read::Log, judge: &Judge<'_>) -> Case {
        self.case.creator = log.creator.clone();
        self.case.entries = log.entries;
        self.case.notes = self.notes();
        let requests = self.case.requests.clone();
        for token in &mut self.case.tokens {
            judge_token(token, &requests, judge);
        }
        self.case.summary = summary(&self.case);
        self.case
    }

    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.stripped > 0 {
            notes.push(format!(
                "{} answer(s) have no body in this HAR (the browser saved it without content): tokens in those answers cannot be seen; ask for the HAR again with content (Chrome, Edge: Save all as HAR with content; Firefox: Save All As HAR)",
                self.stripped
            ));
        }
        if self.credentials == 0 && self.case.entries > 0 {
            notes.push("no request in this HAR carries a cookie or an Authorization header: it looks sanitized (Chrome 130 and later export without them unless 'Allow to generate HAR with sensitive data' is on in DevTools' settings); a token sent that way cannot be seen".to_string());
        }
        notes
    }
}

fn request_of(index: usize, entry: &Entry) -> Request {
    let url = entry.request.url.split(['?', '#']).next().unwrap_or_default().to_string();
    let host = url.split("://").nth(1).and_then(|rest| rest.split(['/', ':']).next()).unwrap_or_default();
    let status = entry.response.status;
    let error = (status >= 400 || status == 0)
        .then(|| {
            entry.response.content.text.as_deref().map(|t| t.chars().take(ERROR_EXCERPT).collect::<String>())
        })
        .flatten()
        .filter(|t| !t.trim().is_empty());
    let date = entry
        .response
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("date"))
        .and_then(|h| chrono::DateTime::parse_from_rfc2822(h.value.trim()).ok())
        .map(|d| d.timestamp());
    Request {
        entry: index,
        at: crate::time::parse_rfc3339(&entry.started_date_time),
        method: entry.request.method.clone(),
        host: host.to_ascii_lowercase(),
        url,
        status,
        status_text: entry.response.status_text.clone(),
        error,
        date,
    }
}

fn judge_token(token: &mut TokenCase, requests: &[Request], judge: &Judge<'_>) {
    let vendor_host =
        |r: usize| requests.get(r).is_some_and(|r| judge.profiles.iter().any(|p| p.serves_host(&r.host)));
    token.used =
        token.sightings.iter().filter(|s| s.direction == Direction::Sent).map(|s| s.request).collect();
    token.used.dedup();
    // Issued: the first answer that carried it from a server not the vendor's (the
    // customer's endpoint or page); a vendor's own answer (HubSpot's token API) does too.
    let received = token.sightings.iter().filter(|s| s.direction == Direction::Received);
    token.issued = received
        .clone()
        .find(|s| !vendor_host(s.request))
        .or_else(|| received.clone().next())
        .map(|s| s.request);
    let at = |r: &Option<usize>| r.and_then(|r| requests.get(r)).and_then(|r| r.at);
    token.judged_at = at(&token.used.first().copied()).or_else(|| at(&token.issued));
    let when = token.judged_at.unwrap_or(judge.now);
    let chosen = super::vendor::choose(token, requests, judge.profiles, when);
    if let Some((profile, why)) = chosen {
        token.vendor = Some(Vendor { profile: profile.id.clone(), name: profile.name.clone(), why });
        token.report = doctor(token, profile, judge, when);
    }
    token.skew = skew(token, requests);
    token.outcome = match token.used.last().and_then(|r| requests.get(*r)) {
        None => Outcome::NotUsed,
        Some(r) if (200..400).contains(&r.status) => Outcome::Accepted,
        Some(_) => Outcome::Refused,
    };
    token.verdict = super::words::verdict(token, requests);
}

fn doctor(token: &mut TokenCase, profile: &Profile, judge: &Judge<'_>, at: i64) -> Option<Report> {
    let candidates = crate::doctor::stored_candidates(judge.keys, &profile.id);
    match (&token.kind, profile.scheme) {
        (Kind::Jwt, Scheme::Jwt | Scheme::VendorIssued) => {
            Some(crate::doctor::diagnose(&token.value, profile, &candidates, judge.params, at))
        }
        (Kind::Hash { .. }, Scheme::IdentityHash) => {
            let identifier = super::vendor::identifier(token.context.as_deref()?, profile)?;
            let report =
                crate::doctor::diagnose_hash(&token.value, profile, &identifier, None, &candidates, at);
            token.identifier = Some(identifier);
            Some(report)
        }
        _ => None,
    }
}

/// `iat` minus the issuing answer's `Date`.
fn skew(token: &TokenCase, requests: &[Request]) -> Option<i64> {
    let date = token.issued.and_then(|r| requests.get(r))?.date?;
    let decoded = crate::token::decode(&token.value).ok()?;
    let iat = decoded.payload.get("iat").and_then(Value::as_i64)?;
    iat.checked_sub(date)
}

/// The case in one line: how many tokens, how many the vendor refused, and the first
/// refusal's verdict.
fn summary(case: &Case) -> String {
    use super::words::count;
    let outcome = |o: Outcome| case.tokens.iter().filter(|t| t.outcome == o).count();
    let hashes = case.tokens.iter().filter(|t| matches!(t.kind, Kind::Hash { .. })).count();
    let mut found = vec![count(case.tokens.len().saturating_sub(hashes), "token")];
    if hashes > 0 {
        found.push(count(hashes, "identity hash").replace("hashs", "hashes"));
    }
    let mut words = format!(
        "{} in {}: {} refused by the vendor, {} accepted, {} not sent",
        found.join(" and "),
        count(case.entries, "request"),
        outcome(Outcome::Refused),
        outcome(Outcome::Accepted),
        outcome(Outcome::NotUsed)
    );
    let errors = |t: &TokenCase| {
        t.report.as_ref().is_some_and(|r| r.findings.iter().any(|f| f.severity == Severity::Error))
    };
    let first = case
        .tokens
        .iter()
        .position(|t| t.outcome == Outcome::Refused)
        .or_else(|| case.tokens.iter().position(errors));
    if let Some(i) = first {
        words.push_str(&format!("; look first at {}", i.saturating_add(1)));
    }
    if case.untracked > 0 {
        words.push_str(&format!("; {} more not followed (over {MAX_TOKENS})", case.untracked));
    }
    if case.unfollowed > 0 {
        words.push_str(&format!("; {} more places tokens were seen, not followed", case.unfollowed));
    }
    words
}

#[cfg(test)]
mod tests;
