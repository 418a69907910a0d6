// The owner's photo step (domains/wizard/photos.html). Without this script: a file input that
// takes several photos, and "Monter" / "Descendre" buttons. With it: photos dropped on the
// zone fill that input (the names are listed before sending), and the photos can be dragged
// into a new order, saved at once through the same "reorder" action.
(function () {
  "use strict";

  var zone = document.querySelector("[data-dropzone]");
  if (zone) {
    var input = zone.querySelector("input[type=file]");
    var list = zone.querySelector(".dropzone-files");
    zone.querySelector(".dropzone-hint").hidden = false;
    zone.classList.add("is-enhanced");
    var showFiles = function () {
      list.innerHTML = "";
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("li");
        item.textContent = file.name;
        list.appendChild(item);
      });
    };
    input.addEventListener("change", showFiles);
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1) {
          event.preventDefault();
          zone.classList.add("is-dragging");
        }
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("is-dragging"); });
    });
    zone.addEventListener("drop", function (event) {
      if (!event.dataTransfer || !event.dataTransfer.files.length) { return; }
      event.preventDefault();
      input.files = event.dataTransfer.files;
      showFiles();
    });
  }

  var photos = document.querySelector("[data-photo-list]");
  var orderForm = document.querySelector(".photo-order-form");
  if (!photos || !orderForm || photos.children.length < 2) { return; }
  var hint = document.querySelector(".photo-drag-hint");
  if (hint) { hint.hidden = false; }
  var dragged = null;
  Array.prototype.forEach.call(photos.children, function (item) {
    item.draggable = true;
    item.classList.add("is-draggable");
    item.addEventListener("dragstart", function (event) {
      dragged = item;
      item.classList.add("is-dragged");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.dataset.photo);
    });
    item.addEventListener("dragend", function () { item.classList.remove("is-dragged"); dragged = null; });
    item.addEventListener("dragover", function (event) {
      if (!dragged || dragged === item) { return; }
      event.preventDefault();
      var box = item.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      photos.insertBefore(dragged, after ? item.nextSibling : item);
    });
    item.addEventListener("drop", function (event) {
      if (!dragged) { return; }
      event.preventDefault();
      save();
    });
  });

  function save() {
    orderForm.elements.order.value = Array.prototype.map.call(photos.children, function (li) { return li.dataset.photo; }).join(",");
    orderForm.querySelector("button[value=reorder]").click();
  }
})();
