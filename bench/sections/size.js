'use strict';
/**
 * Table 4: code size of each Action of the sample organisation (mappings/): the code.js mapc
 * writes, and the same bundle minified (esbuild, the options bundleAction uses plus
 * `minify`), split with esbuild's metafile into the plan (the specs) and the runtime/ modules.
 * Table 4b lists each runtime module's minified bytes in the largest Action. Table 4c: how
 * many typical post-login specs (bench/lib/projects.js writeTypicalProject) one Action holds
 * within Auth0's 100 kB, checked on the code mapc deploys (the bundled code.js, with the
 * limit `mapc build` applies: the largest n that builds without MAPC0801).
 */
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');
const h = require('../lib/harness');
const { table, verdict } = require('../lib/stats');
const { writeSampleSubset, writeTypicalProject } = require('../lib/projects');

const kB = (b) => (b / 1024).toFixed(1);

async function minified(entry, name) {
  // The bundler's own options, plus minify: the figure is the shipped bundle, minified.
  const { splitHeader, BUILD_OPTIONS } = h.dist('compiler/bundle/index.js');
  const { body } = splitHeader(entry.toString());
  const r = await esbuild.build({
    ...BUILD_OPTIONS,
    stdin: { contents: body, resolveDir: path.join(h.ROOT, 'runtime'), sourcefile: `${name}.plan.js`, loader: 'js' },
    absWorkingDir: h.ROOT,
    minify: true,
  });

  const out = Object.values(r.metafile.outputs)[0];
  const modules = {};
  let runtime = 0;
  for (const [input, { bytesInOutput }] of Object.entries(out.inputs)) {
    if (input.startsWith('runtime/') && input.endsWith('.ts')) {
      modules[input] = bytesInOutput;
      runtime += bytesInOutput;
    }
  }
  const total = r.outputFiles[0].contents.byteLength;
  return { total, runtime, plan: total - runtime, modules };
}

async function size() {
  const { emitAction } = h.dist('compiler/emit/index.js');
  const compiled = await h.compileProject(path.join(h.ROOT, 'mappings'));
  const rows = [];
  const raw = [];
  for (const action of compiled.program.actions) {
    const code = compiled.code.get(action.name);
    const m = await minified(emitAction(action), action.name);
    raw.push({ name: action.name, bytes: Buffer.byteLength(code), ...m });
    rows.push([
      `${action.name} (${action.specs.length} spec${action.specs.length === 1 ? '' : 's'})`,
      kB(Buffer.byteLength(code)),
      kB(m.total),
      kB(m.plan),
      kB(m.runtime),
      `≤ 10 kB: ${verdict(m.runtime <= 10 * 1024)}`,
    ]);
  }
  const hand = fs.readFileSync(path.join(h.ROOT, 'bench', 'baseline', 'sample-post-login.js'), 'utf8');
  const handMin = (await esbuild.transform(hand, { minify: true, loader: 'js', charset: 'ascii', legalComments: 'none' })).code;
  rows.push(['hand-written baseline (3 of the 7 post-login specs)', kB(Buffer.byteLength(hand)), kB(Buffer.byteLength(handMin)), '—', '—', '—']);
  // The sample subset (the three specs the minimal baseline re-implements), minified, against
  // the minimal hand-written Action minified: the bytes of runtime (and scaffolding) per Action.
  const subset = await h.compileProject(writeSampleSubset(h.tempDir('size-subset')));
  const sub = subset.program.actions[0];
  const subMin = await minified(emitAction(sub), sub.name);
  const minimal = fs.readFileSync(path.join(h.ROOT, 'bench', 'baseline', 'minimal-post-login.js'), 'utf8');
  const minimalMin = (await esbuild.transform(minimal, { minify: true, loader: 'js', charset: 'ascii', legalComments: 'none' })).code;
  const over = subMin.total - Buffer.byteLength(minimalMin);
  rows.push(['generated sample subset (the same 3 specs)', kB(Buffer.byteLength(subset.code.get(sub.name))), kB(subMin.total), kB(subMin.plan), kB(subMin.runtime), '—']);
  rows.push(['minimal hand-written (bench/baseline/minimal-post-login.js)', kB(Buffer.byteLength(minimal)), kB(Buffer.byteLength(minimalMin)), '—', '—', '—']);
  rows.push(['generated − minimal hand-written, minified (same 3 specs)', '—', kB(over), '—', '—', `≤ 10 kB: ${verdict(over <= 10 * 1024)}`]);
  const largest = raw.reduce((a, b) => (b.runtime > a.runtime ? b : a));
  const mods = Object.entries(largest.modules).sort((a, b) => b[1] - a[1]);
  const typical = await typicalCapacity();
  return {
    typical,
    title: '4. Code size per Action of the sample organisation (kB = 1,024 bytes)',
    markdown:
      table(['Action', 'code.js as written', 'minified', 'minified: plan (specs)', 'minified: runtime', 'target runtime'], rows) +
      '\n\n' +
      table([`runtime module (minified, in ${largest.name})`, 'bytes'], [...mods.map(([m, b]) => [m, String(b)]), ['total', String(largest.runtime)]]),
    raw,
    largest,
  };
}

/** Bytes of the deployed code.js of an Action of `n` typical specs, or null when the build fails with MAPC0801 (over 100 kB). */
async function typicalBytes(n) {
  const { compile } = h.dist('compiler/pipeline.js');
  const dir = writeTypicalProject(h.tempDir(`typical-${n}`), n);
  const { result, diagnostics } = await compile({ projectDir: dir, cwd: path.dirname(dir) });
  if (result) return Buffer.byteLength(result.code.get('bench-typical'));
  if (diagnostics.some((d) => d.code === 'MAPC0801')) return null;
  const { formatText } = h.dist('compiler/diagnostics/format.js');
  throw new Error(`typical project of ${n} specs did not build:\n${formatText(diagnostics, { color: false, frames: false })}`);
}

/** The largest n (binary search up to 128) whose Action of n typical specs builds within 100 kB. */
async function typicalCapacity() {
  let lo = 1;
  let hi = 128;
  const sizes = new Map();
  const fits = async (n) => {
    if (!sizes.has(n)) sizes.set(n, await typicalBytes(n));
    return sizes.get(n) !== null;
  };
  if (!(await fits(lo))) return { specs: 0, markdown: 'one typical spec does not fit in 100 kB', sizes };
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (await fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  const b1 = sizes.get(1);
  const bn = sizes.get(lo);
  const perSpec = lo > 1 ? (bn - b1) / (lo - 1) : 0;
  return {
    specs: lo,
    markdown: table(
      ['figure', 'value', 'target'],
      [
        ['typical specs in one Action within 100 kB (deployed code.js, as `mapc build` checks it)', String(lo), `≥ 40: ${verdict(lo >= 40)}`],
        ['deployed bytes, 1 typical spec', kB(b1) + ' kB', '—'],
        [`deployed bytes, ${lo} typical specs`, kB(bn) + ' kB', '—'],
        ['deployed bytes per further spec', kB(perSpec) + ' kB', '—'],
      ],
    ),
  };
}

module.exports = { size };
