//! Subcommand definitions that clap builds only for the subcommand that runs.
//!
//! clap's derive builds every subcommand's arguments before parsing; for `sign` that was most
//! of the start-up (callgrind: the command tree was a third of the instructions of a whole
//! `sign` call, and dropping it another sixth). `Command::defer` is clap's own hook for
//! this: wrapping a variant's arguments in [`Deferred`] builds them only when clap enters
//! that subcommand (to parse it, or for `--help`, completions and the man page, which build
//! the whole tree).

use std::ops::Deref;

use clap::{ArgMatches, Args, Command, FromArgMatches, Subcommand};

use super::common;

/// A subcommand's arguments (an `Args` struct or a nested `Subcommand` enum), built lazily.
#[derive(Debug)]
pub struct Deferred<T>(pub T);

impl<T> Deref for Deferred<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: FromArgMatches> FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Deferred)
    }
    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Deferred)
    }
    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }
    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

/// Runs a deferred definition while keeping the subcommand's own texts: the variant's doc
/// comment and examples were set before the deferred part runs, and a flattened struct's doc
/// comment (`KeySource`'s) must not replace them, as it would not have without deferral.
fn keeping_texts(cmd: Command, define: fn(Command) -> Command) -> Command {
    let about = cmd.get_about().cloned();
    let long_about = cmd.get_long_about().cloned();
    let after_help = cmd.get_after_help().cloned();
    let after_long_help = cmd.get_after_long_help().cloned();
    let mut cmd = define(cmd);
    if let Some(text) = about {
        cmd = cmd.about(text);
    }
    if let Some(text) = long_about {
        cmd = cmd.long_about(text);
    }
    if let Some(text) = after_help {
        cmd = cmd.after_help(text);
    }
    if let Some(text) = after_long_help {
        cmd = cmd.after_long_help(text);
    }
    cmd
}

impl<T: Args> Args for Deferred<T> {
    fn augment_args(cmd: Command) -> Command {
        cmd.defer(|cmd| common::add(keeping_texts(cmd, T::augment_args)))
    }
    fn augment_args_for_update(cmd: Command) -> Command {
        cmd.defer(|cmd| common::add(keeping_texts(cmd, T::augment_args_for_update)))
    }
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
}

/// A group of subcommands (`keys`, `profile`): the group and each of its subcommands take the
/// common options, each built only when clap enters it. The nested subcommands are plain
/// variants (no deferred definition of their own for this to replace).
fn with_common_options(cmd: Command) -> Command {
    common::add(cmd).mut_subcommands(|sub| sub.defer(common::add))
}

impl<T: Subcommand> Subcommand for Deferred<T> {
    fn augment_subcommands(cmd: Command) -> Command {
        cmd.defer(|cmd| with_common_options(keeping_texts(cmd, T::augment_subcommands)))
    }
    fn augment_subcommands_for_update(cmd: Command) -> Command {
        cmd.defer(|cmd| with_common_options(keeping_texts(cmd, T::augment_subcommands_for_update)))
    }
    fn has_subcommand(name: &str) -> bool {
        T::has_subcommand(name)
    }
}
