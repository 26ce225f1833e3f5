/* Filing pages: progressive enhancement only; every action works without this file. */
(function () {
  "use strict";

  // Ask before destructive or final actions (删除, 撤回, 提交).
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      ev.preventDefault();
    }
  });

  // Show the fields that only apply for one answer (回看 → 期限类型/地址; 时间段 → 自/至; 联合播出 → table).
  var dependents = document.querySelectorAll("[data-show-when]");
  function checkedValue(name) {
    var inputs = document.querySelectorAll('input[name="' + CSS.escape(name) + '"]');
    if (!inputs.length) { return null; }
    for (var i = 0; i < inputs.length; i++) { if (inputs[i].checked) { return inputs[i].value; } }
    return "";
  }
  function refresh() {
    dependents.forEach(function (el) {
      var value = checkedValue(el.getAttribute("data-show-when"));
      if (value === null) { return; }  // read-only page: nothing to toggle
      var parentHidden = el.parentElement && el.parentElement.closest("[data-show-when][hidden]");
      el.hidden = value !== el.getAttribute("data-show-value") || !!parentHidden;
    });
  }
  if (dependents.length) {
    document.addEventListener("change", function (ev) {
      if (ev.target.type === "radio") { refresh(); }
    });
    refresh();
  }

  // 变更项: ticking a part saves the page and opens that part for editing.
  document.querySelectorAll("[data-change-part]").forEach(function (box) {
    box.addEventListener("change", function () {
      var button = document.querySelector("[data-parts-button]");
      if (button) { button.click(); }
    });
  });

  // Warn before uploading a file the server will refuse for its size.
  document.querySelectorAll('input[type="file"][data-max-document]').forEach(function (input) {
    input.addEventListener("change", function () {
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
    });
  });

  // Bring the error summary into view.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
