// Stand-in for `vega-themes`: vega-embed's `theme` option is not supported by
// the theme's chart runtime. Altair applies themes to the Vega-Lite config at
// compile time, so compiled Vega specs already carry their styling.
// build.mjs aliases the bare specifier `vega-themes` to this file.
export const version = '0.0.0-not-bundled';
