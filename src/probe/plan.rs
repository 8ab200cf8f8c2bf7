//! What a probe sends: the URL, method, headers, cookies and the page's origin, how many
//! times and how far apart; checked before any connection.

use std::time::Duration;

use crate::net::{self, NetError};

use super::{DEFAULT_COUNT, DEFAULT_INTERVAL, MAX_COUNT};

/// The requests a probe makes.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The token endpoint: https, or http to this machine.
    pub url: String,
    /// GET (the default), POST...
    pub method: String,
    /// Extra headers (`Authorization`), in order.
    pub headers: Vec<(String, String)>,
    /// Cookies (the user's session), in order; sent as one Cookie header, never shown.
    pub cookies: Vec<(String, String)>,
    /// The page's origin (`https://shop.example`): sent as Origin, and CORS is judged for it.
    pub origin: Option<String>,
    /// How many requests (1 to [`MAX_COUNT`]).
    pub count: u32,
    /// The wait between requests.
    pub interval: Duration,
    /// Whether loopback and private-network addresses may be called.
    pub allow_private: bool,
}

/// Why a plan cannot be sent. Each message names the problem and what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// The URL, or a private address not allowed.
    #[error(transparent)]
    Url(#[from] NetError),
    /// A count out of range.
    #[error("--count {0}: give a number of requests from 1 to {MAX_COUNT}")]
    Count(u32),
    /// A header not written NAME:VALUE, or not a valid header.
    #[error(
        "--header '{0}': write NAME:VALUE (Authorization:'Bearer ...'), a name of letters, digits and '-'"
    )]
    Header(String),
    /// A cookie not written NAME=VALUE.
    #[error("--cookie '{0}': write NAME=VALUE (session=abc123), as the browser sends it")]
    Cookie(String),
    /// An origin that is not one.
    #[error("--origin '{0}': give the page's origin, scheme and host (and port): https://shop.example")]
    Origin(String),
    /// A method that is not a token.
    #[error("--method '{0}': give an HTTP method such as GET or POST")]
    Method(String),
    /// A word the workbench's line does not know.
    #[error(
        "'{0}' is not understood: write URL [--allow-private] [--origin ORIGIN] [--cookie N=V] [--header N:V] [--count N]"
    )]
    Line(String),
}

impl Plan {
    /// A GET of `url`, [`DEFAULT_COUNT`] times, [`DEFAULT_INTERVAL`] apart, public addresses
    /// only.
    pub fn new(url: &str) -> Plan {
        Plan {
            url: url.trim().to_string(),
            method: "GET".to_string(),
            headers: Vec::new(),
            cookies: Vec::new(),
            origin: None,
            count: DEFAULT_COUNT,
            interval: DEFAULT_INTERVAL,
            allow_private: false,
        }
    }

    /// Adds a header written `NAME:VALUE` (`--header`).
    pub fn header(&mut self, text: &str) -> Result<(), PlanError> {
        let bad = || PlanError::Header(crate::text::inline(text).into_owned());
        let (name, value) = text.split_once(':').ok_or_else(bad)?;
        let name = name.trim();
        let value = value.trim();
        if name.is_empty()
            || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            || value.bytes().any(|b| b.is_ascii_control())
        {
            return Err(bad());
        }
        self.headers.push((name.to_string(), value.to_string()));
        Ok(())
    }

    /// Adds a cookie written `NAME=VALUE` (`--cookie`).
    pub fn cookie(&mut self, text: &str) -> Result<(), PlanError> {
        // The value is a session: the error quotes only the name.
        let (name, value) = text.split_once('=').unwrap_or((text, ""));
        let shown = text.split(['=', ' ']).next().unwrap_or_default();
        let bad = || PlanError::Cookie(format!("{}=...", crate::text::inline(shown.trim())));
        if name.trim().is_empty()
            || !text.contains('=')
            || name.contains([';', ' ', ','])
            || value.bytes().any(|b| b.is_ascii_control() || b == b';')
        {
            return Err(bad());
        }
        self.cookies.push((name.trim().to_string(), value.to_string()));
        Ok(())
    }

    /// Sets the page's origin (`--origin`): a scheme and host, no path.
    pub fn origin(&mut self, text: &str) -> Result<(), PlanError> {
        let text = text.trim().trim_end_matches('/');
        let bad = || PlanError::Origin(crate::text::inline(text).into_owned());
        let (scheme, rest) = text.split_once("://").ok_or_else(bad)?;
        if !matches!(scheme, "http" | "https") || rest.is_empty() || rest.contains(['/', '?', '#', ' ']) {
            return Err(bad());
        }
        self.origin = Some(text.to_string());
        Ok(())
    }

    /// Sets the method (`--method`), upper-cased.
    pub fn method(&mut self, text: &str) -> Result<(), PlanError> {
        let method = text.trim().to_ascii_uppercase();
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(PlanError::Method(crate::text::inline(text).into_owned()));
        }
        self.method = method;
        Ok(())
    }

    /// The workbench's one line: `URL [--allow-private] [--origin ORIGIN] [--cookie N=V]
    /// [--header N:V] [--count N]`, the CLI's options in its words.
    pub fn parse_line(line: &str) -> Result<Plan, PlanError> {
        let mut words = line.split_whitespace();
        let url = words.next().ok_or_else(|| PlanError::Line(String::new()))?;
        let mut plan = Plan::new(url);
        while let Some(word) = words.next() {
            let mut value = || words.next().ok_or_else(|| PlanError::Line(word.to_string()));
            match word {
                "--allow-private" => plan.allow_private = true,
                "--origin" => plan.origin(value()?)?,
                "--cookie" => plan.cookie(value()?)?,
                "--header" => plan.header(value()?)?,
                "--method" => plan.method(value()?)?,
                "--count" => {
                    let text = value()?;
                    plan.count = text.parse().map_err(|_| PlanError::Line(format!("--count {text}")))?;
                }
                other => return Err(PlanError::Line(crate::text::inline(other).into_owned())),
            }
        }
        Ok(plan)
    }

    /// Checks the plan before any connection: the count, and the URL (https or http to this
    /// machine; loopback and private-network hosts only when allowed).
    pub fn check(&self) -> Result<(), PlanError> {
        if self.count == 0 || self.count > MAX_COUNT {
            return Err(PlanError::Count(self.count));
        }
        net::check_url(&self.url)?;
        if !self.allow_private {
            let uri = net::check_url(&self.url)?;
            let host = uri.host().unwrap_or_default();
            let port = uri.port_u16().unwrap_or(if uri.scheme_str() == Some("http") { 80 } else { 443 });
            if let Some(what) = net::private_host(host, port) {
                return Err(PlanError::Url(NetError::Private {
                    url: crate::text::inline(&self.url).into_owned(),
                    host: crate::text::inline(host).into_owned(),
                    what,
                }));
            }
        }
        Ok(())
    }

    /// Whether the page's request carries credentials (cookies, or an Authorization header):
    /// CORS then needs the exact origin and Access-Control-Allow-Credentials.
    pub fn credentials(&self) -> bool {
        !self.cookies.is_empty() || self.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("authorization"))
    }

    /// The request as sent: Accept JSON, the Origin, the headers and the cookies.
    pub fn request(&self) -> net::Request {
        let mut headers = vec![("Accept".to_string(), "application/json".to_string())];
        if let Some(origin) = &self.origin {
            headers.push(("Origin".to_string(), origin.clone()));
        }
        headers.extend(self.headers.iter().cloned());
        if !self.cookies.is_empty() {
            let cookie: Vec<String> = self.cookies.iter().map(|(n, v)| format!("{n}={v}")).collect();
            headers.push(("Cookie".to_string(), cookie.join("; ")));
        }
        net::Request { method: self.method.clone(), url: self.url.clone(), headers }
    }

    /// The origin of the URL probed (`https://api.example`), to tell a same-origin page.
    pub fn url_origin(&self) -> Option<String> {
        let uri: ureq::http::Uri = self.url.parse().ok()?;
        Some(format!("{}://{}", uri.scheme_str()?, uri.authority()?.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_reads_like_the_command_line() {
        let plan = Plan::parse_line(
            "https://api.example/token --origin https://shop.example/ --cookie sid=abc --header Authorization:Bearer_x --count 3",
        )
        .expect("parses");
        assert_eq!(plan.origin.as_deref(), Some("https://shop.example"));
        assert_eq!(plan.cookies, [("sid".to_string(), "abc".to_string())]);
        assert_eq!(plan.count, 3);
        assert!(plan.credentials());
        assert!(
            matches!(Plan::parse_line("https://a.test --frob"), Err(PlanError::Line(w)) if w == "--frob")
        );
        assert!(Plan::parse_line("https://a.test --origin shop.example").is_err());
    }

    #[test]
    fn a_private_address_is_refused_unless_allowed() {
        let plan = Plan::new("http://127.0.0.1:9/token");
        let err = plan.check().expect_err("refused");
        assert!(err.to_string().contains("--allow-private"), "{err}");
        assert!(Plan { allow_private: true, ..plan }.check().is_ok());
        let err = Plan::new("https://10.0.0.7/token").check().expect_err("refused");
        assert!(err.to_string().contains("private-network"), "{err}");
    }

    #[test]
    fn a_cookie_error_does_not_quote_the_session() {
        let err = Plan::new("https://a.test").cookie("sid secret-value").expect_err("no =");
        assert!(!err.to_string().contains("secret-value"), "{err}");
    }
}
