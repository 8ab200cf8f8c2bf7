//! `--color auto|always|never` and NO_COLOR (<https://no-color.org>): whether messages on
//! stderr get colour. Decided once at start; the core never colours anything.

use std::io::IsTerminal as _;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum When {
    /// Colour when the stream is a terminal and NO_COLOR is unset or empty
    Auto,
    /// Always colour, even through a pipe and with NO_COLOR set
    Always,
    /// Never colour
    Never,
}

static STDERR: OnceLock<bool> = OnceLock::new();

impl When {
    /// The last `--color` in the arguments (before clap parses them, so its own help and
    /// errors follow the choice too); auto when absent or not understood.
    pub fn from_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> When {
        let mut when = When::Auto;
        let mut next_is_value = false;
        for arg in args {
            let Some(arg) = arg.to_str().map(str::to_string) else { continue };
            if arg == "--" {
                break;
            }
            let value = if next_is_value {
                next_is_value = false;
                Some(arg.as_str())
            } else if arg == "--color" {
                next_is_value = true;
                None
            } else {
                arg.strip_prefix("--color=")
            };
            if let Some(value) = value {
                when = match value {
                    "always" => When::Always,
                    "never" => When::Never,
                    _ => When::Auto,
                };
            }
        }
        when
    }

    /// The same choice for clap, with NO_COLOR applied (clap's auto also honours it).
    pub fn clap(self) -> clap::ColorChoice {
        match self {
            When::Always => clap::ColorChoice::Always,
            When::Never => clap::ColorChoice::Never,
            When::Auto if no_color() => clap::ColorChoice::Never,
            When::Auto => clap::ColorChoice::Auto,
        }
    }

    /// Whether a stream that is (or is not) a terminal gets colour.
    fn colours(self, terminal: bool) -> bool {
        match self {
            When::Always => true,
            When::Never => false,
            When::Auto => terminal && !no_color(),
        }
    }
}

/// NO_COLOR set to anything non-empty.
fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Decides, once, whether stderr messages are coloured.
pub fn init(when: When) {
    let _ = STDERR.set(when.colours(std::io::stderr().is_terminal()));
}

fn paint(text: &str, code: &str) -> String {
    if STDERR.get().copied().unwrap_or(false) {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// "error:" in bold red when stderr is coloured.
pub fn error_label() -> String {
    paint("error:", "1;31")
}

/// "warning:" in bold yellow when stderr is coloured.
pub fn warning_label() -> String {
    paint("warning:", "1;33")
}

#[cfg(test)]
mod tests {
    use super::When;

    fn when(args: &[&str]) -> When {
        When::from_args(args.iter().map(std::ffi::OsString::from))
    }

    #[test]
    fn the_last_color_flag_wins_and_after_double_dash_nothing_counts() {
        assert_eq!(when(&["ts", "decode"]), When::Auto);
        assert_eq!(when(&["ts", "--color", "always", "decode"]), When::Always);
        assert_eq!(when(&["ts", "--color=never", "decode", "--color=always"]), When::Always);
        assert_eq!(when(&["ts", "--color=never", "--", "--color=always"]), When::Never);
        assert!(When::Always.colours(false));
        assert!(!When::Never.colours(true));
        assert!(!When::Auto.colours(false));
    }
}
