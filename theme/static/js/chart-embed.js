/* On a bare chart embed page: tell the embedding page how tall the chart is,
   so chart-resize.js there can fit the iframe. Only a height is sent. */
(function () {
  "use strict";
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
  send();
})();
