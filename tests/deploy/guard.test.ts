/**
 * The network guard preloaded into the Deploy CLI (preload.cjs) refuses every connection and
 * DNS lookup that is not to 127.0.0.1, through each path Node offers (net, tls/https, fetch,
 * dns), before anything leaves the machine; loopback still works.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runImport } from './a0deploy';
import { SAMPLE_TENANT } from './harness';
import { makeTestCert } from './tls';

const PRELOAD = path.join(__dirname, 'preload.cjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-guard-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Addresses from TEST-NET-3 (RFC 5737) and the reserved example.com: never a real service.
const SCRIPT = `
const net = require('node:net'), https = require('node:https'), dns = require('node:dns');
const outcome = (p) => p.then(() => 'connected', (e) => e.code || e.cause?.code || String(e));
const viaNet = () => new Promise((res, rej) => { const s = net.connect(443, '203.0.113.7'); s.on('connect', () => { s.destroy(); res(); }); s.on('error', rej); });
const viaHttps = () => new Promise((res, rej) => https.get('https://203.0.113.8/', res).on('error', rej));
const viaFetch = () => fetch('https://203.0.113.9/');
const viaDns = () => dns.promises.lookup('example.com');
const viaDnsCb = () => new Promise((res, rej) => dns.lookup('example.org', (e) => (e ? rej(e) : res())));
const loopback = () => new Promise((res, rej) => {
  const server = net.createServer((c) => c.end()).listen(0, '127.0.0.1', () => {
    const s = net.connect(server.address().port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); server.close(); res(); });
    s.on('error', rej);
  });
});
(async () => {
  const r = {};
  for (const [k, f] of Object.entries({ viaNet, viaHttps, viaFetch, viaDns, viaDnsCb, loopback })) r[k] = await outcome(f());
  process.stdout.write(JSON.stringify(r));
})();
`;

it('refuses everything but 127.0.0.1 and logs each attempt', () => {
  const log = path.join(dir, 'net.log');
  const r = spawnSync(process.execPath, ['--require', PRELOAD, '-e', SCRIPT], {
    env: { PATH: process.env['PATH'] ?? '', MAPC_NET_GUARD_LOG: log },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({
    viaNet: 'EMAPCGUARD',
    viaHttps: 'EMAPCGUARD',
    viaFetch: 'EMAPCGUARD',
    viaDns: 'EMAPCGUARD',
    viaDnsCb: 'EMAPCGUARD',
    loopback: 'connected',
  });
  const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
  expect(lines.filter((l) => l.startsWith('refuse'))).toEqual([
    'refuse 203.0.113.7:443',
    'refuse 203.0.113.8:443',
    'refuse 203.0.113.9:443',
    'refuse dns:example.com',
    'refuse dns:example.org',
  ]);
  expect(lines.filter((l) => l.startsWith('allow'))).toEqual([expect.stringMatching(/^allow 127\.0\.0\.1:\d+$/)]);
});

it('stops the real Deploy CLI when its config names a real tenant', async () => {
  const cert = makeTestCert(dir);
  const r = await runImport({
    input: SAMPLE_TENANT,
    domain: 'acme.eu.auth0.com',
    caFile: cert.certFile,
    mappings: {},
    workDir: dir,
  });
  expect(r.code).not.toBe(0);
  expect(r.net.length).toBeGreaterThan(0);
  expect(r.net.every((l) => l.startsWith('refuse '))).toBe(true);
  expect(r.net).toContain('refuse acme.eu.auth0.com:443');
}, 120_000);
