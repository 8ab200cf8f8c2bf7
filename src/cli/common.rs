//! The options every command takes, before or after the subcommand's name
//! (`tokensmith --home X sign` and `tokensmith sign --home X`).
//!
//! clap's `global = true` would do this by copying the three arguments into every subcommand
//! when it starts parsing (callgrind: 58 KiB of heap and a tenth of an HS256 `sign`'s own
//! instructions, for the twenty subcommands that do not run). Here each subcommand adds them
//! when clap builds it, which it does only for the one that runs (and for `--help`,
//! completions and the man page, which build the whole tree): [`add`] is called from the
//! deferred definitions in `deferred.rs` and from `#[command(defer = ...)]` on the rest.

use std::path::PathBuf;

use clap::parser::ValueSource;
use clap::{ArgMatches, Args, Command};

use super::color::When;

#[derive(Debug, Clone, Args)]
pub struct Common {
    /// Keep config and data under DIR (DIR/config, DIR/data) instead of the platform's folders;
    /// default: $TOKENSMITH_HOME when set
    // Read from the environment in `run`, not with clap's `env`: clap would print an argument
    // filled from the environment in usage lines as if the user had to give it.
    #[arg(long, value_name = "DIR")]
    pub home: Option<PathBuf>,

    /// Colour in messages: auto (only on a terminal, and not when NO_COLOR is set), always, never
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    pub color: When,

    /// Show warnings about your profile files every time (otherwise once a day)
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

/// Adds the common options to a subcommand (a plain function, so clap can defer it).
pub fn add(cmd: Command) -> Command {
    Common::augment_args(cmd)
}

impl Common {
    /// What the command line gave, read from the top command and each subcommand on the way
    /// down; where an option is given at two levels, the inner one wins, and `-v` at any level
    /// counts.
    pub fn given(matches: &ArgMatches) -> Common {
        let mut common = Common { home: None, color: When::Auto, verbose: false };
        let mut level = Some(matches);
        while let Some(matches) = level {
            common.update(matches);
            level = matches.subcommand().map(|(_, sub)| sub);
        }
        common
    }

    fn update(&mut self, matches: &ArgMatches) {
        let on_the_line = |id: &str| matches.value_source(id) == Some(ValueSource::CommandLine);
        if on_the_line("home") {
            self.home = matches.get_one::<PathBuf>("home").cloned();
        }
        if on_the_line("color") {
            self.color = matches.get_one::<When>("color").copied().unwrap_or(When::Auto);
        }
        if on_the_line("verbose") {
            self.verbose = true;
        }
    }
}
