// A small month calendar per unit: unavailable nights come from
// GET /api/units/<id>/availability (merged half-open ranges); picking an arrival then a
// departure asks the server for the price breakdown (GET /api/units/<id>/quote).
(function () {
  "use strict";

  function iso(d) { return d.toISOString().slice(0, 10); }
  function parse(s) { var p = s.split("-"); return new Date(Date.UTC(+p[0], +p[1] - 1, +p[2])); }
  function addDays(d, n) { return new Date(d.getTime() + n * 86400000); }
  function addMonths(d, n) { return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1)); }

  function Calendar(root) {
    this.root = root;
    this.t = root.dataset;
    this.today = parse(root.dataset.today);
    this.arrival = root.dataset.arrival ? parse(root.dataset.arrival) : null;
    this.departure = root.dataset.departure ? parse(root.dataset.departure) : null;
    this.month = addMonths(this.arrival || this.today, 0);
    this.blocked = {};  // "YYYY-MM-DD" of each unavailable night
    this.loaded = {};   // month keys already fetched
    this.breakdown = document.getElementById("breakdown-" + root.dataset.unit);
    this.status = document.createElement("p");
    this.status.className = "calendar-status";
    this.status.setAttribute("aria-live", "polite");
    this.grid = document.createElement("div");
    root.innerHTML = "";
    root.appendChild(this.grid);
    root.appendChild(this.status);
    this.load().then(this.render.bind(this));
    if (this.arrival && this.departure) { this.quote(); }
  }

  Calendar.prototype.load = function () {
    var key = iso(this.month);
    if (this.loaded[key]) { return Promise.resolve(); }
    var self = this;
    var end = addMonths(this.month, 2);
    var url = this.t.availabilityUrl + "?start=" + key + "&end=" + iso(end);
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    }).then(function (data) {
      data.unavailable.forEach(function (range) {
        for (var d = parse(range[0]); d < parse(range[1]); d = addDays(d, 1)) { self.blocked[iso(d)] = true; }
      });
      self.loaded[key] = true;
    }).catch(function () { self.status.textContent = self.t.tError; });
  };

  Calendar.prototype.nightsFree = function (start, end) {
    for (var d = start; d < end; d = addDays(d, 1)) { if (this.blocked[iso(d)]) { return false; } }
    return true;
  };

  Calendar.prototype.render = function () {
    var self = this, lang = this.t.lang || "fr";
    var title = new Intl.DateTimeFormat(lang, { month: "long", year: "numeric", timeZone: "UTC" }).format(this.month);
    var dayName = new Intl.DateTimeFormat(lang, { weekday: "short", timeZone: "UTC" });
    var longDay = new Intl.DateTimeFormat(lang, { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    var html = '<div class="calendar-head">' +
      '<button type="button" class="link-button cal-prev">&larr; <span class="visually-hidden">' + this.t.tPrevious + "</span></button>" +
      '<h4 class="calendar-title">' + title + "</h4>" +
      '<button type="button" class="link-button cal-next"><span class="visually-hidden">' + this.t.tNext + "</span> &rarr;</button></div>" +
      '<table class="calendar-grid" role="grid"><thead><tr>';
    for (var i = 0; i < 7; i++) { html += '<th scope="col">' + dayName.format(new Date(Date.UTC(2024, 0, 1 + i))) + "</th>"; }
    html += "</tr></thead><tbody><tr>";
    var first = this.month, offset = (first.getUTCDay() + 6) % 7, next = addMonths(first, 1);
    for (i = 0; i < offset; i++) { html += "<td></td>"; }
    for (var d = first, col = offset; d < next; d = addDays(d, 1), col++) {
      if (col && col % 7 === 0) { html += "</tr><tr>"; }
      var key = iso(d), past = d < this.today, blocked = !!this.blocked[key];
      var inRange = this.arrival && this.departure && d >= this.arrival && d < this.departure;
      var isEnd = (this.arrival && key === iso(this.arrival)) || (this.departure && key === iso(this.departure));
      // A blocked night can still be a departure day (half-open ranges), so only past days are disabled.
      var label = longDay.format(d) + (blocked ? " (" + this.t.tUnavailable + ")" : "");
      html += '<td><button type="button" class="cal-day' + (blocked ? " is-blocked" : "") + (inRange ? " is-selected" : "") +
        (isEnd ? " is-end" : "") + '" data-date="' + key + '" aria-label="' + label + '" aria-pressed="' + (inRange || isEnd ? "true" : "false") + '"' +
        (past ? " disabled" : "") + ">" + d.getUTCDate() + "</button></td>";
    }
    html += "</tr></tbody></table>";
    this.grid.innerHTML = html;
    this.grid.querySelector(".cal-prev").disabled = this.month <= addMonths(this.today, 0);
    this.grid.querySelector(".cal-prev").addEventListener("click", function () { self.go(-1); });
    this.grid.querySelector(".cal-next").addEventListener("click", function () { self.go(1); });
    this.grid.querySelectorAll(".cal-day").forEach(function (b) {
      b.addEventListener("click", function () { self.pick(parse(b.dataset.date)); });
    });
    if (!this.status.textContent || this.status.dataset.kind !== "error") {
      this.status.textContent = this.arrival && !this.departure ? this.t.tPickDeparture : (this.departure ? "" : this.t.tPickArrival);
    }
  };

  Calendar.prototype.go = function (step) {
    this.month = addMonths(this.month, step);
    this.load().then(this.render.bind(this));
  };

  Calendar.prototype.pick = function (day) {
    if (this.arrival && !this.departure && day > this.arrival) {
      if (!this.nightsFree(this.arrival, day)) {
        this.status.textContent = this.t.tNightsBlocked;
        this.status.dataset.kind = "error";
        return;
      }
      this.departure = day;
      this.status.dataset.kind = "";
      this.render();
      this.quote();
      return;
    }
    if (this.blocked[iso(day)]) { return; }
    this.arrival = day;
    this.departure = null;
    this.status.dataset.kind = "";
    this.breakdown.innerHTML = "";
    this.render();
  };

  Calendar.prototype.quote = function () {
    var self = this, params = "arrival=" + iso(this.arrival) + "&departure=" + iso(this.departure);
    fetch(this.t.quoteUrl + "?" + params, { headers: { Accept: "application/json" } }).then(function (r) {
      return r.json();
    }).then(function (q) {
      if (q.error) { self.breakdown.textContent = q.error; return; }
      var rows = q.lines.map(function (l) {
        return '<tr><th scope="row">' + escapeHtml(l.label) + "</th><td>" + escapeHtml(l.display) + "</td></tr>";
      }).join("");
      rows += '<tr class="total"><th scope="row">' + escapeHtml(self.t.tTotal) + "</th><td>" + escapeHtml(q.total_display) + "</td></tr>";
      var html = '<table class="breakdown"><tbody>' + rows + "</tbody></table>";
      if (q.problem) {
        html += '<p class="message message-warning">' + escapeHtml(q.problem) + "</p>";
      } else if (self.t.bookingUrl) {
        var sep = self.t.bookingUrl.indexOf("?") === -1 ? "?" : "&";
        html += '<p><a class="button" href="' + self.t.bookingUrl + sep + params + '">' + escapeHtml(self.t.tBook) + "</a></p>";
      }
      self.breakdown.innerHTML = html;
    }).catch(function () { self.breakdown.textContent = self.t.tError; });
  };

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  document.querySelectorAll(".unit-calendar").forEach(function (el) { new Calendar(el); });
})();
