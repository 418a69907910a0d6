// Results on a Leaflet map (only loaded when a tiles URL is configured). The static SVG
// stays in the page as the fallback and is hidden once the map is drawn.
(function () {
  "use strict";
  var box = document.getElementById("results-map");
  var data = document.getElementById("map-points");
  if (!box || !data || typeof L === "undefined") { return; }
  var points = JSON.parse(data.textContent);
  var map = L.map(box, { scrollWheelZoom: false });
  L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 18 }).addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    var marker = L.marker([p.lat, p.lng], { title: p.title, alt: p.title }).addTo(map);
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.title + " – " + p.domain;
    marker.bindPopup(link);
    bounds.push([p.lat, p.lng]);
  });
  map.fitBounds(bounds, { padding: [30, 30], maxZoom: 12 });
  var fallback = document.querySelector(".static-map.js-fallback");
  if (fallback) { fallback.hidden = true; }
  box.classList.add("is-ready");
})();
