// The domain's address step: choosing a commune fills département, region, INSEE code and
// postal code; the pin on the département map sets latitude and longitude (drag it, click
// the map, or focus it and use the arrow keys; the two number fields stay as they are).
(function () {
  "use strict";
  var box = document.querySelector("[data-pin-map]");
  var svg = box && box.querySelector("svg[data-static-map]");
  var form = box && box.closest("form");
  if (!svg || !form) { return; }
  var NS = "http://www.w3.org/2000/svg";
  var p = svg.dataset.projection.split(" ").map(Number), SCALE = p[0], X0 = p[1], Y0 = p[2];
  var field = function (name) { return form.querySelector("[name=" + name + "]"); };
  var lat = field("latitude"), lng = field("longitude");

  function project(la, ln) {
    return [SCALE * ln * Math.PI / 180 + X0,
      Y0 - SCALE * Math.log(Math.tan(Math.PI / 4 + la * Math.PI / 360))];
  }
  function unproject(x, y) {
    return [(2 * Math.atan(Math.exp((Y0 - y) / SCALE)) - Math.PI / 2) * 180 / Math.PI, (x - X0) / SCALE * 180 / Math.PI];
  }
  svg.querySelectorAll(".map-pin").forEach(function (old) { old.remove(); });
  var view = svg.viewBox.baseVal;
  var pin = document.createElementNS(NS, "circle");
  pin.setAttribute("class", "map-pin-drag");
  pin.setAttribute("r", String(view.width * 0.02));
  pin.setAttribute("tabindex", "0");
  pin.setAttribute("role", "application");
  pin.setAttribute("aria-describedby", "address-map-help");
  svg.appendChild(pin);
  svg.classList.add("is-editable");

  function place(x, y, write) {
    pin.setAttribute("cx", x.toFixed(2));
    pin.setAttribute("cy", y.toFixed(2));
    pin.hidden = false;
    var point = unproject(x, y);
    pin.setAttribute("aria-label", box.dataset.tMoved + " : " + point[0].toFixed(5) + ", " + point[1].toFixed(5));
    if (write) {
      lat.value = point[0].toFixed(6);
      lng.value = point[1].toFixed(6);
    }
  }
  function fromFields() {
    var la = parseFloat(lat.value), ln = parseFloat(lng.value);
    if (isNaN(la) || isNaN(ln)) { pin.setAttribute("cx", "-100"); pin.setAttribute("cy", "-100"); return false; }
    var xy = project(la, ln);
    place(xy[0], xy[1], false);
    return true;
  }
  function zoom(x, y, span) {
    var height = span * 585 / 613;
    svg.setAttribute("viewBox", [x - span / 2, y - height / 2, span, height].map(function (v) { return v.toFixed(2); }).join(" "));
    pin.setAttribute("r", String(span * 0.02));
  }
  function svgPoint(event) {
    var point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    return point.matrixTransform(svg.getScreenCTM().inverse());
  }
  var dragging = false;
  svg.addEventListener("pointerdown", function (event) {
    dragging = true;
    svg.setPointerCapture(event.pointerId);
    var at = svgPoint(event);
    place(at.x, at.y, true);
    event.preventDefault();
  });
  svg.addEventListener("pointermove", function (event) {
    if (!dragging) { return; }
    var at = svgPoint(event);
    place(at.x, at.y, true);
  });
  svg.addEventListener("pointerup", function () { dragging = false; pin.focus(); });
  pin.addEventListener("keydown", function (event) {
    var moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    var move = moves[event.key];
    if (!move) { return; }
    event.preventDefault();
    var step = svg.viewBox.baseVal.width * (event.shiftKey ? 0.05 : 0.005);
    var x = parseFloat(pin.getAttribute("cx")), y = parseFloat(pin.getAttribute("cy"));
    if (x < 0) { x = view.x + view.width / 2; y = view.y + view.height / 2; }
    place(x + move[0] * step, y + move[1] * step, true);
  });
  [lat, lng].forEach(function (input) { input.addEventListener("change", fromFields); });

  var commune = field("commune");
  commune.addEventListener("place:typed", function () { field("insee_code").value = ""; });
  commune.addEventListener("place:chosen", function (event) {
    var chosen = event.detail, postal = field("postal_code");
    var moved = field("departement").value.toUpperCase() !== chosen.departement;
    field("departement").value = chosen.departement;
    field("region").value = chosen.region;
    field("insee_code").value = chosen.insee;
    if (chosen.postal_codes.length && chosen.postal_codes.indexOf(postal.value.trim()) === -1) {
      postal.value = chosen.postal_codes[0];
    }
    var image = svg.querySelector("image");
    if (image) { image.setAttribute("href", svg.dataset.background.split("?")[0] + "?focus=" + chosen.departement); }
    var centre = project(chosen.lat, chosen.lng);
    if (centre[0] >= 0 && centre[0] <= 613 && centre[1] >= 0 && centre[1] <= 585) {
      zoom(centre[0], centre[1], 90);
      if (moved || !fromFields()) { place(centre[0], centre[1], true); }
    }
  });
  fromFields();
})();
