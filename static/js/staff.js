// The reviewers' site (/staff/): a page that answers a form at its anchor (#review-act, #reassign …) also
// marks the field to fix or the button to confirm with autofocus, which browsers skip when the address has
// a fragment. Focus it once the page has loaded (and scrolled to the anchor); without JavaScript the anchor
// alone keeps the reviewer at the form.
(function () {
  "use strict";
  window.addEventListener("load", function () {
    var el = document.querySelector("#content [autofocus]");
    if (el && document.activeElement !== el) {
      el.focus();
    }
  });
})();
