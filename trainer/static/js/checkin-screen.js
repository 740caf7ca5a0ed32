/* The trainer's check-in screen, progressive enhancement only: without this script the page
   shows a code that lasts a minute and a "Show a new code" link.
   With it, the code (and the count of check-ins) is fetched again each time it rotates, so
   the screen can stay on the wall for the whole session. */
(function () {
  "use strict";

  var STEP_SECONDS = 30;
  var live = document.getElementById("qr-live");
  if (!live || !window.fetch) {
    return;
  }
  var url = live.getAttribute("data-refresh-url");

  function secondsLeft() {
    var state = live.querySelector("[data-refresh-in]");
    var seconds = state ? parseInt(state.getAttribute("data-refresh-in"), 10) : NaN;
    return isNaN(seconds) ? STEP_SECONDS : seconds;
  }

  function schedule(seconds) {
    // Just after the rotation, so the new code is the one fetched.
    window.setTimeout(refresh, (Math.max(1, seconds) + 0.5) * 1000);
  }

  function refresh() {
    // A redirect (to the log-in page, when the log-in has ended) is an error, not a code.
    window.fetch(url, { credentials: "same-origin", redirect: "error" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null) {
          live.innerHTML = html; // rendered and escaped by the server
        }
        schedule(html !== null ? secondsLeft() : STEP_SECONDS);
      })
      .catch(function () { schedule(STEP_SECONDS); });
  }

  schedule(secondsLeft());
})();
