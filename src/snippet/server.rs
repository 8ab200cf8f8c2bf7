//! Server code: what each language puts in the token for the logged-in user. Every claim
//! becomes a small expression (the user's field, a parameter constant, a concatenation, a hash,
//! `now + lifetime`, a literal) rendered in each language's syntax; the templates in
//! `assets/snippets/server/` hold the rest (imports, the key, signing, the route).
//!
//! The rule it enforces: nothing the user is may be a constant. A claim the profile takes from
//! the user reads `user`; a claim derived from one (Talla's `md5(account.email)`, Tiledesk's
//! `{project_id}_{external_id}`) derives it in the language; the token's own values stay only
//! as `sample value` comments.

use minijinja::{Value as Jinja, context};
use serde_json::{Map, Value};

use super::{SnippetInput, env_var, literal};

mod render;
use crate::claims::{ClaimField, ClaimType, TemplatePart, UserField, ValueExpr};
use crate::profile::{Profile, SecretEncoding};
use crate::time_rules::Times;
use crate::token::{Alg, Family};

/// A server language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Node, jsonwebtoken (EdDSA with node:crypto), Express.
    Node,
    /// Python, PyJWT, FastAPI.
    Python,
    /// Ruby, ruby-jwt (EdDSA with OpenSSL), Sinatra.
    Ruby,
    /// PHP, its own hash_hmac, openssl and sodium.
    Php,
    /// Go, golang-jwt v4, net/http.
    Go,
    /// Java, the JDK alone (javax.crypto, java.security, HttpServer).
    Java,
    /// C#, System.IdentityModel.Tokens.Jwt (not run in CI).
    CSharp,
}

impl Lang {
    /// Every language, in the order the flavours are listed.
    pub const ALL: [Lang; 7] =
        [Lang::Node, Lang::Python, Lang::Ruby, Lang::Php, Lang::Go, Lang::Java, Lang::CSharp];

    /// The flavour name (`node`).
    pub fn flavor(self) -> &'static str {
        match self {
            Lang::Node => "node",
            Lang::Python => "python",
            Lang::Ruby => "ruby",
            Lang::Php => "php",
            Lang::Go => "go",
            Lang::Java => "java",
            Lang::CSharp => "csharp",
        }
    }

    /// The language of a server flavour.
    pub fn of_flavor(name: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.flavor() == name)
    }

    /// Whether the generated code can sign `alg` with what it uses, and if not, why.
    pub fn cannot_sign(self, alg: Alg) -> Option<&'static str> {
        match (self, alg) {
            (Lang::Php, Alg::PS256 | Alg::PS384 | Alg::PS512) => Some(
                "PHP's openssl_sign has no RSA-PSS padding (phpseclib or web-token/jwt-framework have it)",
            ),
            (Lang::CSharp, Alg::EdDSA) => Some("System.IdentityModel.Tokens.Jwt cannot sign EdDSA (Ed25519)"),
            _ => None,
        }
    }

    /// The code `literal()` takes.
    fn code(self) -> &'static str {
        match self {
            Lang::Node => "js",
            Lang::Python => "py",
            Lang::Ruby => "rb",
            Lang::Php => "php",
            Lang::Go => "go",
            Lang::Java => "java",
            Lang::CSharp => "cs",
        }
    }

    fn comment(self) -> &'static str {
        match self {
            Lang::Python | Lang::Ruby => "#",
            _ => "//",
        }
    }

    fn indent_unit(self) -> &'static str {
        match self {
            Lang::Node | Lang::Ruby => "  ",
            Lang::Go => "\t",
            _ => "    ",
        }
    }

    /// The indentation of the `payload = ` line in the template.
    fn base_indent(self) -> &'static str {
        match self {
            Lang::Node | Lang::Ruby => "  ",
            Lang::Go => "\t",
            Lang::Python | Lang::Php => "    ",
            Lang::Java | Lang::CSharp => "        ",
        }
    }
}

/// The algorithm the language's code signs with: the profile's first one it can do.
pub fn signing_alg(profile: &Profile, lang: Lang) -> Option<Alg> {
    profile.algorithms.iter().copied().find(|alg| lang.cannot_sign(*alg).is_none())
}

/// The user field a claim is taken from (the profile's `user = ...`).
pub fn user_field(field: &ClaimField) -> Option<UserField> {
    field.user
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Digest {
    Md5,
    Sha256,
}

/// How a claim's value is made in the server code.
#[derive(Clone, Debug, PartialEq)]
enum Expr {
    /// A constant that is not the user's (`isLoggedIn: true`, `sub: "userexternal"`).
    Lit(Value),
    /// A field of the logged-in user, as it is.
    User(UserField),
    /// A value as text (`String(user.id)`).
    Text(Box<Expr>),
    /// A parameter: a constant at the top of the file.
    Param(String),
    /// Text pieces joined.
    Concat(Vec<Expr>),
    /// The hex digest of a text.
    Hash(Digest, Box<Expr>),
    /// The current time in seconds plus an offset.
    Now(i64),
    /// A fresh UUID v4.
    Uuid,
}

impl Expr {
    fn is_text(&self) -> bool {
        match self {
            Expr::Lit(v) => v.is_string(),
            Expr::User(field) => *field != UserField::Id,
            Expr::Text(_) | Expr::Param(_) | Expr::Concat(_) | Expr::Hash(..) | Expr::Uuid => true,
            Expr::Now(_) => false,
        }
    }

    /// This value as text, the way templates and hashes read it (strings as they are, other
    /// JSON as written).
    fn text(self) -> Expr {
        match self {
            e if e.is_text() => e,
            Expr::Lit(v) => Expr::Lit(Value::String(v.to_string())),
            e => Expr::Text(Box::new(e)),
        }
    }

    fn reads_user(&self) -> bool {
        match self {
            Expr::User(_) => true,
            Expr::Text(e) | Expr::Hash(_, e) => e.reads_user(),
            Expr::Concat(parts) => parts.iter().any(Expr::reads_user),
            Expr::Lit(_) | Expr::Param(_) | Expr::Now(_) | Expr::Uuid => false,
        }
    }

    fn visit(&self, f: &mut dyn FnMut(&Expr)) {
        f(self);
        match self {
            Expr::Text(e) | Expr::Hash(_, e) => e.visit(f),
            Expr::Concat(parts) => parts.iter().for_each(|p| p.visit(f)),
            _ => {}
        }
    }
}

/// One key of the payload object.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    key: String,
    node: Node,
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    /// A claim, and the token's value for it when the code takes it from the user.
    Leaf { expr: Expr, sample: Option<Value> },
    /// A nested object (`account`).
    Object(Vec<Entry>),
}

fn insert(entries: &mut Vec<Entry>, keys: &[String], leaf: Node) {
    let Some((first, rest)) = keys.split_first() else { return };
    if rest.is_empty() {
        entries.push(Entry { key: first.clone(), node: leaf });
        return;
    }
    let position = entries.iter().position(|e| &e.key == first && matches!(e.node, Node::Object(_)));
    let index = position.unwrap_or_else(|| {
        entries.push(Entry { key: first.clone(), node: Node::Object(Vec::new()) });
        entries.len().saturating_sub(1)
    });
    if let Some(Entry { node: Node::Object(children), .. }) = entries.get_mut(index) {
        insert(children, rest, leaf);
    }
}

/// The payload the server code builds, and what it needs.
#[derive(Clone, Debug, PartialEq)]
struct Plan {
    entries: Vec<Entry>,
    /// Parameters the payload uses, in order of first use.
    params: Vec<String>,
}

struct Builder<'a> {
    profile: &'a Profile,
    payload: &'a Map<String, Value>,
    lifetime: i64,
    nbf_offset: Option<i64>,
    params: Vec<String>,
}

impl Builder<'_> {
    fn field(&self, keys: &[String]) -> Option<&ClaimField> {
        self.profile.claims.iter().find(|f| f.path.keys() == keys)
    }

    /// `iat`, `exp` and `nbf` are `now` plus their offset.
    fn time_offset(&self, keys: &[String], default: Option<&ValueExpr>) -> Option<i64> {
        let [name] = keys else { return None };
        let offset = match name.as_str() {
            "iat" => 0,
            "exp" => self.lifetime,
            "nbf" => match (self.nbf_offset, default) {
                (Some(offset), _) => offset,
                (None, Some(ValueExpr::Now { offset })) => *offset,
                _ => 0,
            },
            _ => return None,
        };
        let readable =
            self.payload.get(name.as_str()).and_then(|v| crate::time_rules::Reading::of(v).seconds());
        (readable.is_some() || matches!(default, Some(ValueExpr::Now { .. }))).then_some(offset)
    }

    /// The expression for a declared claim; None when it cannot be written (a derived claim
    /// whose source has no expression), and the caller falls back to the token's value.
    fn claim(&mut self, field: &ClaimField, depth: usize) -> Option<Expr> {
        if depth > self.profile.claims.len() {
            return None;
        }
        if let Some(user) = user_field(field) {
            let read = Expr::User(user);
            return Some(if matches!(field.ty, ClaimType::String | ClaimType::Email) {
                read.text()
            } else {
                read
            });
        }
        if let Some(offset) = self.time_offset(field.path.keys(), field.default.as_ref()) {
            return Some(Expr::Now(offset));
        }
        let sample = field.path.get(self.payload);
        match &field.default {
            Some(ValueExpr::Now { offset }) => Some(Expr::Now(*offset)),
            Some(ValueExpr::Uuid) => Some(Expr::Uuid),
            Some(ValueExpr::Md5(source)) => self.hash(Digest::Md5, source.keys(), depth),
            Some(ValueExpr::Sha256(source)) => self.hash(Digest::Sha256, source.keys(), depth),
            Some(ValueExpr::Template(parts)) => self.template(parts, depth),
            Some(ValueExpr::Literal(value)) => {
                Some(Expr::Lit(sample.cloned().unwrap_or_else(|| match value {
                    Value::String(text)
                        if !matches!(field.ty, ClaimType::String | ClaimType::Email | ClaimType::Id) =>
                    {
                        field.ty.convert(text, 0).unwrap_or_else(|_| value.clone())
                    }
                    _ => value.clone(),
                })))
            }
            None => sample.cloned().map(Expr::Lit),
        }
    }

    fn hash(&mut self, digest: Digest, source: &[String], depth: usize) -> Option<Expr> {
        let field = self.field(source)?.clone();
        let inner = self.claim(&field, depth.saturating_add(1))?;
        Some(Expr::Hash(digest, Box::new(inner.text())))
    }

    fn template(&mut self, parts: &[TemplatePart], depth: usize) -> Option<Expr> {
        let mut out = Vec::new();
        for part in parts {
            match part {
                TemplatePart::Text(text) => out.push(Expr::Lit(Value::String(text.clone()))),
                TemplatePart::Ref(name) if self.profile.params.iter().any(|p| &p.name == name) => {
                    if !self.params.contains(name) {
                        self.params.push(name.clone());
                    }
                    out.push(Expr::Param(name.clone()));
                }
                TemplatePart::Ref(name) => {
                    let path: Vec<String> = name.split('.').map(str::to_string).collect();
                    let field = self.field(&path)?.clone();
                    out.push(self.claim(&field, depth.saturating_add(1))?.text());
                }
            }
        }
        Some(match out.len() {
            1 => out.remove(0),
            _ => Expr::Concat(out),
        })
    }
}

impl Plan {
    /// Declared claims in profile order (those in the token, those taken from the user, and
    /// required ones with a default), then the token's other claims as they are.
    fn build(profile: &Profile, payload: &Map<String, Value>) -> Plan {
        let times = Times::read(payload);
        let lifetime = match (times.iat_secs(), times.exp_secs()) {
            (Some(iat), Some(exp)) if exp > iat => exp.saturating_sub(iat),
            _ => i64::try_from(profile.time.default_lifetime()).unwrap_or(300),
        };
        let nbf_offset = times.nbf_secs().zip(times.iat_secs()).map(|(nbf, iat)| nbf.saturating_sub(iat));
        let mut builder = Builder { profile, payload, lifetime, nbf_offset, params: Vec::new() };
        let mut entries = Vec::new();
        for field in &profile.claims {
            let sample = field.path.get(payload);
            let wanted = sample.is_some()
                || user_field(field).is_some()
                || (field.required && field.default.is_some());
            if !wanted {
                continue;
            }
            let Some(expr) = builder.claim(field, 0).or_else(|| sample.cloned().map(Expr::Lit)) else {
                continue;
            };
            let sample = if expr.reads_user() { sample.cloned() } else { None };
            insert(&mut entries, field.path.keys(), Node::Leaf { expr, sample });
        }
        builder.extras(payload, &mut Vec::new(), &mut entries);
        Plan { entries, params: builder.params }
    }
}

impl Builder<'_> {
    /// The token's claims the profile does not declare (Orlo's `"User ID": 124`), as they are.
    fn extras(&self, object: &Map<String, Value>, prefix: &mut Vec<String>, entries: &mut Vec<Entry>) {
        for (key, value) in object {
            prefix.push(key.clone());
            let declared = self.field(prefix).is_some();
            let parent = self.profile.claims.iter().any(|f| f.path.keys().starts_with(prefix.as_slice()));
            match value {
                _ if declared => {}
                Value::Object(inner) if parent => self.extras(inner, prefix, entries),
                _ => {
                    let expr =
                        self.time_offset(prefix, None).map_or_else(|| Expr::Lit(value.clone()), Expr::Now);
                    insert(entries, prefix, Node::Leaf { expr, sample: None });
                }
            }
            prefix.pop();
        }
    }
}

/// What the payload code uses, so the templates import only that.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
struct Uses {
    now: bool,
    md5: bool,
    sha256: bool,
    uuid: bool,
}

fn uses(entries: &[Entry]) -> Uses {
    let mut uses = Uses::default();
    let mut leaves = Vec::new();
    collect_leaves(entries, &mut leaves);
    for expr in leaves {
        expr.visit(&mut |e| match e {
            Expr::Now(_) => uses.now = true,
            Expr::Hash(Digest::Md5, _) => uses.md5 = true,
            Expr::Hash(Digest::Sha256, _) => uses.sha256 = true,
            Expr::Uuid => uses.uuid = true,
            _ => {}
        });
    }
    uses
}

fn collect_leaves<'a>(entries: &'a [Entry], out: &mut Vec<&'a Expr>) {
    for entry in entries {
        match &entry.node {
            Node::Leaf { expr, .. } => out.push(expr),
            Node::Object(children) => collect_leaves(children, out),
        }
    }
}

/// Text for a line comment: one line (Unicode's line separators count as whitespace), and no
/// `?>` to end PHP mode.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").replace("?>", "? >")
}

/// What a server flavour renders from.
pub(super) enum Source {
    /// The language's template, with this context.
    Template(Jinja),
    /// The whole file: a note that the language cannot sign any of the profile's algorithms.
    Note(String),
}

/// The template context for one server language, or the note the file is instead of code.
pub(super) fn context(input: &SnippetInput<'_>, lang: Lang) -> Source {
    let profile = input.profile;
    let Some(alg) = signing_alg(profile, lang) else {
        let why =
            profile.algorithms.first().and_then(|a| lang.cannot_sign(*a)).unwrap_or("no algorithm fits");
        let c = lang.comment();
        return Source::Note(format!(
            "{c} tokensmith writes no {} code for {}: {why}.\n{c} Issue these tokens with another server flavour (`tokensmith snippet --profile {} --list`).\n",
            lang.flavor(),
            one_line(&profile.name),
            profile.id
        ));
    };
    let plan = Plan::build(profile, input.payload);
    let payload = match lang {
        Lang::Java => {
            let mut names = ["payload", "now", "user", "key", "header", "input", "data", "signature"]
                .map(str::to_string)
                .to_vec();
            let mut lines = Vec::new();
            lang.java_block(&plan.entries, "payload", lang.base_indent(), &mut names, &mut lines);
            lines.join("\n").trim_start().to_string()
        }
        _ => lang.object(&plan.entries, lang.base_indent(), true),
    };
    // The key-id parameter (Zendesk, Salesforce) is a constant too: the header's kid.
    let mut names = plan.params.clone();
    if let Some(kid) = &profile.header.kid_param
        && !names.contains(kid)
    {
        names.push(kid.clone());
    }
    let constants: Vec<Jinja> = names
        .iter()
        .map(|name| {
            let value = input
                .params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .or_else(|| profile.params.iter().find(|p| &p.name == name).map(|p| p.default.clone()))
                .unwrap_or_default();
            let description =
                profile.params.iter().find(|p| &p.name == name).map(|p| one_line(&p.description));
            context! {
                name => lang.const_name(name),
                value => literal(lang.code(), &Value::String(value)),
                description => description.filter(|d| !d.is_empty()).unwrap_or_else(|| name.clone()),
            }
        })
        .collect();
    let (route, response_key) = match &profile.server {
        Some(server) => (server.route.clone(), server.response_key.clone()),
        None => (format!("/api/{}/token", profile.id), "token".to_string()),
    };
    let family = match alg.family() {
        Family::Hmac => "hmac",
        Family::Rsa => "rsa",
        Family::Ec(_) => "ec",
        Family::Ed25519 => "ed",
    };
    let bits = alg.name().get(2..).unwrap_or("256");
    let has_iat = plan.entries.iter().any(|e| e.key == "iat");
    Source::Template(context! {
        profile => context! { id => profile.id.clone(), name => one_line(&profile.name) },
        alg => alg.name(),
        family => family,
        pss => matches!(alg, Alg::PS256 | Alg::PS384 | Alg::PS512),
        bits => bits,
        ec_size => match alg.family() {
            crate::token::Family::Ec(curve) => curve.field_bytes(),
            _ => 32,
        },
        env_var => env_var(profile),
        secret_base64 => profile.secret_encoding == SecretEncoding::Base64,
        typ => profile.header.typ.clone(),
        kid => profile.header.kid_param.as_ref().map(|name| lang.const_name(name)),
        route_text => one_line(&route),
        route => route,
        response_field => lang.key(&response_key),
        response_key => response_key,
        constants => constants,
        payload => payload,
        uses => Jinja::from(minijinja::value::Serde(&uses(&plan.entries))),
        has_iat => has_iat,
    })
}

/// The template context for an identity-hash profile's server code: which user fields the
/// identifier comes from (first set wins), the secret's variable and the page's field name.
pub(super) fn hash_context(input: &SnippetInput<'_>) -> Jinja {
    let profile = input.profile;
    let rules = profile.hash.as_ref();
    let fields: Vec<&'static str> = rules
        .map(|r| {
            r.identifier
                .value
                .iter()
                .filter_map(|p| profile.field(p))
                .filter_map(|f| f.user)
                .map(|u| u.key())
                .collect()
        })
        .unwrap_or_default();
    let words = match fields.as_slice() {
        [one] => format!("the user's {one}"),
        [first, rest @ ..] => format!("the user's {first}, else their {}", rest.join(", else their ")),
        [] => "the user's identifier".to_string(),
    };
    let route =
        profile.server.as_ref().map_or_else(|| format!("/api/{}/identity", profile.id), |s| s.route.clone());
    context! {
        profile => context! { id => profile.id.clone(), name => one_line(&profile.name) },
        env_var => env_var(profile),
        fields => fields,
        identifier_words => words,
        page_field => rules.map_or_else(|| "hash".to_string(), |r| r.page_field.clone()),
        route_text => one_line(&route),
        route => route,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::ProfileSet;

    fn plan(id: &str, payload: Value) -> (Profile, Plan) {
        let set = ProfileSet::load(None);
        let profile = set.get(id).expect("profile").clone();
        let Value::Object(map) = payload else { panic!("object") };
        let plan = Plan::build(&profile, &map);
        (profile, plan)
    }

    fn leaf(plan: &Plan, path: &[&str]) -> Expr {
        let mut entries = &plan.entries;
        for (i, key) in path.iter().enumerate() {
            let entry = entries.iter().find(|e| e.key == *key).unwrap_or_else(|| panic!("no {key}"));
            match &entry.node {
                Node::Leaf { expr, .. } if i + 1 == path.len() => return expr.clone(),
                Node::Object(children) => entries = children,
                other => panic!("{other:?}"),
            }
        }
        panic!("no leaf at {path:?}")
    }

    #[test]
    fn identity_comes_from_the_user_and_derived_claims_are_derived() {
        let (_, talla) = plan(
            "talla",
            serde_json::json!({"exp": 1300, "account": {"first_name": "john", "last_name": "doe",
                "email": "john.doe@example.com", "uid": "8eb1"}}),
        );
        assert_eq!(leaf(&talla, &["exp"]), Expr::Now(300));
        assert_eq!(leaf(&talla, &["account", "email"]), Expr::User(UserField::Email));
        assert_eq!(
            leaf(&talla, &["account", "uid"]),
            Expr::Hash(Digest::Md5, Box::new(Expr::User(UserField::Email)))
        );
        assert_eq!(
            Lang::Python.expr(&leaf(&talla, &["account", "uid"])),
            "hashlib.md5(user[\"email\"].encode()).hexdigest()"
        );

        let (_, tiledesk) = plan(
            "tiledesk",
            serde_json::json!({"_id": "P_user-1", "sub": "userexternal", "aud": "https://tiledesk.com/projects/P",
                "email": "jane@example.com", "name": "Jane", "external_id": "user-1", "iat": 1000, "exp": 1300}),
        );
        assert_eq!(tiledesk.params, ["project_id"]);
        let id = leaf(&tiledesk, &["_id"]);
        assert_eq!(Lang::Node.expr(&id), "PROJECT_ID + \"_\" + String(user.id)");
        assert_eq!(Lang::Php.expr(&id), "PROJECT_ID . '_' . (string) $user['id']");
        assert_eq!(Lang::Go.expr(&id), "projectID + \"_\" + fmt.Sprint(user.ID)");
        assert_eq!(leaf(&tiledesk, &["sub"]), Expr::Lit(Value::from("userexternal")));
        assert_eq!(
            Lang::Ruby.expr(&leaf(&tiledesk, &["aud"])),
            "\"https://tiledesk.com/projects/\" + PROJECT_ID"
        );
        // optional claims the user has are issued even when the sample token lacks them
        assert_eq!(leaf(&tiledesk, &["firstname"]), Expr::User(UserField::FirstName));
        assert_eq!(Lang::Java.expr(&leaf(&tiledesk, &["lastname"])), "user.lastName()");

        let (_, ticketping) =
            plan("ticketping", serde_json::json!({"external_id": "123", "email": "a@b.co", "exp": 9}));
        assert_eq!(leaf(&ticketping, &["external_id"]), Expr::User(UserField::Id), "an id passes as it is");
        let (_, viasocket) =
            plan("viasocket", serde_json::json!({"org_id": "8069", "user_id": "unique_user_id"}));
        assert_eq!(Lang::Node.expr(&leaf(&viasocket, &["user_id"])), "String(user.id)");
        assert_eq!(Lang::Node.expr(&leaf(&viasocket, &["org_id"])), "ORG_ID");
        let (_, generic) =
            plan("generic-es256", serde_json::json!({"sub": "user-123", "iat": 1, "exp": 901}));
        assert_eq!(leaf(&generic, &["sub"]), Expr::User(UserField::Id).text());
        assert_eq!(leaf(&generic, &["exp"]), Expr::Now(900));
    }

    #[test]
    fn extra_claims_keep_their_value_and_samples_stay_in_comments() {
        let (_, orlo) = plan(
            "orlo",
            serde_json::json!({"name": "customer\u{2028}name?>", "isLoggedIn": true, "User ID": 124}),
        );
        assert_eq!(leaf(&orlo, &["User ID"]), Expr::Lit(Value::from(124)));
        assert_eq!(leaf(&orlo, &["isLoggedIn"]), Expr::Lit(Value::Bool(true)));
        let node = Lang::Node.object(&orlo.entries, "  ", true);
        assert!(node.contains("name: user.name, // sample value: \"customer\\u2028name?\\u003e\""), "{node}");
        assert!(node.contains("\"User ID\": 124,"), "{node}");
        let ruby = Lang::Ruby.object(&orlo.entries, "  ", true);
        assert!(ruby.contains("isLoggedIn: true,") && ruby.contains("\"User ID\" => 124,"), "{ruby}");
    }

    #[test]
    fn constants_get_each_languages_name_and_never_a_reserved_one() {
        assert_eq!(Lang::Python.const_name("project_id"), "PROJECT_ID");
        assert_eq!(Lang::Go.const_name("project_id"), "projectID");
        assert_eq!(Lang::CSharp.const_name("project_id"), "ProjectId");
        assert_eq!(Lang::Node.const_name("key"), "KEY_VALUE");
        assert_eq!(Lang::Node.const_name("9lives"), "PARAM_9LIVES");
    }
}
