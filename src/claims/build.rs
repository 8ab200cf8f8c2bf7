//! Building a payload: the profile's claims with their defaults evaluated (now, uuid, hashes,
//! templates), the values given, typed and placed at their paths.

use serde_json::{Map, Value};

use super::*;

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

impl ClaimSchema<'_> {
    /// Whether a claim may be set at this path: declared, registered (RFC 7519), or the profile
    /// takes extra claims (the typo guard, here for `build_payload` and for choosing a profile
    /// to re-sign a token under).
    pub fn takes(&self, path: &ClaimPath) -> bool {
        self.allow_extra
            || self.fields.iter().any(|f| &f.path == path)
            || REGISTERED.contains(&path.to_string().as_str())
    }
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
        if !schema.takes(&a.path) {
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
    resolve_derived(pending, &mut values, ctx.params)?;
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

/// Derived defaults (hashes and templates) read other claims, which may be derived too:
/// resolves what can be resolved until nothing changes; what is left names what it waits for.
fn resolve_derived(
    mut pending: Vec<(usize, &ValueExpr)>,
    values: &mut [(ClaimPath, Option<Value>)],
    params: &[(String, String)],
) -> Result<(), ClaimError> {
    while !pending.is_empty() {
        let before = pending.len();
        let mut waiting = Vec::new();
        for (index, expr) in pending {
            match derive(expr, values, params) {
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
                            TemplatePart::Ref(r) if lookup(r, values, params).is_none() => Some(r.clone()),
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
    Ok(())
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
