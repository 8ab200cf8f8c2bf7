// A stand-in for Tiledesk's widget loader (widget.tiledesk.com/v5/launch.js): it takes the
// calls the page queued on window.Tiledesk and, for signInWithCustomToken, does what the
// widget does: POST to the API's signinWithCustomToken with the token in the Authorization
// header ("JWT <token>"), then tells onAuthStateChanged whether the visitor is logged in.
(function (w) {
  var queued = (w.Tiledesk && w.Tiledesk.q) || [];
  var listeners = [];
  function signIn(authorization) {
    fetch('http://api.tiledesk.com:{PORT}/v3/auth/signinWithCustomToken', {
      method: 'POST',
      headers: { 'Authorization': authorization, 'Content-Type': 'application/json' },
      body: '{}'
    }).then(function (answer) {
      // The answer's body read to its end, as the widget reads the error: then the browser
      // has all of it to save.
      return answer.text().then(function () {
        var detail = { isLogged: answer.ok, status: answer.status };
        listeners.forEach(function (listener) { listener({ detail: detail }); });
      });
    }).catch(function (e) {
      document.title = 'error: ' + e;
    });
  }
  function call(method, arg) {
    if (method === 'signInWithCustomToken') signIn(arg);
    else if (method === 'onAuthStateChanged') listeners.push(arg);
  }
  w.Tiledesk = function (method, arg) { call(method, arg); };
  // Listeners first: a sign-in queued before them still reaches them.
  queued.filter(function (a) { return a[0] === 'onAuthStateChanged'; }).forEach(function (a) { call(a[0], a[1]); });
  queued.filter(function (a) { return a[0] !== 'onAuthStateChanged'; }).forEach(function (a) { call(a[0], a[1]); });
}(window));
