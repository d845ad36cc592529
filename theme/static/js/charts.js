/* Charts: hydrate each static SVG into the interactive Vega view when it nears
   the viewport, in the same box (no layout shift), following dark mode.
   The Vega runtime is loaded only then, and only on pages with charts. */
(function () {
  "use strict";
  var script = document.currentScript;
  var runtimeUrl = script && script.getAttribute("data-runtime");
  var runtime = null;
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function loadRuntime() {
    if (!runtime) {
      runtime = new Promise(function (resolve, reject) {
        if (window.vegaRuntime) { resolve(window.vegaRuntime); return; }
        var tag = document.createElement("script");
        tag.src = runtimeUrl;
        tag.async = true;
        tag.onload = function () { resolve(window.vegaRuntime); };
        tag.onerror = function () { reject(new Error("chart runtime did not load")); };
        document.head.appendChild(tag);
      });
    }
    return runtime;
  }

  function themed(spec, isDark) {
    var copy = JSON.parse(JSON.stringify(spec));
    if (!isDark) { return copy; }
    var ink = "#e6e9ed", soft = "#a7b0ba", line = "#3a424c";
    copy.background = "#16191d";
    var config = copy.config || (copy.config = {});
    function merge(key, values) { config[key] = Object.assign({}, config[key] || {}, values); }
    merge("axis", { labelColor: soft, titleColor: ink, domainColor: soft, tickColor: soft, gridColor: line });
    merge("legend", { labelColor: soft, titleColor: ink });
    merge("title", { color: ink, subtitleColor: soft });
    merge("text", { fill: ink });
    var style = config.style || (config.style = {});
    style.cell = Object.assign({}, style.cell || {}, { stroke: line });
    style["guide-label"] = Object.assign({}, style["guide-label"] || {}, { fill: soft });
    style["guide-title"] = Object.assign({}, style["guide-title"] || {}, { fill: ink });
    return copy;
  }

  function hydrate(figure) {
    var box = figure.querySelector(".chart-box");
    if (!box || box.getAttribute("data-hydrating")) { return; }
    box.setAttribute("data-hydrating", "1");
    var specPromise = fetch(box.getAttribute("data-spec"), { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error("chart spec " + r.status); }
      return r.json();
    });
    Promise.all([loadRuntime(), specPromise]).then(function (loaded) {
      var rt = loaded[0], spec = loaded[1];
      var view = null;
      var holder = document.createElement("div");
      holder.className = "chart-view";
      box.appendChild(holder);
      function draw() {
        if (view) { view.finalize(); view = null; }
        return rt.embed(holder, themed(spec, !!(dark && dark.matches)), {
          mode: "vega",
          ast: true,
          expr: rt.expressionInterpreter,
          renderer: "svg",
          actions: false,
          defaultStyle: false,
          tooltip: new rt.TooltipHandler({ disableDefaultStyle: true }).call
        }).then(function (result) {
          view = result;
          var svg = holder.querySelector("svg");
          var w = svg && svg.getAttribute("width"), h = svg && svg.getAttribute("height");
          // Scale with the box like the static SVG does.
          if (svg && w && h) {
            svg.setAttribute("viewBox", "0 0 " + w + " " + h);
            svg.removeAttribute("width");
            svg.removeAttribute("height");
          }
          box.classList.add("is-live");
          figure.setAttribute("data-hydrated", "true");
        });
      }
      draw().catch(report);
      if (dark && dark.addEventListener) { dark.addEventListener("change", function () { draw().catch(report); }); }
    }).catch(report);
  }

  function report(error) {
    // The static chart stays; say why the interactive one did not come.
    if (window.console) { window.console.warn("chart stays static:", error && error.message); }
  }

  function copyButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source || !navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.value).then(function () {
          var label = button.textContent;
          button.textContent = button.getAttribute("data-copied") || "Copied";
          setTimeout(function () { button.textContent = label; }, 2000);
        }, function () { source.select(); });
      });
    });
  }

  function start() {
    copyButtons();
    var figures = document.querySelectorAll("figure.chart[data-chart]");
    if (!figures.length) { return; }
    if (!("IntersectionObserver" in window)) {
      Array.prototype.forEach.call(figures, hydrate);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { observer.unobserve(entry.target); hydrate(entry.target); }
      });
    }, { rootMargin: "200px 0px" });
    Array.prototype.forEach.call(figures, function (figure) { observer.observe(figure); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
