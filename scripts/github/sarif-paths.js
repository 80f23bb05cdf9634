#!/usr/bin/env node
'use strict';
/**
 * `node scripts/github/sarif-paths.js <log.sarif>`: makes the paths of a mapc SARIF log
 * relative to the repository root, in place (the GitHub Action's check step; docs/ci.md).
 *
 * mapc writes each location relative to the folder it ran in, under `%SRCROOT%`; code scanning
 * reads such paths from the root of the repository. When the action runs mapc in a
 * subfolder (its working-directory input), every `%SRCROOT%` location gets that folder in
 * front: `mappings/x.yaml` run in `identity/` becomes `identity/mappings/x.yaml`. The root is
 * GITHUB_WORKSPACE; nothing changes when mapc ran there (or outside it). No dependencies.
 * Exit 0, or 2 when the file is not a SARIF log.
 */
const fs = require('node:fs');
const path = require('node:path');

/** The folder of `cwd` below `root` as URI segments ('' when it is the root or outside it). */
function prefixOf(root, cwd) {
  const rel = path.relative(fs.realpathSync(root), fs.realpathSync(cwd));
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return '';
  return rel.split(path.sep).map(encodeURIComponent).join('/') + '/';
}

/** Prefixes every %SRCROOT%-relative artifactLocation under `node` (any depth); returns how many. */
function rebase(node, prefix) {
  if (Array.isArray(node)) return node.reduce((n, x) => n + rebase(x, prefix), 0);
  if (node === null || typeof node !== 'object') return 0;
  let n = 0;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'artifactLocation' && value && typeof value.uri === 'string' && value.uriBaseId === '%SRCROOT%') {
      value.uri = prefix + value.uri;
      n++;
    } else {
      n += rebase(value, prefix);
    }
  }
  return n;
}

function main(argv, env, cwd) {
  const file = argv[0];
  if (file === undefined) throw new Error('usage: node scripts/github/sarif-paths.js <log.sarif>');
  const log = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!log || log.version !== '2.1.0' || !Array.isArray(log.runs)) throw new Error(`${file} is not a SARIF 2.1.0 log`);
  const prefix = env.GITHUB_WORKSPACE ? prefixOf(env.GITHUB_WORKSPACE, cwd) : '';
  if (prefix === '') return 0;
  const n = rebase(log.runs, prefix);
  fs.writeFileSync(file, JSON.stringify(log, null, 2) + '\n');
  return n;
}

if (require.main === module) {
  try {
    const n = main(process.argv.slice(2), process.env, process.cwd());
    if (n > 0) process.stdout.write(`mapc: ${n} SARIF location(s) made relative to the repository root\n`);
  } catch (err) {
    process.stderr.write(`::error title=mapc SARIF::${String(err && err.message ? err.message : err).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`);
    process.exitCode = 2;
  }
}

module.exports = { main, prefixOf, rebase };
