// Ticketping's Express sample (seeds/ticketping-chat-widget.txt), re-typed to run in the
// tests: `require` in place of `import` (NODE_PATH serves CommonJS only), and `express` is
// the stand-in in stubs/node, which requests the route once as a fixed logged-in user whose
// id is a number (the seed's user.id). The secret comes from the environment, as in the seed.
const express = require("express");
const jwt = require("jsonwebtoken");
const app = express();
// Protect this route with your own authentication middleware
app.get("/api/ticketping/chat-jwt", (req, res) => {
  const user = req.user; // Assume you set this via auth middleware
  const payload = {
    external_id: user.id,
    email: user.email,
    display_name: user.name || user.email.split("@")[0],
    exp: Math.floor(Date.now() / 1000) + 60 * 5, // expires in 5 min
  };
  const token = jwt.sign(payload, process.env.TICKETPING_JWT_SECRET);
  res.json({ jwt: token });
});
