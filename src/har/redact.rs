//! What a ticket may hold of a HAR: tokens without their signatures, no hash in full, and,
//! when asked, the claims that name a person masked.

use serde_json::{Map, Value};

/// Claims that identify a person (their values are masked with `--mask-personal`).
pub const PERSONAL: [&str; 25] = [
    "email",
    "name",
    "given_name",
    "family_name",
    "first_name",
    "last_name",
    "firstname",
    "lastname",
    "firstName",
    "lastName",
    "display_name",
    "displayName",
    "username",
    "phone",
    "phone_number",
    "phoneNumber",
    "user_id",
    "userId",
    "external_id",
    "externalId",
    "identifier",
    "uid",
    "id",
    "_id",
    "sub",
];

/// A token without its signature: `header.payload.` and a note in its place.
pub fn unsigned(token: &str) -> String {
    match token.rsplit_once('.') {
        Some((signed, _)) => format!("{signed}.<signature removed>"),
        None => "<not a token>".to_string(),
    }
}

/// A token with neither its payload (shown decoded, masked, instead) nor its signature.
pub fn header_only(token: &str) -> String {
    let header = token.split('.').next().unwrap_or_default();
    format!("{header}.<payload: the claims below>.<signature removed>")
}

/// A payload with the values of the claims that name a person masked, at any depth.
pub fn masked_payload(payload: &Map<String, Value>) -> Map<String, Value> {
    payload
        .iter()
        .map(|(key, value)| {
            let value = match value {
                Value::Object(inner) => Value::Object(masked_payload(inner)),
                Value::String(s) if PERSONAL.contains(&key.as_str()) => Value::String(mask(s)),
                Value::Number(n) if PERSONAL.contains(&key.as_str()) => Value::String(mask(&n.to_string())),
                other => other.clone(),
            };
            (key.clone(), value)
        })
        .collect()
}

/// A hash shown by its first 8 digits.
pub fn hash(value: &str) -> String {
    format!("{}… ({} hex digits)", value.get(..8).unwrap_or(value), value.len())
}

/// `jane@example.com` → `j***@example.com`; `Jane Doe` → `J***`.
pub fn mask(value: &str) -> String {
    let first: String = value.chars().take(1).collect();
    match value.split_once('@') {
        Some((_, domain)) => format!("{first}***@{domain}"),
        None => format!("{first}***"),
    }
}

/// The personal values of a payload (at any depth, by the claim's last name) and their masks,
/// longest first so that a name inside an email is not masked first.
pub fn personal_values(payload: &Map<String, Value>) -> Vec<(String, String)> {
    fn walk(map: &Map<String, Value>, out: &mut Vec<(String, String)>) {
        for (key, value) in map {
            match value {
                Value::Object(inner) => walk(inner, out),
                Value::String(s) if PERSONAL.contains(&key.as_str()) && !s.is_empty() => {
                    out.push((s.clone(), mask(s)));
                }
                Value::Number(n) if PERSONAL.contains(&key.as_str()) => {
                    out.push((n.to_string(), mask(&n.to_string())))
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(payload, &mut out);
    out.sort_by_key(|(v, _)| std::cmp::Reverse(v.len()));
    out.dedup();
    out
}

/// `text` with each personal value replaced by its mask.
pub fn masked(text: &str, values: &[(String, String)]) -> String {
    values.iter().fold(text.to_string(), |text, (value, mask)| text.replace(value.as_str(), mask))
}

/// Free text (a vendor's error body) with every JWT's signature and every 64-digit hex hash
/// taken out, and its control characters escaped.
pub fn scrub(text: &str) -> String {
    let mut out = text.to_string();
    for token in super::find::jwts(text) {
        out = out.replace(&token, &unsigned(&token));
    }
    let hashes: Vec<String> =
        out.split(|c: char| !c.is_ascii_hexdigit()).filter(|w| w.len() == 64).map(str::to_string).collect();
    for h in hashes {
        out = out.replace(&h, &hash(&h));
    }
    crate::text::inline(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_keeps_no_signature_no_hash_and_masks_people_when_asked() {
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
        assert_eq!(unsigned(token), "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.<signature removed>");
        let h = "a".repeat(64);
        let body = format!("bad token {token} or hash {h}\u{1b}[2J");
        let clean = scrub(&body);
        assert!(
            !clean.contains("c2lnbmF0dXJl") && !clean.contains(&h) && !clean.contains('\u{1b}'),
            "{clean}"
        );
        assert!(clean.contains("aaaaaaaa… (64 hex digits)"), "{clean}");
        let payload = serde_json::json!({"email": "jane@example.com", "name": "Jane", "account": {"first_name": "Jane"}, "plan": "pro"});
        let values = personal_values(payload.as_object().expect("object"));
        assert_eq!(
            masked("jane@example.com is Jane's; plan pro", &values),
            "j***@example.com is J***'s; plan pro"
        );
    }
}
