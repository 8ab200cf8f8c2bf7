//! `sign --from TOKEN`: the token's claims and header fields as the start, the command line's
//! on top (`tokensmith::resign` does the merging, for the workbench too).

use serde_json::Value;
use tokensmith::claims::ClaimAssignment;
use tokensmith::profile::Profile;

use super::input::Io;
use super::{CliError, SignArgs};

/// What goes into a signature: claims, header fields, and the kid the `--from` token had.
pub type Inputs = (Vec<ClaimAssignment>, Vec<(String, Value)>, Option<String>);

/// The claims, header fields and kid to sign with: the command line's alone, or on top of the
/// `--from` token's. With `--ttl`, the token's own exp gives way to it.
pub fn inputs(
    args: &SignArgs,
    io: &mut Io,
    profile: &Profile,
    now: i64,
    claims: Vec<ClaimAssignment>,
    headers: Vec<(String, Value)>,
) -> Result<Inputs, CliError> {
    let Some(from) = &args.from else { return Ok((claims, headers, None)) };
    let token = io.decoded(from, "the --from token")?;
    let refresh = args.refresh_times.then(|| (now, profile.time.default_lifetime()));
    let mut base = tokensmith::resign::base(&token.header, &token.payload, refresh);
    if args.ttl.is_some() {
        base.claims.retain(|c| c.path.keys() != ["exp"]);
    }
    let kid = base.kid.clone();
    let (claims, headers) = tokensmith::resign::merge(base, claims, headers);
    Ok((claims, headers, kid))
}
