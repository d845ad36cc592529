/* Charts: hydrate each static SVG into the interactive Vega view when it nears
   the viewport, in the same box (no layout shift), in the layout (narrow or
   wide) that the figure's width shows, again whenever that changes.
   The Vega runtime is loaded only then, and only on pages with charts. */
(function () {
  "use strict";
  var script = document.currentScript;
  var runtimeUrl = script && script.getAttribute("data-runtime");
  var runtime = null;

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

  /* The layout the page shows: the static SVG that CSS displays for the
     figure's width (charts.css). The interactive view draws the same one. */
  function shownLayout(box) {
    var narrow = box.querySelector("svg.chart-layout-narrow");
    return narrow && window.getComputedStyle(narrow).display !== "none" ? "narrow" : "wide";
  }

  function hydrate(figure) {
    var box = figure.querySelector(".chart-box");
    if (!box || box.getAttribute("data-hydrating")) { return; }
    box.setAttribute("data-hydrating", "1");
    var specs = {};
    function spec(layout) {
      var url = box.getAttribute(layout === "narrow" ? "data-spec-narrow" : "data-spec") || box.getAttribute("data-spec");
      if (!specs[url]) {
        specs[url] = fetch(url, { credentials: "same-origin" }).then(function (r) {
          if (!r.ok) { throw new Error("chart spec " + r.status); }
          return r.json();
        });
      }
      return specs[url];
    }
    var view = null, drawn = null, holder = null;
    function draw(rt) {
      var layout = shownLayout(box);
      if (layout === drawn) { return Promise.resolve(); }
      drawn = layout;
      return spec(layout).then(function (loaded) {
        if (layout !== drawn) { return; }
        if (view) { view.finalize(); view = null; }
        if (!holder) {
          holder = document.createElement("div");
          holder.className = "chart-view";
          box.appendChild(holder);
        }
        // Colours come from charts.css, as for the static SVG: one theme for both.
        return rt.embed(holder, loaded, {
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
          figure.setAttribute("data-layout", layout);
          figure.setAttribute("data-hydrated", "true");
        });
      });
    }
    loadRuntime().then(function (rt) {
      return draw(rt).then(function () {
        // A phone turned sideways, a resized window: draw the layout that now fits.
        if ("ResizeObserver" in window) {
          new ResizeObserver(function () { draw(rt).catch(report); }).observe(figure);
        }
      });
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

  /* The embed code builder: the colour scheme the embed takes (?theme=).
     Without scripts the select stays hidden and the default code shows. */
  function themeSelects() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-embed-code]"), function (select) {
      var code = document.getElementById(select.getAttribute("data-embed-code"));
      if (!code) { return; }
      select.parentNode.hidden = false;
      select.addEventListener("change", function () {
        var chosen = select.options[select.selectedIndex];
        code.value = chosen.getAttribute("data-code");
      });
    });
  }

  function start() {
    copyButtons();
    themeSelects();
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
