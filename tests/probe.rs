//! `tokensmith probe` against real servers on this machine (issue 23, item 4): the server code
//! tokensmith generates, in each language CI runs (node, python, ruby, php, go, java), started
//! on a free port and probed; and a small python3 server broken on purpose (a cached token, the
//! wrong key, no no-store, a clock 10 minutes off, CORS). Without --allow-private the same
//! loopback URL is refused before any connection.
//!
//! The generated code runs as written, on the framework it names: express (node), FastAPI
//! served by uvicorn (python), Sinatra (ruby), PHP's built-in server, Go's net/http and the
//! JDK's HttpServer. Only the code's "replace with your authentication" stub is filled (a
//! fixed user) and its port changed. Each answer must carry `Cache-Control: no-store`. Tools
//! follow TOKENSMITH_REQUIRE_TOOLS; .ci/run installs them.

mod common;

use std::io::{BufRead as _, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Env, FIXTURE_SECRET, fixture, skip_missing, stdout_json};
use serde_json::Value;

/// The user the filled authentication stub gives.
const USER: &str = r#"{"id": 4242, "email": "ada@example.com", "name": "Ada Lovelace", "first_name": "Ada", "last_name": "Lovelace"}"#;
const ROUTE: &str = "/api/ticketping/chat-jwt";

/// A server process, killed when dropped.
struct Server {
    name: String,
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Waits until the port takes connections (or the process has died).
    fn ready(&mut self, within: Duration) -> Result<(), String> {
        let start = Instant::now();
        while start.elapsed() < within {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                let mut stderr = String::new();
                if let Some(mut err) = self.child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut err, &mut stderr);
                }
                return Err(format!("{}: exited {status}: {stderr}", self.name));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(format!("{}: no answer on port {} within {within:?}", self.name, self.port))
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

fn tool_works(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).output().is_ok_and(|o| o.status.success())
}

/// Runs `tokensmith probe URL -p PROFILE --allow-private --secret-env SECRET --json ...`.
fn probe(env: &Env, url: &str, profile: &str, extra: &[&str]) -> (Option<i32>, Value) {
    let out = env
        .cmd()
        .args(["probe", url, "-p", profile, "--allow-private", "--secret-env", "SECRET", "--json"])
        .args(extra)
        .output()
        .expect("runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "probe {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), stdout_json(&out))
}

/// Every finding's (severity, code, found), the run's and each request's.
fn findings(report: &Value) -> Vec<(String, String, String)> {
    let mut all: Vec<&Value> = report["findings"].as_array().into_iter().flatten().collect();
    for exchange in report["exchanges"].as_array().into_iter().flatten() {
        all.extend(exchange["findings"].as_array().into_iter().flatten());
    }
    all.iter()
        .map(|f| {
            let text = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (text("severity"), text("code"), text("found"))
        })
        .collect()
}

fn errors(report: &Value) -> Vec<(String, String, String)> {
    findings(report).into_iter().filter(|(s, ..)| s == "error").collect()
}

// ---- the generated server code ----

/// The generated Ticketping server for a language, made ready to serve here: the
/// authentication stub gives USER, and it listens on 127.0.0.1:`port` (the code reads
/// PROBE_PORT, or the framework's runner is told). Returns the command that serves it.
fn generated(env: &Env, lang: &str, dir: &Path, port: u16) -> Command {
    let out = env.ok(&["snippet", "-p", "ticketping", "--flavor", lang]);
    let code = String::from_utf8(out.stdout).expect("utf8");
    let patch = |code: &str, from: &str, to: &str| {
        assert!(code.contains(from), "{lang}: the generated code no longer has {from:?}");
        code.replace(from, to)
    };
    let (file, code, mut cmd) = match lang {
        "node" => {
            // An authentication middleware that sets req.user, where the code says one must run.
            let code = patch(
                &code,
                "set req.user (Passport does).\n",
                "set req.user (Passport does).\n  app.use((req, res, next) => { req.user = JSON.parse(process.env.PROBE_USER); next(); });\n",
            );
            let code = patch(
                &code,
                "app.listen(3000);",
                "app.listen(Number(process.env.PROBE_PORT), \"127.0.0.1\");",
            );
            let mut cmd = node();
            cmd.arg("issue-token.js");
            ("issue-token.js", code, cmd)
        }
        "python" => {
            let code = patch(
                &code,
                "raise HTTPException(status_code=401)",
                "return json.loads(os.environ[\"PROBE_USER\"])",
            );
            let mut cmd = python();
            // `uvicorn issue_token:app`, as the code's docstring says; the port is uvicorn's option.
            cmd.args([
                "-m",
                "uvicorn",
                "issue_token:app",
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
            ]);
            ("issue_token.py", code, cmd)
        }
        "ruby" => {
            let code = patch(
                &code,
                "def current_user\n      nil\n",
                "def current_user\n      JSON.parse(ENV.fetch(\"PROBE_USER\"), symbolize_names: true)\n",
            );
            // Sinatra's own command-line options give the port and the address.
            let mut cmd = Command::new("ruby");
            cmd.args(["issue_token.rb", "-p", &port.to_string(), "-o", "127.0.0.1"]);
            ("issue_token.rb", code, cmd)
        }
        "php" => {
            let code = patch(
                &code,
                "function current_user(): array|ArrayAccess|null\n{\n    return null;",
                "function current_user(): array|ArrayAccess|null\n{\n    return json_decode(getenv('PROBE_USER'), true);",
            );
            ("issue_token.php", code, Command::new("php"))
        }
        "go" => {
            let code = patch(
                &code,
                "return User{}, false",
                "var user User\n\terr := json.Unmarshal([]byte(os.Getenv(\"PROBE_USER\")), &user)\n\treturn user, err == nil",
            );
            let code = patch(&code, "\":8080\"", "\"127.0.0.1:\"+os.Getenv(\"PROBE_PORT\")");
            let go_jwt = std::env::var_os("TOKENSMITH_GO_JWT").map_or_else(
                || PathBuf::from("/usr/share/gocode/src/github.com/golang-jwt/jwt"),
                PathBuf::from,
            );
            let go_mod = format!(
                "module issuetoken\n\ngo 1.19\n\nrequire github.com/golang-jwt/jwt/v4 v4.4.3\n\nreplace github.com/golang-jwt/jwt/v4 => {}\n",
                go_jwt.display()
            );
            std::fs::write(dir.join("go.mod"), go_mod).expect("go.mod");
            // Built, then exec'd: `go run` serves from a child of its own, which killing `go`
            // leaves running after the test.
            let mut cmd = Command::new("sh");
            cmd.args(["-c", "go build -o issue_token issue_token.go && exec ./issue_token"])
                .env("GOFLAGS", "-mod=mod")
                .env("GOPROXY", "off");
            ("issue_token.go", code, cmd)
        }
        "java" => {
            let code = patch(
                &code,
                "static User currentUser(com.sun.net.httpserver.HttpExchange exchange) {\n        return null;",
                "static User currentUser(com.sun.net.httpserver.HttpExchange exchange) {\n        return new User(4242L, \"ada@example.com\", \"Ada Lovelace\", \"Ada\", \"Lovelace\");",
            );
            let code = patch(
                &code,
                "new InetSocketAddress(8080)",
                "new InetSocketAddress(\"127.0.0.1\", Integer.parseInt(System.getenv(\"PROBE_PORT\")))",
            );
            let mut cmd = Command::new("java");
            cmd.args(["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "IssueToken.java"]);
            ("IssueToken.java", code, cmd)
        }
        other => panic!("no recipe for {other}"),
    };
    std::fs::write(dir.join(file), format!("{code}\n")).expect("write");
    cmd.current_dir(dir).env("TICKETPING_JWT_SECRET", FIXTURE_SECRET).env("PROBE_USER", USER);
    cmd
}

/// `node` that finds the installed express and jsonwebtoken, and no stand-in (common::node
/// puts tests/vendors/stubs first, where a small express for the re-typed samples lives).
fn node() -> Command {
    let mut cmd = Command::new("node");
    cmd.env("NODE_PATH", common::tools_path("NODE_PATH", "node/node_modules"));
    cmd
}

/// `python3` that finds the installed FastAPI, uvicorn and PyJWT, and no stand-in.
fn python() -> Command {
    let mut cmd = Command::new("python3");
    cmd.env("PYTHONPATH", common::tools_path("PYTHONPATH", "py"));
    cmd
}

/// Whether a language's server can run here; else what is missing.
fn toolchain(lang: &str) -> Result<(), &'static str> {
    let ok = match lang {
        "node" => node()
            .args(["-e", "require('jsonwebtoken'); require('express')"])
            .output()
            .is_ok_and(|o| o.status.success()),
        "python" => {
            python().args(["-c", "import jwt, fastapi, uvicorn"]).output().is_ok_and(|o| o.status.success())
        }
        // sinatra/base: `require "sinatra"` would start a server when the script ends.
        "ruby" => tool_works("ruby", &["-e", "require 'jwt'; require 'sinatra/base'; require 'webrick'"]),
        "php" => tool_works("php", &["-r", "exit(function_exists('hash_hmac') ? 0 : 1);"]),
        "go" => {
            tool_works("go", &["version"])
                && (std::env::var_os("TOKENSMITH_GO_JWT").is_some()
                    || Path::new("/usr/share/gocode/src/github.com/golang-jwt/jwt/go.mod").is_file())
        }
        "java" => tool_works("javac", &["-version"]),
        _ => false,
    };
    ok.then_some(()).ok_or(match lang {
        "node" => "node with jsonwebtoken and express",
        "python" => "python3 with PyJWT, FastAPI and uvicorn",
        "ruby" => "ruby with ruby-jwt, Sinatra and WEBrick",
        "php" => "php-cli",
        "go" => "go with golang-jwt v4",
        _ => "a JDK",
    })
}

#[test]
fn every_generated_server_serves_tokens_the_probe_passes() {
    let env = Env::new();
    let root = tempfile::tempdir().expect("tempdir");
    let started = Instant::now();
    // All start at once: go and java compile first, which is most of the time.
    let mut servers = Vec::new();
    for lang in ["node", "python", "ruby", "php", "go", "java"] {
        if let Err(missing) = toolchain(lang) {
            skip_missing(missing);
            continue;
        }
        let dir = root.path().join(lang);
        std::fs::create_dir_all(&dir).expect("dir");
        let port = free_port();
        let mut cmd = generated(&env, lang, &dir, port);
        if lang == "php" {
            cmd.args(["-S", &format!("127.0.0.1:{port}"), "issue_token.php"]);
        }
        let child = cmd
            .env("PROBE_PORT", port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{lang}: {e}"));
        servers.push(Server { name: lang.to_string(), child, port });
    }
    for server in &mut servers {
        server.ready(Duration::from_secs(120)).unwrap_or_else(|e| panic!("{e}"));
        let (code, report) = probe(&env, &server.url(ROUTE), "ticketping", &[]);
        let name = &server.name;
        assert_eq!(errors(&report), [], "{name}: {report:#}");
        assert_eq!(code, Some(0), "{name}");
        for exchange in report["exchanges"].as_array().expect("exchanges") {
            assert_eq!(exchange["status"], 200, "{name}");
            assert_eq!(exchange["key"], "jwt", "{name}");
            assert!(exchange["content_type"].as_str().is_some_and(|t| t.contains("json")), "{name}");
            assert!(exchange["verified_with"].as_str().is_some_and(|k| k.contains("SECRET")), "{name}");
            assert_eq!(exchange["cache_control"], "no-store", "{name}");
        }
        let codes: Vec<String> = findings(&report).into_iter().map(|(_, c, _)| c).collect();
        // Two requests a second apart got two tokens: each is made when asked for.
        assert!(!codes.contains(&"probe.cached".to_string()), "{name}: {codes:?}");
        // The token answer says no cache may keep it (RFC 9111, 5.2.2.5).
        assert!(!codes.contains(&"probe.cache-control".to_string()), "{name}: {codes:?}");
    }
    eprintln!("{} generated servers started and probed in {:?}", servers.len(), started.elapsed());
}

// ---- broken servers ----

/// tests/fixtures/probe/broken_server.py in a mode; None when python3 is missing.
fn broken(mode: &str) -> Option<Server> {
    let child = Command::new("python3")
        .arg(fixture("probe/broken_server.py"))
        .args([mode, FIXTURE_SECRET])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        skip_missing("python3");
        return None;
    };
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout).read_line(&mut line).expect("the port");
    let port = line.trim().parse().unwrap_or_else(|_| panic!("{mode}: printed {line:?}"));
    Some(Server { name: mode.to_string(), child, port })
}

fn codes_of(report: &Value) -> Vec<String> {
    findings(report).into_iter().map(|(_, c, _)| c).collect()
}

#[test]
fn broken_servers_are_named_for_what_they_break() {
    let env = Env::new();
    let Some(ok) = broken("ok") else { return };
    let (code, report) = probe(&env, &ok.url("/t"), "ticketping", &[]);
    assert_eq!((code, errors(&report)), (Some(0), vec![]), "{report:#}");
    assert!(!codes_of(&report).contains(&"probe.cache-control".to_string()), "no-store is sent");

    let cached = broken("cached").expect("python3");
    let (code, report) = probe(&env, &cached.url("/t"), "ticketping", &[]);
    assert_eq!(code, Some(1));
    let found: Vec<_> = errors(&report).into_iter().filter(|(_, c, _)| c == "probe.cached").collect();
    assert_eq!(found.len(), 1, "{report:#}");
    assert!(found[0].2.contains("requests 1 and 2 got the same token"), "{found:?}");

    let wrong = broken("wrong-key").expect("python3");
    let (code, report) = probe(&env, &wrong.url("/t"), "ticketping", &["--count", "1"]);
    assert_eq!(code, Some(1));
    let found: Vec<_> = errors(&report).into_iter().filter(|(_, c, _)| c == "probe.wrong-key").collect();
    assert_eq!(found[0].2, "the token is under 'token'; Ticketping Chat Widget reads 'jwt'", "{report:#}");
    // The token under the wrong key is still judged: it verifies.
    assert!(report["exchanges"][0]["verified_with"].is_string(), "{report:#}");
    // viaSocket reads 'token': the same server is right for it on that count.
    let (_, report) = probe(&env, &wrong.url("/t"), "viasocket", &["--count", "1"]);
    assert!(!codes_of(&report).contains(&"probe.wrong-key".to_string()), "{report:#}");

    let no_store = broken("no-store").expect("python3");
    let (code, report) = probe(&env, &no_store.url("/t"), "ticketping", &["--count", "1"]);
    assert_eq!(code, Some(0), "a warning, not an error");
    let found: Vec<_> =
        findings(&report).into_iter().filter(|(_, c, _)| c == "probe.cache-control").collect();
    assert_eq!(found[0].0, "warning", "{found:?}");
    assert!(found[0].2.contains("no Cache-Control"), "{found:?}");

    let clock = broken("clock").expect("python3");
    let (_, report) = probe(&env, &clock.url("/t"), "generic-hs256", &["--count", "1"]);
    let found: Vec<_> = findings(&report).into_iter().filter(|(_, c, _)| c == "probe.clock").collect();
    // Date has whole seconds and the answer may cross one: 10m, or 10m 1s.
    assert!(
        found.first().is_some_and(|f| f.2.starts_with("the token's iat is 10m") && f.2.contains("behind")),
        "{report:#}"
    );
}

#[test]
fn cors_is_judged_for_the_pages_origin() {
    let env = Env::new();
    let Some(plain) = broken("ok") else { return };
    let star = broken("cors-star").expect("python3");
    let named = broken("cors-ok").expect("python3");
    let page = ["--count", "1", "--origin", "https://shop.example", "--cookie", "sid=s3ss10n"];
    let cors = |server: &Server, args: &[&str]| {
        let (_, report) = probe(&env, &server.url("/t"), "ticketping", args);
        errors(&report).into_iter().filter(|(_, c, _)| c == "probe.cors").map(|(.., f)| f).collect::<Vec<_>>()
    };
    assert_eq!(
        cors(&plain, &page),
        ["no Access-Control-Allow-Origin for the page's origin https://shop.example"]
    );
    assert!(cors(&star, &page)[0].contains("'*', which browsers refuse for a request with credentials"));
    // Without credentials, '*' is enough.
    assert_eq!(cors(&star, &["--count", "1", "--origin", "https://shop.example"]), Vec::<String>::new());
    assert_eq!(cors(&named, &page), Vec::<String>::new());
    // Without --origin, CORS is not judged.
    assert_eq!(cors(&plain, &["--count", "1"]), Vec::<String>::new());
}

#[test]
fn a_loopback_url_is_refused_without_allow_private_before_any_connection() {
    let env = Env::new();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let url = format!("http://127.0.0.1:{}/t", listener.local_addr().expect("addr").port());
    for url in [url.as_str(), &url.replace("127.0.0.1", "localhost")] {
        let out = env.cmd().args(["probe", url, "-p", "ticketping"]).output().expect("runs");
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("loopback") && stderr.contains("--allow-private"), "{stderr}");
    }
    assert!(listener.accept().is_err(), "no connection was made");
    let out = env.cmd().args(["probe", "https://10.1.2.3/t", "-p", "ticketping"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("private-network address"));
}
