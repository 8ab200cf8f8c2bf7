// Tokens as the vendors' docs show them, made with node's jsonwebtoken (not tokensmith): the
// example payload each doc gives, signed the way it says.
//
//   node more_samples.js VENDOR
//
// The key comes from MORE_SECRET (text) or, for salesforce, MORE_PRIVATE_KEY_FILE (PEM), with
// MORE_KID and MORE_ISSUER. Prints the token.
const fs = require("node:fs");
const jwt = require("jsonwebtoken");

const now = Math.floor(Date.now() / 1000);
const secret = process.env.MORE_SECRET;
const samples = {
  // Zendesk messaging: scope "user", external_id, name, email, email_verified; kid header.
  "zendesk-messaging": () =>
    jwt.sign(
      { scope: "user", external_id: "1234567890", name: "Jane Soap", email: "jane@example.com", email_verified: true, exp: now + 300 },
      secret,
      { algorithm: "HS256", header: { kid: "app_5f5c5d5e5f5a5b5c5d5e5f5a" }, noTimestamp: true },
    ),
  // Zendesk Chat: name, email, external_id, iat, exp (jsonwebtoken adds iat).
  "zendesk-chat": () =>
    jwt.sign({ name: "Jane Soap", email: "jane@example.com", external_id: "1234567890", exp: now + 120 }, secret, { algorithm: "HS256" }),
  // Intercom: user_id, email, name; exp optional.
  intercom: () =>
    jwt.sign({ user_id: "123", email: "jane@example.com", name: "Jane Soap" }, secret, { algorithm: "HS256", expiresIn: "1h", noTimestamp: true }),
  // Salesforce: iss (the keyset's issuer), sub, exp; kid = the uploaded JWK's kid.
  salesforce: () =>
    jwt.sign({ iss: process.env.MORE_ISSUER, sub: "jane.soap" }, fs.readFileSync(process.env.MORE_PRIVATE_KEY_FILE), {
      algorithm: "RS256",
      keyid: process.env.MORE_KID,
      expiresIn: 600,
      noTimestamp: true,
    }),
  // Kustomer: externalId (or email) and iat (jsonwebtoken adds iat).
  kustomer: () => jwt.sign({ externalId: "1234567890", email: "jane@example.com" }, secret, { algorithm: "HS256" }),
  // Drift: sub = the user's id, with an expiry.
  drift: () => jwt.sign({ sub: "1234567890" }, secret, { algorithm: "HS256", expiresIn: 600 }),
};

const make = samples[process.argv[2]];
if (!make) {
  console.error(`usage: node more_samples.js ${Object.keys(samples).join("|")}`);
  process.exit(2);
}
console.log(make());
