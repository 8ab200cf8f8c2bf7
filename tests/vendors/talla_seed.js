// The JavaScript sample of Talla's seed page ("Implementing Talla's Customer Assist Widget",
// seeds/talla-widget.txt), re-typed to run in the tests: md5 from node's crypto, the email the
// page scrubbed filled in with a fixed customer's, and `this.state.secret` (a React
// component's state in the page) read from the environment. No exp, as in the sample. It
// prints the token as JSON.
const jwt = require("jsonwebtoken");
const md5 = (text) => require("crypto").createHash("md5").update(text).digest("hex");
const self = { state: { secret: process.env.TALLA_APP_SECRET } };

function issue() {
  let account = {
    uid: md5("john.doe@example.com"),
    first_name: "john",
    last_name: "doe",
    email: "john.doe@example.com",
  };
  let token = jwt.sign({account: account}, this.state.secret, {algorithm: 'HS256'});
  return token;
}

console.log(JSON.stringify({ body: { token: issue.call(self) } }));
