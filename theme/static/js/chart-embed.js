/* On a bare chart embed page: take the colour scheme the host asks for
   (?theme=light, the default, dark or auto, which follows the reader's system),
   and tell the embedding page how tall the chart is, so chart-resize.js there
   can fit the iframe: when the height changes, and again when that script
   asks (it may load after this page). Only a height is sent. */
(function () {
  "use strict";
  var asked = /[?&]theme=(light|dark|auto)(?:&|$)/.exec(window.location.search);
  if (asked) { document.documentElement.setAttribute("data-theme", asked[1]); }
  if (window.parent === window) { return; }
  var last = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height && height !== last) {
      last = height;
      window.parent.postMessage({ type: "chart-embed:height", height: height }, "*");
    }
  }
  if ("ResizeObserver" in window) { new ResizeObserver(send).observe(document.documentElement); }
  window.addEventListener("load", send);
  window.addEventListener("resize", send);
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.source !== window.parent || !data || data.type !== "chart-embed:ask") { return; }
    last = 0;
    send();
  });
  send();
})();
