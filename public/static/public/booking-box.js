// The booking box of a lodging page (public/_booking_box.html). It replaces the two date
// fields with a month calendar in which the days that cannot be chosen are disabled buttons:
// occupied nights (GET /api/units/<id>/availability), the advance notice, the arrival and
// departure weekdays, the minimum and maximum stay — the rules of bookings/rules.py, which
// the quote and the checkout still apply. Once both dates are chosen it asks the quote API
// for the breakdown and shows the "Réserver" / "Demander" button leading to the checkout.
// Arrow keys move between days, Page Up / Page Down between months.
(function () {
  "use strict";

  var DAY = 86400000;
  function iso(d) { return d.toISOString().slice(0, 10); }
  function parse(s) { var p = s.split("-"); return new Date(Date.UTC(+p[0], +p[1] - 1, +p[2])); }
  function addDays(d, n) { return new Date(d.getTime() + n * DAY); }
  function monthOf(d, n) { return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + (n || 0), 1)); }
  function weekday(d) { return String(d.getUTCDay() || 7); }  // ISO: Monday 1 … Sunday 7
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function Box(root) {
    var t = this.t = root.dataset;
    this.root = root;
    this.unitField = root.querySelector("#bb-unit");
    this.arrivalField = root.querySelector("#bb-arrival");
    this.departureField = root.querySelector("#bb-departure");
    this.adultsField = root.querySelector("#bb-adults");
    this.childrenField = root.querySelector("#bb-children");
    this.breakdown = root.querySelector(".bb-breakdown");
    this.checkout = root.querySelector(".bb-checkout");
    this.calendar = root.querySelector(".bb-calendar");
    this.today = parse(t.today);
    this.firstArrival = addDays(this.today, +t.notice || 0);
    this.minNights = +t.minNights || 1;
    this.maxNights = +t.maxNights || 365;
    this.arrival = t.arrival ? parse(t.arrival) : null;
    this.departure = t.departure ? parse(t.departure) : null;
    this.month = monthOf(this.arrival || this.firstArrival);
    this.blocked = {};
    this.loaded = {};
    this.focusDate = null;
    this.requests = 0;
    // The calendar replaces the native date fields, which stay in the form (hidden).
    root.querySelector(".bb-native").hidden = true;
    root.querySelector(".bb-quote-action").hidden = true;
    this.calendar.hidden = false;
    this.status = document.createElement("p");
    this.status.className = "bb-status";
    this.status.setAttribute("aria-live", "polite");
    this.grid = document.createElement("div");
    this.calendar.appendChild(this.grid);
    this.calendar.appendChild(this.status);

    var self = this;
    if (this.unitField.tagName === "SELECT") {
      this.unitField.addEventListener("change", function () { self.changeUnit(); });
    }
    [this.adultsField, this.childrenField].forEach(function (field) {
      field.addEventListener("change", function () { if (self.departure) { self.quote(); } });
    });
    this.noSubmit = function (event) { event.preventDefault(); };
    root.querySelector(".booking-form").addEventListener("submit", this.noSubmit);
    document.querySelectorAll(".bb-choose").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (self.unitField.tagName !== "SELECT") { return; }
        event.preventDefault();
        self.unitField.value = link.dataset.unit;
        self.changeUnit();
        root.scrollIntoView({ block: "start" });
        self.unitField.focus();
      });
    });
    this.setGuestLimits();
    this.refresh().then(function () {
      if (self.arrival && self.departure) { self.quote(); }
    });
  }

  Box.prototype.option = function () {
    return this.unitField.tagName === "SELECT" ? this.unitField.selectedOptions[0] : this.unitField;
  };

  Box.prototype.setGuestLimits = function () {
    var o = this.option().dataset;
    this.adultsField.max = o.adults;
    this.childrenField.max = o.children;
    if (+this.adultsField.value > +o.adults) { this.adultsField.value = o.adults; }
    if (+this.childrenField.value > +o.children) { this.childrenField.value = o.children; }
  };

  Box.prototype.changeUnit = function () {
    this.blocked = {};
    this.loaded = {};
    this.setGuestLimits();
    var self = this;
    this.refresh().then(function () {
      // Dates still possible for the other room are kept and priced again.
      if (self.arrival && self.departure && self.canDepart(self.departure)) { self.quote(); }
      else { self.clear(); }
    });
  };

  // Availability of the shown month and the next two (a stay's nights run past its month).
  Box.prototype.refresh = function () {
    var self = this, key = iso(this.month);
    if (this.loaded[key]) { this.render(); return Promise.resolve(); }
    var url = this.option().dataset.availabilityUrl + "?start=" + key + "&end=" + iso(monthOf(this.month, 3));
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    }).then(function (data) {
      data.unavailable.forEach(function (range) {
        for (var d = parse(range[0]); d < parse(range[1]); d = addDays(d, 1)) { self.blocked[iso(d)] = true; }
      });
      self.loaded[key] = true;
      self.status.dataset.kind = "";
    }).catch(function () {
      // Without availability the calendar cannot tell: give the plain form back (the page's quote).
      self.status.dataset.kind = "error";
      self.status.textContent = self.t.tError;
      self.root.querySelector(".bb-native").hidden = false;
      self.root.querySelector(".bb-quote-action").hidden = false;
      self.root.querySelector(".booking-form").removeEventListener("submit", self.noSubmit);
    }).then(function () { self.render(); });
  };

  Box.prototype.nightsFree = function (start, end) {
    for (var d = start; d < end; d = addDays(d, 1)) { if (this.blocked[iso(d)]) { return false; } }
    return true;
  };

  // bookings/rules.py dates_problem, and the nights of the shortest stay free.
  Box.prototype.canArrive = function (d) {
    return d >= this.firstArrival && this.t.arrivalDays.indexOf(weekday(d)) !== -1 &&
      this.nightsFree(d, addDays(d, this.minNights));
  };

  Box.prototype.canDepart = function (d) {
    if (!this.arrival || d <= this.arrival) { return false; }
    var nights = Math.round((d - this.arrival) / DAY);
    return nights >= this.minNights && nights <= this.maxNights &&
      this.t.departureDays.indexOf(weekday(d)) !== -1 && this.nightsFree(this.arrival, d);
  };

  Box.prototype.choosingDeparture = function () { return this.arrival && !this.departure; };

  Box.prototype.selectable = function (d) {
    if (this.choosingDeparture()) { return this.canDepart(d) || iso(d) === iso(this.arrival); }
    return this.canArrive(d);
  };

  Box.prototype.render = function () {
    var t = this.t, lang = t.lang || "fr", self = this;
    var title = new Intl.DateTimeFormat(lang, { month: "long", year: "numeric", timeZone: "UTC" }).format(this.month);
    var dayName = new Intl.DateTimeFormat(lang, { weekday: "short", timeZone: "UTC" });
    var dayFull = new Intl.DateTimeFormat(lang, { weekday: "long", timeZone: "UTC" });
    var longDay = new Intl.DateTimeFormat(lang, { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    var titleId = "bb-month-" + iso(this.month);
    var html = '<div class="bb-head">' +
      '<button type="button" class="button button-small button-secondary bb-prev" aria-label="' + escapeHtml(t.tPrevious) + '"><span aria-hidden="true">&larr;</span></button>' +
      '<p class="bb-title" id="' + titleId + '">' + escapeHtml(title) + "</p>" +
      '<button type="button" class="button button-small button-secondary bb-next" aria-label="' + escapeHtml(t.tNext) + '"><span aria-hidden="true">&rarr;</span></button></div>' +
      '<table class="bb-grid" aria-labelledby="' + titleId + '"><thead><tr>';
    for (var i = 0; i < 7; i++) {
      var sample = new Date(Date.UTC(2024, 0, 1 + i));
      html += '<th scope="col"><abbr title="' + escapeHtml(dayFull.format(sample)) + '">' + escapeHtml(dayName.format(sample)) + "</abbr></th>";
    }
    html += "</tr></thead><tbody><tr>";
    var first = this.month, offset = (first.getUTCDay() + 6) % 7, next = monthOf(first, 1);
    for (i = 0; i < offset; i++) { html += "<td></td>"; }
    for (var d = first, col = offset; d < next; d = addDays(d, 1), col++) {
      if (col && col % 7 === 0) { html += "</tr><tr>"; }
      var key = iso(d), enabled = this.selectable(d);
      var isArrival = this.arrival && key === iso(this.arrival), isDeparture = this.departure && key === iso(this.departure);
      var inStay = this.arrival && this.departure && d > this.arrival && d < this.departure;
      var label = longDay.format(d);
      if (isArrival) { label += ", " + t.tArrival; } else if (isDeparture) { label += ", " + t.tDeparture; }
      else if (!enabled) { label += ", " + t.tUnavailable; }
      html += '<td><button type="button" class="bb-day' + (isArrival || isDeparture ? " is-end" : "") + (inStay ? " is-in-stay" : "") +
        (this.blocked[key] ? " is-occupied" : "") + '" data-date="' + key + '" aria-label="' + escapeHtml(label) + '"' +
        ' aria-pressed="' + (isArrival || isDeparture || inStay ? "true" : "false") + '"' + (enabled ? "" : " disabled") + ">" +
        d.getUTCDate() + "</button></td>";
    }
    html += "</tr></tbody></table>";
    if (this.arrival) { html += '<p><button type="button" class="link-button bb-clear">' + escapeHtml(t.tClear) + "</button></p>"; }
    this.grid.innerHTML = html;
    var prev = this.grid.querySelector(".bb-prev");
    prev.disabled = this.month <= monthOf(this.today);
    prev.addEventListener("click", function () { self.go(-1); });
    this.grid.querySelector(".bb-next").addEventListener("click", function () { self.go(1); });
    var clear = this.grid.querySelector(".bb-clear");
    if (clear) { clear.addEventListener("click", function () { self.clear(); self.focusFirst(); }); }
    this.grid.querySelectorAll(".bb-day").forEach(function (b) {
      b.addEventListener("click", function () { self.pick(parse(b.dataset.date)); });
      b.addEventListener("keydown", function (event) { self.key(event, parse(b.dataset.date)); });
    });
    if (this.status.dataset.kind !== "error") {
      this.status.textContent = this.choosingDeparture() ? t.tPickDeparture : (this.departure ? "" : t.tPickArrival);
    }
    if (this.focusDate) {
      var target = this.grid.querySelector('.bb-day[data-date="' + iso(this.focusDate) + '"]');
      this.focusDate = null;
      if (target && !target.disabled) { target.focus(); } else { this.focusFirst(); }
    }
  };

  Box.prototype.stayText = function () {
    var fmt = new Intl.DateTimeFormat(this.t.lang || "fr", { day: "numeric", month: "long", timeZone: "UTC" });
    return this.t.tStay.replace("{arrival}", fmt.format(this.arrival)).replace("{departure}", fmt.format(this.departure));
  };

  Box.prototype.focusFirst = function () {
    var day = this.grid.querySelector(".bb-day:not([disabled])");
    if (day) { day.focus(); }
  };

  Box.prototype.go = function (step, focusDate) {
    this.month = monthOf(this.month, step);
    this.focusDate = focusDate || null;
    this.refresh();
  };

  Box.prototype.key = function (event, day) {
    var moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    var step = moves[event.key];
    if (event.key === "PageUp" || event.key === "PageDown") {
      event.preventDefault();
      var back = event.key === "PageUp";
      if (!(back && this.month <= monthOf(this.today))) { this.go(back ? -1 : 1, addDays(day, back ? -28 : 28)); }
      return;
    }
    if (!step) { return; }
    event.preventDefault();
    // The next day in that direction that can be chosen, this month or the next ones.
    for (var i = 1, d = addDays(day, step); i <= 62; i++, d = addDays(d, step)) {
      if (d < this.today) { return; }
      if (!this.selectable(d)) { continue; }
      if (monthOf(d).getTime() !== this.month.getTime()) {
        this.go(Math.round((monthOf(d) - this.month) / (28 * DAY)) > 0 ? 1 : -1, d);
        return;
      }
      this.grid.querySelector('.bb-day[data-date="' + iso(d) + '"]').focus();
      return;
    }
  };

  Box.prototype.pick = function (day) {
    if (this.choosingDeparture() && iso(day) === iso(this.arrival)) { this.clear(); this.focusDate = day; this.render(); return; }
    if (this.choosingDeparture() && this.canDepart(day)) {
      this.departure = day;
      this.focusDate = day;
      this.sync();
      this.render();
      this.quote();
      return;
    }
    if (!this.canArrive(day)) { return; }
    this.arrival = day;
    this.departure = null;
    this.focusDate = day;
    this.sync();
    this.render();
  };

  Box.prototype.clear = function () {
    this.arrival = this.departure = null;
    this.sync();
    this.render();
  };

  Box.prototype.sync = function () {
    this.arrivalField.value = this.arrival ? iso(this.arrival) : "";
    this.departureField.value = this.departure ? iso(this.departure) : "";
    this.breakdown.innerHTML = "";
    this.checkout.hidden = true;
    document.dispatchEvent(new CustomEvent("booking-box:change", { detail: { total: "" } }));
  };

  Box.prototype.quote = function () {
    var self = this, option = this.option().dataset, ticket = ++this.requests;
    var party = { arrival: iso(this.arrival), departure: iso(this.departure),
                  adults: Math.max(1, +this.adultsField.value || 1), children: Math.max(0, +this.childrenField.value || 0) };
    var params = Object.keys(party).map(function (k) { return k + "=" + encodeURIComponent(party[k]); }).join("&");
    fetch(option.quoteUrl + "?" + params, { headers: { Accept: "application/json" } }).then(function (r) {
      return r.json();
    }).then(function (q) {
      if (ticket !== self.requests) { return; }  // an answer to dates changed since
      if (q.error) { self.breakdown.textContent = q.error; return; }
      var rows = q.lines.map(function (l) {
        return '<tr><th scope="row">' + escapeHtml(l.label) + "</th><td>" + escapeHtml(l.display) + "</td></tr>";
      }).join("");
      rows += '<tr class="total"><th scope="row">' + escapeHtml(self.t.tTotal) + "</th><td>" + escapeHtml(q.total_display) + "</td></tr>";
      var html = '<table class="breakdown"><caption>' + escapeHtml(self.stayText()) + "</caption><tbody>" + rows + "</tbody></table>";
      if (q.problem) { html += '<p class="message message-warning">' + escapeHtml(q.problem) + "</p>"; }
      self.breakdown.innerHTML = html;
      self.checkout.action = option.bookingUrl;
      Object.keys(party).forEach(function (name) { self.checkout.elements[name].value = party[name]; });
      self.checkout.hidden = !q.bookable;
      document.dispatchEvent(new CustomEvent("booking-box:change", { detail: { total: q.bookable ? self.t.tTotal + " " + q.total_display : "" } }));
    }).catch(function () { if (ticket === self.requests) { self.breakdown.textContent = self.t.tError; } });
  };

  document.querySelectorAll("[data-booking-box]").forEach(function (el) { new Box(el); });

  // The phone's bottom bar shows the stay's total once there is one.
  var bar = document.querySelector(".bb-bar-price");
  if (bar) {
    var initial = bar.textContent;
    document.addEventListener("booking-box:change", function (event) {
      bar.textContent = event.detail.total ? event.detail.total : initial;
    });
  }
})();
