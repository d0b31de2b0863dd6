// The import batch page while its import runs: asks the batch's progress (JSON) every two seconds, shows the
// rows read of the rows in the file, and reloads the page once when the import has ended, to show its result.
// Polling stops then, or when the page cannot ask any more (signed out, the batch gone).
(function () {
  "use strict";
  var INTERVAL_MS = 2000;
  var section = document.getElementById("batch-progress");
  if (!section || !window.fetch) {
    return;
  }
  var bar = section.querySelector("progress");
  var text = section.querySelector(".opis-batch-progress-text");
  // The batch's status among the admin's fields (Django names their rows field-<name>).
  var status = document.querySelector(".field-status .readonly");

  function show(state) {
    if (state.total) {
      bar.max = state.total;
      bar.value = Math.min(state.rows, state.total);
    }
    text.textContent = state.text;
    if (status) {
      status.textContent = state.status_label;
    }
    section.dataset.rows = String(state.rows);
  }

  function poll() {
    fetch(section.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.running) {
          window.setTimeout(poll, INTERVAL_MS);
        } else {
          section.dataset.finished = "true";
          window.location.reload();
        }
      })
      .catch(function () {
        section.dataset.stopped = "true";
      });
  }

  window.setTimeout(poll, INTERVAL_MS);
})();
