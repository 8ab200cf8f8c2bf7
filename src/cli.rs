//! The command line: clap definitions, and one function per verb. Data goes to stdout,
//! messages to stderr; exit 0 ok, 1 invalid token, 2 usage or configuration error.

// Every line the CLI prints passes through `tokensmith::text::lines_styled` (its own colours kept): a token's claims, a key
// file's name or a pasted header can hold ESC, BEL, C1 or bidi controls, and none of them may
// reach the terminal as they are. Values inside a line go through `text::inline` first.
macro_rules! outln {
    () => { println!() };
    ($($arg:tt)*) => { println!("{}", tokensmith::text::lines_styled(&format!($($arg)*))) };
}
macro_rules! out {
    ($($arg:tt)*) => { print!("{}", tokensmith::text::lines_styled(&format!($($arg)*))) };
}
macro_rules! errln {
    () => { eprintln!() };
    ($($arg:tt)*) => { eprintln!("{}", tokensmith::text::lines_styled(&format!($($arg)*))) };
}

mod args;
mod color;
mod common;
mod complete;
mod deferred;
mod diff;
mod har;
mod input;
mod keys;
mod keyset;
mod output;
mod probe;
mod report;
mod resign;
mod schemes;
mod user_profiles;
mod verbs;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

pub use args::*;
use clap::{FromArgMatches as _, Parser, Subcommand};
use clap_complete::engine::ArgValueCandidates;
use deferred::Deferred;

use tokensmith::claims::ClaimError;
use tokensmith::paths::Paths;
use tokensmith::profile::UnknownProfile;
use tokensmith::token::{AlgChoiceError, DecodeError, KeyError, SignError};

const AFTER_HELP: &str = "\
Examples:
  tokensmith profiles
  export TILEDESK_JWT_SECRET=...   # the project's shared secret
  tokensmith sign -p tiledesk --secret-env TILEDESK_JWT_SECRET \\
    --param project_id=65f0c0ffee -c external_id=u42 -c email=ada@x.com
  tokensmith decode 'eyJhbGciOi...'
  pbpaste | tokensmith verify - -p tiledesk --secret-env TILEDESK_JWT_SECRET

Exit codes: 0 ok, 1 the token is invalid (bad signature, expired, malformed),
2 usage error.";

/// A terminal workbench for the JWTs that embedded chat and support widgets use to identify
/// a site's logged-in users: sign, decode and verify them per vendor profile.
#[derive(Debug, Parser)]
#[command(name = "tokensmith", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// --home, --color and --verbose: read with [`common::Common::given`], since a subcommand
    /// may carry them too.
    #[command(flatten)]
    pub common: common::Common,

    /// Workbench: do not capture the mouse (keeps the terminal's own text selection)
    #[arg(long)]
    pub no_mouse: bool,

    /// Draw the workbench's first frame and exit (for start-up benchmarks)
    #[arg(long, hide = true)]
    pub exit_after_first_frame: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the vendor profiles (built-in and yours)
    #[command(after_help = "Examples:\n  tokensmith profiles\n  tokensmith profiles --json | jq '.[].id'")]
    Profiles {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Show one vendor profile
    #[command(
        subcommand,
        after_help = "Examples:\n  tokensmith profile show tiledesk\n  tokensmith profile show orlo --json\n  \
tokensmith profile new acme --from generic-hs256\n  tokensmith profile edit acme\n  \
tokensmith profile validate ~/.config/tokensmith/profiles/acme.toml"
    )]
    Profile(Deferred<ProfileCommand>),
    /// Sign a token for a vendor profile
    #[command(after_help = "\
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
one 'rule:' line on stderr per broken rule; --strict refuses it instead.")]
    Sign(Deferred<SignArgs>),
    /// Decode a token without verifying it: header, payload, signature and times
    #[command(after_help = "\
Examples:
  tokensmith decode eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln
  echo 'Bearer eyJ...' | tokensmith decode
  tokensmith decode - --json < token.txt

Works on any well-formed token, including alg none and algorithms tokensmith
cannot verify. Quotes, whitespace and 'Bearer '/'JWT ' prefixes around the
token are removed and reported.")]
    Decode(Deferred<DecodeArgs>),
    /// Verify a token's signature and expiry; exit 0 valid, 1 invalid
    #[command(after_help = "\
Examples:
  tokensmith verify \"$TOKEN\" -p tiledesk --secret-env TILEDESK_JWT_SECRET
  tokensmith verify - --key-file public.pem --leeway 30s < token.txt
  tokensmith verify \"$TOKEN\" --secret-file s.txt --at 2026-01-31T12:00:00Z

The algorithm comes from the key and the profile, never from the token's
header: an HS256 token checked against an RSA key is refused, not verified
with the key's text.")]
    Verify(Deferred<VerifyArgs>),
    /// Diagnose a token for a vendor: what it would reject, and how to fix it
    #[command(after_help = "\
Examples:
  pbpaste | tokensmith doctor -p tiledesk --secret-env TILEDESK_JWT_SECRET
  tokensmith doctor \"$TOKEN\" -p ticketping --at 2026-01-31T12:00:00Z
  tokensmith doctor \"$TOKEN\" --profile orlo --json | jq '.findings[].code'
  tokensmith doctor \"$TOKEN\" -p tiledesk --format markdown > ticket.md

With no key option, every stored key is tried and the one that verifies is
named. Exit 0 when nothing the vendor would refuse was found, 1 when something
was, 2 for usage errors.")]
    Doctor(Deferred<DoctorArgs>),
    /// What differs between two tokens, claim by claim; exit 0 the same, 1 they differ
    #[command(after_help = "\
Examples:
  tokensmith diff \"$WORKED\" \"$FAILS\"
  tokensmith diff @worked.jwt - --profile tiledesk < fails.jwt
  tokensmith diff \"$A\" \"$B\" --json | jq '.payload[].path'

Each token is given as it is, as - (standard input, for one of them) or as
@FILE. Claims are compared by their dotted path: added, removed, changed,
changed type (123 against \"123\"), and moved in nesting (email against
account.email). With --profile, the rules only one of the two breaks.
Exit 0 when the header and claims are the same, 1 when they differ, 2 when
an input is not a token.")]
    Diff(Deferred<DiffArgs>),
    /// Call the customer's token endpoint and judge what it serves, as the page gets it
    #[command(after_help = "\
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
the page, 1 when something would, 2 for usage errors.")]
    Probe(Deferred<ProbeArgs>),
    /// Find the widget tokens in a HAR file and say what the vendor made of each
    #[command(after_help = "\
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
the file is not a HAR.")]
    Har(Deferred<HarArgs>),
    /// Embed code for the page, and server code that issues the same token
    #[command(after_help = "\
Examples:
  tokensmith snippet --profile tiledesk --list
  tokensmith snippet --profile tiledesk --flavor html \"$TOKEN\"
  tokensmith snippet -p ticketping --flavor react --param app_id=acme
  tokensmith snippet --profile orlo --flavor node > issue-token.js

Without TOKEN, one is signed with the key given or stored for the profile
(server code needs none: it reads the secret or key from an environment
variable, never embeds it).")]
    Snippet(Deferred<SnippetArgs>),
    /// Manage the key store: secrets and key pairs, masked unless asked
    #[command(
        subcommand,
        after_help = "Examples:\n  tokensmith keys gen demo --kind hmac --profile tiledesk\n  tokensmith keys list\n  tokensmith sign --profile tiledesk --key demo --param project_id=65f0c0ffee"
    )]
    Keys(Deferred<keys::KeysCommand>),
    /// Print the config and data folders
    #[command(after_help = "Examples:\n  tokensmith paths\n  tokensmith --home /tmp/ts paths --json")]
    Paths {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// The identity hash (hex HMAC-SHA256 of the user's identifier) for an identity-hash profile
    #[command(after_help = "\
Examples:
  tokensmith hash -p helpscout --secret-env BEACON_SECRET ada@example.com
  tokensmith hash -p intercom-hash --key intercom 4242 --json
  tokensmith doctor -p helpscout --secret-env BEACON_SECRET --hash H ada@x.com

The identifier is hashed exactly as given (no trimming, no lower-casing): pass
what the page passes. Profiles: intercom-hash, helpscout, front, chatwoot,
crisp (`tokensmith profiles` lists them).")]
    Hash(Deferred<HashArgs>),
    /// The last tokens copied from the workbench or pasted into its doctor, newest first
    #[command(after_help = "\
Examples:
  tokensmith history
  tokensmith history --json | jq '.[0].payload'

Each entry keeps the header, payload, profile and time, never the token or a
secret; the last 50 are kept in <data>/history.jsonl (`tokensmith paths`
prints the folder).")]
    History {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Print the shell completion script (profile ids and key names complete too)
    #[command(after_help = "\
Examples:
  echo 'source <(tokensmith completions bash)' >> ~/.bashrc
  echo 'source <(tokensmith completions zsh)' >> ~/.zshrc
  mkdir -p ~/.config/fish/completions
  tokensmith completions fish > ~/.config/fish/completions/tokensmith.fish

The script calls `tokensmith` (on PATH) to complete, so it stays right after
an upgrade.")]
    Completions {
        /// bash, zsh, fish, powershell or elvish
        #[arg(value_name = "SHELL")]
        shell: complete::Shell,
    },
    /// Print the man page (roff) on standard output
    #[command(after_help = "\
Examples:
  tokensmith man | man -l -
  mkdir -p ~/.cargo/share/man/man1
  tokensmith man > ~/.cargo/share/man/man1/tokensmith.1

man looks in ../share/man of each folder on PATH: with ~/.cargo/bin on PATH
(where cargo install puts tokensmith), `man tokensmith` then finds the page.
Where MANPATH is set, add ~/.cargo/share/man to it.")]
    Man,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Show a profile's rules, claims and notes
    #[command(
        after_help = "Examples:\n  tokensmith profile show tiledesk\n  tokensmith profile show orlo --json"
    )]
    Show {
        /// The profile id (see `tokensmith profiles`)
        #[arg(add = ArgValueCandidates::new(complete::profile_ids))]
        id: String,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Write a new profile of yours: a copy of PROFILE, or a commented template
    #[command(
        after_help = "Examples:\n  tokensmith profile new acme\n  tokensmith profile new my-talla --from talla\n\n\
Writes <config>/profiles/ID.toml (`tokensmith paths` prints the folder);
never replaces a file."
    )]
    New {
        /// The new profile's id: lowercase letters, digits and '-'
        id: String,
        /// Start from this profile (built-in or yours) instead of the template
        #[arg(long, value_name = "PROFILE")]
        from: Option<String>,
    },
    /// Edit a profile in $EDITOR (a built-in is copied into your folder first), then check it
    #[command(
        after_help = "Examples:\n  tokensmith profile edit acme\n  EDITOR=nano tokensmith profile edit talla\n\n\
Opens $EDITOR, else $VISUAL, else vi, on a draft
(<config>/profiles/ID.toml.draft); a valid draft replaces the profile, an
invalid one is shown with its errors and kept for the next edit."
    )]
    Edit {
        /// The profile id
        id: String,
    },
    /// Check a profile file: errors with line, column and field (exit 2), or a summary (exit 0)
    #[command(after_help = "Examples:\n  tokensmith profile validate acme.toml")]
    Validate {
        /// The TOML file
        file: PathBuf,
    },
}

/// A failure with its exit code: 1 for an invalid token, 2 for usage and configuration.
#[derive(Debug)]
pub struct CliError {
    pub code: u8,
    pub message: String,
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        CliError { code: 2, message: message.into() }
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        CliError { code: 1, message: message.into() }
    }
}

macro_rules! usage_errors {
    ($($ty:ty),*) => {$(
        impl From<$ty> for CliError {
            fn from(err: $ty) -> Self {
                CliError::usage(err.to_string())
            }
        }
    )*};
}
usage_errors!(
    KeyError,
    ClaimError,
    UnknownProfile,
    SignError,
    AlgChoiceError,
    tokensmith::sign::SignError,
    tokensmith::profile::ParamError,
    tokensmith::paths::NoHome,
    tokensmith::store::StoreError,
    tokensmith::limits::ReadError
);

impl From<DecodeError> for CliError {
    fn from(err: DecodeError) -> Self {
        CliError::invalid(format!("not a valid token: {err}"))
    }
}

pub fn main() -> ExitCode {
    complete::answer_if_asked();
    // --color is read before parsing so clap's own help and errors follow it too.
    let when = color::When::from_args(std::env::args_os());
    let mut command = command().color(when.clap());
    let parsed = command.try_get_matches_from_mut(std::env::args_os());
    // Freeing the command tree is work for nothing: the process ends when the verb does, and
    // the memory goes with it (callgrind: the drop cost a sixth of a `sign` call).
    std::mem::forget(command);
    let mut matches = match parsed {
        Ok(matches) => matches,
        Err(err) => err.exit(),
    };
    let common = common::Common::given(&matches);
    let cli = match Cli::from_arg_matches_mut(&mut matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    color::init(common.color);
    match run(cli, common) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            errln!("{} {}", color::error_label(), err.message);
            ExitCode::from(err.code)
        }
    }
}

/// The command line's definition, with the common options (`common.rs`) on every subcommand.
pub fn command() -> clap::Command {
    // The subcommands without a deferred definition of their own (see `deferred.rs`) get one
    // that adds the common options.
    const PLAIN: [&str; 5] = ["profiles", "paths", "history", "completions", "man"];
    PLAIN.iter().fold(<Cli as clap::CommandFactory>::command(), |cmd, name| {
        cmd.mut_subcommand(name, |sub| sub.defer(common::add))
    })
}

fn run(cli: Cli, common: common::Common) -> Result<u8, CliError> {
    // These two need no folders: they work before a home exists.
    match &cli.command {
        Some(Command::Completions { shell }) => return complete::script(*shell),
        Some(Command::Man) => return complete::man(),
        _ => {}
    }
    let home = common
        .home
        .or_else(|| std::env::var_os("TOKENSMITH_HOME").filter(|h| !h.is_empty()).map(PathBuf::from));
    let paths = Paths::resolve(home.as_deref())?;
    let mut io = input::Io::real(&paths.data);
    let Some(command) = cli.command else {
        use std::io::IsTerminal as _;
        if !std::io::stdout().is_terminal() {
            return Err(CliError::usage(
                "the workbench needs a terminal: run `tokensmith` in one, or use a command (`tokensmith --help`)",
            ));
        }
        let options =
            crate::tui::Options { mouse: !cli.no_mouse, exit_after_first_frame: cli.exit_after_first_frame };
        return crate::tui::run(&paths, options).map_err(CliError::usage);
    };
    // A command's output piped into `head` must end quietly when the pipe closes, as cat and
    // grep do (killed by SIGPIPE, status 141), not panic in println!. Only for commands: the
    // workbench keeps Rust's default so a closed clipboard socket is an error, not a death.
    sigpipe::reset();
    user_profiles::set_verbose(common.verbose);
    match command {
        Command::Profiles { json } => verbs::profiles(&paths, json),
        Command::Profile(Deferred(ProfileCommand::Show { id, json })) => {
            verbs::profile_show(&paths, &id, json)
        }
        Command::Profile(Deferred(ProfileCommand::New { id, from })) => {
            user_profiles::new(&paths, &id, from.as_deref())
        }
        Command::Profile(Deferred(ProfileCommand::Edit { id })) => user_profiles::edit(&paths, &id),
        Command::Profile(Deferred(ProfileCommand::Validate { file })) => {
            user_profiles::validate(&paths, &file)
        }
        Command::Sign(args) => verbs::sign(&paths, &args, &mut io),
        Command::Decode(args) => verbs::decode(&args, &mut io),
        Command::Verify(args) => verify::verify(&paths, &args, &mut io),
        Command::Keys(command) => keys::run(&command, &mut io),
        Command::Doctor(args) => verbs::doctor(&paths, &args, &mut io),
        Command::Diff(args) => diff::run(&paths, &args, &mut io),
        Command::Probe(args) => probe::run(&paths, &args, &mut io),
        Command::Har(args) => har::run(&paths, &args, &mut io),
        Command::Snippet(args) => verbs::snippet(&paths, &args, &mut io),
        Command::Paths { json } => verbs::paths(&paths, json),
        Command::History { json } => verbs::history(&paths, json, io.now),
        Command::Hash(args) => schemes::hash(&paths, &args, &mut io),
        Command::Completions { shell } => complete::script(shell),
        Command::Man => complete::man(),
    }
}

#[cfg(test)]
mod tests {

    /// clap wraps help at the terminal's width; a line longer than 80 columns in the source
    /// would break mid-command (examples) or leave ragged stubs (prose) in an 80-column terminal.
    #[test]
    fn help_texts_fit_80_columns_unwrapped() {
        fn check(cmd: &clap::Command, long: &mut Vec<String>) {
            for text in [cmd.get_after_help(), cmd.get_after_long_help()].into_iter().flatten() {
                for line in text.to_string().lines() {
                    if line.chars().count() > 78 {
                        long.push(format!("{}: {line}", cmd.get_name()));
                    }
                }
            }
            for sub in cmd.get_subcommands() {
                check(sub, long);
            }
        }
        let mut long = Vec::new();
        check(&super::command(), &mut long);
        assert!(long.is_empty(), "help lines over 78 columns:\n{}", long.join("\n"));
    }

    /// Every prose paragraph of every help text (a command's about and after-help, each
    /// argument's help) ends where a sentence can end: not on a comma, colon, semicolon, an open
    /// parenthesis or a hyphen, nor on a word that always needs another after it (an article, a
    /// possessive, a conjunction, `than`). A paragraph whose last line is indented is a command
    /// (the examples), not prose. `verify --profile` once ended "...to this vendor profile's".
    #[test]
    fn no_help_paragraph_ends_mid_sentence() {
        const DANGLING: [&str; 12] =
            ["a", "an", "the", "and", "or", "but", "nor", "than", "its", "their", "your", "our"];
        fn cut(paragraph: &str) -> bool {
            let last_line = paragraph.trim_end().lines().last().unwrap_or_default();
            if last_line.starts_with(' ') {
                return false;
            }
            let last = last_line.split_whitespace().last().unwrap_or_default();
            let word = last.trim_end_matches(['.', ')', '\'', '"', '`']).to_lowercase();
            last.ends_with([',', ':', ';', '('])
                || (last.len() > 1 && last.ends_with('-'))
                || word.ends_with("'s")
                || word.ends_with("s'")
                || DANGLING.contains(&word.as_str())
        }
        fn check(cmd: &clap::Command, path: &str, cut_off: &mut Vec<String>) {
            let mut texts: Vec<(String, String)> = Vec::new();
            for (what, text) in [
                ("about", cmd.get_about()),
                ("long about", cmd.get_long_about()),
                ("after help", cmd.get_after_help()),
                ("after long help", cmd.get_after_long_help()),
            ] {
                texts.extend(text.map(|t| (what.to_string(), t.to_string())));
            }
            for arg in cmd.get_arguments() {
                for text in [arg.get_help(), arg.get_long_help()].into_iter().flatten() {
                    texts.push((format!("argument {}", arg.get_id()), text.to_string()));
                }
            }
            for (what, text) in texts {
                for paragraph in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
                    if cut(paragraph) {
                        cut_off.push(format!("{path}, {what}: ...{}", paragraph.trim()));
                    }
                }
            }
            for sub in cmd.get_subcommands() {
                check(sub, &format!("{path} {}", sub.get_name()), cut_off);
            }
        }
        assert!(cut("Restrict algorithms to this vendor profile's") && cut("Examples:") && cut("the"));
        assert!(!cut("Print JSON") && !cut("The profile it belongs to") && !cut("Examples:\n  cat x | y -"));
        let mut cmd = super::command();
        cmd.build();
        let mut cut_off = Vec::new();
        check(&cmd, "tokensmith", &mut cut_off);
        assert!(cut_off.is_empty(), "help paragraphs cut mid-sentence:\n{}", cut_off.join("\n"));
    }

    /// `--home`, `--color` and `-v` work before the subcommand and after it, at every depth;
    /// the inner one wins. (They are not clap globals: see `cli/common.rs`.)
    #[test]
    fn every_command_takes_the_common_options_anywhere() {
        fn check(cmd: &clap::Command, path: &str) {
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                let path = format!("{path} {}", sub.get_name());
                for id in ["home", "color", "verbose"] {
                    assert!(sub.get_arguments().any(|a| a.get_id() == id), "`{path}` lacks --{id}");
                }
                check(sub, &path);
            }
        }
        let mut cmd = super::command();
        cmd.build();
        check(&cmd, "tokensmith");
        let given = |line: &[&str]| {
            let matches = super::command().try_get_matches_from(line).expect("parses");
            super::common::Common::given(&matches)
        };
        let common = given(&["tokensmith", "--home", "/a", "keys", "list", "--home", "/b", "-v"]);
        assert_eq!((common.home.as_deref(), common.verbose), (Some(std::path::Path::new("/b")), true));
        let common = given(&["tokensmith", "--color", "never", "profile", "show", "x"]);
        assert_eq!((common.color, common.home, common.verbose), (super::color::When::Never, None, false));
        assert_eq!(given(&["tokensmith", "paths", "--color=always"]).color, super::color::When::Always);
    }

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::command().debug_assert();
    }

    #[test]
    fn deferred_subcommands_keep_their_own_help_texts() {
        fn texts(cmd: &clap::Command) -> Vec<(String, String, String)> {
            let mut all = Vec::new();
            for sub in cmd.get_subcommands() {
                let text =
                    |t: Option<&clap::builder::StyledStr>| t.map(|t| t.to_string()).unwrap_or_default();
                all.push((sub.get_name().to_string(), text(sub.get_about()), text(sub.get_after_help())));
                all.extend(texts(sub));
            }
            all
        }
        let mut cmd = super::command();
        let before = texts(&cmd);
        assert!(before.iter().any(|(name, about, _)| name == "sign" && about.starts_with("Sign a token")));
        // Building runs the deferred definitions, as parsing or --help does.
        cmd.build();
        let after = texts(&cmd);
        for (name, about, after_help) in &before {
            let built = after.iter().find(|(n, ..)| n == name).expect("still there");
            assert_eq!((about, after_help), (&built.1, &built.2), "'{name}' lost its help texts");
        }
        let sign = cmd.find_subcommand("sign").expect("sign");
        assert!(sign.get_arguments().any(|a| a.get_id() == "profile"), "the deferred arguments are built");
    }
}
