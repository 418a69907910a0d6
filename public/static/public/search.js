// "Autour de moi": the browser's own geolocation fills the search point (no outside service).
(function () {
  "use strict";
  var script = document.currentScript;
  document.querySelectorAll("[data-near-me]").forEach(function (button) {
    if (!("geolocation" in navigator)) { return; }
    var form = button.closest("form");
    var status = form.querySelector("[data-near-me-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        form.querySelector("[name=lat]").value = position.coords.latitude.toFixed(6);
        form.querySelector("[name=lng]").value = position.coords.longitude.toFixed(6);
        if (!form.querySelector("[name=radius]")) {
          var radius = document.createElement("input");
          radius.type = "hidden";
          radius.name = "radius";
          radius.value = "30";
          form.appendChild(radius);
        }
        var region = form.querySelector("[name=region]");
        if (region) { region.value = ""; }
        form.submit();
      }, function () { status.textContent = script.dataset.tError; }, { timeout: 10000 });
    });
  });
})();
