// Export job page: poll the job's state, move the progress bar, reload once it is finished
// (the page then shows the download link or the error).
(function () {
  var box = document.querySelector(".export-job[data-status-url]");
  if (!box || box.dataset.finished === "1") return;
  var bar = box.querySelector("progress");
  var percent = box.querySelector(".export-percent");
  function poll() {
    fetch(box.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (bar) bar.value = job.progress;
        if (percent) percent.textContent = job.progress;
        if (job.finished) { window.location.reload(); } else { window.setTimeout(poll, 1500); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
