(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var url = box.dataset.job;
  var token = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var bar = document.getElementById("progress");
  var text = document.getElementById("progress-text");
  var cancel = document.getElementById("cancel");
  var hasSummary = box.dataset.summary === "1";
  var hasReport = box.dataset.report === "1";
  var pageFinal = box.dataset.final === "1";

  function describe(st) {
    if (st.state === "queued") {
      return box.dataset.queued + (st.position ? " (" + st.position + " " + box.dataset.ahead + ")" : "");
    }
    var words = box.dataset.running;
    if (st.stage) {
      words = box.dataset["stage" + st.stage.charAt(0).toUpperCase() + st.stage.slice(1)] || st.stage;
      if (st.file) words += " " + st.file;
      words += ": " + st.done + (st.total ? " / " + st.total : "") + " " + box.dataset.rows;
    }
    return words;
  }

  function enableDownloads(ready) {
    ready.forEach(function (fmt) {
      var link = document.getElementById("dl-" + fmt);
      if (link && !link.hasAttribute("href")) {
        link.setAttribute("href", link.dataset.href);
        link.setAttribute("download", "");
        link.classList.remove("pending");
        var note = link.parentNode.querySelector(".pending-text");
        if (note) note.classList.add("hidden");
      }
    });
  }

  function poll() {
    fetch(url + "/status", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (st) {
        if (st.error) return;
        var shown = hasSummary && hasReport;
        if ((st.final && !pageFinal && !(shown && st.state === "done")) || (st.summary_ready && !hasSummary) ||
            (st.report_ready && hasSummary && !hasReport)) {
          window.location.reload();
          return;
        }
        if (st.final) {  // done while its results were on show: finish the page without a reload
          enableDownloads(st.ready || []);
          var progressBox = document.getElementById("progress-box");
          if (progressBox) progressBox.classList.add("hidden");
          var verdict = document.getElementById("verdict");
          if (verdict && (st.exit_code === 0 || st.exit_code === 1)) {
            verdict.textContent = verdict.getAttribute("data-exit-" + st.exit_code);
            verdict.classList.remove("hidden");
          }
          return;
        }
        if (text) text.textContent = describe(st);
        if (bar) {
          if (st.state === "running" && st.total) { bar.max = st.total; bar.value = Math.min(st.done, st.total); }
          else { bar.removeAttribute("value"); }
        }
        enableDownloads(st.ready || []);
        if (!st.final) window.setTimeout(poll, st.state === "queued" ? 1000 : 400);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  if (!pageFinal) poll();

  if (cancel) {
    cancel.addEventListener("click", function () {
      cancel.disabled = true;
      fetch(url + "/cancel", { method: "POST", headers: { "X-CSRF-Token": token }, credentials: "same-origin" })
        .then(function () { window.location.reload(); });
    });
  }

  window.addEventListener("pagehide", function () {
    var body = new URLSearchParams();
    body.append("csrf", token);
    navigator.sendBeacon(url + "/close", body);
  });
})();
