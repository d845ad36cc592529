// Trimmed stand-in for the `vega` package, used by the theme's chart runtime.
//
// build.mjs aliases the bare specifier `vega` to this file, so vega-embed
// (which does `import * as vega from 'vega'`) and entry.mjs both see this
// module instead of vega's index.js. It mirrors vega 6.x's index.js but
// registers only the dataflow transforms that Vega-Lite-compiled charts of
// ordinary kinds need, and re-exports only what vega-embed and the theme use.
// See README.md ("What is left out").

import {extend} from 'vega-util';
import {transforms} from 'vega-dataflow';
import * as tx from 'vega-transforms';
import * as vtx from 'vega-view-transforms';
import * as encode from 'vega-encode';
import * as reg from 'vega-regression';
import {expressionInterpreter} from 'vega-interpreter';

// Left out on purpose: vega-geo (maps/projections, contours, heatmaps,
// graticules), vega-force, vega-hierarchy, vega-label, vega-voronoi,
// vega-wordcloud, vega-crossfilter. A spec that uses one of their transforms
// fails at parse time with "Unrecognized transform type".
extend(transforms, tx, vtx, encode, reg);

// Filled in by build.mjs from node_modules/vega/package.json.
export const version = __VEGA_VERSION__;
export {expressionInterpreter};

// vega-util helpers that vega-embed imports by name from 'vega'
export {
  writeConfig,
  mergeConfig,
  isString,
  isBoolean,
  isObject,
  logger,
  Warn,
  Error,
  Info,
  Debug,
  None
} from 'vega-util';

export {loader} from 'vega-loader';
export {transforms} from 'vega-dataflow';
export {View} from 'vega-view';
export {parse} from 'vega-parser';
export {expressionFunction} from 'vega-functions';
export {
  numberFormatDefaultLocale as formatLocale,
  timeFormatDefaultLocale as timeFormatLocale
} from 'vega-format';
