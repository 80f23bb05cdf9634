#!/usr/bin/env node
'use strict';
// Regenerates the generated blocks of docs/language.md and docs/cookbook.md from the
// compiler's registries and the cookbook files (tests/docs/docgen.ts), by running the docs
// tests with UPDATE_GOLDEN=1; review the diff before committing. A second run must be clean.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const repo = path.join(__dirname, '..');
const vitest = path.join(repo, 'node_modules', 'vitest', 'vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', 'tests/docs/language.test.ts', 'tests/docs/cookbook.test.ts'], {
  cwd: repo,
  stdio: 'inherit',
  env: { ...process.env, UPDATE_GOLDEN: '1' },
});
process.exitCode = r.status ?? 1;
