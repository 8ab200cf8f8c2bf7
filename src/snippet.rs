//! Snippets from templates kept as data (`assets/snippets/`, minijinja): the embed code for the
//! page, per vendor flavour, and server code in seven languages that issues the same token.
//! Every value is escaped for where it lands (JS string, HTML attribute, each language's
//! literals), so a claim holding `"` or `</script>` cannot break the page or the code.
//! A browser snippet only ever holds the signed token, never a secret or a private key.

use std::fmt;

use minijinja::{Environment, Value as Jinja, context};
use serde_json::{Map, Value};

use crate::profile::{Profile, Scheme};
use crate::token::Family;

pub mod server;

mod templates {
    include!(concat!(env!("OUT_DIR"), "/builtin_snippets.rs"));
}

/// Where a snippet goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FlavorKind {
    /// The page, with the token in it (for testing).
    Embed,
    /// The server code that issues tokens in production.
    Server,
}

/// A snippet flavour a profile offers.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Flavor {
    /// Its name (`html`, `react`, `node`).
    pub name: String,
    /// Page or server.
    pub kind: FlavorKind,
    /// What it is, from the template's first comment.
    pub description: String,
}

/// Why a snippet could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnippetError {
    /// No such flavour for the profile.
    #[error(
        "profile '{profile}' has no snippet flavour '{flavor}': choose one of {known} (`tokensmith snippet --profile {profile} --list`)"
    )]
    UnknownFlavor {
        /// What was asked for.
        flavor: String,
        /// The profile.
        profile: String,
        /// The flavours it has.
        known: String,
    },
    /// A template failed to render (a bug in a template file).
    #[error("snippet template '{0}' failed: {1}")]
    Template(String, String),
}

const SERVER: &str = "server";
/// Server code for identity-hash profiles: it computes the hash, not a token.
const SERVER_HASH: &str = "server-hash";

/// The server templates' group for a profile: none for a token the vendor issues.
fn server_group(profile: &Profile) -> Option<&'static str> {
    match profile.scheme {
        Scheme::Jwt => Some(SERVER),
        Scheme::IdentityHash => Some(SERVER_HASH),
        Scheme::VendorIssued => None,
    }
}

fn description(text: &str) -> String {
    text.trim_start()
        .strip_prefix("{#")
        .and_then(|rest| rest.split_once("#}"))
        .map(|(comment, _)| comment.trim().to_string())
        .unwrap_or_default()
}

fn embed_group(profile: &Profile) -> &str {
    if templates::SNIPPETS.iter().any(|(name, _)| name.split('/').next() == Some(profile.id.as_str())) {
        &profile.id
    } else {
        "generic"
    }
}

/// The flavours a profile offers: its embed flavours, then the server languages.
pub fn flavors(profile: &Profile) -> Vec<Flavor> {
    let group = embed_group(profile);
    let of = |wanted: &str, kind: FlavorKind| {
        templates::SNIPPETS
            .iter()
            .filter_map(move |(name, text)| {
                let (g, flavor) = name.split_once('/')?;
                (g == wanted).then(|| Flavor {
                    name: flavor.to_string(),
                    kind,
                    description: description(text),
                })
            })
            .collect::<Vec<_>>()
    };
    let mut embed = of(group, FlavorKind::Embed);
    // `html` first: it is what most pages need.
    embed.sort_by_key(|f| (f.name != "html", f.name.clone()));
    let mut server = server_group(profile).map(|g| of(g, FlavorKind::Server)).unwrap_or_default();
    let order = ["node", "python", "ruby", "php", "go", "java", "csharp"];
    server.sort_by_key(|f| order.iter().position(|o| *o == f.name).unwrap_or(order.len()));
    embed.into_iter().chain(server).collect()
}

/// What a snippet is made from.
pub struct SnippetInput<'a> {
    /// The vendor profile.
    pub profile: &'a Profile,
    /// The signed token (embed snippets put it in the page).
    pub token: &'a str,
    /// The token's payload (server code issues the same claims).
    pub payload: &'a Map<String, Value>,
    /// Snippet parameters (app id, widget id...).
    pub params: &'a [(String, String)],
}

/// A JavaScript string literal safe inside `<script>`: JSON escaping plus `</` and the line
/// separators JavaScript treats as newlines.
pub fn js_string(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_else(|_| "\"\"".to_string())
        .replace("</", "<\\/")
        .replace("<!--", "<\\!--")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Text escaped for an HTML attribute value in double quotes (or element text).
pub fn html_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A JSON value as a literal of a server language.
pub fn literal(lang: &str, value: &Value) -> String {
    let list = |items: Vec<String>, open: &str, close: &str| format!("{open}{}{close}", items.join(", "));
    let string = |s: &str| serde_json::to_string(s).unwrap_or_default();
    match (lang, value) {
        (_, Value::String(s)) => match lang {
            "rb" => string(s).replace('#', "\\#"),
            "php" => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            "js" => js_string(s),
            // C# ends a string literal's line at U+2028, U+2029 and U+0085 too.
            "cs" => string(s)
                .replace('\u{2028}', "\\u2028")
                .replace('\u{2029}', "\\u2029")
                .replace('\u{85}', "\\u0085"),
            _ => string(s),
        },
        (_, Value::Bool(b)) => match lang {
            "py" => (if *b { "True" } else { "False" }).to_string(),
            _ => b.to_string(),
        },
        (_, Value::Null) => match lang {
            "py" => "None".into(),
            "rb" | "go" => "nil".into(),
            _ => "null".into(),
        },
        (_, Value::Number(n)) => match lang {
            "java" | "cs" if n.is_i64() || n.is_u64() => format!("{n}L"),
            _ => n.to_string(),
        },
        (_, Value::Array(items)) => {
            let items: Vec<String> = items.iter().map(|v| literal(lang, v)).collect();
            match lang {
                "go" => list(items, "[]any{", "}"),
                "java" => list(items, "java.util.List.of(", ")"),
                "cs" => list(items, "new object[] { ", " }"),
                _ => list(items, "[", "]"),
            }
        }
        (_, Value::Object(map)) => {
            let entries = map.iter().map(|(k, v)| {
                let (k, v) = (literal(lang, &Value::String(k.clone())), literal(lang, v));
                match lang {
                    "rb" | "php" => format!("{k} => {v}"),
                    "java" => format!("java.util.Map.entry({k}, {v})"),
                    "cs" => format!("[{k}] = {v}"),
                    _ => format!("{k}: {v}"),
                }
            });
            let entries: Vec<String> = entries.collect();
            match lang {
                "go" => list(entries, "map[string]any{", "}"),
                "java" => list(entries, "java.util.Map.ofEntries(", ")"),
                "cs" => list(entries, "new Dictionary<string, object> { ", " }"),
                "php" => list(entries, "[", "]"),
                _ => list(entries, "{", "}"),
            }
        }
    }
}

/// The template environment, built once: every template is parsed on the first render, not on
/// each one (the workbench renders the snippet overlay on every frame it is open).
fn environment() -> &'static Environment<'static> {
    static ENV: std::sync::OnceLock<Environment<'static>> = std::sync::OnceLock::new();
    ENV.get_or_init(build_environment)
}

fn build_environment() -> Environment<'static> {
    let mut env = Environment::new();
    // Escaping is explicit, per context, with the filters below.
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_filter("js", |v: String| js_string(&v));
    env.add_filter("attr", |v: String| html_attr(&v));
    // Text inside a Python docstring: a backslash or a quote could end or break it.
    env.add_filter("pydoc", |v: String| v.replace('\\', "\\\\").replace('"', "\\\""));
    env.add_filter("lit", |v: Jinja, lang: String| {
        let json: Value = serde_json::to_value(&v).unwrap_or(Value::Null);
        literal(&lang, &json)
    });
    for (name, text) in templates::SNIPPETS {
        let _ = env.add_template(name, text);
    }
    env
}

impl fmt::Display for FlavorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FlavorKind::Embed => "page",
            FlavorKind::Server => "server",
        })
    }
}

/// The environment variable the server code reads the secret or key from.
pub fn env_var(profile: &Profile) -> String {
    let base = profile.id.to_uppercase().replace('-', "_");
    if profile.scheme == Scheme::IdentityHash {
        return format!("{base}_IDENTITY_SECRET");
    }
    match profile.key_kind {
        Family::Hmac => format!("{base}_JWT_SECRET"),
        _ => format!("{base}_PRIVATE_KEY"),
    }
}

/// Renders one flavour.
pub fn render(input: &SnippetInput<'_>, flavor: &str) -> Result<String, SnippetError> {
    let profile = input.profile;
    let available = flavors(profile);
    let Some(chosen) = available.iter().find(|f| f.name == flavor) else {
        return Err(SnippetError::UnknownFlavor {
            flavor: flavor.to_string(),
            profile: profile.id.clone(),
            known: available.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", "),
        });
    };
    let name = match chosen.kind {
        FlavorKind::Embed => format!("{}/{flavor}", embed_group(profile)),
        FlavorKind::Server => format!("{}/{flavor}", server_group(profile).unwrap_or(SERVER)),
    };
    let ctx = match (chosen.kind, server::Lang::of_flavor(flavor)) {
        (FlavorKind::Server, Some(_)) if profile.scheme == Scheme::IdentityHash => {
            server::hash_context(input)
        }
        (FlavorKind::Server, Some(lang)) => match server::context(input, lang) {
            server::Source::Template(ctx) => ctx,
            server::Source::Note(note) => return Ok(note),
        },
        _ => {
            let params: std::collections::BTreeMap<&str, &str> =
                input.params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            context! {
                token => input.token,
                prefix => profile.snippet.token_prefix.clone().unwrap_or_default(),
                params => Jinja::from(minijinja::value::Serde(&params)),
                user => Jinja::from(minijinja::value::Serde(input.payload)),
                payload => Jinja::from(minijinja::value::Serde(input.payload)),
                profile => context! { id => profile.id.clone(), name => profile.name.clone() },
            }
        }
    };
    let env = environment();
    env.get_template(&name)
        .and_then(|t| t.render(ctx))
        .map(|text| text.trim_start().to_string())
        .map_err(|e| SnippetError::Template(name.clone(), format!("{e:#}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_values_cannot_break_out_of_their_context() {
        assert_eq!(
            js_string("</script><script>alert(1)</script>"),
            r#""<\/script><script>alert(1)<\/script>""#
        );
        assert_eq!(js_string("a\"b\\c\u{2028}"), r#""a\"b\\c\u2028""#);
        assert_eq!(html_attr(r#""><script>x</script>"#), "&quot;&gt;&lt;script&gt;x&lt;/script&gt;");
        assert_eq!(literal("php", &Value::from("it's $HOME")), r"'it\'s $HOME'");
        assert_eq!(literal("rb", &Value::from("#{`rm -rf`}")), r#""\#{`rm -rf`}""#);
        assert_eq!(
            literal("py", &serde_json::json!({"a": [true, null, 1.5]})),
            r#"{"a": [True, None, 1.5]}"#
        );
        assert_eq!(
            literal("go", &serde_json::json!({"a": {"b": 1}})),
            r#"map[string]any{"a": map[string]any{"b": 1}}"#
        );
        assert_eq!(
            literal("java", &serde_json::json!({"n": 2})),
            r#"java.util.Map.ofEntries(java.util.Map.entry("n", 2L))"#
        );
        assert_eq!(
            literal("cs", &serde_json::json!({"n": "x"})),
            r#"new Dictionary<string, object> { ["n"] = "x" }"#
        );
    }
}
