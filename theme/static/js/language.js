/* Language choice. Without this script the chooser at / is a page of links;
   with it, a first visit to / goes to the reader's preferred language
   (navigator.languages) and a language chosen by a link is remembered.
   The decision is a pure function, so it can be tested outside a browser. */
(function (root) {
  "use strict";
  var KEY = "chips-and-controls.language";

  /* stored: the remembered URL segment or null; preferred: BCP 47 tags in
     the reader's order; available: [{path: "zh-tw", html: "zh-Hant-TW"}].
     Returns the path to go to, or null to stay and let the reader choose. */
  function chooseLanguage(stored, preferred, available) {
    var i, j, k, tag, parts, prefix, html;
    for (i = 0; i < available.length; i++) {
      if (stored && available[i].path === stored) { return stored; }
    }
    for (i = 0; i < (preferred || []).length; i++) {
      tag = String(preferred[i]).toLowerCase();
      for (j = 0; j < available.length; j++) {
        if (available[j].html.toLowerCase() === tag || available[j].path === tag) { return available[j].path; }
      }
      /* Then the longest leading part of the tag that a language shares:
         zh-Hans-SG goes to zh-Hans-CN before any other Chinese. */
      parts = tag.split("-");
      for (k = parts.length; k > 0; k--) {
        prefix = parts.slice(0, k).join("-");
        for (j = 0; j < available.length; j++) {
          html = available[j].html.toLowerCase();
          if (html === prefix || html.indexOf(prefix + "-") === 0) { return available[j].path; }
        }
      }
    }
    return null;
  }

  function storage() {
    try { return root.localStorage; } catch (e) { return null; }
  }

  function remember(path) {
    var store = storage();
    try { if (store) { store.setItem(KEY, path); } } catch (e) { /* storage full or denied */ }
  }

  /* On the chooser at /, this script runs from the head, before the body is
     parsed (the template does not defer it): a reader whose language is
     known is sent on before the chooser is painted, and the page is hidden
     meanwhile so nothing of it flashes while the next page loads. */
  function leaveChooser(doc, script) {
    var paths = (script.getAttribute("data-chooser-paths") || "").split(" ");
    var tags = (script.getAttribute("data-chooser-tags") || "").split(" ");
    var available = [], i, store, stored = null, target;
    for (i = 0; i < paths.length && i < tags.length; i++) {
      if (paths[i]) { available.push({ path: paths[i], html: tags[i] }); }
    }
    store = storage();
    try { stored = store ? store.getItem(KEY) : null; } catch (e) { stored = null; }
    target = chooseLanguage(stored, root.navigator ? root.navigator.languages : [], available);
    if (!target) { return false; }
    doc.documentElement.classList.add("language-leaving");
    /* replace(), so the chooser stays out of history and Back does not bounce. */
    root.location.replace(new URL(script.getAttribute("data-chooser-root") + target + "/", doc.baseURI).href);
    return true;
  }

  function start(doc) {
    var links = doc.querySelectorAll("a[data-language-choice]");
    var i;
    for (i = 0; i < links.length; i++) {
      links[i].addEventListener("click", function (event) {
        remember(event.currentTarget.getAttribute("data-language-choice"));
      });
    }
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { chooseLanguage: chooseLanguage };
  } else if (root.document) {
    var script = root.document.currentScript;
    if (script && script.hasAttribute("data-chooser-paths") && leaveChooser(root.document, script)) { return; }
    if (root.document.readyState === "loading") {
      root.document.addEventListener("DOMContentLoaded", function () { start(root.document); });
    } else {
      start(root.document);
    }
  }
}(typeof window !== "undefined" ? window : this));
