//! Which vendor a token or hash in a HAR is for, and why: the host its requests went to, the
//! widget setting that handed it over, else the profile its claims fit best.

use super::case::{Request, TokenCase};
use super::find::{Kind, Place, SETTINGS};
use crate::profile::{Profile, Scheme};

/// The profile a token is judged by, and why it was chosen, in words.
pub fn choose<'p>(
    token: &TokenCase,
    requests: &[Request],
    profiles: &'p [Profile],
    at: i64,
) -> Option<(&'p Profile, String)> {
    let fits = |p: &&Profile| match &token.kind {
        Kind::Jwt => matches!(p.scheme, Scheme::Jwt | Scheme::VendorIssued),
        Kind::Hash { field } => {
            p.scheme == Scheme::IdentityHash && p.hash.as_ref().is_some_and(|h| &h.page_field == field)
        }
    };
    let host_of = |r: &usize| requests.get(*r).map(|r| r.host.as_str());
    let by_host = |hosts: Vec<&str>, how: &str| {
        hosts.iter().find_map(|host| {
            let matched: Vec<&Profile> =
                profiles.iter().filter(fits).filter(|p| p.serves_host(host)).collect();
            (!matched.is_empty()).then(|| (matched, format!("{how} {host}")))
        })
    };
    let used: Vec<&str> = token.used.iter().filter_map(host_of).collect();
    let setting = token.sightings.iter().find_map(|s| match &s.place {
        Place::Setting(name) => SETTINGS.iter().find(|(n, _)| n == name),
        _ => None,
    });
    let issued: Vec<&str> = token.issued.iter().filter_map(host_of).collect();
    let (candidates, why) = by_host(used, "sent to")
        .or_else(|| {
            setting.map(|(name, ids)| {
                let matched = profiles.iter().filter(fits).filter(|p| ids.contains(&p.id.as_str())).collect();
                (matched, format!("handed to the widget in the page's {name}"))
            })
        })
        .or_else(|| by_host(issued, "issued by"))
        .unwrap_or_else(|| {
            let all = profiles.iter().filter(fits).filter(|p| !p.hosts.is_empty()).collect();
            (all, "no vendor host or widget setting names it".to_string())
        });
    let (best, fit) = best_fit(token, &candidates, at)?;
    let why = match (candidates.len(), fit) {
        (1, _) => why,
        (n, true) => format!("{why}; of {n} profiles, the one its claims fit best"),
        (n, false) => format!("{why}; the first of {n} profiles"),
    };
    Some((best, why))
}

/// The candidate whose rules the token breaks least (times aside: a token judged late has
/// expired under every profile), and whether its claims could be weighed at all.
fn best_fit<'p>(token: &TokenCase, candidates: &[&'p Profile], at: i64) -> Option<(&'p Profile, bool)> {
    use crate::rules::{Severity, check_rules};
    let Ok(decoded) = crate::token::decode(&token.value) else {
        return candidates.first().map(|p| (*p, false));
    };
    let score = |p: &&&Profile| {
        let findings = check_rules(&decoded.header, &decoded.payload, p, &[], at);
        let counted = |f: &&crate::rules::Finding| !f.code.starts_with("time.");
        let count = |s: Severity| findings.iter().filter(counted).filter(|f| f.severity == s).count();
        (count(Severity::Error), count(Severity::Warning))
    };
    candidates.iter().min_by_key(score).map(|p| (*p, true))
}

/// The identifier a hash was made of, from the text around it: the first of the profile's
/// identifier names (`user_id`, then `email`) given a quoted value there, else the first
/// argument of Chatwoot's `setUser('id', ...)`.
pub fn identifier(context: &str, profile: &Profile) -> Option<String> {
    let names = &profile.hash.as_ref()?.identifier.value;
    names
        .iter()
        .find_map(|name| named_value(context, &name.to_string()))
        .or_else(|| first_argument(context, "setUser("))
}

fn named_value(text: &str, name: &str) -> Option<String> {
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find(name)) {
        from = from.saturating_add(found).saturating_add(name.len());
        let after = text.get(from..).unwrap_or_default();
        let skip = after.find(|c: char| !" \t\r\n:=,[".contains(c) && c != '"' && c != '\'').unwrap_or(0);
        // The value's own quote is the last quote before it.
        let quote = after.get(..skip).and_then(|s| s.chars().rev().find(|c| *c == '"' || *c == '\''));
        if let Some(quote) = quote
            && let Some(end) = after.get(skip..).and_then(|rest| rest.find(quote))
        {
            let value = after.get(skip..skip.saturating_add(end)).unwrap_or_default();
            if !value.is_empty() && !value.contains(['\n', '{', '}']) {
                return Some(value.to_string());
            }
        }
    }
    None
}

fn first_argument(text: &str, call: &str) -> Option<String> {
    let after = text.get(text.find(call)?.saturating_add(call.len())..)?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = after.get(1..)?;
    Some(rest.get(..rest.find(quote)?)?.to_string())
}
