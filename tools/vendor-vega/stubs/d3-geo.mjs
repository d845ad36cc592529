// Stand-in for `d3-geo`: maps and projections are not bundled (vega-geo and
// vega-projection are left out). vega-functions imports these three for the
// geoArea/geoBounds/geoCentroid expression functions, which only make sense
// for geographic data. build.mjs aliases the bare specifier `d3-geo` here.
function notBundled() {
  throw new Error('geographic functions are not bundled in this chart runtime');
}
export const geoArea = notBundled;
export const geoBounds = notBundled;
export const geoCentroid = notBundled;
