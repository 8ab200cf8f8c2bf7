//! tokensmith's core: tokens, claims, vendor profiles and paths. No terminal, no clock, no
//! environment: callers pass `now`, folders and secrets in.
#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod claims;
pub mod doctor;
pub mod paths;
pub mod profile;
pub mod secret;
pub mod sign;
pub mod snippet;
pub mod store;
pub mod time;
pub mod time_rules;
pub mod token;
