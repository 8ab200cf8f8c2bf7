// Ticketping's Next.js API route sample (seeds/ticketping-chat-widget.txt), re-typed from
// TypeScript to run in the tests: the types and the `!` dropped, and the handler called once at
// the end with a minimal request and response, printing the answer as the express stand-in does.
const jwt = require("jsonwebtoken");
function handler(req, res) {
  // Replace with your own auth logic
  const user = { id: "123", email: "alice@example.com" };
  const payload = {
    external_id: user.id,
    email: user.email,
    display_name: user.email.split("@")[0],
    exp: Math.floor(Date.now() / 1000) + 60 * 5,
  };
  const token = jwt.sign(payload, process.env.TICKETPING_JWT_SECRET);
  res.status(200).json({ jwt: token });
}

// The file-system route Next.js would give pages/api/ticketping/chat-jwt.ts.
const route = "/api/ticketping/chat-jwt";
handler({ method: "GET" }, {
  status(code) {
    return { json: (body) => console.log(JSON.stringify({ route, status: code, body })) };
  },
});
