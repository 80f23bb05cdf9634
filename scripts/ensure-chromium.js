#!/usr/bin/env node
'use strict';
/**
 * Makes sure a headless Chromium is on this machine for the browser tests (tests/catalog):
 * Debian's `chromium` package. Prints the binary's path on stdout and exits 0.
 *
 * - Found already (MAPC_CHROMIUM, else `chromium` or `chromium-browser` on PATH): nothing to do.
 * - Missing: `apt-get install -y chromium` (quietly, non-interactively; `apt-get update` first
 *   when the package lists do not know it), which needs root — CI's clean Debian machine is.
 * - Cannot install: one clear message on stderr naming what to do, exit 1.
 *
 * Idempotent: a second run finds the binary and installs nothing. Run by the catalog tests'
 * set-up and by .ci/run before `npm test`.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const NAMES = ['chromium', 'chromium-browser'];

function onPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir === '') continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return null;
}

function find() {
  const given = process.env.MAPC_CHROMIUM;
  if (given) return fs.existsSync(given) ? given : null;
  for (const n of NAMES) {
    const found = onPath(n);
    if (found) return found;
  }
  return null;
}

function fail(why) {
  process.stderr.write(
    `mapc tests: headless Chromium is needed for the catalog's browser tests and could not be installed: ${why}\n` +
      'Install the Debian package yourself (`sudo apt-get install -y chromium`), or set MAPC_CHROMIUM to a Chromium binary.\n',
  );
  process.exit(1);
}

function apt(args) {
  return spawnSync('apt-get', args, {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 15 * 60 * 1000,
  });
}

let found = find();
if (!found) {
  if (process.env.MAPC_CHROMIUM) fail(`MAPC_CHROMIUM=${process.env.MAPC_CHROMIUM} does not exist`);
  if (process.platform !== 'linux' || !onPath('apt-get')) fail('this machine has no apt-get (not Debian)');
  if (typeof process.getuid === 'function' && process.getuid() !== 0) fail('installing needs root (run the tests as root, as CI does, or install it once)');
  process.stderr.write('mapc tests: installing chromium (Debian package) for the browser tests...\n');
  let r = apt(['install', '-y', '-qq', '--no-install-recommends', 'chromium']);
  if (r.status !== 0) {
    // A clean machine has no package lists yet.
    const update = apt(['update', '-qq']);
    if (update.status !== 0) fail(`apt-get update failed: ${(update.stderr || update.error?.message || '').trim().split('\n').pop()}`);
    r = apt(['install', '-y', '-qq', '--no-install-recommends', 'chromium']);
  }
  if (r.status !== 0) fail(`apt-get install chromium failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
  found = find();
  if (!found) fail('apt-get installed chromium but no chromium binary is on PATH');
}
process.stdout.write(`${found}\n`);
