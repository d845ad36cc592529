// Smoke test for chart-runtime.min.js, loaded by out/index.html under
// `script-src 'self'` (no 'unsafe-eval'). Writes a JSON report into #result.
(function () {
  'use strict';
  const report = {ok: false, errors: [], violations: [], charts: {}, checks: {}};
  const origError = console.error, origWarn = console.warn;
  console.error = (...a) => { report.errors.push('console.error: ' + a.map(String).join(' ')); origError.apply(console, a); };
  console.warn = (...a) => { report.errors.push('console.warn: ' + a.map(String).join(' ')); origWarn.apply(console, a); };
  window.addEventListener('error', e => report.errors.push('uncaught: ' + e.message));
  window.addEventListener('unhandledrejection', e => report.errors.push('rejection: ' + (e.reason && e.reason.stack || e.reason)));
  document.addEventListener('securitypolicyviolation', e => report.violations.push(
    {directive: e.violatedDirective, blocked: e.blockedURI, source: (e.sourceFile || '').split('/').pop()}));

  // 1. Prove the CSP is enforced: eval must be refused. This one violation is expected.
  try { new Function('return 1')(); report.checks.evalBlocked = false; }
  catch (e) { report.checks.evalBlocked = e instanceof EvalError; }

  const rt = window.vegaRuntime;
  const sleep = ms => new Promise(r => setTimeout(r, ms));

  async function hydrate(fig) {
    const spec = JSON.parse(fig.querySelector('script.chart-spec').textContent);
    const target = document.createElement('div');
    const renderer = fig.dataset.renderer;
    // The two calls documented in tools/vendor-vega/README.md: plain vega-embed
    // with explicit options for SVG charts, the embedChart helper for canvas.
    const result = renderer === 'svg'
      ? await rt.embed(target, spec, {
        mode: 'vega',
        ast: true,
        expr: rt.expressionInterpreter,
        renderer: 'svg',
        actions: false,
        tooltip: new rt.TooltipHandler().call
      })
      : await rt.embedChart(target, spec, {renderer});
    fig.querySelector('.chart-static').replaceWith(target);
    const view = result.view;
    const info = {renderer, width: view.width(), height: view.height()};
    if (renderer === 'svg') {
      info.svgPaths = target.querySelectorAll('svg path').length;
      info.axisLabels = [...target.querySelectorAll('.role-axis-label text')].map(t => t.textContent).slice(0, 4);
    } else {
      const canvas = target.querySelector('canvas');
      info.canvas = !!canvas && canvas.width > 0;
      // Non-blank canvas: some pixel differs from the first one.
      const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let differs = 0; for (let i = 4; i < px.length; i += 4) if (px[i] !== px[0] || px[i + 1] !== px[1] || px[i + 2] !== px[2]) differs++;
      info.paintedPixels = differs;
    }
    info.svgExportBytes = (await view.toSVG()).length;
    report.charts[fig.id] = info;
    return {target, view};
  }

  async function main() {
    report.versions = rt.versions;
    report.apiKeys = Object.keys(rt).sort();
    const hydrated = {};
    for (const fig of document.querySelectorAll('figure.chart')) hydrated[fig.id] = await hydrate(fig);

    // 2. Tooltip: hover the first bar of the SVG bar chart.
    const bar = hydrated['chart-bar'].target.querySelector('.mark-rect path');
    const r = bar.getBoundingClientRect();
    const at = {bubbles: true, clientX: r.x + r.width / 2, clientY: r.y + r.height / 2, pointerType: 'mouse'};
    bar.dispatchEvent(new PointerEvent('pointerover', at));
    bar.dispatchEvent(new PointerEvent('pointermove', at));
    await sleep(50);
    const tip = document.getElementById('vg-tooltip-element');
    report.checks.tooltip = tip ? {visible: tip.classList.contains('visible'), text: tip.textContent.trim().slice(0, 120)} : null;

    // 3. Signals/events: the legend-bound selection on the line chart is a signal-driven
    //    expression; clicking a legend symbol must change mark opacity without eval.
    const lineTarget = hydrated['chart-line'].target;
    const before = [...lineTarget.querySelectorAll('.mark-symbol path')].map(p => p.getAttribute('opacity')).join();
    const sym = lineTarget.querySelector('.role-legend-symbol path');
    const sr = sym.getBoundingClientRect();
    const click = {bubbles: true, clientX: sr.x + sr.width / 2, clientY: sr.y + sr.height / 2, pointerType: 'mouse'};
    for (const t of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']) {
      sym.dispatchEvent(new (t.startsWith('pointer') ? PointerEvent : MouseEvent)(t, click));
    }
    await hydrated['chart-line'].view.runAsync();
    const after = [...lineTarget.querySelectorAll('.mark-symbol path')].map(p => p.getAttribute('opacity')).join();
    report.checks.legendSelectionChangesOpacity = before !== after;

    // 4. The fallbacks that would need eval or the Vega-Lite compiler fail loudly.
    const spec = JSON.parse(document.querySelector('#chart-bar script.chart-spec').textContent);
    const origErr = console.error; console.error = () => {};
    try { await rt.embed(document.createElement('div'), spec, {mode: 'vega', actions: false}); report.checks.noAstRejected = false; }
    catch (e) { report.checks.noAstRejected = /not bundled|CSP/.test(e.message); }
    try { await rt.embed(document.createElement('div'), {mark: 'bar'}, {mode: 'vega-lite', actions: false}); report.checks.vegaLiteRejected = false; }
    catch (e) { report.checks.vegaLiteRejected = /Vega-Lite is not bundled/.test(e.message); }
    console.error = origErr;

    await sleep(50);
    const unexpected = report.violations.filter(v => !(v.blocked === 'eval' && v.source === 'smoke.js'));
    report.checks.expectedEvalViolationOnly = report.violations.length === 1 && unexpected.length === 0;
    const c = report.checks;
    report.ok = c.evalBlocked && c.expectedEvalViolationOnly && report.errors.length === 0 &&
      c.tooltip && c.tooltip.visible && c.legendSelectionChangesOpacity && c.noAstRejected && c.vegaLiteRejected &&
      Object.keys(report.charts).length === 3 &&
      report.charts['chart-line'].svgPaths > 0 && report.charts['chart-bar'].svgPaths > 0 &&
      report.charts['chart-hist'].paintedPixels > 0;
  }

  main().catch(e => report.errors.push('smoke: ' + (e && e.stack || e))).finally(() => {
    document.getElementById('result').textContent = JSON.stringify(report, null, 1);
    document.title = report.ok ? 'SMOKE OK' : 'SMOKE FAIL';
  });
})();
