//! What the doctor makes of the pasted token: with the keyset (`J`) or the stored keys, the
//! expectations (`x`), and for an identity hash the identifiers the Claims pane holds.

use tokensmith::profile::Profile;

use super::{App, Hashed, TokenState};

impl App {
    /// The doctor's report on a pasted token: against the keyset given with J, else against
    /// the stored keys; a pasted identity hash against the Claims pane's identifier.
    pub(super) fn diagnose(
        &self,
        input: &str,
        profile: &tokensmith::profile::Profile,
        given_params: &[(String, String)],
        now: i64,
    ) -> tokensmith::doctor::Report {
        let candidates = tokensmith::doctor::stored_candidates(&self.keys.entries, &profile.id);
        match &self.token {
            // A pasted identity hash: against the hash of the identifier the Claims pane
            // holds, with every stored secret (the previous refresh's hash state).
            TokenState::Hashed(h) if profile.scheme == tokensmith::profile::Scheme::IdentityHash => {
                let other = other_identifier(profile, h);
                tokensmith::doctor::diagnose_hash(
                    input,
                    profile,
                    &h.identifier,
                    other.as_deref(),
                    &candidates,
                    now,
                )
            }
            _ => match &self.doctor.keyset {
                // A keyset chooses the candidates (by kid, else alg) in place of the store.
                Some(loaded) => tokensmith::doctor::diagnose_with_keyset(
                    input,
                    profile,
                    &loaded.set,
                    &loaded.from,
                    given_params,
                    now,
                ),
                None => tokensmith::doctor::diagnose(input, profile, &candidates, given_params, now),
            }
            .expecting(input, &self.doctor.expect),
        }
    }
}

/// The user's other identifier, for the doctor: the first of the profile's identifier fields
/// that is set and is not the one hashed (their email when the user id is hashed).
fn other_identifier(profile: &Profile, hashed: &Hashed) -> Option<String> {
    let fields = &profile.hash.as_ref()?.identifier.value;
    fields
        .iter()
        .filter(|path| path.to_string() != hashed.field)
        .find_map(|path| tokensmith::hash::identifier_text(path.get(&hashed.values)))
}
