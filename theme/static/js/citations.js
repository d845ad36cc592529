// Previews for citations and glossary terms, on hover, on keyboard focus and
// on touch. Each link names its preview with aria-describedby, so screen
// readers hear it with or without this script; the script only shows it
// beside the link. Escape closes it; the pointer may move onto it without it
// closing. A tap opens the same preview instead of jumping to the source
// list (so the page never scrolls); a second tap on the marker, Escape or a
// tap elsewhere closes it.
(function () {
  "use strict";
  var shown = null;
  var owner = null;
  var hideTimer = 0;
  var lastPointer = "mouse";
  var openBeforeTap = null;

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
    var locator = preview.querySelector("[data-preview-locator]");
    if (locator) {
      /* The citing place's locator ("para. 4"), if this marker has one. */
      locator.textContent = link.getAttribute("data-locator") || "";
      locator.hidden = !locator.textContent;
    }
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
  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType || "mouse";
    var link = linkOf(event.target);
    /* Hover and focus come before the click on a tap: remember whether this
       marker's preview was already open before the tap began. */
    openBeforeTap = link && shown && owner === link ? link : null;
  }, true);
  document.addEventListener("click", function (event) {
    var link = linkOf(event.target);
    if (link && lastPointer !== "mouse") {
      event.preventDefault();
      if (openBeforeTap === link) { hide(); } else { show(link); }
      openBeforeTap = null;
      return;
    }
    if (shown && lastPointer !== "mouse" && !shown.contains(event.target)) { hide(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && shown) { hide(); }
  });
  window.addEventListener("resize", function () { if (shown && owner) { place(shown, owner); } });
})();
