//! tokensmith's core: tokens, claims, vendor profiles and paths. No terminal, no clock, no
//! environment: callers pass `now`, folders and secrets in.
#![forbid(unsafe_code)]
// The core reads what strangers paste: no indexing or byte slicing that can panic, no
// arithmetic that can wrap, no panics. (`unwrap_used` is denied for every target in Cargo.toml.)
#![cfg_attr(
    not(test),
    deny(clippy::indexing_slicing, clippy::string_slice, clippy::arithmetic_side_effects, clippy::panic)
)]

pub mod claims;
pub mod diff;
pub mod doctor;
pub mod fsio;
pub mod har;
pub mod hash;
pub mod history;
pub mod keyset;
pub mod limits;
pub mod net;
pub mod paths;
pub mod probe;
pub mod profile;
pub mod resign;
pub mod rules;
pub mod secret;
pub mod sign;
pub mod snippet;
pub mod sourced;
pub mod store;
pub mod text;
pub mod time;
pub mod time_rules;
pub mod token;
