//! Snippets for the page. Until the snippet templates land, a minimal one per profile: the
//! token (with the vendor's prefix) and the snippet parameters, as JavaScript values escaped
//! so that no claim can break out of the script.

use crate::profile::Profile;

/// A JavaScript string literal safe inside `<script>`: JSON escaping plus `</` and the line
/// separators JavaScript treats as newlines.
pub fn js_string(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_else(|_| "\"\"".to_string())
        .replace("</", "<\\/")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// A minimal page snippet: the token and parameters as variables, with a pointer to the
/// vendor's documentation. Never holds a secret: only the signed token.
pub fn minimal(profile: &Profile, token: &str, params: &[(String, String)]) -> String {
    let mut out = String::new();
    out.push_str(&format!("<!-- {}: identify the logged-in user -->\n<script>\n", profile.name));
    for (name, value) in params {
        out.push_str(&format!("  var {} = {};\n", js_identifier(name), js_string(value)));
    }
    let prefix = profile.snippet.token_prefix.as_deref().unwrap_or("");
    out.push_str(&format!("  var token = {};\n", js_string(&format!("{prefix}{token}"))));
    if let Some(docs) = &profile.docs {
        out.push_str(&format!("  // pass `token` to the widget as {docs:?} describes\n"));
    }
    out.push_str("</script>\n");
    out
}

fn js_identifier(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = false;
        } else {
            upper = !out.is_empty();
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) { format!("p{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_values_cannot_break_the_script() {
        assert_eq!(
            js_string("</script><script>alert(1)</script>"),
            r#""<\/script><script>alert(1)<\/script>""#
        );
        assert_eq!(js_string("a\"b\\c\u{2028}"), r#""a\"b\\c\u2028""#);
        assert_eq!(js_identifier("app_id"), "appId");
        assert_eq!(js_identifier("2x"), "p2x");
    }

    #[test]
    fn the_minimal_snippet_has_the_prefix_and_params() {
        let set = crate::profile::ProfileSet::load(None);
        let tiledesk = set.get("tiledesk").expect("tiledesk");
        let text = minimal(tiledesk, "a.b.c", &[("widget_id".into(), "w</script>".into())]);
        assert!(text.contains(r#"var token = "JWT a.b.c";"#), "{text}");
        assert!(text.contains(r#"var widgetId = "w<\/script>";"#), "{text}");
    }
}
