// Stand-in for `vega-lite`: the theme never ships the Vega-Lite compiler.
// Charts are compiled from Vega-Lite to Vega in Python at site build time,
// and vega-embed must be called with {mode: 'vega'}. build.mjs aliases the
// bare specifier `vega-lite` to this file.
export const version = '0.0.0-not-bundled';

export function compile() {
  throw new Error(
    'Vega-Lite is not bundled in this chart runtime: compile the spec to Vega ' +
    'at build time and call embed(el, spec, {mode: "vega"}).'
  );
}
