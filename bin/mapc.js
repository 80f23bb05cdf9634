#!/usr/bin/env node
'use strict';
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` through the
// `prepare` script). Only this file touches `process`.
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'compiler', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('mapc: the compiler is not built yet; run `npm install` (or `npm run build:ts`) in the mapc folder.\n');
  process.exit(3);
}
require(entry).main();
