/* NRTA pages: progressive enhancement only; every journey works without this file. */
(function () {
  "use strict";

  // Ask before final or destructive actions (申报, 删除).
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) { ev.preventDefault(); }
  });

  // 0/200 counters under the text fields.
  document.querySelectorAll("input[data-counter]").forEach(function (input) {
    var out = document.querySelector('[data-counter-for="' + input.id + '"]');
    if (!out) { return; }
    var max = input.getAttribute("data-counter");
    var update = function () { out.textContent = input.value.length + "/" + max; };
    input.addEventListener("input", update);
    update();
  });

  // 申报台局: the grouped <select> becomes a searchable list of checkboxes with 确定 (as in the seed).
  document.querySelectorAll("[data-bureau-picker]").forEach(function (box) {
    var select = box.querySelector("select");
    if (!select || select.disabled) { return; }
    var label = box.querySelector('label[for="' + select.id + '"]');
    var placeholder = select.options.length ? select.options[0].text : "";

    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "form-select text-start awards-picker-toggle";
    toggle.id = select.id + "-picker";
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", select.id + "-panel");
    if (select.classList.contains("is-invalid")) { toggle.classList.add("is-invalid"); }

    var panel = document.createElement("div");
    panel.className = "awards-picker border rounded p-2 mt-1 bg-white";
    panel.id = select.id + "-panel";
    panel.hidden = true;

    var search = document.createElement("input");
    search.type = "search";
    search.className = "form-control form-control-sm mb-2";
    search.placeholder = box.getAttribute("data-search-label") || "检索";
    search.setAttribute("aria-label", search.placeholder);
    panel.appendChild(search);

    var list = document.createElement("div");
    list.className = "awards-picker-list";
    panel.appendChild(list);

    var boxes = [];
    Array.prototype.forEach.call(select.children, function (child) {
      if (child.tagName !== "OPTGROUP") { return; }
      var group = document.createElement("fieldset");
      group.className = "mb-2";
      var legend = document.createElement("legend");
      legend.className = "fs-6 fw-bold mb-1";
      legend.textContent = child.label;
      group.appendChild(legend);
      Array.prototype.forEach.call(child.children, function (option) {
        var wrap = document.createElement("div");
        wrap.className = "form-check form-check-inline awards-picker-item";
        var cb = document.createElement("input");
        cb.type = "checkbox";
        cb.className = "form-check-input";
        cb.id = select.id + "-opt-" + option.value;
        cb.value = option.value;
        var lab = document.createElement("label");
        lab.className = "form-check-label";
        lab.htmlFor = cb.id;
        lab.textContent = option.text;
        wrap.appendChild(cb);
        wrap.appendChild(lab);
        group.appendChild(wrap);
        boxes.push(cb);
        cb.addEventListener("change", function () {
          if (cb.checked) { boxes.forEach(function (other) { if (other !== cb) { other.checked = false; } }); }
        });
      });
      list.appendChild(group);
    });

    var actions = document.createElement("div");
    actions.className = "d-flex gap-2 justify-content-end";
    var ok = document.createElement("button");
    ok.type = "button";
    ok.className = "btn btn-primary btn-sm";
    ok.textContent = box.getAttribute("data-ok-label") || "确定";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "btn btn-outline-secondary btn-sm";
    cancel.textContent = box.getAttribute("data-cancel-label") || "取消";
    actions.appendChild(cancel);
    actions.appendChild(ok);
    panel.appendChild(actions);

    function refreshToggle() {
      var chosen = select.options[select.selectedIndex];
      toggle.textContent = chosen && chosen.value ? chosen.text : placeholder;
    }
    function open(show) {
      panel.hidden = !show;
      toggle.setAttribute("aria-expanded", show ? "true" : "false");
      if (show) {
        boxes.forEach(function (cb) { cb.checked = cb.value === select.value; });
        search.value = "";
        filter();
        search.focus();
      }
    }
    function filter() {
      var q = search.value.trim();
      list.querySelectorAll("fieldset").forEach(function (group) {
        var any = false;
        group.querySelectorAll(".awards-picker-item").forEach(function (item) {
          var match = !q || item.textContent.indexOf(q) !== -1;
          item.hidden = !match;
          any = any || match;
        });
        group.hidden = !any;
      });
    }
    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); } });
    toggle.addEventListener("click", function () { open(panel.hidden); });
    cancel.addEventListener("click", function () { open(false); toggle.focus(); });
    ok.addEventListener("click", function () {
      var checked = boxes.filter(function (cb) { return cb.checked; })[0];
      select.value = checked ? checked.value : "";
      select.dispatchEvent(new Event("change", { bubbles: true }));
      refreshToggle();
      open(false);
      toggle.focus();
    });

    select.hidden = true;
    select.insertAdjacentElement("afterend", panel);
    select.insertAdjacentElement("afterend", toggle);
    if (label) { label.htmlFor = toggle.id; }
    refreshToggle();
  });
})();
