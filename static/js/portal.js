/* Progressive enhancement only: every core journey works without this file. */
(function () {
  "use strict";
  // Session expiry warning, two minutes before the idle limit.
  var box = document.getElementById("session-warning");
  if (box) {
    var idle = parseInt(box.dataset.idle, 10), warn = parseInt(box.dataset.warn, 10);
    var timer;
    var arm = function () {
      clearTimeout(timer);
      box.hidden = true;
      timer = setTimeout(function () { box.hidden = false; }, Math.max(0, (idle - warn)) * 1000);
    };
    arm();
    var form = box.querySelector("form");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                           headers: { "X-Requested-With": "fetch" } })
        // An expired session answers with a redirect to the login page: not "ok".
        .then(function (r) { if (r.ok && !r.redirected) { arm(); } else { window.location.reload(); } });
    });
  }
  // Refill a form that was posted after the session expired.
  var stash = document.getElementById("restore-form-data");
  if (stash) {
    var data = JSON.parse(stash.textContent);
    Object.keys(data).forEach(function (name) {
      var values = data[name];
      document.querySelectorAll('[name="' + CSS.escape(name) + '"]').forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") { el.checked = values.indexOf(el.value) !== -1; }
        else if (el.tagName === "SELECT" && el.multiple) {
          Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) !== -1; });
        } else if (el.type !== "file" && el.type !== "hidden") { el.value = values[0] || ""; }
      });
    });
  }
  // Click the captcha image to get a new one.
  document.querySelectorAll("img.captcha").forEach(function (img) {
    img.title = img.title || "看不清？点击换一张";
    img.addEventListener("click", function () {
      fetch("/captcha/refresh/", { headers: { "X-Requested-With": "XMLHttpRequest" } })
        .then(function (r) { return r.json(); })
        .then(function (d) {
          img.src = d.image_url;
          var key = img.closest("form").querySelector('input[name$="captcha_0"]');
          if (key) { key.value = d.key; }
        });
    });
  });
})();
