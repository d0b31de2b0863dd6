// Draws the map of a page from its JSON data (archive/public/maps.py): markers linking to the places, and the
// tiles only when the site names a tile server. No inline script: the page's CSP allows only this file.
(function () {
  "use strict";
  function draw(element) {
    var data = JSON.parse(document.getElementById(element.dataset.map).textContent);
    var map = L.map(element, { scrollWheelZoom: false });
    if (data.tiles) {
      L.tileLayer(data.tiles, { maxZoom: 18, attribution: data.attribution }).addTo(map);
    }
    var points = data.markers.map(function (marker) {
      var link = document.createElement("a");
      link.href = marker.url;
      link.textContent = marker.name;
      L.marker([marker.lat, marker.lon], { title: marker.name, alt: marker.name }).bindPopup(link).addTo(map);
      return [marker.lat, marker.lon];
    });
    if (points.length === 1) {
      map.setView(points[0], 6);
    } else {
      map.fitBounds(points, { padding: [30, 30], maxZoom: 8 });
    }
    element.dataset.ready = "true";
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-map]").forEach(draw);
  });
})();
