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
    var i, j, tag, primary;
    for (i = 0; i < available.length; i++) {
      if (stored && available[i].path === stored) { return stored; }
    }
    for (i = 0; i < (preferred || []).length; i++) {
      tag = String(preferred[i]).toLowerCase();
      for (j = 0; j < available.length; j++) {
        if (available[j].html.toLowerCase() === tag || available[j].path === tag) { return available[j].path; }
      }
      primary = tag.split("-")[0];
      for (j = 0; j < available.length; j++) {
        if (available[j].html.toLowerCase().split("-")[0] === primary) { return available[j].path; }
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

  function start(doc) {
    var links = doc.querySelectorAll("a[data-language-choice]");
    var chooser = doc.querySelector("[data-language-chooser]");
    var available = [], byPath = {}, i, store, stored = null, target;
    for (i = 0; i < links.length; i++) {
      links[i].addEventListener("click", function (event) {
        remember(event.currentTarget.getAttribute("data-language-choice"));
      });
    }
    if (!chooser) { return; }
    links = chooser.querySelectorAll("a[data-language-choice]");
    for (i = 0; i < links.length; i++) {
      available.push({ path: links[i].getAttribute("data-language-choice"), html: links[i].hreflang });
      byPath[links[i].getAttribute("data-language-choice")] = links[i].href;
    }
    store = storage();
    try { stored = store ? store.getItem(KEY) : null; } catch (e) { stored = null; }
    target = chooseLanguage(stored, root.navigator ? root.navigator.languages : [], available);
    if (!target || !byPath[target]) { return; }
    /* After load, so no request of this page is cut off; replace(), so the
       chooser stays out of history and Back does not bounce. */
    if (doc.readyState === "complete") {
      root.location.replace(byPath[target]);
    } else {
      root.addEventListener("load", function () { root.location.replace(byPath[target]); });
    }
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { chooseLanguage: chooseLanguage };
  } else if (root.document) {
    start(root.document);
  }
}(typeof window !== "undefined" ? window : this));
