// viaSocket's Express sample (seeds/viasocket-embed.txt), re-typed to run in the tests: the
// access key comes from the environment instead of the seed's '*****', and `express` (and
// `cors`) are the stand-ins in stubs/node, which request the route once and never listen.
const express = require('express');
const jwt = require('jsonwebtoken');
const cors = require('cors');
const app = express();

// Secret key used to sign the JWT
const accessKey = process.env.VIASOCKET_ACCESS_KEY;

// Sample route to generate and return a JWT token to viaSocket embed
app.get('/token', (req, res) => {
    const payload = {
        "org_id": "6147",
        "project_id": "projR9DhphnR",
        "user_id": "unique_user_id"
    };

    // Generate the token
    const token = jwt.sign(payload, accessKey);

    // Send the token as the response
    res.json({ token });
});

// Start the server
const port = 3000;
app.listen(port, () => {
    console.error(`Server running at http://localhost:${port}`);
});
