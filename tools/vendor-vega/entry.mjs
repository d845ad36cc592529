// esbuild entry for theme/static/vendor/vega/chart-runtime.min.js.
// Exposes one global, window.vegaRuntime; see README.md for the API.
import embed from 'vega-embed';
import {Handler} from 'vega-tooltip';
import {View, parse, expressionInterpreter, version, loader} from 'vega';

// Options that keep a chart working under `script-src 'self'` without
// 'unsafe-eval': Vega specs only, expressions run by vega-interpreter, no
// action menu (its "open in editor" would post to another host).
const SAFE_OPTIONS = Object.freeze({
  mode: 'vega',
  ast: true,
  expr: expressionInterpreter,
  actions: false,
  renderer: 'svg'
});

/**
 * Embed a compiled Vega spec with the CSP-safe settings above.
 * `options` are vega-embed options; actions/renderer/tooltip may be
 * overridden, mode/ast/expr may not.
 */
function embedChart(el, spec, options = {}) {
  return embed(el, spec, {
    actions: false,
    renderer: 'svg',
    tooltip: new Handler().call,
    ...options,
    mode: 'vega',
    ast: true,
    expr: expressionInterpreter
  });
}

const runtime = Object.freeze({
  embed,
  embedChart,
  SAFE_OPTIONS,
  View,
  parse,
  loader,
  expressionInterpreter,
  TooltipHandler: Handler,
  version,
  versions: Object.freeze({
    vega: version,
    'vega-embed': __VEGA_EMBED_VERSION__,
    'vega-tooltip': __VEGA_TOOLTIP_VERSION__,
    'vega-interpreter': __VEGA_INTERPRETER_VERSION__
  })
});

globalThis.vegaRuntime = runtime;
