//! A small, bounded HTTP client for the few requests tokensmith makes (a keyset, an
//! openid-configuration): HTTPS with the system's roots (plus a private CA), or plain HTTP to
//! the machine itself; a timeout on the whole exchange, a cap on the body, redirects followed
//! by hand (each hop checked like the first) up to a bound, and one clear error per failure.
//! [`send`] returns the status, headers and body as they came, for any caller; [`get_json`] is
//! the keyset's use of it.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use ureq::http::Uri;

use crate::text::inline;

/// The default time for a whole exchange (connect, TLS, headers and body), each hop.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default cap on a response body: a JWKS or discovery document is a few KiB.
pub const DEFAULT_MAX_BYTES: u64 = 1 << 20;
/// The default number of redirects followed.
pub const DEFAULT_MAX_REDIRECTS: u32 = 5;
/// How much of an unexpected body an error quotes.
pub const BODY_START: usize = 200;

/// How a request is made.
#[derive(Clone, Debug)]
pub struct Options {
    /// Time for each hop's whole exchange.
    pub timeout: Duration,
    /// The most bytes of body read; more is an error.
    pub max_bytes: u64,
    /// The most redirects followed.
    pub max_redirects: u32,
    /// A PEM file of CA certificates trusted besides the system's (a private CA).
    pub ca_file: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: DEFAULT_TIMEOUT,
            max_bytes: DEFAULT_MAX_BYTES,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            ca_file: None,
        }
    }
}

/// A request: method, URL and headers (no body yet: nothing sends one).
#[derive(Clone, Debug)]
pub struct Request {
    /// GET, HEAD, ...
    pub method: String,
    /// An https URL, or http to the machine itself.
    pub url: String,
    /// Extra headers, in order.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// A GET of `url` with no extra header.
    pub fn get(url: &str) -> Request {
        Request { method: "GET".to_string(), url: url.to_string(), headers: Vec::new() }
    }
}

/// A response as it came: the URL that answered (after redirects), status, headers, body.
#[derive(Clone, Debug)]
pub struct Response {
    /// The URL that gave this response.
    pub url: String,
    /// The redirects followed to get here, in order.
    pub redirects: Vec<String>,
    /// The HTTP status.
    pub status: u16,
    /// The headers, names in lower case, in order.
    pub headers: Vec<(String, String)>,
    /// The body (at most `Options::max_bytes`).
    pub body: Vec<u8>,
}

impl Response {
    /// The first header of this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Why a request failed. Each message names the URL, the problem and what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NetError {
    /// Not a URL tokensmith can fetch.
    #[error("'{url}' is not a URL tokensmith can fetch: {reason}")]
    BadUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Plain http to another machine.
    #[error(
        "'{url}' is plain http to another machine: keys fetched that way can be swapped on the way; use https (plain http is allowed only to this machine: 127.0.0.1, ::1, localhost)"
    )]
    Insecure {
        /// The URL.
        url: String,
    },
    /// The name does not resolve.
    #[error("cannot resolve '{host}' (DNS): check the host name in '{url}' and the network")]
    Dns {
        /// The host.
        host: String,
        /// The URL.
        url: String,
    },
    /// Nothing listens there.
    #[error(
        "the connection to '{url}' was refused: nothing listens there (is the server up, the port right?)"
    )]
    Refused {
        /// The URL.
        url: String,
    },
    /// Another connection failure.
    #[error("cannot connect to '{url}': {detail}")]
    Connect {
        /// The URL.
        url: String,
        /// What the system said.
        detail: String,
    },
    /// The TLS handshake failed, or the certificate is not trusted.
    #[error(
        "the TLS connection to '{url}' failed: {detail}; if the server's certificate comes from a private CA, pass that CA's certificate with --ca-file CA.pem (TOKENSMITH_CA_FILE in the workbench)"
    )]
    Tls {
        /// The URL.
        url: String,
        /// What rustls said.
        detail: String,
    },
    /// The --ca-file cannot be used.
    #[error("--ca-file '{path}': {detail}")]
    CaFile {
        /// The file.
        path: String,
        /// What is wrong.
        detail: String,
    },
    /// No answer in time.
    #[error("'{url}' did not answer within {secs} s: is the server up and reachable?")]
    Timeout {
        /// The URL.
        url: String,
        /// The timeout.
        secs: u64,
    },
    /// The body is over the cap.
    #[error(
        "the response from '{url}' is larger than {limit} bytes: is this the right URL (a JWKS is a few KiB)?"
    )]
    TooBig {
        /// The URL.
        url: String,
        /// The cap.
        limit: u64,
    },
    /// More redirects than allowed, or a loop.
    #[error("'{url}' redirected more than {max} times ({path}): a redirect loop, or the wrong URL")]
    TooManyRedirects {
        /// The URL first asked.
        url: String,
        /// The bound.
        max: u32,
        /// The hops, abbreviated.
        path: String,
    },
    /// A redirect without a usable Location.
    #[error("'{url}' answered {status} (a redirect) without a usable Location header")]
    BadRedirect {
        /// The URL.
        url: String,
        /// The status.
        status: u16,
    },
    /// A status other than 2xx (only from [`get_json`]).
    #[error("'{url}' answered HTTP {status}{}: check the URL", body_words(.body_start))]
    Status {
        /// The URL.
        url: String,
        /// The status.
        status: u16,
        /// The start of the body, escaped.
        body_start: String,
    },
    /// The body is not JSON (only from [`get_json`]).
    #[error("'{url}' did not answer JSON ({detail}){}: check the URL", body_words(.body_start))]
    NotJson {
        /// The URL.
        url: String,
        /// The parser's words.
        detail: String,
        /// The start of the body, escaped.
        body_start: String,
    },
    /// Anything else the transport reported.
    #[error("the request to '{url}' failed: {detail}")]
    Other {
        /// The URL.
        url: String,
        /// What was reported.
        detail: String,
    },
}

fn body_words(start: &str) -> String {
    if start.is_empty() { String::new() } else { format!(", the body starts: {start}") }
}

/// The start of a body, safe to print: at most [`BODY_START`] characters, escaped.
pub fn body_start(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let cut: String = text.chars().take(BODY_START).collect();
    let more = if text.chars().nth(BODY_START).is_some() { "..." } else { "" };
    format!("{}{more}", inline(cut.trim()))
}

/// Checks a URL before any connection: https, or http to this machine only.
pub fn check_url(url: &str) -> Result<Uri, NetError> {
    let bad = |reason: &str| NetError::BadUrl { url: inline(url).into_owned(), reason: reason.to_string() };
    let uri: Uri = url.parse().map_err(|e| bad(&format!("{e}")))?;
    let host = uri.host().ok_or_else(|| bad("it has no host"))?;
    match uri.scheme_str() {
        Some("https") => Ok(uri),
        Some("http") if is_loopback(host) => Ok(uri),
        Some("http") => Err(NetError::Insecure { url: inline(url).into_owned() }),
        Some(other) => Err(bad(&format!("its scheme is '{other}'; use https://"))),
        None => Err(bad("it has no scheme; use https://")),
    }
}

/// 127.0.0.0/8, ::1 and localhost: the machine itself.
pub fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost") || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The roots trusted: the system's, plus the CA file's certificates.
fn roots(ca_file: Option<&Path>) -> Result<Vec<ureq::tls::Certificate<'static>>, NetError> {
    // The system's store: a missing or partly unreadable one leaves what could be read.
    let mut roots: Vec<ureq::tls::Certificate<'static>> = rustls_native_certs::load_native_certs()
        .certs
        .iter()
        .map(|der| ureq::tls::Certificate::from_der(der.as_ref()).to_owned())
        .collect();
    if let Some(path) = ca_file {
        let shown = path.display().to_string();
        let bytes = crate::limits::read_file(
            path,
            crate::limits::MAX_KEY_FILE_BYTES,
            &format!("--ca-file '{shown}'"),
            true,
        )
        .map_err(|e| NetError::CaFile { path: shown.clone(), detail: e.to_string() })?;
        let before = roots.len();
        for item in ureq::tls::parse_pem(&bytes) {
            match item {
                Ok(ureq::tls::PemItem::Certificate(cert)) => roots.push(cert),
                Ok(_) => {}
                Err(e) => return Err(NetError::CaFile { path: shown, detail: format!("not PEM: {e}") }),
            }
        }
        if roots.len() == before {
            return Err(NetError::CaFile {
                path: shown,
                detail:
                    "it holds no certificate (-----BEGIN CERTIFICATE-----): give the CA's certificate in PEM"
                        .to_string(),
            });
        }
    }
    Ok(roots)
}

fn agent(options: &Options) -> Result<ureq::Agent, NetError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::new_with_certs(&roots(options.ca_file.as_deref())?))
        .unversioned_rustls_crypto_provider(provider)
        .build();
    Ok(ureq::Agent::config_builder()
        .tls_config(tls)
        .timeout_global(Some(options.timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!("tokensmith/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent())
}

/// Makes the request, following redirects (each checked like the first URL), and returns the
/// final response whatever its status.
pub fn send(request: &Request, options: &Options) -> Result<Response, NetError> {
    let mut url = request.url.clone();
    check_url(&url)?;
    let agent = agent(options)?;
    let mut redirects = Vec::new();
    loop {
        let mut response = one_hop(&agent, request, &url, options)?;
        let location = (300..400).contains(&response.status).then(|| response.header("location")).flatten();
        if !(300..400).contains(&response.status) || response.status == 304 {
            response.redirects = redirects;
            return Ok(response);
        }
        let Some(next) = location.and_then(|l| resolve(&url, l)) else {
            return Err(NetError::BadRedirect { url: inline(&url).into_owned(), status: response.status });
        };
        if redirects.len() >= options.max_redirects as usize {
            redirects.push(next);
            return Err(NetError::TooManyRedirects {
                url: inline(&request.url).into_owned(),
                max: options.max_redirects,
                path: hops(&redirects),
            });
        }
        check_url(&next)?;
        redirects.push(next.clone());
        url = next;
    }
}

fn hops(redirects: &[String]) -> String {
    let shown: Vec<String> = redirects.iter().take(3).map(|u| inline(u).into_owned()).collect();
    let more = if redirects.len() > 3 {
        format!(" and {} more", redirects.len().saturating_sub(3))
    } else {
        String::new()
    };
    format!("to {}{more}", shown.join(", then "))
}

/// A Location resolved against the URL that sent it (absolute, or a path on the same origin).
fn resolve(base: &str, location: &str) -> Option<String> {
    if location.starts_with("https://") || location.starts_with("http://") {
        return Some(location.to_string());
    }
    let uri: Uri = base.parse().ok()?;
    let origin = format!("{}://{}", uri.scheme_str()?, uri.authority()?.as_str());
    if location.starts_with('/') {
        Some(format!("{origin}{location}"))
    } else {
        let path = uri.path();
        let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        Some(format!("{origin}{dir}/{location}"))
    }
}

fn one_hop(
    agent: &ureq::Agent,
    request: &Request,
    url: &str,
    options: &Options,
) -> Result<Response, NetError> {
    let mut builder = ureq::http::Request::builder().method(request.method.as_str()).uri(url);
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let http_request = builder.body(()).map_err(|e| NetError::BadUrl {
        url: inline(url).into_owned(),
        reason: format!("the request cannot be built: {e}"),
    })?;
    let mut response = agent.run(http_request).map_err(|e| classify(e, url, options))?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let body = if (300..400).contains(&status) {
        Vec::new()
    } else {
        response
            .body_mut()
            .with_config()
            .limit(options.max_bytes)
            .read_to_vec()
            .map_err(|e| classify(e, url, options))?
    };
    Ok(Response { url: url.to_string(), redirects: Vec::new(), status, headers, body })
}

/// One error per failure the user can act on.
fn classify(error: ureq::Error, url: &str, options: &Options) -> NetError {
    let url_shown = inline(url).into_owned();
    match error {
        ureq::Error::HostNotFound => {
            let host = url.parse::<Uri>().ok().and_then(|u| u.host().map(str::to_string)).unwrap_or_default();
            NetError::Dns { host: inline(&host).into_owned(), url: url_shown }
        }
        ureq::Error::Timeout(_) => {
            NetError::Timeout { url: url_shown, secs: options.timeout.as_secs().max(1) }
        }
        ureq::Error::BodyExceedsLimit(_) => NetError::TooBig { url: url_shown, limit: options.max_bytes },
        ureq::Error::Rustls(e) => NetError::Tls { url: url_shown, detail: tls_words(&e) },
        ureq::Error::Tls(e) => NetError::Tls { url: url_shown, detail: e.to_string() },
        ureq::Error::ConnectionFailed => {
            NetError::Connect { url: url_shown, detail: "the connection failed".to_string() }
        }
        ureq::Error::Io(e) => io_error(&e, url_shown, options),
        other => NetError::Other { url: url_shown, detail: other.to_string() },
    }
}

fn io_error(e: &std::io::Error, url: String, options: &Options) -> NetError {
    use std::io::ErrorKind;
    if let Some(tls) = e.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()) {
        return NetError::Tls { url, detail: tls_words(tls) };
    }
    match e.kind() {
        // std's resolver error has no kind of its own on stable: its words are stable.
        _ if e.to_string().contains("lookup address") || e.to_string().contains("nodename nor servname") => {
            let host = url.parse::<Uri>().ok().and_then(|u| u.host().map(str::to_string)).unwrap_or_default();
            NetError::Dns { host, url }
        }
        ErrorKind::ConnectionRefused => NetError::Refused { url },
        ErrorKind::TimedOut | ErrorKind::WouldBlock => {
            NetError::Timeout { url, secs: options.timeout.as_secs().max(1) }
        }
        _ => NetError::Connect { url, detail: e.to_string() },
    }
}

/// rustls's words, with the common certificate problems said plainly.
fn tls_words(e: &rustls::Error) -> String {
    use rustls::{CertificateError, Error};
    match e {
        Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
            "the server's certificate is signed by a CA this machine does not trust (unknown issuer)"
                .to_string()
        }
        Error::InvalidCertificate(CertificateError::Expired | CertificateError::ExpiredContext { .. }) => {
            "the server's certificate has expired".to_string()
        }
        Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => "the server's certificate is not for this host name".to_string(),
        other => format!("{other}"),
    }
}

/// GETs a JSON document: a non-2xx status and a body that is not JSON are errors that quote
/// the start of the body.
pub fn get_json(url: &str, options: &Options) -> Result<(Response, serde_json::Value), NetError> {
    let response = send(&Request::get(url), options)?;
    let shown = inline(&response.url).into_owned();
    if !(200..300).contains(&response.status) {
        return Err(NetError::Status {
            url: shown,
            status: response.status,
            body_start: body_start(&response.body),
        });
    }
    match serde_json::from_slice(&response.body) {
        Ok(value) => Ok((response, value)),
        Err(e) => Err(NetError::NotJson {
            url: shown,
            detail: e.to_string(),
            body_start: body_start(&response.body),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_except_to_this_machine() {
        assert!(matches!(check_url("http://example.com/jwks.json"), Err(NetError::Insecure { .. })));
        assert!(matches!(check_url("http://10.0.0.1:8080/jwks.json"), Err(NetError::Insecure { .. })));
        assert!(check_url("http://127.0.0.1:8080/jwks.json").is_ok());
        assert!(check_url("http://localhost/jwks.json").is_ok());
        assert!(check_url("http://[::1]:9/jwks.json").is_ok());
        assert!(check_url("https://example.com/jwks.json").is_ok());
        assert!(matches!(check_url("ftp://example.com/x"), Err(NetError::BadUrl { .. })));
        assert!(matches!(check_url("example.com/x"), Err(NetError::BadUrl { .. })));
    }

    #[test]
    fn a_relative_location_keeps_the_origin() {
        assert_eq!(resolve("https://a.test/x/y", "/z").as_deref(), Some("https://a.test/z"));
        assert_eq!(resolve("https://a.test:8443/x/y", "z").as_deref(), Some("https://a.test:8443/x/z"));
        assert_eq!(resolve("https://a.test/x", "http://b.test/").as_deref(), Some("http://b.test/"));
    }

    #[test]
    fn a_body_is_quoted_short_and_escaped() {
        assert_eq!(body_start(b"<h1>Not found</h1>\n"), "<h1>Not found</h1>");
        assert_eq!(body_start(b"a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert!(body_start(&[b'x'; 500]).ends_with("..."));
    }

    #[test]
    fn a_closed_port_is_named_refused() {
        // Bind then drop: the port is free and nothing listens on it.
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port());
        let url = format!("http://127.0.0.1:{}/jwks.json", port.unwrap());
        let got = send(&Request::get(&url), &Options::default());
        assert!(matches!(got, Err(NetError::Refused { .. })), "{got:?}");
    }
}
