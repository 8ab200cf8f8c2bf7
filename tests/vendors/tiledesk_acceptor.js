// Tiledesk's side of the widget login: accepts or refuses a token the way tiledesk-server's
// JWT strategy (middleware/passport.js, passport-jwt with a secretOrKeyProvider) does, as far
// as that code is public. Written from reading it; none of its code is copied here.
//
// What the server does, step by step, and what this program does in its place:
//   1. extract   The token comes in the Authorization header with the scheme JWT
//                (passport-jwt's fromAuthHeaderWithScheme("jwt"): scheme compared without
//                case, "<scheme> <token>"). `Bearer <token>` finds no token.
//   2. secret    The payload is decoded without verifying, and `aud` picks the secret:
//                `new URL(aud)`, then the path's first part is the audience type and the second
//                its id. /projects/<id> selects that project's jwtSecret (a Mongo lookup by
//                ObjectId with status 100: here the `projects` map); /bots/<id> and
//                /subscriptions/<id> select a bot's or a subscription's secret (unknown here);
//                any other aud, or none, selects the server's global secret.
//   3. verify    jsonwebtoken's verify with passport-jwt's defaults: no audience, issuer or
//                algorithm option, so exp and nbf are checked, aud is not, and there is no iat
//                rule or maximum lifetime. (The server pins jsonwebtoken ^8; this uses the 9
//                that .ci/run installs: the same checks for HS256 tokens.)
//   4. payload   A payload without `_id` (or the old `_doc._id`) is refused.
//   5. subject   sub "userexternal": accepted as an external (customer) user, as it is.
//                sub "guest": accepted as an anonymous guest (not the logged-in customer).
//                sub "bot" / "subscription": looked up by _id among bots / subscriptions.
//                Anything else, or no sub: looked up by _id among Tiledesk's own users.
//                Those lookups find nothing here: a customer is no Tiledesk user.
// Left out: the `secret_token` query parameter (another way in, not the widget's), the
// enterprise JWT revocation history, and routes that skip the entity check.
//
// Input: JSON on stdin
//   { "authorization": "JWT <token>", "projects": { "<project id>": "<its jwtSecret>" },
//     "global_secret": "<the server's GLOBAL_SECRET>", "now": <unix seconds, optional> }
// or arguments: [--project ID=SECRET]... [--global SECRET] [--now SECS] AUTHORIZATION
// Output: one JSON verdict on stdout
//   { "accepted": bool, "user": "external" | "guest" | null, "step": "extract" | "secret" |
//     "verify" | "payload" | "subject" | "accepted", "secret": "what verified or was tried",
//     "reason": "plain words", "payload": { ... } | null }
// Exit status: 0 accepted, 1 refused, 2 bad input.
"use strict";

const jwt = require("jsonwebtoken");

function readInput() {
  const args = process.argv.slice(2);
  if (args.length === 0) {
    return JSON.parse(require("fs").readFileSync(0, "utf8"));
  }
  const input = { projects: {} };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--project") {
      const spec = args[++i] || "";
      const eq = spec.indexOf("=");
      if (eq < 1) throw new Error(`--project wants ID=SECRET, got '${spec}'`);
      input.projects[spec.slice(0, eq)] = spec.slice(eq + 1);
    } else if (arg === "--global") {
      input.global_secret = args[++i];
    } else if (arg === "--now") {
      input.now = Number(args[++i]);
    } else {
      input.authorization = arg;
    }
  }
  return input;
}

// passport-jwt splits the header value into a scheme and a token at the first run of spaces.
function extract(authorization) {
  if (typeof authorization !== "string") return { error: "no Authorization header" };
  const parts = authorization.trim().split(/\s+/);
  if (parts.length < 2) {
    return {
      error: `the Authorization header '${short(authorization)}' has no scheme: the server reads 'JWT <token>' ` +
        `(the page must call signInWithCustomToken("JWT " + token))`,
    };
  }
  const [scheme, token] = parts;
  if (scheme.toLowerCase() !== "jwt") {
    return {
      error: `the Authorization scheme is '${scheme}', and the server reads only 'JWT <token>': ` +
        `it finds no token (the page must call signInWithCustomToken("JWT " + token))`,
    };
  }
  return { token };
}

// Mongoose casts a project id to an ObjectId before the lookup; an id that cannot be one fails
// the query (a CastError), and the server then has no secret.
function castsToObjectId(id) {
  return /^[0-9a-fA-F]{24}$/.test(id) || id.length === 12;
}

function chooseSecret(decoded, input) {
  const global = { secret: input.global_secret, label: "the server's global secret" };
  if (!decoded || decoded.aud === undefined || decoded.aud === null || decoded.aud === "") {
    return { ...global, why: "the token has no aud, so the server uses its global secret" };
  }
  let url;
  try {
    url = new URL(decoded.aud);
  } catch (e) {
    return { error: `aud '${decoded.aud}' is not a URL: the server's new URL(aud) throws, and the request fails` };
  }
  const segments = url.pathname.split("/");
  const type = segments[1];
  const id = segments[2];
  if (type === "projects") {
    if (!id) return { error: `aud '${decoded.aud}' names no project id after /projects/` };
    if (!castsToObjectId(id)) {
      return { error: `aud names project '${id}', which is no Mongo ObjectId: the server's project lookup fails` };
    }
    const projects = input.projects || {};
    if (!Object.prototype.hasOwnProperty.call(projects, id)) {
      return { error: `aud names project '${id}', which this server does not have (Project not found)` };
    }
    return { secret: projects[id], label: `project ${id}'s secret (from aud)` };
  }
  if (type === "bots" || type === "subscriptions") {
    const what = type === "bots" ? "bot" : "subscription";
    if (!id) return { error: `aud '${decoded.aud}' names no ${what} id` };
    return { error: `aud selects ${what} '${id}''s secret, and there is no such ${what}: not a widget user's token` };
  }
  return {
    ...global,
    why: `aud '${decoded.aud}' is not a /projects/<id> URL, so the server uses its global secret`,
  };
}

function short(text) {
  const s = String(text);
  return s.length > 40 ? s.slice(0, 37) + "..." : s;
}

function judge(input) {
  const verdict = (accepted, step, reason, extra) => ({
    accepted,
    user: null,
    step,
    secret: null,
    reason,
    payload: null,
    ...extra,
  });

  const extracted = extract(input.authorization);
  if (extracted.error) return verdict(false, "extract", extracted.error);
  const token = extracted.token;

  const decoded = jwt.decode(token);
  const chosen = chooseSecret(decoded, input);
  if (chosen.error) return verdict(false, "secret", chosen.error, { payload: decoded });
  if (!chosen.secret) {
    return verdict(false, "secret", "no secret to check the token with", { secret: chosen.label, payload: decoded });
  }

  const options = {};
  if (typeof input.now === "number") options.clockTimestamp = input.now;
  let payload;
  try {
    payload = jwt.verify(token, chosen.secret, options);
  } catch (e) {
    const because = chosen.why ? ` (${chosen.why})` : "";
    return verdict(false, "verify", `${e.name}: ${e.message}, checked with ${chosen.label}${because}`, {
      secret: chosen.label,
      payload: decoded,
    });
  }
  const checked = { secret: chosen.label, payload };

  const docId = payload._doc && typeof payload._doc === "object" ? payload._doc._id : undefined;
  if (payload._id === undefined && docId === undefined) {
    return verdict(false, "payload", "the payload has no _id (nor _doc._id): the server refuses it " +
      "(jwt_payload._id or jwt_payload._doc._id can't be undefined)", checked);
  }
  const identifier = payload._id !== undefined ? payload._id : docId;

  switch (payload.sub) {
    case "userexternal":
      return verdict(true, "accepted", `accepted as external user '${identifier}'`, { ...checked, user: "external" });
    case "guest":
      return verdict(true, "accepted", `accepted as an anonymous guest '${identifier}', not as a logged-in customer`, {
        ...checked,
        user: "guest",
      });
    case "bot":
    case "subscription":
      return verdict(false, "subject", `sub is '${payload.sub}': the server looks _id '${identifier}' up among ` +
        `${payload.sub}s and finds none: a widget customer needs sub 'userexternal'`, checked);
    default: {
      const sub = payload.sub === undefined ? "there is no sub" : `sub is '${payload.sub}'`;
      return verdict(false, "subject", `${sub}: the server looks _id '${identifier}' up among Tiledesk's own ` +
        `users and finds none: a widget customer needs sub 'userexternal'`, checked);
    }
  }
}

let input;
try {
  input = readInput();
} catch (e) {
  process.stderr.write(`tiledesk_acceptor: bad input: ${e.message}\n`);
  process.exit(2);
}
const result = judge(input);
process.stdout.write(JSON.stringify(result) + "\n");
process.exit(result.accepted ? 0 : 1);
