/* The source page's IIIF viewer (Mirador, static/vendor/mirador/), under the site's content security policy.
 *
 * The policy lets a <style> element apply only if it carries this response's nonce. Mirador's styling library
 * (Emotion) adds its <style> elements without one and has no setting for it, so this script, loaded with the
 * nonce and before Mirador, gives the nonce to every <style> element the page inserts from now on. Styles
 * injected by anything else still need 'self' or the nonce, as before.
 */
(function () {
  "use strict";
  var nonce = document.currentScript && document.currentScript.nonce;
  if (nonce) {
    var withNonce = function (node) {
      if (node && node.nodeName === "STYLE" && !node.nonce) node.nonce = nonce;
    };
    var append = Node.prototype.appendChild;
    var insertBefore = Node.prototype.insertBefore;
    Node.prototype.appendChild = function (node) {
      withNonce(node);
      return append.call(this, node);
    };
    Node.prototype.insertBefore = function (node, reference) {
      withNonce(node);
      return insertBefore.call(this, node, reference);
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("iiif-viewer");
    if (!element || !window.Mirador) return;
    window.Mirador.viewer({
      id: element.id,
      language: "en", // Mirador has no Russian translation; its controls stay in English
      window: {
        allowClose: false,
        allowMaximize: false,
        allowFullscreen: true,
        defaultSideBarPanel: "info",
        sideBarOpenByDefault: false,
        views: [{ key: "single" }, { key: "book" }, { key: "gallery" }],
      },
      windows: [{ manifestId: element.dataset.manifest, thumbnailNavigationPosition: "far-bottom" }],
      workspace: { showZoomControls: true, type: "mosaic" },
      workspaceControlPanel: { enabled: false },
    });
  });
})();
