// A token shaped as Tiledesk's developer docs ("JWT Authentication") ask, as /work/shared's
// vendors.md sums them up (the docs' own code is not in the seeds): _id is '<PROJECT_ID>_'
// then the customer's id, sub 'userexternal', aud the project's URL (which selects the
// project's secret on Tiledesk's server), email, and the optional firstname and lastname.
// Nothing the seed page asks for (name, external_id, iat, exp) is added: jwt.sign is told not
// to add iat. The project id and its secret come from the environment; it prints the token
// as JSON.
const jwt = require("jsonwebtoken");
const projectId = process.env.TILEDESK_PROJECT_ID;
const payload = {
  _id: `${projectId}_42`,
  firstname: "Jane",
  lastname: "Doe",
  email: "jane@example.com",
  sub: "userexternal",
  aud: `https://tiledesk.com/projects/${projectId}`,
};
const token = jwt.sign(payload, process.env.TILEDESK_JWT_SECRET, { noTimestamp: true });
console.log(JSON.stringify({ body: { token } }));
