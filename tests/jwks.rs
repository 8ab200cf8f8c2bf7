//! Keysets from the command line (issue 22, item 3): `--jwks FILE|URL`, `--discover`,
//! `--ca-file`, `--key-file` with a JWKS and `keys import --kid`, on a Google/Microsoft-shaped
//! set and tokens PyJWT and node's jsonwebtoken signed (tests/fixtures/jwks/make.py). The URL
//! tests run a local HTTPS server (python3's http.server and ssl) with a CA openssl makes here.

mod common;

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::{Env, fixture, skip_missing};

fn jwks(name: &str) -> String {
    fixture(&format!("jwks/{name}")).display().to_string()
}

fn token(name: &str) -> String {
    std::fs::read_to_string(fixture(&format!("jwks/{name}"))).expect("a token").trim().to_string()
}

fn run(env: &Env, args: &[&str]) -> (i32, String, String) {
    let out = env.cmd().args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn verify_chooses_by_kid_then_by_alg_and_names_the_set_when_nothing_fits() {
    let env = Env::new();
    let set = jwks("google.json");
    let (code, out, err) = run(&env, &["verify", &token("pyjwt-RS256-kid-rsa-b.jwt"), "--jwks", &set]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("key:        the keyset's kid 'rsa-b' (RSA 3072-bit public key)"), "{out}");
    assert!(out.contains("chosen:     chosen by the token's kid 'rsa-b'"), "{out}");
    assert!(err.contains("key 'enc-1' is skipped: it is for encryption (use: enc)"), "{err}");

    let (code, out, _) = run(&env, &["verify", &token("pyjwt-RS256-nokid.jwt"), "--key-file", &set]);
    assert_eq!(code, 0, "--key-file takes a JWKS of several keys: {out}");
    assert!(
        out.contains("2 keys are for RS256 (kid 'rsa-a', kid 'rsa-b'), tried each: kid 'rsa-b' verified"),
        "{out}"
    );

    let (code, out, err) = run(&env, &["verify", &token("nodejwt-RS256-kid-gone.jwt"), "--jwks", &set]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains(
            "no key in the keyset has kid 'gone-2019' (it holds 'rsa-a' RS256, 'rsa-b' RS256, 'ec-1' ES256)"
        ),
        "{err}"
    );

    let (code, out, _) =
        run(&env, &["verify", &token("pyjwt-RS256-kid-rsa-a-wrong-key.jwt"), "--jwks", &set]);
    assert_eq!(code, 1, "the kid's key is the one tried, not any key that verifies: {out}");
    assert!(out.contains("signature:  does NOT verify"), "{out}");
}

#[test]
fn the_doctor_says_which_key_the_set_chose_or_what_it_holds() {
    let env = Env::new();
    let set = jwks("google.json");
    let out = env
        .cmd()
        .args([
            "doctor",
            &token("nodejwt-RS256-kid-gone.jwt"),
            "-p",
            "generic-rs256",
            "--jwks",
            &set,
            "--json",
        ])
        .output()
        .expect("runs");
    let report = common::stdout_json(&out);
    let found: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| format!("{} {}", f["code"], f["found"]))
        .collect();
    assert!(
        found.iter().any(|f| f.starts_with("\"keyset.no-match\"")
            && f.contains("no key in the keyset has kid 'gone-2019' (it holds 'rsa-a' RS256, 'rsa-b' RS256, 'ec-1' ES256)")),
        "{found:#?}"
    );
    assert!(!found.iter().any(|f| f.contains("signature.unchecked")), "{found:#?}");
    let (code, out, _) =
        run(&env, &["doctor", &token("pyjwt-ES256-nokid.jwt"), "-p", "generic-es256", "--jwks", &set]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("signature.valid") && out.contains("kid 'ec-1' of keyset"), "{out}");
    assert!(
        out.contains("keyset.chosen") && out.contains("chosen as the keyset's only key for ES256"),
        "{out}"
    );
}

#[test]
fn keys_import_takes_one_key_out_of_a_set_by_kid() {
    let env = Env::new();
    let set = jwks("google.json");
    let (code, _, err) = run(&env, &["keys", "import", "g", &set]);
    assert_eq!(code, 2);
    assert!(err.contains("this JWKS holds 5 keys (kids 'rsa-a', 'rsa-b', 'ec-1', 'enc-1', 'future-1'): choose one with --kid KID"), "{err}");
    let (code, _, err) = run(&env, &["keys", "import", "g", &set, "--kid", "enc-1"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("for encryption (use: enc)"), "{err}");
    env.ok(&["keys", "import", "g", &set, "--kid", "ec-1"]);
    let (code, out, err) = run(&env, &["verify", &token("pyjwt-ES256-nokid.jwt"), "--key", "g"]);
    assert_eq!(code, 0, "the imported key verifies PyJWT's token: {out}{err}");
}

// ---- A local HTTPS server with its own CA ----

/// openssl and python3, or a skip (a failure under TOKENSMITH_REQUIRE_TOOLS=1).
fn tools_ready() -> bool {
    let runs = |cmd: &str, arg: &str| Command::new(cmd).arg(arg).output().is_ok_and(|o| o.status.success());
    let ready = runs("openssl", "version") && runs("python3", "--version");
    if !ready {
        skip_missing("openssl and python3 (the local HTTPS server)");
    }
    ready
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").current_dir(dir).args(args).output().expect("openssl runs");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A CA, and a certificate it signed for 127.0.0.1 (ca.pem, server.pem, server.key).
fn make_ca(dir: &Path) {
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
    openssl(
        dir,
        &[
            &["req", "-x509"][..],
            &ec,
            &["-keyout", "ca.key", "-out", "ca.pem", "-days", "2"],
            &["-subj", "/CN=tokensmith test CA", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        ]
        .concat(),
    );
    openssl(
        dir,
        &[&["req"][..], &ec, &["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]]
            .concat(),
    );
    std::fs::write(dir.join("ext.cnf"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        .expect("write");
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ],
    );
}

/// Serves the folder over HTTPS on 127.0.0.1 (a random port), with /loop redirecting to
/// itself, /big.json over a MiB, /missing a 404 with an HTML body, and /html.json not JSON.
const SERVER: &str = r#"
import http.server, ssl, sys, os
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass
    def send(self, code, body, kind="application/json", extra=()):
        self.send_response(code)
        for k, v in extra: self.send_header(k, v)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        if self.path == "/loop": return self.send(302, b"", extra=[("Location", "/loop")])
        if self.path == "/big.json": return self.send(200, b"[" + b"0," * (1 << 20) + b"0]")
        if self.path == "/html.json": return self.send(200, b"<html>sign in</html>", "text/html")
        if self.path == "/.well-known/openid-configuration":
            port = self.server.server_address[1]
            return self.send(200, ('{"issuer":"https://127.0.0.1:%d","jwks_uri":"https://127.0.0.1:%d/jwks.json"}' % (port, port)).encode())
        if not os.path.exists(self.path.lstrip("/")): return self.send(404, b"<h1>Not Found</h1>", "text/html")
        return super().do_GET()
os.chdir(sys.argv[1])
server = http.server.HTTPServer(("127.0.0.1", 0), H)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain("server.pem", "server.key")
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

struct Server {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().expect("tempdir");
        make_ca(dir.path());
        std::fs::copy(fixture("jwks/google.json"), dir.path().join("jwks.json")).expect("copy");
        let mut child = Command::new("python3")
            .args(["-c", SERVER])
            .arg(dir.path())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("the port");
        let port = line.trim().parse().unwrap_or_else(|_| panic!("no port from the server: {line:?}"));
        Server { child, port, dir }
    }

    fn url(&self, path: &str) -> String {
        format!("https://127.0.0.1:{}{path}", self.port)
    }

    fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }
}

#[test]
fn a_keyset_url_over_https_with_a_private_ca() {
    if !tools_ready() {
        return;
    }
    let server = Server::start();
    let env = Env::new();
    let ca = server.ca().display().to_string();
    let url = server.url("/jwks.json");
    let kid_b = token("pyjwt-RS256-kid-rsa-b.jwt");
    let (code, out, err) = run(&env, &["verify", &kid_b, "--jwks", &url, "--ca-file", &ca]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&format!("kid 'rsa-b' (RSA 3072-bit public key) from keyset {url}")), "{out}");

    // TOKENSMITH_CA_FILE is the same option, for the workbench and scripts.
    let out = env
        .cmd()
        .args(["verify", &kid_b, "--jwks", &url])
        .env("TOKENSMITH_CA_FILE", &ca)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let (code, _, err) = run(&env, &["verify", &kid_b, "--jwks", &url]);
    assert_eq!(code, 2);
    assert!(err.contains("signed by a CA this machine does not trust (unknown issuer)"), "{err}");
    assert!(err.contains("--ca-file CA.pem"), "the error names the option that fixes it: {err}");

    let (_, _, err) = run(&env, &["verify", &kid_b, "--jwks", &server.url("/loop"), "--ca-file", &ca]);
    assert!(err.contains("redirected more than 5 times"), "{err}");
    let (_, _, err) = run(&env, &["verify", &kid_b, "--jwks", &server.url("/big.json"), "--ca-file", &ca]);
    assert!(err.contains("is larger than 1048576 bytes"), "{err}");
    let (_, _, err) = run(&env, &["verify", &kid_b, "--jwks", &server.url("/missing"), "--ca-file", &ca]);
    assert!(err.contains("answered HTTP 404, the body starts: <h1>Not Found</h1>"), "{err}");
    let (_, _, err) = run(&env, &["verify", &kid_b, "--jwks", &server.url("/html.json"), "--ca-file", &ca]);
    assert!(err.contains("did not answer JSON") && err.contains("<html>sign in</html>"), "{err}");
}

#[test]
fn discover_finds_the_keyset_from_the_tokens_issuer() {
    if !tools_ready() {
        return;
    }
    if !common::python_has_pyjwt() {
        skip_missing("python3 with PyJWT");
        return;
    }
    let server = Server::start();
    let env = Env::new();
    let ca = server.ca().display().to_string();
    let iss = server.url("");
    let script = "import jwt,sys;print(jwt.encode({'iss':sys.argv[2],'sub':'u'},open(sys.argv[1]).read(),'ES256',headers={'kid':'ec-1'}))";
    let out = common::python()
        .args(["-c", script])
        .arg(fixture("keys/ec-p256-pkcs8.pem"))
        .arg(&iss)
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let signed = String::from_utf8(out.stdout).expect("text").trim().to_string();
    let (code, out, err) = run(&env, &["verify", &signed, "--discover", "--ca-file", &ca]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("jwks_uri of") && out.contains("/.well-known/openid-configuration"), "{out}");
    let (code, out, err) =
        run(&env, &["doctor", &signed, "-p", "generic-es256", "--discover", "--ca-file", &ca]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("chosen by the token's kid 'ec-1'"), "{out}");
}

#[test]
fn plain_http_to_another_machine_is_refused_without_a_connection() {
    let env = Env::new();
    // 192.0.2.1 is TEST-NET-1: nothing answers there; a connection attempt would hang.
    let started = std::time::Instant::now();
    let (code, _, err) =
        run(&env, &["verify", &token("pyjwt-RS256-nokid.jwt"), "--jwks", "http://192.0.2.1/jwks.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("is plain http to another machine"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "no connection was tried");
    let (_, _, err) =
        run(&env, &["verify", &token("pyjwt-RS256-nokid.jwt"), "--jwks", "-", "--key-file", "x.pem"]);
    assert!(err.contains("not both"), "{err}");
}

/// The README's keyset example: each `$ tokensmith ... < FILE` line, run from the repository's
/// folder, prints the lines the README shows under it (the time lines it leaves out aside).
#[test]
fn the_readmes_keyset_example_is_what_the_commands_print() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let section = readme.split("### Keysets (JWKS)").nth(1).expect("the keyset section");
    let block = section.split("```").nth(1).expect("the example block");
    let env = Env::new();
    let mut commands = 0;
    for run in block.split("$ tokensmith ").skip(1) {
        let (command, shown) = run.split_once('\n').expect("a command line");
        let (args, input) = command.split_once(" < ").expect("input from a file");
        let out = env
            .cmd()
            .current_dir(&root)
            .args(args.split_whitespace())
            .write_stdin(std::fs::read(root.join(input.trim())).expect("the input file"))
            .output()
            .expect("runs");
        let printed =
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        for line in shown.lines().filter(|l| !l.trim().is_empty()) {
            assert!(
                printed.lines().any(|p| p == line),
                "README line not printed by `{command}`: {line}\n{printed}"
            );
        }
        commands += 1;
    }
    assert_eq!(commands, 2);
}
