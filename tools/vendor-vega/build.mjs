#!/usr/bin/env node
// Builds theme/static/vendor/vega/{chart-runtime.min.js,LICENSES.txt,MANIFEST.json}
// from the packages pinned in package-lock.json (installed by `npm ci`, see build.sh).
//
// Deterministic: same lock + same esbuild => byte-identical outputs (no
// timestamps, sorted lists, no absolute paths in the bundle).
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {dirname, join, relative, sep} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import * as esbuild from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const OUT_DIR = join(ROOT, 'theme', 'static', 'vendor', 'vega');
const BUNDLE_NAME = 'chart-runtime.min.js';
const GZIP_LIMIT = 160 * 1000; // bytes, gzip -9

// Minimum versions: earlier releases have known XSS issues in expression handling.
const MINIMUMS = {
  'vega': '6.2.0',
  'vega-interpreter': '2.2.1',
  'vega-functions': '6.1.1'
};
// Packages that must be in the bundle.
const REQUIRED = ['vega-embed', 'vega-tooltip', 'vega-interpreter', 'vega-view', 'vega-parser',
  'vega-runtime', 'vega-functions', 'vega-scenegraph', 'vega-transforms', 'vega-encode'];
// Packages that must NOT be in the bundle.
const FORBIDDEN = ['vega-lite', 'vega-geo', 'vega-projection', 'vega-force', 'vega-hierarchy',
  'vega-voronoi', 'vega-wordcloud', 'vega-label', 'vega-crossfilter', 'd3-geo-projection', 'd3-geo',
  'vega-themes', 'topojson-client', 'd3-force', 'd3-hierarchy', 'd3-delaunay'];

function fail(msg) {
  console.error(`vendor-vega: ERROR: ${msg}`);
  process.exit(1);
}

function cmpVersion(a, b) {
  const pa = a.split(/[.+-]/).slice(0, 3).map(Number);
  const pb = b.split(/[.+-]/).slice(0, 3).map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

const readJSON = p => JSON.parse(readFileSync(p, 'utf8'));
const lock = readJSON(join(HERE, 'package-lock.json'));
const pkgJson = readJSON(join(HERE, 'package.json'));

// --- 1. pinned, installed and minimum versions ------------------------------
for (const [name, spec] of Object.entries({...pkgJson.dependencies, ...pkgJson.devDependencies})) {
  if (!/^\d+\.\d+\.\d+$/.test(spec)) fail(`package.json must pin ${name} exactly, got "${spec}"`);
}
function lockEntry(name) {
  const e = lock.packages[`node_modules/${name}`];
  if (!e) fail(`${name} is not in package-lock.json`);
  return e;
}
function installedVersion(name) {
  const p = join(HERE, 'node_modules', name, 'package.json');
  if (!existsSync(p)) fail(`${name} is not installed; run build.sh (npm ci) first`);
  const v = readJSON(p).version;
  if (v !== lockEntry(name).version) fail(`${name}: installed ${v} but lock says ${lockEntry(name).version}`);
  return v;
}
for (const [name, min] of Object.entries(MINIMUMS)) {
  const v = installedVersion(name);
  if (cmpVersion(v, min) < 0) fail(`${name} ${v} is older than the required minimum ${min}`);
}

// --- 2. bundle ---------------------------------------------------------------
// Source patches that remove every eval path from the bundle, so it runs under
// a CSP without 'unsafe-eval'. Each needle must match exactly once, or the build
// fails (so a version bump that changes the code is noticed, not silently skipped).
const PATCHES = [
  {
    // vega-runtime falls back to a code generator that calls Function() when no
    // expression interpreter is given. We always pass vega-interpreter, so turn
    // the fallback into a clear error; the generator is then tree-shaken away.
    file: /[\\/]node_modules[\\/]vega-runtime[\\/]build[\\/]vega-runtime\.js$/,
    needle: 'this.expr = expr || expressionCodegen',
    replacement: 'this.expr = expr || missingExpressionInterpreter()',
    append: '\nfunction missingExpressionInterpreter() {\n' +
      '  throw new Error("chart runtime: pass {ast: true, expr: vegaRuntime.expressionInterpreter}; ' +
      'code-generated expressions are not bundled (CSP without unsafe-eval)");\n}\n'
  },
  {
    // d3-dsv builds its CSV/TSV row-to-object converter with new Function().
    // Same result (one own property per column, missing cells as ""), built
    // with a closure instead.
    file: /[\\/]node_modules[\\/]d3-dsv[\\/]dist[\\/]d3-dsv\.mjs$/,
    needle: 'return new Function("d", "return {" + columns.map(function(name, i) {\n' +
      '    return JSON.stringify(name) + ": d[" + i + "] || \\"\\"";\n' +
      '  }).join(",") + "}");',
    replacement: 'return function(d) {\n' +
      '    var o = {};\n' +
      '    for (var i = 0; i < columns.length; ++i) o[columns[i]] = d[i] || "";\n' +
      '    return o;\n' +
      '  };'
  }
];
// Size: d3-scale-chromatic ships as one file whose top-level colour ramps are
// built by function calls, so a bundler must keep all of them although vega-scale
// imports only the categorical schemes. Mark those top-level initialisers as
// side-effect free (/* @__PURE__ */) so unused ones are dropped. No code change.
const PURE_FILES = [/[\\/]node_modules[\\/]d3-scale-chromatic[\\/]dist[\\/]d3-scale-chromatic\.mjs$/];
const pureAnnotations = src => src
  // `var s = new Array(3).concat(...).map(colors);` spans lines: wrap it in an annotated arrow call
  .replace(/^(var [\w$]+ = )(new Array\(3\)\.concat\([^;]*?\)\.map\(colors\));/gm, '$1/* @__PURE__ */ (() => $2)();')
  // `var x = f(g(...), ...)` on one line: annotate every call on the line
  .replace(/^(var [\w$]+ = )([\w$]+\(.*)$/gm,
    (_, decl, rest) => decl + rest.replace(/(?<![\w$.])(?=[\w$]+\()/g, '/* @__PURE__ */ '));

const sourcePatchPlugin = {
  name: 'source-patches',
  setup(build) {
    for (const p of PATCHES) {
      build.onLoad({filter: p.file}, args => {
        const src = readFileSync(args.path, 'utf8');
        if (src.split(p.needle).length !== 2) fail(`cannot find the code to patch in ${relative(HERE, args.path)}; review PATCHES in build.mjs`);
        p.applied = true;
        return {contents: src.replace(p.needle, () => p.replacement) + (p.append || ''), loader: 'js'};
      });
    }
    for (const f of PURE_FILES) {
      build.onLoad({filter: f}, args => {
        const src = readFileSync(args.path, 'utf8');
        const out = pureAnnotations(src);
        if (out === src) fail(`no top-level initialisers found to annotate in ${relative(HERE, args.path)}`);
        return {contents: out, loader: 'js'};
      });
    }
  }
};

const result = await esbuild.build({
  absWorkingDir: HERE,
  entryPoints: ['entry.mjs'],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020'],
  minify: true,
  treeShaking: true,
  legalComments: 'none',
  charset: 'ascii',
  sourcemap: false,
  write: false,
  metafile: true,
  logLevel: 'warning',
  alias: {
    'vega': './vega-core.mjs',
    'vega-lite': './stubs/vega-lite.mjs',
    'vega-themes': './stubs/vega-themes.mjs',
    'd3-geo': './stubs/d3-geo.mjs',
    'topojson-client': './stubs/topojson-client.mjs'
  },
  define: {
    __VEGA_VERSION__: JSON.stringify(installedVersion('vega')),
    __VEGA_EMBED_VERSION__: JSON.stringify(installedVersion('vega-embed')),
    __VEGA_TOOLTIP_VERSION__: JSON.stringify(installedVersion('vega-tooltip')),
    __VEGA_INTERPRETER_VERSION__: JSON.stringify(installedVersion('vega-interpreter')),
    'process.env.NODE_ENV': '"production"'
  },
  banner: {
    js: `/*! theme chart runtime: vega ${installedVersion('vega')}, vega-embed ${installedVersion('vega-embed')}, ` +
      `vega-tooltip ${installedVersion('vega-tooltip')}, vega-interpreter ${installedVersion('vega-interpreter')}. ` +
      'Licences: LICENSES.txt beside this file. Built by tools/vendor-vega. */'
  },
  plugins: [sourcePatchPlugin]
});
const code = Buffer.from(result.outputFiles[0].contents);
if (process.env.VENDOR_VEGA_METAFILE) writeFileSync(process.env.VENDOR_VEGA_METAFILE, JSON.stringify(result.metafile));
for (const p of PATCHES) if (!p.applied) fail(`patch for ${p.file} was not applied (file not bundled?)`);

// --- 3. which packages went in ---------------------------------------------
const bundled = new Map(); // name -> bytes contributed
const out = Object.values(result.metafile.outputs)[0];
for (const [file, info] of Object.entries(out.inputs)) {
  const m = file.split(sep).join('/').match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  const name = m ? m[1] : '(theme glue)';
  bundled.set(name, (bundled.get(name) || 0) + info.bytesInOutput);
}
if (process.env.VENDOR_VEGA_REPORT) {
  const rows = [...bundled.entries()].sort((a, b) => b[1] - a[1]);
  for (const [n, b] of rows) console.log(String(b).padStart(8), n);
}
// vega-embed's published build already contains copies of two of its
// dependencies; they are in our bundle through it, so list them (and their
// licences) too. A marker string proves the copy is still there.
const INLINED_IN_EMBED = {'fast-json-patch': 'JSON-Patch', 'semver': 'SEMVER_SPEC_VERSION'};
const embedSource = readFileSync(join(HERE, 'node_modules', 'vega-embed', 'build', 'embed.js'), 'utf8');
const inlined = Object.keys(INLINED_IN_EMBED).filter(n => embedSource.includes(INLINED_IN_EMBED[n]));
const names = [...bundled.keys(), ...inlined].filter(n => n !== '(theme glue)').sort();
for (const n of REQUIRED) if (!bundled.get(n)) fail(`${n} is missing from the bundle`);
for (const n of FORBIDDEN) if (bundled.has(n)) fail(`${n} must not be in the bundle`);

// --- 4. CSP check: no eval / Function constructor in the output -------------
const text = code.toString('utf8');
const evalHits = [...text.matchAll(/\bnew Function\b|\bFunction\s*\(|\beval\s*\(|\bsetTimeout\s*\(\s*["'`]|\bsetInterval\s*\(\s*["'`]/g)];
if (evalHits.length) {
  for (const h of evalHits) console.error('  ...' + text.slice(Math.max(0, h.index - 80), h.index + 80) + '...');
  fail(`bundle contains ${evalHits.length} eval/Function() call site(s); it must run under CSP without 'unsafe-eval'`);
}
if (/vega-lite|vegaLite\.compile/.test(text) && !text.includes('0.0.0-not-bundled')) {
  fail('the Vega-Lite stub is not in the bundle');
}

// --- 5. size ---------------------------------------------------------------
const gz = gzipSync(code, {level: 9}).length;
if (gz > GZIP_LIMIT) fail(`bundle is ${gz} bytes gzip, over the ${GZIP_LIMIT} byte budget`);

// --- 6. licences -------------------------------------------------------------
function licenceText(name) {
  const dir = join(HERE, 'node_modules', name);
  const files = readdirSync(dir).filter(f => /^(licen[cs]e|copying)(\.|-|$)/i.test(f)).sort();
  if (!files.length) fail(`${name} ships no LICENSE file`);
  return files.map(f => readFileSync(join(dir, f), 'utf8').replace(/\r\n/g, '\n').trimEnd()).join('\n\n');
}
let licences = 'Third-party software bundled in chart-runtime.min.js\n' +
  '====================================================\n\n' +
  'Generated by tools/vendor-vega/build.mjs from the packages pinned in\n' +
  'tools/vendor-vega/package-lock.json. One section per bundled package.\n';
for (const n of names) {
  const meta = readJSON(join(HERE, 'node_modules', n, 'package.json'));
  const via = inlined.includes(n) ? ', copy inlined in vega-embed\'s build' : '';
  licences += `\n\n${'-'.repeat(78)}\n${n} ${meta.version} (${meta.license}${via})\n${'-'.repeat(78)}\n\n${licenceText(n)}\n`;
}

// --- 7. manifest --------------------------------------------------------------
const manifest = {
  bundle: {
    path: `theme/static/vendor/vega/${BUNDLE_NAME}`,
    bytes: code.length,
    gzip_bytes: gz,
    gzip_level: 9,
    gzip_budget_bytes: GZIP_LIMIT,
    sha256: createHash('sha256').update(code).digest('hex'),
    global: 'vegaRuntime',
    format: 'iife',
    target: 'es2020'
  },
  built_with: {
    esbuild: installedVersion('esbuild'),
    entry: 'tools/vendor-vega/entry.mjs',
    aliases: {
      'vega': 'tools/vendor-vega/vega-core.mjs',
      'vega-lite': 'tools/vendor-vega/stubs/vega-lite.mjs',
      'vega-themes': 'tools/vendor-vega/stubs/vega-themes.mjs',
      'd3-geo': 'tools/vendor-vega/stubs/d3-geo.mjs',
      'topojson-client': 'tools/vendor-vega/stubs/topojson-client.mjs'
    }
  },
  pinned: Object.fromEntries(Object.keys({...pkgJson.dependencies, ...pkgJson.devDependencies}).sort()
    .map(n => [n, {version: lockEntry(n).version, integrity: lockEntry(n).integrity}])),
  minimum_versions: MINIMUMS,
  packages: names.map(n => {
    const e = lockEntry(n);
    return {
      name: n,
      version: e.version,
      license: readJSON(join(HERE, 'node_modules', n, 'package.json')).license,
      integrity: e.integrity,
      ...(inlined.includes(n) ? {inlined_by: 'vega-embed'} : {bytes_in_bundle: bundled.get(n)})
    };
  }),
  excluded: FORBIDDEN
};

mkdirSync(OUT_DIR, {recursive: true});
writeFileSync(join(OUT_DIR, BUNDLE_NAME), code);
writeFileSync(join(OUT_DIR, 'LICENSES.txt'), licences);
writeFileSync(join(OUT_DIR, 'MANIFEST.json'), JSON.stringify(manifest, null, 2) + '\n');

console.log(`vendor-vega: ${relative(ROOT, join(OUT_DIR, BUNDLE_NAME))}: ${code.length} bytes, ` +
  `${gz} bytes gzip (budget ${GZIP_LIMIT}), sha256 ${manifest.bundle.sha256}`);
console.log(`vendor-vega: ${names.length} packages bundled: ` +
  names.map(n => `${n}@${lockEntry(n).version}`).join(', '));
