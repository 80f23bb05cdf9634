/**
 * Preloaded (`node --require`) into the real Auth0 Deploy CLI by the deploy tests.
 *
 * 1. Network guard: every outgoing socket and DNS lookup is checked, and anything that is not
 *    127.0.0.1 (or the name localhost) is refused before a packet leaves, so a test can never
 *    reach a real tenant whatever the config says. Each attempt is appended to the file named
 *    by MAPC_NET_GUARD_LOG (`allow host:port` / `refuse host:port`) so the test can assert it.
 * 2. With MAPC_DEPLOY_TRIM_SCHEMA=1, the CLI's whole-tenant JSON schema is cut down to the
 *    actions and triggers schemas (unchanged) before the CLI compiles it: the stock CLI spends
 *    ~20 s compiling schemas of resources the tests exclude with AUTH0_INCLUDED_ONLY anyway.
 */
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');
const path = require('node:path');

const LOG = process.env.MAPC_NET_GUARD_LOG;
const ALLOWED_HOSTS = new Set(['127.0.0.1', 'localhost']);

function record(line) {
  if (LOG) fs.appendFileSync(LOG, line + '\n');
}

/** The `{ host, port, path }` of any of net.Socket#connect's call shapes. */
function target(args) {
  let first = args[0];
  // net.connect/tls.connect pass an already-normalized [options, cb] array.
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === 'object') {
    // https.Agent passes `path: null` alongside host and port.
    return { host: first.host, port: first.port, path: typeof first.path === 'string' ? first.path : undefined };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof args[1] === 'string' ? args[1] : undefined, port: first };
  }
  return { path: first };
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const t = target(args);
  // Node's own default host is localhost.
  const host = t.path !== undefined ? `unix:${t.path}` : t.host === undefined || t.host === '' ? 'localhost' : String(t.host);
  const where = `${host}:${t.port ?? ''}`;
  if (t.path !== undefined || !ALLOWED_HOSTS.has(host)) {
    record(`refuse ${where}`);
    const err = new Error(`mapc deploy test guard: refused a connection to ${where} (only 127.0.0.1 is allowed)`);
    err.code = 'EMAPCGUARD';
    process.nextTick(() => this.destroy(err));
    return this;
  }
  record(`allow ${where}`);
  return originalConnect.apply(this, args);
};

function refusedLookup(name) {
  record(`refuse dns:${name}`);
  const err = new Error(`mapc deploy test guard: refused a DNS lookup of ${name}`);
  err.code = 'EMAPCGUARD';
  return err;
}

const originalLookup = dns.lookup;
dns.lookup = function guardedLookup(hostname, options, callback) {
  if (!ALLOWED_HOSTS.has(String(hostname))) {
    const cb = typeof options === 'function' ? options : callback;
    process.nextTick(() => cb(refusedLookup(hostname)));
    return {};
  }
  return originalLookup.call(this, hostname, options, callback);
};
const originalPromisesLookup = dns.promises.lookup;
dns.promises.lookup = async function guardedPromisesLookup(hostname, options) {
  if (!ALLOWED_HOSTS.has(String(hostname))) throw refusedLookup(hostname);
  return originalPromisesLookup.call(this, hostname, options);
};
// The resolver functions go to DNS servers directly: nothing in a test needs them.
for (const api of [dns, dns.promises]) {
  for (const name of Object.keys(api)) {
    if (/^resolve/.test(name) && typeof api[name] === 'function') {
      api[name] = function refusedResolve(hostname) {
        throw refusedLookup(hostname);
      };
    }
  }
}

if (process.env.MAPC_DEPLOY_TRIM_SCHEMA === '1') {
  const cliRoot = path.dirname(require.resolve('auth0-deploy-cli/package.json'));
  // The same module object the CLI will require: trimming it here trims the CLI's schema.
  const schema = require(path.join(cliRoot, 'lib', 'tools', 'auth0', 'schema.js')).default;
  const keep = new Set(['actions', 'triggers', 'exclude', 'include']);
  for (const key of Object.keys(schema.properties)) {
    if (!keep.has(key)) delete schema.properties[key];
  }
  if (!schema.properties.actions || !schema.properties.triggers) {
    throw new Error('mapc deploy test: the Deploy CLI schema has no actions/triggers schema any more');
  }
}
