/* 获取验证码 buttons (accounts/_sms_code_field.html).
 * Progressive enhancement: without this file the button submits its form with
 * name="action" and the page's own view sends the code. With it, the button
 * posts to accounts:sms_send (JSON) and counts down before it can be used again.
 */
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) { return; }

  var WAIT_KEY = "sms-wait:";

  function storageGet(key) { try { return window.sessionStorage.getItem(key); } catch (e) { return null; } }
  function storageSet(key, value) { try { window.sessionStorage.setItem(key, value); } catch (e) { /* private mode */ } }

  function phoneOf(button) {
    var id = button.dataset.phoneInput;
    var input = id ? document.getElementById(id) : null;
    return input ? input.value.trim() : "";
  }

  function statusOf(button) {
    var id = button.getAttribute("aria-describedby");
    return id ? document.getElementById(id) : null;
  }

  function say(button, text, isError) {
    var status = statusOf(button);
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("text-danger", !!isError);
    status.classList.toggle("text-success", !isError);
  }

  function countdown(button, seconds) {
    var until = Date.now() + seconds * 1000;
    storageSet(WAIT_KEY + button.dataset.purpose + ":" + (button.dataset.target || phoneOf(button)), String(until));
    tick(button, until);
  }

  function tick(button, until) {
    var left = Math.ceil((until - Date.now()) / 1000);
    if (left <= 0) {
      button.disabled = false;
      button.textContent = button.dataset.again || button.dataset.label;
      return;
    }
    button.disabled = true;
    button.textContent = (button.dataset.wait || "%(s)s").replace("%(s)s", left);
    window.setTimeout(function () { tick(button, until); }, 1000);
  }

  function refreshCaptcha(form) {
    var img = form.querySelector("img.captcha");
    if (img) { img.click(); }
    var answer = form.querySelector('input[name$="captcha_1"]');
    if (answer) { answer.value = ""; }
  }

  function markCaptchaVerified(form) {
    var row = form.querySelector("[data-captcha-row]");
    if (!row || row.hidden) { return; }
    row.hidden = true;
    row.querySelectorAll("input").forEach(function (input) { input.disabled = true; });
    var note = document.createElement("div");
    note.className = "mb-3 text-success small";
    note.setAttribute("data-captcha-note", "");
    note.textContent = "\u2713 " + (row.dataset.verifiedText || "图形验证码已验证");
    row.parentNode.insertBefore(note, row.nextSibling);
  }

  function unmarkCaptcha(form) {
    var row = form.querySelector("[data-captcha-row]");
    if (!row || !row.hidden) { return; }
    row.hidden = false;
    row.querySelectorAll("input").forEach(function (input) { input.disabled = false; });
    var note = form.querySelector("[data-captcha-note]");
    if (note) { note.remove(); }
    refreshCaptcha(form);
  }

  function send(button) {
    var form = button.form;
    var data = new FormData();
    var csrf = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (csrf) { data.append("csrfmiddlewaretoken", csrf.value); }
    data.append("purpose", button.dataset.purpose);
    if (button.dataset.target) { data.append("target", button.dataset.target); }
    data.append("phone", phoneOf(button));
    var key = form.querySelector('input[name$="captcha_0"]:not([disabled])');
    var answer = form.querySelector('input[name$="captcha_1"]:not([disabled])');
    if (key && answer) {
      data.append("captcha_0", key.value);
      data.append("captcha_1", answer.value);
    }
    button.disabled = true;
    button.textContent = button.dataset.sending || button.dataset.label;
    fetch(button.dataset.smsUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (result) {
      var body = result.body || {};
      if (body.captcha_verified) { markCaptchaVerified(form); }
      if (body.ok) {
        say(button, body.message, false);
        countdown(button, body.retry_after || 60);
        var code = document.getElementById(button.getAttribute("aria-describedby").replace(/_smsstatus$/, ""));
        if (code) { code.focus(); }
        return;
      }
      var messages = [];
      Object.keys(body.errors || {}).forEach(function (name) { messages = messages.concat(body.errors[name]); });
      say(button, messages.length ? messages.join(" ") : (body.message || ""), true);
      if (!body.captcha_verified) { refreshCaptcha(form); }
      if (result.status === 429 && body.retry_after && body.retry_after <= 60) {
        countdown(button, body.retry_after);
      } else {
        button.disabled = false;
        button.textContent = button.dataset.label;
      }
    }).catch(function () {
      button.disabled = false;
      button.textContent = button.dataset.label;
      form.requestSubmit ? form.requestSubmit(button) : form.submit();
    });
  }

  document.querySelectorAll(".sms-send-button").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      send(button);
    });
    var phoneInput = button.dataset.phoneInput ? document.getElementById(button.dataset.phoneInput) : null;
    if (phoneInput) {
      phoneInput.addEventListener("change", function () { unmarkCaptcha(button.form); });
    }
    var stored = storageGet(WAIT_KEY + button.dataset.purpose + ":" + (button.dataset.target || phoneOf(button)));
    if (stored && Number(stored) > Date.now()) {
      tick(button, Number(stored));
    } else if (button.dataset.retryAfter) {
      countdown(button, Number(button.dataset.retryAfter));
    }
  });

  // Keyboard users: the captcha image sits in a button; Enter/Space asks for a new image.
  document.querySelectorAll(".captcha-image-button").forEach(function (btn) {
    btn.addEventListener("click", function (event) {
      if (event.target === btn) {
        var img = btn.querySelector("img.captcha");
        if (img) { img.click(); }
      }
    });
  });
})();
