// The map on tiles (only loaded when MAP_TILES_URL is set): Leaflet from npm, pins that
// merge into a numbered cluster where they crowd (recomputed at each zoom). The static map
// stays in the page as the fallback and is hidden once this one is drawn.
(function () {
  "use strict";
  var CLUSTER_PX = 40;
  document.querySelectorAll(".leaflet-box[data-points]").forEach(function (box) {
    var data = document.getElementById(box.dataset.points);
    if (!data || typeof L === "undefined") { return; }
    var points = JSON.parse(data.textContent);
    if (!points.length) { return; }
    var map = L.map(box, { scrollWheelZoom: false });
    L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 18 }).addTo(map);
    var layer = L.layerGroup().addTo(map);
    function draw() {
      layer.clearLayers();
      var groups = [];
      points.forEach(function (p) {
        var at = map.latLngToLayerPoint([p.lat, p.lng]);
        var group = groups.find(function (g) { return g.at.distanceTo(at) < CLUSTER_PX; });
        if (group) { group.points.push(p); } else { groups.push({ at: at, points: [p] }); }
      });
      groups.forEach(function (group) {
        var first = group.points[0];
        if (group.points.length === 1) {
          var marker = L.marker([first.lat, first.lng], { title: first.title, alt: first.title }).addTo(layer);
          var link = document.createElement("a");
          link.href = first.url;
          link.textContent = first.title;
          marker.bindPopup(link);
          return;
        }
        var bounds = L.latLngBounds(group.points.map(function (p) { return [p.lat, p.lng]; }));
        var icon = L.divIcon({ className: "map-cluster-icon", html: String(group.points.length), iconSize: [34, 34] });
        L.marker(bounds.getCenter(), { icon: icon, title: group.points.map(function (p) { return p.title; }).join(" · "),
          keyboard: true }).on("click", function () { map.fitBounds(bounds.pad(0.3)); }).addTo(layer);
      });
    }
    map.on("zoomend", draw);
    map.fitBounds(points.map(function (p) { return [p.lat, p.lng]; }), { padding: [30, 30], maxZoom: 12 });
    draw();
    var fallback = box.parentNode.querySelector(".static-map.js-fallback");
    if (fallback) { fallback.hidden = true; }
    box.classList.add("is-ready");
  });
})();
