/* Optional, for pages that embed our charts: fit each chart iframe
   (iframe[data-chart-embed]) to the height its page reports. A message is
   used only when it comes from that iframe's own window, and only a sane
   height is applied; anything else is ignored. A chart that loaded before
   this script (it is loaded async) is asked for its height again. */
(function () {
  "use strict";
  if (window.__chartResize) { return; }
  window.__chartResize = true;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== "chart-embed:height") { return; }
    var height = Number(data.height);
    if (!isFinite(height) || height < 50 || height > 5000) { return; }
    var frames = document.querySelectorAll("iframe[data-chart-embed]");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) { continue; }
      var origin;
      try { origin = new URL(frame.src, document.baseURI).origin; } catch (e) { return; }
      if (origin !== event.origin) { return; }
      frame.height = String(Math.round(height));
      return;
    }
  });
  function ask(frame) {
    var origin;
    try { origin = new URL(frame.src, document.baseURI).origin; } catch (e) { return; }
    // Sent to the chart's origin only: a frame still blank, or elsewhere, never sees it.
    if (frame.contentWindow) { frame.contentWindow.postMessage({ type: "chart-embed:ask" }, origin); }
  }
  var frames = document.querySelectorAll("iframe[data-chart-embed]");
  for (var i = 0; i < frames.length; i++) { ask(frames[i]); }
})();
