#!/usr/bin/env node
'use strict';
/**
 * Bundles the compiled CLI (dist/compiler/cli/main.js and everything it imports: the compiler,
 * yaml, ajv's runtime, handlebars, commander) into one file, dist/mapc.js, which bin/mapc.js
 * loads. Start-up is mostly module loading: one file instead of ~265 saves about 35 ms of every
 * command (docs/performance.md). esbuild stays external: it finds its native binary next to
 * its own package. Run by `npm run build:ts` (and `prepare`) after tsc.
 */
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
esbuild.buildSync({
  entryPoints: [path.join(root, 'dist', 'compiler', 'cli', 'main.js')],
  outfile: path.join(root, 'dist', 'mapc.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['esbuild'],
  // Not minified: an internal error's stack (MAPC_DEBUG) stays readable, and it loads as fast.
  minify: false,
  legalComments: 'none',
  logLevel: 'warning',
});
