// The search bar: a suggestion of « Où » fills region / departement / commune (hidden
// fields); typing again clears them, so the text is read as typed. « Quand » shows the
// stay's dates or the experience's day. « Autour de moi »: the browser's geolocation.
(function () {
  "use strict";
  var script = document.currentScript;
  document.querySelectorAll("form").forEach(function (form) {
    var where = form.querySelector("input[name=ou]");
    if (!where) { return; }
    function set(name, value) { var field = form.querySelector("[name=" + name + "]"); if (field) { field.value = value; } }
    where.addEventListener("place:typed", function () { set("region", ""); set("departement", ""); set("commune", ""); });
    where.addEventListener("place:chosen", function (event) {
      var place = event.detail;
      set("region", place.type === "region" ? place.region : "");
      set("departement", place.type === "region" ? "" : place.departement);
      set("commune", place.type === "commune" ? place.label : "");
    });
    function showKind() {
      var chosen = form.querySelector("input[name=kind]:checked");
      var kind = chosen ? chosen.value : "stay";
      form.querySelectorAll("[data-kind]").forEach(function (box) {
        box.hidden = box.dataset.kind !== kind;
        box.querySelectorAll("input").forEach(function (input) { input.disabled = box.hidden; });
      });
    }
    form.querySelectorAll("input[name=kind]").forEach(function (radio) { radio.addEventListener("change", showKind); });
    showKind();
  });
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
        ["region", "departement", "commune", "ou"].forEach(function (name) {
          var field = form.querySelector("[name=" + name + "]");
          if (field) { field.value = ""; }
        });
        form.submit();
      }, function () { status.textContent = script.dataset.tError; }, { timeout: 10000 });
    });
  });
})();
