//! Matching a claim value against a profile pattern (`https://x/projects/{project_id}`,
//! `{project_id}_*`): placeholders bind parameter values, `*` matches anything. Bounded: a
//! memo of failed tails and a step budget.

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
pub(super) fn placeholder(text: &str) -> Option<(&str, &str)> {
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
