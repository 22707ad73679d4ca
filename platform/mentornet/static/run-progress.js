// Batch run progress: while the run waits or works, asks the server every few seconds and
// updates the bar and its text; once the run has ended, reloads the page to show the
// proposals. Without JavaScript the "Check again" link does the same by hand.
(function () {
  "use strict";
  var box = document.querySelector("[data-run-progress]");
  if (!box) { return; }
  var url = box.getAttribute("data-run-progress");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var lang = document.documentElement.lang;

  function poll() {
    fetch(url + "?lang=" + encodeURIComponent(lang), {
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (run) {
        if (!run) { setTimeout(poll, 10000); return; }
        if (!run.active) { window.location.reload(); return; }
        bar.value = run.progress;
        bar.textContent = run.text;
        if (text.textContent !== run.text) { text.textContent = run.text; }
        setTimeout(poll, 2000);
      })
      .catch(function () { setTimeout(poll, 10000); });
  }

  setTimeout(poll, 2000);
})();
