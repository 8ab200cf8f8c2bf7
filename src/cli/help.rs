//! The examples and notes under each verb's `--help`. They live with the verb's arguments
//! (`#[command(after_help = ...)]` on each `Args` struct), so clap builds them only for the
//! verb that runs (`deferred.rs`), not for all of them at every start.

/// `tokensmith sign --help`, after the options.
pub const SIGN: &str = "\
Examples (each command on one line, or continued with \\):
  tokensmith sign -p tiledesk --secret-env TILEDESK_JWT_SECRET \\
    --param project_id=65f0c0ffee \\
    -c name='Ada Lovelace' -c email=ada@example.com -c external_id=u42
  tokensmith sign -p orlo --key-file private.pem -c 'User ID:=124'
  tokensmith sign -p ticketping --secret-file secret.txt --ttl 2m --json
  tokensmith sign -p tiledesk --key demo --param project_id=65f0c0ffee

PATH=VALUE sets text, converted to the claim's declared type (time claims
accept now+5m, now-30s, unix seconds or 2026-01-31T12:00:00Z); PATH:=JSON sets
a raw JSON value. Dotted paths nest: account.first_name=Ada makes
{\"account\":{\"first_name\":\"Ada\"}}. Claims left unset get the profile's
default; some defaults are made from parameters (Tiledesk's aud from
project_id). A token that breaks one of the vendor's rules is still made, with
one 'rule:' line on stderr per broken rule; --strict refuses it instead.";

/// `tokensmith decode --help`, after the options.
pub const DECODE: &str = "\
Examples:
  tokensmith decode eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln
  echo 'Bearer eyJ...' | tokensmith decode
  tokensmith decode - --json < token.txt

Works on any well-formed token, including alg none and algorithms tokensmith
cannot verify. Quotes, whitespace and 'Bearer '/'JWT ' prefixes around the
token are removed and reported.";

/// `tokensmith verify --help`, after the options.
pub const VERIFY: &str = "\
Examples:
  tokensmith verify \"$TOKEN\" -p tiledesk --secret-env TILEDESK_JWT_SECRET
  tokensmith verify - --key-file public.pem --leeway 30s < token.txt
  tokensmith verify \"$TOKEN\" --secret-file s.txt --at 2026-01-31T12:00:00Z

The algorithm comes from the key and the profile, never from the token's
header: an HS256 token checked against an RSA key is refused, not verified
with the key's text.";

/// `tokensmith doctor --help`, after the options.
pub const DOCTOR: &str = "\
Examples:
  pbpaste | tokensmith doctor -p tiledesk --secret-env TILEDESK_JWT_SECRET
  tokensmith doctor \"$TOKEN\" -p ticketping --at 2026-01-31T12:00:00Z
  tokensmith doctor \"$TOKEN\" --profile orlo --json | jq '.findings[].code'
  tokensmith doctor \"$TOKEN\" -p tiledesk --format markdown > ticket.md

With no key option, every stored key is tried and the one that verifies is
named. Exit 0 when nothing the vendor would refuse was found, 1 when something
was, 2 for usage errors.";

/// `tokensmith diff --help`, after the options.
pub const DIFF: &str = "\
Examples:
  tokensmith diff \"$WORKED\" \"$FAILS\"
  tokensmith diff @worked.jwt - --profile tiledesk < fails.jwt
  tokensmith diff \"$A\" \"$B\" --json | jq '.payload[].path'

Each token is given as it is, as - (standard input, for one of them) or as
@FILE. Claims are compared by their dotted path: added, removed, changed,
changed type (123 against \"123\"), and moved in nesting (email against
account.email). With --profile, the rules only one of the two breaks.
Exit 0 when the header and claims are the same, 1 when they differ, 2 when
an input is not a token.";

/// `tokensmith probe --help`, after the options.
pub const PROBE: &str = "\
Examples:
  tokensmith probe https://shop.example/api/ticketping/chat-jwt \\
    -p ticketping --cookie session=abc123 --origin https://shop.example
  tokensmith probe http://127.0.0.1:3000/api/ticketping/chat-jwt \\
    -p ticketping --allow-private --secret-env TICKETPING_JWT_SECRET
  tokensmith probe \"$URL\" -p viasocket --json | jq '.exchanges[].status'

Each answer is judged: the status and content type, the token under the JSON
key the profile's page reads, Cache-Control no-store, CORS for --origin, the
server's Date against the token's iat, and the doctor's findings on the token.
The same token twice is reported as cached. Loopback and private-network
addresses are called only with --allow-private. Exit 0 when nothing would stop
the page, 1 when something would, 2 for usage errors.";

/// `tokensmith har --help`, after the options.
pub const HAR: &str = "\
Examples:
  tokensmith har capture.har
  tokensmith har capture.har.gz --format markdown --mask-personal > ticket.md
  tokensmith har capture.har --json | jq '.tokens[].verdict'

Every token and identity hash in the HAR is found (Authorization headers,
cookies, query strings, form and JSON bodies, JSON answers, the page's widget
settings) and followed: the request whose answer issued it, the vendor
requests that used it and what the vendor answered, the doctor's findings at
the moment it was sent, and the issuing server's clock (its Date header
against the token's iat). Stored keys of each vendor's profile are tried.
Exit 0 when no token was refused or breaks a rule, 1 when one was, 2 when
the file is not a HAR.";

/// `tokensmith snippet --help`, after the options.
pub const SNIPPET: &str = "\
Examples:
  tokensmith snippet --profile tiledesk --list
  tokensmith snippet --profile tiledesk --flavor html \"$TOKEN\"
  tokensmith snippet -p ticketping --flavor react --param app_id=acme
  tokensmith snippet --profile orlo --flavor node > issue-token.js

Without TOKEN, one is signed with the key given or stored for the profile
(server code needs none: it reads the secret or key from an environment
variable, never embeds it).";

/// `tokensmith hash --help`, after the options.
pub const HASH: &str = "\
Examples:
  tokensmith hash -p helpscout --secret-env BEACON_SECRET ada@example.com
  tokensmith hash -p intercom-hash --key intercom 4242 --json
  tokensmith doctor -p helpscout --secret-env BEACON_SECRET --hash H ada@x.com

The identifier is hashed exactly as given (no trimming, no lower-casing): pass
what the page passes. Profiles: intercom-hash, helpscout, front, chatwoot,
crisp (`tokensmith profiles` lists them).";

/// `tokensmith completions --help`, after the options.
pub const COMPLETIONS: &str = "\
Examples:
  echo 'source <(tokensmith completions bash)' >> ~/.bashrc
  echo 'source <(tokensmith completions zsh)' >> ~/.zshrc
  mkdir -p ~/.config/fish/completions
  tokensmith completions fish > ~/.config/fish/completions/tokensmith.fish

The script calls `tokensmith` (on PATH) to complete, so it stays right after
an upgrade.";

/// `tokensmith man --help`, after the options.
pub const MAN: &str = "\
Examples:
  tokensmith man | man -l -
  mkdir -p ~/.cargo/share/man/man1
  tokensmith man > ~/.cargo/share/man/man1/tokensmith.1

man looks in ../share/man of each folder on PATH: with ~/.cargo/bin on PATH
(where cargo install puts tokensmith), `man tokensmith` then finds the page.
Where MANPATH is set, add ~/.cargo/share/man to it.";
