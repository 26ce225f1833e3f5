/* Filing pages: progressive enhancement only; every action works without this file. */
(function () {
  "use strict";

  // Ask before destructive or final actions (删除, 撤回, 提交). Capture phase: a refusal stops the
  // click before htmx (in-place buttons) or the browser (full-page buttons) acts on it.
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      ev.preventDefault();
      ev.stopPropagation();
    }
  }, true);

  // Show the fields that only apply for one answer (回看 → 期限类型/地址; 时间段 → 自/至; 联合播出 → table).
  function checkedValue(name) {
    var inputs = document.querySelectorAll('input[name="' + CSS.escape(name) + '"]');
    if (!inputs.length) { return null; }
    for (var i = 0; i < inputs.length; i++) { if (inputs[i].checked) { return inputs[i].value; } }
    return "";
  }
  function refresh() {
    document.querySelectorAll("[data-show-when]").forEach(function (el) {
      var value = checkedValue(el.getAttribute("data-show-when"));
      if (value === null) { return; }  // read-only page: nothing to toggle
      var parentHidden = el.parentElement && el.parentElement.closest("[data-show-when][hidden]");
      el.hidden = value !== el.getAttribute("data-show-value") || !!parentHidden;
    });
  }
  document.addEventListener("change", function (ev) {
    if (ev.target.type === "radio") { refresh(); }
  });
  refresh();

  // 变更项: ticking a part saves the page and opens that part for editing.
  document.querySelectorAll("[data-change-part]").forEach(function (box) {
    box.addEventListener("change", function () {
      var button = document.querySelector("[data-parts-button]");
      if (button) { button.click(); }
    });
  });

  // Warn before uploading a file the server will refuse for its size.
  document.addEventListener("change", function (ev) {
    var input = ev.target;
    if (!input.matches || !input.matches('input[type="file"][data-max-document]')) { return; }
    (function () {
      var maxDoc = parseInt(input.getAttribute("data-max-document"), 10);
      var maxVideo = parseInt(input.getAttribute("data-max-video"), 10);
      var problems = [];
      Array.prototype.forEach.call(input.files, function (file) {
        var video = /\.(mp4|flv)$/i.test(file.name);
        if (file.size > (video ? maxVideo : maxDoc)) { problems.push(file.name); }
      });
      if (problems.length) {
        input.classList.add("is-invalid");
        window.alert(input.getAttribute("data-size-message") + "\n" + problems.join("\n"));
        input.value = "";
      } else {
        input.classList.remove("is-invalid");
      }
    })();
  });

  // In place (htmx): rows and sections are swapped without reloading the page.
  if (window.htmx) {
    window.htmx.config.includeIndicatorStyles = false;  // no inline <style> (CSP)
    window.htmx.config.allowEval = false;
    document.body.addEventListener("htmx:beforeSwap", function (ev) {
      // A redirect (expired session → 登录) is a page of its own: go there instead of swapping it in.
      var xhr = ev.detail.xhr;
      if (xhr && xhr.responseURL && new URL(xhr.responseURL).pathname !== window.location.pathname) {
        ev.detail.shouldSwap = false;
        window.location.assign(xhr.responseURL);
      }
    });
    function fallBack(ev) {
      // The server or the network refused the in-place request: send the form as without JavaScript.
      var elt = ev.detail.elt;
      var form = elt && elt.form;
      if (form && elt.type === "submit") {
        elt.removeAttribute("data-hx-post");
        form.requestSubmit(elt);
      }
    }
    document.body.addEventListener("htmx:responseError", fallBack);
    document.body.addEventListener("htmx:sendError", fallBack);
    document.body.addEventListener("htmx:afterSettle", function (ev) {
      refresh();
      var target = ev.detail.target;
      var problem = target && target.querySelector && target.querySelector(".is-invalid, .alert-danger");
      var summary = document.getElementById("error-summary");
      if (problem) {
        problem.scrollIntoView({block: "center"});
        if (problem.focus) { problem.focus({preventScroll: true}); }
      } else if (summary && ev.detail.elt && ev.detail.elt.id === "editor-summary") {
        summary.focus();
      }
    });
  }

  // Bring the error summary into view.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
