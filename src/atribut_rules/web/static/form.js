(function () {
  "use strict";
  var form = document.getElementById("check-form");
  if (!form) return;
  var token = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var reports = document.getElementById("reports");
  var drop = document.getElementById("drop");
  var reportsName = document.getElementById("reports-name");
  var rules = document.getElementById("rules");
  var rulesUpload = document.getElementById("rules-upload");
  var rulesFile = document.getElementById("rules_file");
  var problemsBox = document.getElementById("rules-problems");
  var submit = document.getElementById("submit");
  var errorBox = document.getElementById("form-error");
  var statusBox = document.getElementById("form-status");
  var uploadProgress = document.getElementById("upload-progress");
  var rulesBad = false;

  function showName() {
    reportsName.textContent = reports.files.length ? reports.files[0].name : "";
  }
  reports.addEventListener("change", showName);
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) {
    if (e.dataTransfer && e.dataTransfer.files.length) {
      reports.files = e.dataTransfer.files;
      showName();
    }
  });

  function updateButton() {
    submit.disabled = rules.value === "upload" && (rulesBad || !rulesFile.files.length);
  }
  rules.addEventListener("change", function () {
    rulesUpload.classList.toggle("hidden", rules.value !== "upload");
    updateButton();
  });

  function showProblems(result) {
    problemsBox.textContent = "";
    var head = document.createElement("p");
    if (result.error) {
      head.className = "error";
      head.textContent = result.error;
      problemsBox.appendChild(head);
      return;
    }
    head.className = result.ok ? "ok" : "error";
    head.textContent = result.ok ? problemsBox.dataset.ok : problemsBox.dataset.bad;
    head.id = result.ok ? "rules-ok" : "rules-bad";
    problemsBox.appendChild(head);
    if (result.ok) return;
    var list = document.createElement("ul");
    list.className = "problems";
    result.problems.forEach(function (p) {
      var item = document.createElement("li");
      item.className = "problem";
      if (p.line) item.setAttribute("data-line", String(p.line));
      var where = p.file;
      if (p.line) where += ", " + problemsBox.dataset.line + " " + p.line;
      if (p.column) where += ", " + problemsBox.dataset.column + " " + p.column;
      item.appendChild(document.createTextNode(where + ": " + p.message));
      if (p.text) {
        var code = document.createElement("code");
        code.textContent = p.line + " | " + p.text;
        item.appendChild(code);
      }
      list.appendChild(item);
    });
    problemsBox.appendChild(list);
  }

  rulesFile.addEventListener("change", function () {
    rulesBad = false;
    problemsBox.textContent = "";
    updateButton();
    if (!rulesFile.files.length) return;
    var data = new FormData();
    data.append("csrf", token);
    data.append("rules_file", rulesFile.files[0]);
    fetch("/rules/check", { method: "POST", body: data, headers: { "X-CSRF-Token": token }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (result) {
        rulesBad = !result.ok;
        showProblems(result);
        updateButton();
      })
      .catch(function (e) { showProblems({ error: String(e) }); });
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    errorBox.classList.add("hidden");
    var data = new FormData(form);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/jobs");
    xhr.setRequestHeader("X-CSRF-Token", token);
    xhr.setRequestHeader("X-Requested-With", "fetch");
    xhr.responseType = "json";
    uploadProgress.classList.remove("hidden");
    statusBox.textContent = statusBox.dataset.sending;
    submit.disabled = true;
    xhr.upload.addEventListener("progress", function (ev) {
      if (ev.lengthComputable) { uploadProgress.max = ev.total; uploadProgress.value = ev.loaded; }
    });
    xhr.addEventListener("load", function () {
      var body = xhr.response || {};
      if (xhr.status === 201 && body.job) {
        window.location.assign(body.job);
        return;
      }
      errorBox.textContent = body.error || ("HTTP " + xhr.status);
      errorBox.classList.remove("hidden");
      uploadProgress.classList.add("hidden");
      statusBox.textContent = "";
      updateButton();
    });
    xhr.addEventListener("error", function () {
      errorBox.textContent = "HTTP error";
      errorBox.classList.remove("hidden");
      updateButton();
    });
    xhr.send(data);
  });
})();
