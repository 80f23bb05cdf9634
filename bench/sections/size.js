'use strict';
/**
 * Table 4: code size of each Action of the sample organisation (mappings/): the code.js mapc
 * writes, and the same bundle minified (esbuild, the options bundleAction uses plus
 * `minify`), split with esbuild's metafile into the plan (the specs) and the runtime/ modules.
 * Table 4b lists each runtime module's minified bytes in the largest Action.
 */
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');
const h = require('../lib/harness');
const { table, verdict } = require('../lib/stats');

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
  const largest = raw.reduce((a, b) => (b.runtime > a.runtime ? b : a));
  const mods = Object.entries(largest.modules).sort((a, b) => b[1] - a[1]);
  return {
    title: '4. Code size per Action of the sample organisation (kB = 1,024 bytes)',
    markdown:
      table(['Action', 'code.js as written', 'minified', 'minified: plan (specs)', 'minified: runtime', 'target runtime'], rows) +
      '\n\n' +
      table([`runtime module (minified, in ${largest.name})`, 'bytes'], [...mods.map(([m, b]) => [m, String(b)]), ['total', String(largest.runtime)]]),
    raw,
    largest,
  };
}

module.exports = { size };
