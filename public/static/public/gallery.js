// The full-screen gallery of an offer page (public/_gallery.html). Without this script the
// mosaic's links open the photos themselves. With it: a modal <dialog> that shows every
// photo with its caption; ← → change photo, Escape closes, a swipe on a touch screen
// changes photo, Tab stays inside, and the focus returns to the link that opened it.
(function () {
  "use strict";

  function Gallery(root) {
    this.root = root;
    this.dialog = root.querySelector(".gallery-dialog");
    this.image = root.querySelector(".gallery-image");
    this.caption = root.querySelector(".gallery-caption");
    this.counter = root.querySelector(".gallery-counter");
    this.photos = Array.prototype.map.call(root.querySelectorAll(".gallery-source li"), function (li) {
      return { src: li.dataset.src, alt: li.dataset.alt, caption: li.dataset.caption };
    });
    this.index = 0;
    this.opener = null;
    if (!this.dialog || !this.dialog.showModal || !this.photos.length) { return; }
    var self = this;
    root.querySelectorAll(".mosaic-link, .gallery-open").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        self.open(+link.dataset.index || 0, link);
      });
    });
    root.querySelector(".gallery-close").addEventListener("click", function () { self.close(); });
    root.querySelector(".gallery-prev").addEventListener("click", function () { self.show(self.index - 1); });
    root.querySelector(".gallery-next").addEventListener("click", function () { self.show(self.index + 1); });
    this.dialog.addEventListener("keydown", function (event) { self.key(event); });
    // Escape closes a modal dialog by itself ("cancel"); the focus is given back on "close".
    this.dialog.addEventListener("close", function () { self.restore(); });
    this.dialog.addEventListener("click", function (event) {
      if (event.target === self.dialog) { self.close(); }  // a click on the backdrop
    });
    var startX = null, startY = null;
    this.dialog.addEventListener("touchstart", function (event) {
      if (event.touches.length === 1) { startX = event.touches[0].clientX; startY = event.touches[0].clientY; }
    }, { passive: true });
    this.dialog.addEventListener("touchend", function (event) {
      if (startX === null) { return; }
      var dx = event.changedTouches[0].clientX - startX, dy = event.changedTouches[0].clientY - startY;
      startX = null;
      if (Math.abs(dx) > 40 && Math.abs(dx) > Math.abs(dy)) { self.show(self.index + (dx < 0 ? 1 : -1)); }
    });
  }

  Gallery.prototype.open = function (index, opener) {
    this.opener = opener || document.activeElement;
    this.show(index);
    this.dialog.showModal();
    document.documentElement.classList.add("gallery-is-open");
    this.dialog.querySelector(".gallery-close").focus();
  };

  Gallery.prototype.close = function () {
    if (this.dialog.open) { this.dialog.close(); }
  };

  Gallery.prototype.restore = function () {
    document.documentElement.classList.remove("gallery-is-open");
    if (this.opener && this.opener.focus) { this.opener.focus(); }
  };

  Gallery.prototype.show = function (index) {
    var total = this.photos.length;
    this.index = (index + total) % total;
    var photo = this.photos[this.index];
    this.image.src = photo.src;
    this.image.alt = photo.alt || "";
    this.caption.textContent = photo.caption || "";
    this.caption.hidden = !photo.caption;
    this.counter.textContent = this.dialog.dataset.tCounter.replace("{n}", this.index + 1).replace("{total}", total);
  };

  Gallery.prototype.key = function (event) {
    if (event.key === "ArrowRight") { event.preventDefault(); this.show(this.index + 1); }
    else if (event.key === "ArrowLeft") { event.preventDefault(); this.show(this.index - 1); }
    else if (event.key === "Home") { event.preventDefault(); this.show(0); }
    else if (event.key === "End") { event.preventDefault(); this.show(this.photos.length - 1); }
    else if (event.key === "Tab") {
      // Keep the focus in the dialog (the browser would otherwise let it reach its own chrome).
      var focusable = Array.prototype.filter.call(this.dialog.querySelectorAll("button"), function (b) { return !b.disabled; });
      var first = focusable[0], last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
      else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
    }
  };

  document.querySelectorAll("[data-gallery]").forEach(function (root) { new Gallery(root); });
})();
