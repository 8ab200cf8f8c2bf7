//! Rendering the payload plan in each language's syntax: expressions, object literals (aligned
//! as gofmt aligns them, for Go), Java's statements, identifiers and comments.

use serde_json::Value;

use super::{Digest, Entry, Expr, Lang, Node};
use crate::claims::UserField;
use crate::snippet::literal;

/// One `key: value,` line of an object literal, with its comment.
struct Row {
    key: String,
    value: String,
    comment: Option<String>,
}

/// The key and value column widths gofmt gives each row of a composite literal (so the Go code
/// is already `gofmt`-clean): consecutive one-line entries form a section whose values line up
/// one space after the longest key; within a section, consecutive commented rows line up their
/// comments one space after the longest value. A multi-line entry stands alone.
fn gofmt_widths(rows: &[Row]) -> Vec<(usize, usize)> {
    let width = |text: &str| text.chars().count();
    let mut out = vec![(0, 0); rows.len()];
    let mut start = 0;
    while start < rows.len() {
        let single = |r: &Row| !r.value.contains('\n');
        let end = if rows.get(start).is_some_and(single) {
            start.saturating_add(
                rows.get(start..).map_or(0, |rest| rest.iter().take_while(|r| single(r)).count()),
            )
        } else {
            start.saturating_add(1)
        };
        let section = rows.get(start..end).unwrap_or_default();
        let key_width = section.iter().map(|r| width(&r.key)).max().unwrap_or(0);
        let mut run = start;
        while run < end {
            let commented =
                rows.get(run..end).map_or(0, |rest| rest.iter().take_while(|r| r.comment.is_some()).count());
            let block = rows.get(run..run.saturating_add(commented)).unwrap_or_default();
            let value_width = block.iter().map(|r| width(&r.value)).max().unwrap_or(0).saturating_add(1);
            for slot in out.get_mut(run..run.saturating_add(commented.max(1))).into_iter().flatten() {
                *slot = (key_width, value_width);
            }
            run = run.saturating_add(commented.max(1));
        }
        start = end;
    }
    out
}

/// Names the templates use for themselves: a parameter must not take one.
const RESERVED: [&str; 16] = [
    "key",
    "now",
    "payload",
    "claims",
    "token",
    "user",
    "err",
    "alg",
    "route",
    "secret",
    "header",
    "input",
    "signature",
    "app",
    "data",
    "main",
];

fn words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

fn capitalized(word: &str, initialisms: bool) -> String {
    if initialisms && matches!(word, "id" | "url" | "uri" | "api" | "http" | "json") {
        return word.to_ascii_uppercase();
    }
    let mut chars = word.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

impl Lang {
    /// A parameter's constant: `PROJECT_ID`, `projectID` (Go), `ProjectId` (C#).
    pub(super) fn const_name(self, param: &str) -> String {
        let mut words = words(param);
        if words.is_empty() || words.first().is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit())) {
            words.insert(0, "param".to_string());
        }
        if RESERVED.contains(&words.join("_").as_str()) {
            words.push("value".to_string());
        }
        match self {
            Lang::Go => words
                .iter()
                .enumerate()
                .map(|(i, w)| if i == 0 { w.clone() } else { capitalized(w, true) })
                .collect(),
            Lang::CSharp => words.iter().map(|w| capitalized(w, false)).collect(),
            _ => words.join("_").to_ascii_uppercase(),
        }
    }

    fn user(self, field: UserField) -> String {
        let key = field.key();
        match self {
            Lang::Node => format!("user.{key}"),
            Lang::Python => format!("user[\"{key}\"]"),
            Lang::Ruby => format!("user[:{key}]"),
            Lang::Php => format!("$user['{key}']"),
            Lang::Go | Lang::CSharp => {
                let name: String = words(key).iter().map(|w| capitalized(w, self == Lang::Go)).collect();
                format!("user.{name}")
            }
            Lang::Java => {
                let name: String = words(key)
                    .iter()
                    .enumerate()
                    .map(|(i, w)| if i == 0 { w.clone() } else { capitalized(w, false) })
                    .collect();
                format!("user.{name}()")
            }
        }
    }

    pub(super) fn expr(self, expr: &Expr) -> String {
        let grouped = |code: String| if code.contains(' ') { format!("({code})") } else { code };
        match expr {
            Expr::Lit(value) => literal(self.code(), value),
            Expr::User(field) => self.user(*field),
            Expr::Param(name) => self.const_name(name),
            Expr::Text(inner) => {
                let code = self.expr(inner);
                match self {
                    Lang::Node => format!("String({code})"),
                    Lang::Python => format!("str({code})"),
                    Lang::Ruby => format!("{}.to_s", grouped(code)),
                    Lang::Php => format!("(string) {}", grouped(code)),
                    Lang::Go => format!("fmt.Sprint({code})"),
                    Lang::Java => format!("String.valueOf({code})"),
                    Lang::CSharp => format!("Convert.ToString({code}, CultureInfo.InvariantCulture)"),
                }
            }
            Expr::Concat(parts) => {
                let glue = if self == Lang::Php { " . " } else { " + " };
                parts.iter().map(|p| self.expr(p)).collect::<Vec<_>>().join(glue)
            }
            Expr::Hash(digest, inner) => {
                let code = self.expr(inner);
                let md5 = *digest == Digest::Md5;
                match self {
                    Lang::Node => {
                        format!(
                            "crypto.createHash(\"{}\").update({code}).digest(\"hex\")",
                            if md5 { "md5" } else { "sha256" }
                        )
                    }
                    Lang::Python => {
                        format!(
                            "hashlib.{}({}.encode()).hexdigest()",
                            if md5 { "md5" } else { "sha256" },
                            grouped(code)
                        )
                    }
                    Lang::Ruby => format!("Digest::{}.hexdigest({code})", if md5 { "MD5" } else { "SHA256" }),
                    Lang::Php if md5 => format!("md5({code})"),
                    Lang::Php => format!("hash('sha256', {code})"),
                    Lang::Go if md5 => format!("fmt.Sprintf(\"%x\", md5.Sum([]byte({code})))"),
                    Lang::Go => format!("fmt.Sprintf(\"%x\", sha256.Sum256([]byte({code})))"),
                    Lang::Java => format!("hexDigest(\"{}\", {code})", if md5 { "MD5" } else { "SHA-256" }),
                    Lang::CSharp => format!(
                        "Convert.ToHexString({}.HashData(Encoding.UTF8.GetBytes({code}))).ToLowerInvariant()",
                        if md5 { "MD5" } else { "SHA256" }
                    ),
                }
            }
            Expr::Now(offset) => {
                let now = if self == Lang::Php { "$now" } else { "now" };
                match offset {
                    0 => now.to_string(),
                    o if *o < 0 => format!("{now} - {}", o.unsigned_abs()),
                    o => format!("{now} + {o}"),
                }
            }
            Expr::Uuid => match self {
                Lang::Node => "crypto.randomUUID()".into(),
                Lang::Python => "str(uuid.uuid4())".into(),
                Lang::Ruby => "SecureRandom.uuid".into(),
                Lang::Php | Lang::Go => "uuid4()".into(),
                Lang::Java => "java.util.UUID.randomUUID().toString()".into(),
                Lang::CSharp => "Guid.NewGuid().ToString()".into(),
            },
        }
    }

    /// A line comment holding the token's value, in ASCII so that no character can end the
    /// line early (U+2028 does in JavaScript and C#) and no `?>` can leave PHP mode.
    fn sample_comment(self, value: &Value) -> String {
        let json = serde_json::to_string(value).unwrap_or_default();
        let mut ascii = String::with_capacity(json.len());
        for c in json.chars() {
            if c.is_ascii() && !c.is_ascii_control() {
                ascii.push(c);
            } else {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    ascii.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
        format!("{} sample value: {}", self.comment(), ascii.replace("?>", "?\\u003e"))
    }

    pub(super) fn key(self, key: &str) -> String {
        let identifier = |extra: &str| {
            key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || extra.contains(c))
                && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || extra.contains(c))
        };
        match self {
            Lang::Node if identifier("$") => format!("{key}:"),
            Lang::Ruby if identifier("") => format!("{key}:"),
            Lang::Ruby => format!("{} =>", literal("rb", &Value::from(key))),
            Lang::CSharp => format!("[{}] =", literal("cs", &Value::from(key))),
            Lang::Php => format!("{} =>", literal("php", &Value::from(key))),
            _ => format!("{}:", literal(self.code(), &Value::from(key))),
        }
    }

    /// The payload as one expression (every language but Java).
    pub(super) fn object(self, entries: &[Entry], indent: &str, top: bool) -> String {
        if entries.is_empty() {
            return match self {
                Lang::Php => "(object) []".into(),
                Lang::Go if top => "jwt.MapClaims{}".into(),
                Lang::Go => "map[string]any{}".into(),
                Lang::CSharp if top => "new JwtPayload()".into(),
                Lang::CSharp => "new Dictionary<string, object>()".into(),
                _ => "{}".into(),
            };
        }
        let inner = format!("{indent}{}", self.indent_unit());
        let mut out = match self {
            Lang::Php => "[".to_string(),
            Lang::Go if top => "jwt.MapClaims{".to_string(),
            Lang::Go => "map[string]any{".to_string(),
            Lang::CSharp if top => format!("new JwtPayload\n{indent}{{"),
            Lang::CSharp => format!("new Dictionary<string, object>\n{indent}{{"),
            _ => "{".to_string(),
        };
        out.push('\n');
        let rows: Vec<Row> = entries
            .iter()
            .map(|entry| {
                let (value, comment) = match &entry.node {
                    Node::Leaf { expr, sample } => {
                        (self.expr(expr), sample.as_ref().map(|s| self.sample_comment(s)))
                    }
                    Node::Object(children) => (self.object(children, &inner, false), None),
                };
                Row { key: self.key(&entry.key), value: format!("{value},"), comment }
            })
            .collect();
        let widths = if self == Lang::Go { gofmt_widths(&rows) } else { vec![(0, 0); rows.len()] };
        for (row, (key_width, value_width)) in rows.iter().zip(widths) {
            out.push_str(&format!("{inner}{:<key_width$} {}", row.key, row.value));
            if let Some(comment) = &row.comment {
                // PEP 8 wants two spaces before an inline comment; gofmt aligns them.
                let pad = match self {
                    Lang::Python => 2,
                    _ => value_width.saturating_sub(row.value.chars().count()).max(1),
                };
                out.push_str(&" ".repeat(pad));
                out.push_str(comment);
            }
            out.push('\n');
        }
        out.push_str(indent);
        out.push_str(if self == Lang::Php { "]" } else { "}" });
        out
    }

    /// The payload as Java statements building `LinkedHashMap`s (keeps the claims' order, and
    /// unlike `Map.of` takes any number of entries).
    pub(super) fn java_block(
        self,
        entries: &[Entry],
        var: &str,
        indent: &str,
        names: &mut Vec<String>,
        out: &mut Vec<String>,
    ) {
        out.push(format!("{indent}var {var} = new LinkedHashMap<String, Object>();"));
        for entry in entries {
            let key = literal("java", &Value::from(entry.key.as_str()));
            match &entry.node {
                Node::Leaf { expr, sample } => {
                    let comment =
                        sample.as_ref().map(|s| format!(" {}", self.sample_comment(s))).unwrap_or_default();
                    out.push(format!("{indent}{var}.put({key}, {});{comment}", self.expr(expr)));
                }
                Node::Object(children) => {
                    let child = java_name(&entry.key, names);
                    self.java_block(children, &child, indent, names, out);
                    out.push(format!("{indent}{var}.put({key}, {child});"));
                }
            }
        }
    }
}

const JAVA_KEYWORDS: [&str; 20] = [
    "abstract", "boolean", "case", "class", "default", "do", "double", "else", "enum", "final", "for", "if",
    "int", "long", "new", "package", "private", "public", "return", "static",
];

fn java_name(key: &str, names: &mut Vec<String>) -> String {
    let words = words(key);
    let mut name: String = words
        .iter()
        .enumerate()
        .map(|(i, w)| if i == 0 { w.clone() } else { capitalized(w, false) })
        .collect();
    if name.is_empty()
        || name.starts_with(|c: char| c.is_ascii_digit())
        || JAVA_KEYWORDS.contains(&name.as_str())
    {
        name = format!("claims{}", names.len());
    }
    while names.contains(&name) {
        name.push('_');
    }
    names.push(name.clone());
    name
}
