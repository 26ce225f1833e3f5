/* 材料上传: large files and videos by resumable (tus) upload, with a progress bar.
 *
 * Progressive enhancement only: without JavaScript (or without tus-js-client) the files chosen go with
 * the form as before. With it, a file that is a video or larger than the threshold is taken out of the
 * form and sent in chunks to the portal's tus endpoint (common/resumable/): a dropped connection is
 * retried from the last chunk the server has, and after a page reload choosing the same file again
 * continues where it stopped (tus-js-client keeps the upload's address in localStorage). Each chunk
 * carries its SHA-256 (Upload-Checksum) where the browser can compute it. When the last byte is in, the
 * server checks the file as it checks the plain form's and attaches it; the 材料 list is then reloaded.
 * Settings and the Chinese texts come from the page (json_script "resumable-settings").
 */
(function () {
  "use strict";
  var tus = window.tus;
  if (!tus || !tus.isSupported || !window.Promise) { return; }

  var subtle = window.crypto && window.crypto.subtle;
  var running = 0;
  var finishedNames = [];

  function settings() {
    var node = document.getElementById("resumable-settings");
    return node ? JSON.parse(node.textContent) : null;
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  function size(bytes) {
    if (bytes >= 1024 * 1024 * 1024) { return (bytes / 1024 / 1024 / 1024).toFixed(2) + " GB"; }
    if (bytes >= 1024 * 1024) { return (bytes / 1024 / 1024).toFixed(1) + " MB"; }
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function csrfToken() {
    var input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function base64(buffer) {
    var bytes = new Uint8Array(buffer);
    var text = "";
    for (var i = 0; i < bytes.length; i++) { text += String.fromCharCode(bytes[i]); }
    return window.btoa(text);
  }

  function goesResumable(file, config) {
    return /\.(mp4|flv)$/i.test(file.name) || file.size > config.threshold;
  }

  // One line per file under its 材料 item: a status text (announced politely) and a progress bar.
  function Row(item, name, config) {
    var box = document.getElementById("material-" + item + "-uploads");
    this.config = config;
    this.name = name;
    this.el = document.createElement("div");
    this.el.className = "upload-row mt-2";
    this.status = document.createElement("div");
    this.status.className = "small upload-status";
    // What a screen reader hears: state changes and every 10%, not every chunk (the bar has the rest).
    this.live = document.createElement("div");
    this.live.className = "visually-hidden";
    this.live.setAttribute("role", "status");
    this.live.setAttribute("aria-live", "polite");
    this.bar = document.createElement("div");
    this.bar.className = "progress mt-1";
    this.bar.setAttribute("role", "progressbar");
    this.bar.setAttribute("aria-valuemin", "0");
    this.bar.setAttribute("aria-valuemax", "100");
    this.bar.setAttribute("aria-valuenow", "0");
    this.bar.setAttribute("aria-label", format(config.messages.progress_label, {name: name}));
    this.fill = document.createElement("div");
    this.fill.className = "progress-bar";
    this.fill.style.width = "0%";  // CSSOM, allowed by the Content-Security-Policy (no inline style)
    this.bar.appendChild(this.fill);
    this.cancel = document.createElement("button");
    this.cancel.type = "button";
    this.cancel.className = "btn btn-sm btn-link link-secondary p-0 mt-1";
    this.cancel.textContent = config.messages.cancel;
    this.el.appendChild(this.status);
    this.el.appendChild(this.live);
    this.el.appendChild(this.bar);
    this.el.appendChild(this.cancel);
    if (box) { box.appendChild(this.el); }
    this.lastAnnounced = -10;
  }
  Row.prototype.say = function (key, values, level, quiet) {
    var text = format(this.config.messages[key], Object.assign({name: this.name}, values || {}));
    this.status.textContent = text;
    this.status.className = "small upload-status" + (level ? " text-" + level : "");
    if (level === "danger") {
      this.status.setAttribute("role", "alert");  // announced at once
      this.live.textContent = "";
    } else if (!quiet) {
      this.live.textContent = text;
    }
  };
  Row.prototype.progress = function (sent, total) {
    var percent = total ? Math.floor((sent / total) * 100) : 0;
    this.fill.style.width = percent + "%";
    this.fill.textContent = percent + "%";
    this.bar.setAttribute("aria-valuenow", String(percent));
    var announce = percent >= this.lastAnnounced + 10 || percent === 100;
    if (announce) { this.lastAnnounced = percent; }
    this.say(percent === 100 ? "checking" : "uploading", {percent: percent, done: size(sent), total: size(total)},
      "", !announce);
    return percent;
  };
  Row.prototype.end = function () {
    this.bar.remove();
    this.cancel.remove();
  };

  // Wraps tus-js-client's file reader: each chunk read is hashed (SHA-256) for its Upload-Checksum header.
  function checksummingReader(state) {
    var base = tus.defaultOptions.fileReader;
    return {
      openFile: function (input, chunkSize) {
        return base.openFile(input, chunkSize).then(function (source) {
          return {
            size: source.size,
            slice: function (start, end) {
              return source.slice(start, end).then(function (result) {
                state.checksum = null;
                if (!subtle || !result.value || !result.value.arrayBuffer) { return result; }
                return result.value.arrayBuffer().then(function (buffer) {
                  return subtle.digest("SHA-256", buffer);
                }).then(function (digest) {
                  state.checksum = base64(digest);
                  return result;
                }, function () { return result; });
              });
            },
            close: function () { source.close(); }
          };
        });
      }
    };
  }

  function errorText(err) {
    var response = err && err.originalResponse;
    if (!response) { return null; }
    try {
      var body = JSON.parse(response.getBody() || "{}");
      return body.errors && body.errors.length ? body.errors.join(" ") : null;
    } catch (e) {
      return null;
    }
  }

  // A refusal is also listed at the top of the page, as the form's own errors are (filings/_summary.html).
  function addToSummary(item, text, config) {
    var holder = document.getElementById("editor-summary");
    if (!holder) { return; }
    var summary = document.getElementById("error-summary");
    if (!summary) {
      summary = document.createElement("div");
      summary.className = "alert alert-danger";
      summary.id = "error-summary";
      summary.tabIndex = -1;
      var title = document.createElement("p");
      title.className = "fw-bold mb-1";
      title.textContent = config.messages.summary_title;
      summary.appendChild(title);
      summary.appendChild(document.createElement("ul")).className = "mb-0";
      holder.appendChild(summary);
    }
    var label = document.querySelector('label[for="id_material-' + item + '"]');
    var name = label ? label.textContent.replace(/[*：:]/g, "").trim() : "";
    var entry = document.createElement("li");
    var link = document.createElement("a");
    link.className = "alert-link";
    link.href = "#material-" + item;
    link.textContent = (name ? name + "：" : "") + text;
    entry.appendChild(link);
    summary.querySelector("ul").appendChild(entry);
  }

  function forget(upload) {
    upload.findPreviousUploads().then(function (previous) {
      previous.forEach(function (entry) { tus.defaultOptions.urlStorage.removeUpload(entry.urlStorageKey); });
    });
  }

  function refreshList(config) {
    if (running > 0) { return; }  // the section is re-drawn once every upload of the page is done
    var names = finishedNames.splice(0);
    if (!names.length) { return; }
    if (!window.htmx) { return; }
    window.htmx.ajax("GET", config.refresh, {target: "#section-materials", swap: "outerHTML"}).then(function () {
      var summary = document.querySelector("#section-materials .card-body");
      if (!summary) { return; }
      var note = document.createElement("p");
      note.className = "small text-success mb-2";
      note.setAttribute("role", "status");
      note.textContent = names.map(function (n) { return format(config.messages.done, {name: n}); }).join(" ");
      summary.insertBefore(note, summary.firstChild);
    });
  }

  function start(input, file, config) {
    var item = input.getAttribute("data-tus-item");
    var pending = document.querySelectorAll("#material-" + item + "-uploads [data-pending]");
    Array.prototype.forEach.call(pending, function (note) { note.remove(); });
    var row = new Row(item, file.name, config);
    var state = {checksum: null, resumed: false, told: false, sent: 0};
    var fingerprint = ["portal", config.application, item, file.name, file.type, file.size, file.lastModified].join("-");
    var upload = new tus.Upload(file, {
      endpoint: config.endpoint,
      chunkSize: config.chunk,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000],
      metadata: {
        target: config.target,
        filename: file.name,
        filetype: file.type || "",
        kind: config.kind,
        application: config.application,
        item: item
      },
      headers: {"X-CSRFToken": csrfToken()},
      fingerprint: function () { return Promise.resolve(fingerprint); },
      removeFingerprintOnSuccess: true,
      fileReader: checksummingReader(state),
      onBeforeRequest: function (req) {
        if (req.getMethod() === "PATCH" && state.checksum) { req.setHeader("Upload-Checksum", "sha256 " + state.checksum); }
      },
      onProgress: function (sent, total) {
        state.sent = sent;
        var percent = row.progress(sent, total);
        if (state.resumed && !state.told && sent > 0) {
          state.told = true;
          row.say("resumed", {percent: percent});
        }
      },
      onShouldRetry: function (err, attempt) {
        var response = err.originalResponse;
        var status = response ? response.getStatus() : 0;
        var retry = status === 0 || status >= 500 || status === 409 || status === 423 || status === 460;
        if (retry) { row.say("retrying", {percent: Math.floor((state.sent || 0) / file.size * 100)}, "warning"); }
        return retry;
      },
      onError: function (err) {
        running -= 1;
        row.end();
        var message = errorText(err);
        if (message) {
          row.say("failed", {error: message}, "danger");
          addToSummary(item, message, config);
          forget(upload);
        } else {
          row.say("failed_network", {}, "danger");  // the stored address lets a new try continue
        }
        input.classList.add("is-invalid");
        refreshList(config);
      },
      onSuccess: function () {
        running -= 1;
        row.progress(file.size, file.size);
        row.end();
        row.say("done", {}, "success");
        finishedNames.push(file.name);
        refreshList(config);
      }
    });
    row.cancel.addEventListener("click", function () {
      upload.abort(true).then(function () {}, function () {});
      running -= 1;
      row.end();
      row.say("cancelled", {});
      refreshList(config);
    });
    running += 1;
    row.say("starting", {});
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length) {
        upload.resumeFromPreviousUpload(previous[0]);
        state.resumed = true;
      }
      upload.start();
    });
  }

  document.addEventListener("change", function (ev) {
    var input = ev.target;
    if (!input.matches || !input.matches('input[type="file"][data-tus-item]') || !input.files.length) { return; }
    var config = settings();
    if (!config) { return; }
    var files = Array.prototype.slice.call(input.files);
    var large = files.filter(function (file) { return goesResumable(file, config); });
    if (!large.length) { return; }  // small files go with the form, as without JavaScript
    var keep = new DataTransfer();
    files.forEach(function (file) { if (!goesResumable(file, config)) { keep.items.add(file); } });
    input.files = keep.files;
    input.classList.remove("is-invalid");
    large.forEach(function (file) { start(input, file, config); });
  });

  // Unfinished uploads of this application (kept by tus-js-client): say so under their item.
  function showPending() {
    var config = settings();
    if (!config || !tus.defaultOptions.urlStorage.findAllUploads) { return; }
    tus.defaultOptions.urlStorage.findAllUploads().then(function (entries) {
      entries.forEach(function (entry) {
        var meta = entry.metadata || {};
        if (meta.application !== config.application || running > 0) { return; }
        var box = document.getElementById("material-" + meta.item + "-uploads");
        if (!box || box.querySelector("[data-pending]")) { return; }
        var note = document.createElement("div");
        note.className = "small text-muted mt-1";
        note.setAttribute("data-pending", "");
        box.appendChild(note);
        // How far it got: the server's offset (HEAD); an upload the server no longer has is forgotten.
        window.fetch(entry.uploadUrl, {method: "HEAD", credentials: "same-origin", headers: {"Tus-Resumable": "1.0.0"}})
          .then(function (response) {
            if (!response.ok) {
              note.remove();
              if (response.status === 404 || response.status === 410) {
                tus.defaultOptions.urlStorage.removeUpload(entry.urlStorageKey);
              }
              return;
            }
            var offset = parseInt(response.headers.get("Upload-Offset"), 10) || 0;
            var length = parseInt(response.headers.get("Upload-Length"), 10) || entry.size || 1;
            note.textContent = format(config.messages.pending, {
              name: meta.filename || "", percent: Math.floor((offset / length) * 100)
            });
          }, function () { note.remove(); });
      });
    });
  }
  showPending();
  document.body.addEventListener("htmx:afterSettle", function (ev) {
    if (ev.detail.target && ev.detail.target.id === "section-materials") { showPending(); }
  });

  window.addEventListener("beforeunload", function (ev) {
    if (running > 0) { ev.preventDefault(); ev.returnValue = ""; }
  });
})();
