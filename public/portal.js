// Candidate portal: while an upload waits for grading, poll its status (same origin, the JSON
// path of this page's own link) and reload the page once it changes. No other behaviour: every
// form works without JavaScript.
(function () {
  'use strict';
  var section = document.getElementById('status');
  if (!section || section.getAttribute('data-waiting') !== 'true' || !window.fetch) return;
  var url = section.getAttribute('data-status-url');
  var delay = 2000;
  var started = Date.now();
  function poll() {
    if (Date.now() - started > 30 * 60 * 1000) return;
    fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store', credentials: 'omit' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (body && body.status === 'graded') {
          window.location.reload();
          return;
        }
        delay = Math.min(delay * 1.5, 15000);
        setTimeout(poll, delay);
      })
      .catch(function () { setTimeout(poll, 15000); });
  }
  setTimeout(poll, delay);
})();
