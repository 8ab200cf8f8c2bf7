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
mod help;
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
    Profiles(Deferred<JsonArg>),
    /// Show one vendor profile
    #[command(
        subcommand,
        after_help = "Examples:\n  tokensmith profile show tiledesk\n  tokensmith profile show orlo --json\n  \
tokensmith profile new acme --from generic-hs256\n  tokensmith profile edit acme\n  \
tokensmith profile validate ~/.config/tokensmith/profiles/acme.toml"
    )]
    Profile(Deferred<ProfileCommand>),
    /// Sign a token for a vendor profile
    Sign(Deferred<SignArgs>),
    /// Decode a token without verifying it: header, payload, signature and times
    Decode(Deferred<DecodeArgs>),
    /// Verify a token's signature and expiry; exit 0 valid, 1 invalid
    Verify(Deferred<VerifyArgs>),
    /// Diagnose a token for a vendor: what it would reject, and how to fix it
    Doctor(Deferred<DoctorArgs>),
    /// What differs between two tokens, claim by claim; exit 0 the same, 1 they differ
    Diff(Deferred<DiffArgs>),
    /// Call the customer's token endpoint and judge what it serves, as the page gets it
    Probe(Deferred<ProbeArgs>),
    /// Find the widget tokens in a HAR file and say what the vendor made of each
    Har(Deferred<HarArgs>),
    /// Embed code for the page, and server code that issues the same token
    Snippet(Deferred<SnippetArgs>),
    /// Manage the key store: secrets and key pairs, masked unless asked
    #[command(
        subcommand,
        after_help = "Examples:\n  tokensmith keys gen demo --kind hmac --profile tiledesk\n  tokensmith keys list\n  tokensmith sign --profile tiledesk --key demo --param project_id=65f0c0ffee"
    )]
    Keys(Deferred<keys::KeysCommand>),
    /// Print the config and data folders
    #[command(after_help = "Examples:\n  tokensmith paths\n  tokensmith --home /tmp/ts paths --json")]
    Paths(Deferred<JsonArg>),
    /// The identity hash (hex HMAC-SHA256 of the user's identifier) for an identity-hash profile
    Hash(Deferred<HashArgs>),
    /// The last tokens copied from the workbench or pasted into its doctor, newest first
    #[command(after_help = "\
Examples:
  tokensmith history
  tokensmith history --json | jq '.[0].payload'

Each entry keeps the header, payload, profile and time, never the token or a
secret; the last 50 are kept in <data>/history.jsonl (`tokensmith paths`
prints the folder).")]
    History(Deferred<JsonArg>),
    /// Print the shell completion script (profile ids and key names complete too)
    Completions(Deferred<ShellArg>),
    /// Print the man page (roff) on standard output
    Man(Deferred<NoArgs>),
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

/// The whole program; returns the exit status (`src/main.rs` hands it to the C runtime).
/// Never inlined into its caller: `link/hot-text.ld` and `.ci/run` find it by name, whichever
/// start-up calls it.
#[inline(never)]
pub fn main() -> u8 {
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
        Ok(code) => code,
        Err(err) => {
            errln!("{} {}", color::error_label(), err.message);
            err.code
        }
    }
}

/// The command line's definition, with the common options (`common.rs`) on every subcommand
/// (each adds them in its deferred definition, `deferred.rs`).
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

fn run(cli: Cli, common: common::Common) -> Result<u8, CliError> {
    // These two need no folders: they work before a home exists.
    match &cli.command {
        Some(Command::Completions(args)) => return complete::script(args.shell),
        Some(Command::Man(_)) => return complete::man(),
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
    // workbench keeps it ignored, as the process starts (Rust's start-up, or `start.rs`), so
    // a closed clipboard socket is an error, not a death.
    sigpipe::reset();
    user_profiles::set_verbose(common.verbose);
    match command {
        Command::Profiles(args) => verbs::profiles(&paths, args.json),
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
        Command::Paths(args) => verbs::paths(&paths, args.json),
        Command::History(args) => verbs::history(&paths, args.json, io.now),
        Command::Hash(args) => schemes::hash(&paths, &args, &mut io),
        Command::Completions(args) => complete::script(args.shell),
        Command::Man(_) => complete::man(),
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
        // The texts live with each verb's deferred definition: build them all first.
        let mut cmd = super::command();
        cmd.build();
        let mut long = Vec::new();
        check(&cmd, &mut long);
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
            assert_eq!(about, &built.1, "'{name}' lost its about");
            // A text set on the variant stays; one set on its deferred arguments comes then.
            if !after_help.is_empty() {
                assert_eq!(after_help, &built.2, "'{name}' lost its examples");
            }
        }
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let examples = sub.get_after_help().map(ToString::to_string).unwrap_or_default();
            assert!(
                examples.starts_with("Examples"),
                "'{}' --help has no examples once built",
                sub.get_name()
            );
        }
        let sign = cmd.find_subcommand("sign").expect("sign");
        assert!(sign.get_arguments().any(|a| a.get_id() == "profile"), "the deferred arguments are built");
    }
}
