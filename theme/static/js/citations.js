// Previews for citations and glossary terms, on hover and on keyboard focus.
// Each link names its preview with aria-describedby, so screen readers hear
// it with or without this script; the script only shows it beside the link.
// Escape closes it; the pointer may move onto it without it closing.
(function () {
  "use strict";
  var shown = null;
  var owner = null;
  var hideTimer = 0;

  function place(preview, link) {
    var rect = link.getBoundingClientRect();
    var box = preview.offsetParent ? preview.offsetParent.getBoundingClientRect() : { left: 0, top: 0 };
    var width = preview.offsetWidth;
    var left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    var top = rect.bottom + 6;
    if (top + preview.offsetHeight > window.innerHeight && rect.top > preview.offsetHeight + 6) {
      top = rect.top - preview.offsetHeight - 6;
    }
    preview.style.left = (left - box.left) + "px";
    preview.style.top = (top - box.top) + "px";
  }

  function show(link) {
    var preview = document.getElementById(link.getAttribute("data-preview"));
    if (!preview) { return; }
    window.clearTimeout(hideTimer);
    if (shown && shown !== preview) { hide(); }
    preview.hidden = false;
    shown = preview;
    owner = link;
    place(preview, link);
  }

  function hide() {
    window.clearTimeout(hideTimer);
    if (shown) { shown.hidden = true; }
    shown = null;
    owner = null;
  }

  function hideSoon() {
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(hide, 250);
  }

  function linkOf(target) {
    return target && target.closest ? target.closest("[data-preview]") : null;
  }

  document.addEventListener("mouseover", function (event) {
    var link = linkOf(event.target);
    if (link) { show(link); return; }
    if (shown && shown.contains(event.target)) { window.clearTimeout(hideTimer); }
  });
  document.addEventListener("mouseout", function (event) {
    if (!shown) { return; }
    var to = event.relatedTarget;
    if (to && (shown.contains(to) || (owner && owner.contains(to)))) { return; }
    if (linkOf(event.target) === owner || shown.contains(event.target)) {
      if (owner !== document.activeElement) { hideSoon(); }
    }
  });
  document.addEventListener("focusin", function (event) {
    var link = linkOf(event.target);
    if (link) { show(link); } else { hide(); }
  });
  document.addEventListener("focusout", function (event) {
    if (linkOf(event.target) === owner) { hide(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && shown) { hide(); }
  });
  window.addEventListener("resize", function () { if (shown && owner) { place(shown, owner); } });
})();
