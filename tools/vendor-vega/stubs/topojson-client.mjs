// Stand-in for `topojson-client`: TopoJSON is map data, and maps are not
// bundled (see README.md). vega-loader imports these two for its `topojson`
// data format. build.mjs aliases the bare specifier `topojson-client` here.
function notBundled() {
  throw new Error('TopoJSON data is not supported by this chart runtime (maps are not bundled)');
}
export const feature = notBundled;
export const mesh = notBundled;
