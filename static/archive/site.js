// Opis public site. No inline scripts anywhere, so a strict Content Security Policy needs no 'unsafe-inline'.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain HTTP (a laptop, an intranet): the older selection-based copy.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "absolute";
      area.style.left = "-9999px";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function setUpCopyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy"));
        var status = button.closest(".citation").querySelector(".citation__status");
        copyText(target.textContent.trim()).then(
          function () { status.textContent = status.getAttribute("data-copied-message"); },
          function () { status.textContent = status.getAttribute("data-failed-message"); }
        );
      });
    });
  }

  document.addEventListener("DOMContentLoaded", setUpCopyButtons);
})();
