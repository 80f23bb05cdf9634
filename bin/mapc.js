#!/usr/bin/env node
'use strict';
// Thin launcher: the compiled CLI lives in dist/, bundled into one file (built by `npm install`
// through the `prepare` script: tsc, then scripts/bundle-cli.js). Only this file touches `process`.
//
// Start-up: compiling the 1.8 MB bundle is a good part of a short command (`mapc validate`), so
// V8's code cache for it is kept in `<cwd>/node_modules/.cache/mapc/` (where the build cache
// lives; none without node_modules/, or with MAPC_NO_CACHE=1). The file name carries the Node
// version and a hash of the bundle (V8 itself checks little more than the source length, and npm
// gives every installed file the same mtime); V8 refuses a cache that does not fit, and the
// launcher then compiles as usual and writes a fresh one at exit. Any failure of the cache falls
// back to a plain `require`.
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'mapc.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('mapc: the compiler is not built yet; run `npm install` (or `npm run build:ts`) in the mapc folder.\n');
  process.exit(3);
}

/** The code cache file for `source` and this Node, or null when there is no cache folder. */
function cacheFile(source) {
  if (process.env.MAPC_NO_CACHE === '1') return null;
  const modules = path.join(process.cwd(), 'node_modules');
  if (!fs.existsSync(modules)) return null;
  const hash = require('node:crypto').createHash('sha256').update(source).digest('hex').slice(0, 16);
  const tag = `${process.version}-${process.arch}-${hash}`.replace(/[^\w.-]/g, '_');
  return path.join(modules, '.cache', 'mapc', `cli-${tag}.v8cache`);
}

/** Loads the bundle (`source`) with V8's code cache in `file`; returns its exports. */
function loadCached(source, file) {
  const vm = require('node:vm');
  const Module = require('node:module');
  let cachedData;
  try {
    cachedData = fs.readFileSync(file);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: entry, cachedData });
  const mod = new Module(entry, module);
  mod.filename = entry;
  mod.paths = Module._nodeModulePaths(path.dirname(entry));
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(entry), mod, entry, path.dirname(entry));
  if (cachedData === undefined || script.cachedDataRejected) {
    // After the command ran, the cache also holds the functions it compiled lazily.
    process.once('exit', () => {
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, file);
        // Caches of earlier bundles (or other Node versions) are dropped: one is kept.
        for (const f of fs.readdirSync(path.dirname(file))) {
          if (f.startsWith('cli-') && f.endsWith('.v8cache') && f !== path.basename(file)) fs.rmSync(path.join(path.dirname(file), f), { force: true });
        }
      } catch {
        // A cache that cannot be written is only a slower next start.
      }
    });
  }
  return mod.exports;
}

let cli;
try {
  const source = process.env.MAPC_NO_CACHE === '1' ? null : fs.readFileSync(entry, 'utf8');
  const file = source === null ? null : cacheFile(source);
  cli = file ? loadCached(source, file) : require(entry);
} catch {
  cli = require(entry);
}
cli.main();
