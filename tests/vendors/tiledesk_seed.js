// The NodeJS sample of Tiledesk's seed page ("Widget Authentication", seeds/tiledesk-widget-auth.txt),
// re-typed to run in the tests with its #{...} placeholders filled in: a fixed customer, the
// clock's time, a 5 minute expiry and the secret from the environment. It prints the token as
// JSON. This is the payload the page asks for (name, email, iat, exp, external_id): it has no
// _id, sub or aud, so Tiledesk's server refuses it.
var jwt = require('jsonwebtoken');
var timestamp = Math.floor(Date.now() / 1000);
var payload = {
  name: 'Jane Doe',
  email: 'jane@example.com',
  iat: timestamp,
  exp: timestamp + 5 * 60,
  external_id: 'user123456'
};
var token = jwt.sign(payload, process.env.TILEDESK_JWT_SECRET);
console.log(JSON.stringify({ body: { token: token } }));
