// A stand-in for express, for the vendors' Express samples re-typed in tests/vendors: it
// records the GET routes a sample declares, never listens, and once the sample's own code has
// run, requests each route as one fixed logged-in user (SAMPLE_USER, JSON) and prints each
// answer as a JSON line: {"route": ..., "status": ..., "body": ...}.
"use strict";

const DEFAULT_USER = { id: 123, email: "alice@example.com", name: "Alice" };
const apps = [];

function express() {
  const app = {
    routes: [],
    get(route, ...handlers) {
      this.routes.push({ route, handlers });
      return this;
    },
    use() {
      return this;
    },
    listen(port, callback) {
      process.stderr.write(`(express stand-in: not listening on ${port})\n`);
      if (typeof callback === "function") callback();
      return { close() {} };
    },
  };
  apps.push(app);
  return app;
}

function request(route, handlers) {
  const user = process.env.SAMPLE_USER ? JSON.parse(process.env.SAMPLE_USER) : DEFAULT_USER;
  const req = { method: "GET", path: route, originalUrl: route, user, headers: {} };
  const res = {
    statusCode: 200,
    status(code) {
      this.statusCode = code;
      return this;
    },
    json(body) {
      process.stdout.write(JSON.stringify({ route, status: this.statusCode, body }) + "\n");
      return this;
    },
    send(body) {
      return this.json(body);
    },
  };
  let i = 0;
  const next = (err) => {
    if (err) throw err;
    const handler = handlers[i++];
    if (handler) handler(req, res, next);
  };
  next();
}

let served = false;
process.on("beforeExit", () => {
  if (served) return;
  served = true;
  for (const app of apps) for (const { route, handlers } of app.routes) request(route, handlers);
});

module.exports = express;
