/**
 * The backfill tests' world: a project with one spec (`tier-sync`: a CRM lookup, two
 * app_metadata fields, one user_metadata field, a claim that backfill leaves alone), generated
 * users, a stub CRM on 127.0.0.1 and an independent oracle of what each user should get.
 *
 * User n (user_id `auth0|n`, some `google-oauth2|n`): the CRM answers tier
 * gold/silver/bronze by n % 3 and segment RETAIL/B2B by n % 2; it fails (500) for n % 101 == 0
 * (those users must be skipped), and answers the tier `platinum` (outside the registry's enum:
 * never written) for n % 103 == 0. Every fourth user is already up to date.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/compiled';

export const CLIENT_ID = 'backfill-test-client';
export const CLIENT_SECRET = 'client-secret-Qx81zLmP0';
export const CRM_KEY = 'crm-secret-key-55aa0c';

const MAPC_YAML = `version: 1
claims_namespace: https://acme.example/
systems:
  crm:
    base_url: { secret: CRM_BASE_URL }
    auth: { bearer: CRM_API_KEY }
    timeout: 2s
    retries: 1
    owner: team-crm
attributes:
  app_metadata.tier: { owner: team-crm, type: string, enum: [gold, silver, bronze] }
`;

const SPEC = `version: 1
name: tier-sync
owner: team-crm
trigger: post-login
lookups:
  contact:
    system: crm
    method: GET
    path: /contacts/{{user.user_id}}
fields:
  - to: app_metadata.tier
    from: contact.tier
  - to: app_metadata.crm.segment
    from: lower(contact.segment)
  - to: user_metadata.greeting
    from: { template: "Hi {{user.given_name}}" }
  - to: id_token.tier
    from: contact.tier
`;

const GEO_SPEC = `version: 1
name: geo
owner: team-crm
trigger: post-login
fields:
  - to: app_metadata.country
    from: request.geoip.countryCode
`;

/** A temp folder with mappings/ (both specs). */
export function makeProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-backfill-'));
  fs.mkdirSync(path.join(dir, 'mappings'));
  fs.writeFileSync(path.join(dir, 'mappings', 'mapc.yaml'), MAPC_YAML);
  fs.writeFileSync(path.join(dir, 'mappings', 'tier-sync.yaml'), SPEC);
  fs.writeFileSync(path.join(dir, 'mappings', 'geo.yaml'), GEO_SPEC);
  return dir;
}

export const TIERS = ['gold', 'silver', 'bronze'];
const SEGMENTS = ['RETAIL', 'B2B'];
const failing = (n: number): boolean => n % 101 === 0;
const platinum = (n: number): boolean => n % 103 === 0;

export const userId = (n: number): string => (n % 7 === 3 ? `google-oauth2|${n}` : `auth0|${n}`);
export const numberOf = (id: string): number => Number(id.slice(id.indexOf('|') + 1));

/** The generated users, by user_id (profiles as an export job holds them). */
export function makeUsers(count: number): Map<string, Record<string, unknown>> {
  const users = new Map<string, Record<string, unknown>>();
  for (let n = 1; n <= count; n++) {
    const upToDate = n % 4 === 0;
    const app: Record<string, unknown> = { keep: n, crm: { other: 'x' } };
    const usr: Record<string, unknown> = { keep: 'k' };
    if (upToDate || n % 5 === 0) app['tier'] = TIERS[n % 3];
    if (upToDate) (app['crm'] as Record<string, unknown>)['segment'] = SEGMENTS[n % 2]!.toLowerCase();
    if (upToDate || n % 2 === 0) usr['greeting'] = `Hi U${n}`;
    users.set(userId(n), {
      user_id: userId(n),
      email: `user${n}@example.com`,
      given_name: `U${n}`,
      created_at: '2024-01-01T00:00:00.000Z',
      app_metadata: app,
      user_metadata: usr,
    });
  }
  return users;
}

/** What the spec should write for user `id` (changed top-level keys, whole), `skip` when its lookup fails, null when unchanged. Written without mapc's code. */
export function expectedChange(user: Record<string, any>): { app_metadata?: Record<string, unknown>; user_metadata?: Record<string, unknown> } | 'skip' | null {
  const n = numberOf(user['user_id']);
  if (failing(n)) return 'skip';
  const out: { app_metadata?: Record<string, unknown>; user_metadata?: Record<string, unknown> } = {};
  const tier = platinum(n) ? 'platinum' : TIERS[n % 3];
  if (tier !== 'platinum' && user['app_metadata']?.tier !== tier) (out.app_metadata ??= {})['tier'] = tier;
  const segment = SEGMENTS[n % 2]!.toLowerCase();
  if (user['app_metadata']?.crm?.segment !== segment) (out.app_metadata ??= {})['crm'] = { ...(user['app_metadata']?.crm ?? {}), segment };
  const greeting = `Hi U${n}`;
  if (user['user_metadata']?.greeting !== greeting) (out.user_metadata ??= {})['greeting'] = greeting;
  return out.app_metadata || out.user_metadata ? out : null;
}

/** The stub CRM on http://127.0.0.1: `GET /contacts/{id}` with the bearer key. */
export async function startCrm(): Promise<{ url: string; calls: () => number; close: () => Promise<void> }> {
  let calls = 0;
  const server = http.createServer((req, res) => {
    calls++;
    const m = /^\/contacts\/([^/?]+)$/.exec(req.url ?? '');
    if (req.headers.authorization !== `Bearer ${CRM_KEY}` || !m) {
      res.writeHead(401).end();
      return;
    }
    const n = numberOf(decodeURIComponent(m[1]!));
    if (failing(n)) {
      res.writeHead(500).end('{}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ tier: platinum(n) ? 'platinum' : TIERS[n % 3], segment: SEGMENTS[n % 2] }));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    calls: () => calls,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface Proc {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** `mapc backfill <args>` as a process from `cwd`, with exactly this environment (plus PATH). */
export function backfill(cwd: string, args: readonly string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [path.join(REPO, 'bin', 'mapc.js'), 'backfill', ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Most PATCHes the server saw arrive within any window of `ms` (sorted arrival times). */
export function maxInWindow(times: readonly number[], ms: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while (t[hi]! - t[lo]! >= ms) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** Everything a run printed must be free of secrets, tokens and the users' e-mail addresses. */
export function leaks(text: string, extra: readonly string[] = []): string[] {
  const found: string[] = [];
  for (const s of [CLIENT_SECRET, CRM_KEY, ...extra]) if (text.includes(s)) found.push(s);
  if (/user\d+@example\.com/.test(text)) found.push('an e-mail address');
  return found;
}

/** An access spec for the preview tests: blocked users are denied, gold ones sent to MFA. */
export const GATE = `version: 1
name: gate
owner: team-crm
trigger: post-login
access:
  - when: user.app_metadata.blocked == true
    deny: Your account is blocked.
  - when: user.app_metadata.tier == 'gold'
    mfa: any
`;
