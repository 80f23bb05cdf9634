#!/usr/bin/env node
'use strict';
/**
 * Writes the Auth0 Deploy CLI config for one environment: the committed, non-secret base
 * config (domain, client id) plus the client secret and every Action secret mapc's output
 * needs, read from environment variables that the CI fills from its secret store.
 *
 *   node examples/deploy/make-config.js <base-config.json> <generated/mapc-manifest.json> <out.json>
 *
 * Fails (exit 1), writing nothing, when:
 * - a secret named in the manifest has no environment variable of the same name: the Deploy
 *   CLI would deploy the literal placeholder `##NAME##` as the secret's value;
 * - a value contains `"`, `\` or a line break: `##NAME##` is replaced inside a quoted YAML or
 *   JSON string, where `"` breaks the file and `\` starts an escape (`\t` would become a tab).
 * The output has mode 0600 and belongs in a temporary folder, never in the repository.
 */
const fs = require('node:fs');

function fail(message) {
  process.stderr.write(`make-config: ${message}\n`);
  process.exit(1);
}

const [basePath, manifestPath, outPath] = process.argv.slice(2);
if (!basePath || !manifestPath || !outPath) {
  fail('usage: make-config.js <base-config.json> <mapc-manifest.json> <out.json>');
}

const base = JSON.parse(fs.readFileSync(basePath, 'utf8'));
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));

// Every secret of every Action mapc made, sorted for a stable error message.
const names = [...new Set(Object.values(manifest.actions || {}).flatMap((a) => a.secrets || []))].sort();
const missing = names.filter((n) => process.env[n] === undefined || process.env[n] === '');
if (missing.length > 0) {
  fail(`no value for secret(s) ${missing.join(', ')}: set each as an environment variable from the CI secret store`);
}
const unsafe = names.filter((n) => /["\\\r\n]/.test(process.env[n]));
if (unsafe.length > 0) {
  fail(`secret(s) ${unsafe.join(', ')} contain a double quote, backslash or line break, which the Deploy CLI's ##NAME## replacement would corrupt`);
}
if (!process.env.AUTH0_CLIENT_SECRET) fail('AUTH0_CLIENT_SECRET is not set');

const config = {
  ...base,
  AUTH0_CLIENT_SECRET: process.env.AUTH0_CLIENT_SECRET,
  // mapc manages Actions and their bindings, nothing else in the tenant.
  AUTH0_INCLUDED_ONLY: ['actions', 'triggers'],
  AUTH0_ALLOW_DELETE: base.AUTH0_ALLOW_DELETE === true,
  AUTH0_KEYWORD_REPLACE_MAPPINGS: {
    ...(base.AUTH0_KEYWORD_REPLACE_MAPPINGS || {}),
    ...Object.fromEntries(names.map((n) => [n, process.env[n]])),
  },
};
fs.writeFileSync(outPath, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
process.stderr.write(`make-config: wrote ${outPath} with ${names.length} secret(s)\n`);
