// Place suggestions as you type: the ARIA 1.2 combobox pattern (list autocomplete) on every
// input[data-places]. Arrow keys move through the suggestions, Enter chooses, Escape closes;
// choosing dispatches "place:chosen" on the input with the suggestion (GET /api/places).
(function () {
  "use strict";
  var MIN_CHARS = 2, DELAY = 150;
  document.querySelectorAll("input[data-places]").forEach(function (input, n) {
    var listbox = document.createElement("ul");
    var status = document.createElement("p");
    var results = [], active = -1, timer = null, last = "";
    listbox.id = input.id + "-listbox";
    listbox.className = "places-listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", input.dataset.tList || "Suggestions");
    listbox.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.parentNode.classList.add("places-combobox");
    input.insertAdjacentElement("afterend", listbox);
    listbox.insertAdjacentElement("afterend", status);

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      var options = listbox.querySelectorAll("[role=option]");
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else { input.removeAttribute("aria-activedescendant"); }
    }
    function choose(index) {
      var place = results[index];
      if (!place) { return; }
      input.value = place.type === "departement" ? place.label + " (" + place.departement + ")" : place.label;
      last = input.value;
      close();
      input.dispatchEvent(new CustomEvent("place:chosen", { bubbles: true, detail: place }));
    }
    function show(found) {
      results = found;
      listbox.textContent = "";
      found.forEach(function (place, i) {
        var option = document.createElement("li");
        var kind = document.createElement("span");
        option.id = listbox.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = place.label;
        kind.className = "places-kind";
        kind.textContent = " " + (input.dataset["t" + place.type.charAt(0).toUpperCase() + place.type.slice(1)] || "") +
          (place.type === "commune" ? " · " + place.departement_name + " (" + place.departement + ")" :
            place.type === "departement" ? " " + place.departement : "");
        option.appendChild(kind);
        option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        listbox.appendChild(option);
      });
      status.textContent = found.length ? input.dataset.tCount.replace("%(n)s", found.length) : input.dataset.tNone;
      if (found.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
        highlight(-1);
      } else { close(); }
    }
    function lookup() {
      var q = input.value.trim();
      if (q === last) { return; }
      last = q;
      if (q.replace(/[^0-9A-Za-zÀ-ÿ]/g, "").length < MIN_CHARS) { results = []; close(); return; }
      var url = input.dataset.places + "?q=" + encodeURIComponent(q.slice(0, 60)) +
        "&types=" + encodeURIComponent(input.dataset.placesTypes || "region,departement,commune");
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === q) { show(data.results || []); } })
        .catch(function () { close(); });
    }
    input.addEventListener("input", function () {
      input.dispatchEvent(new CustomEvent("place:typed", { bubbles: true }));
      clearTimeout(timer);
      timer = setTimeout(lookup, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open && results.length) { listbox.hidden = false; input.setAttribute("aria-expanded", "true"); }
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
  });
})();
