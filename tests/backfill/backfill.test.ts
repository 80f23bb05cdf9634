/**
 * `mapc backfill` as a process (issue #17 item 2) against a fake Auth0 Management API over https
 * on 127.0.0.1 (a test CA through NODE_EXTRA_CA_CERTS, as the deploy tests do) and a stub CRM on
 * 127.0.0.1. What is asserted is what the servers observed: PATCHes that arrived, their bodies and
 * arrival times, the tenant's users afterwards. Expected changes come from the fixture's own
 * oracle (fixture.ts `expectedChange`), not from mapc's code.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCert, type TestCert } from '../deploy/tls';
import { startFakeAuth0, type FakeAuth0, type Fault } from './fake-auth0';
import { backfill, CLIENT_ID, CLIENT_SECRET, CRM_KEY, expectedChange, leaks, makeProject, makeUsers, maxInWindow, startCrm } from './fixture';

let cert: TestCert;
let crm: Awaited<ReturnType<typeof startCrm>>;
let project: string;
const outputs: string[] = [];

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-backfill-ca-'));
  cert = makeTestCert(dir);
  crm = await startCrm();
  project = makeProject();
});
afterAll(async () => {
  await crm.close();
});

async function tenant(count: number, fault?: (n: number, id: string) => Fault | undefined, hold?: (n: number) => number) {
  const users = makeUsers(count);
  const before = new Map([...users].map(([id, u]) => [id, structuredClone(u)]));
  const fake = await startFakeAuth0({ cert: cert.cert, key: cert.key, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, users, ...(fault ? { fault } : {}), ...(hold ? { hold } : {}) });
  const expected = new Map<string, ReturnType<typeof expectedChange>>();
  for (const [id, u] of before) expected.set(id, expectedChange(u));
  const changed = [...expected].filter(([, c]) => c !== null && c !== 'skip').map(([id]) => id);
  const skipped = [...expected].filter(([, c]) => c === 'skip').map(([id]) => id);
  return { users, before, fake, expected, changed, skipped };
}

function env(fake: FakeAuth0): Record<string, string> {
  return {
    NODE_EXTRA_CA_CERTS: cert.certFile,
    AUTH0_DOMAIN: fake.domain,
    AUTH0_CLIENT_ID: CLIENT_ID,
    AUTH0_CLIENT_SECRET: CLIENT_SECRET,
    CRM_BASE_URL: crm.url,
    CRM_API_KEY: CRM_KEY,
  };
}

async function run(args: readonly string[], e: Record<string, string>) {
  const r = await backfill(project, args, e).done;
  outputs.push(r.stdout, r.stderr);
  return r;
}

/** The tenant's user after the run equals the user before with the expected change merged at the top level. */
function expectMerged(t: Awaited<ReturnType<typeof tenant>>, ids: readonly string[]): void {
  for (const id of ids) {
    const before = t.before.get(id)!;
    const c = t.expected.get(id);
    const want = structuredClone(before);
    if (c && c !== 'skip') {
      for (const kind of ['app_metadata', 'user_metadata'] as const) Object.assign(want[kind] as object, c[kind] ?? {});
    }
    expect(t.users.get(id), id).toEqual(want);
  }
}

/** Per user, how many PATCHes the server applied (2xx). */
function appliedCounts(fake: FakeAuth0): Map<string, number> {
  const m = new Map<string, number>();
  for (const p of fake.patches) if (p.status === 200) m.set(p.id, (m.get(p.id) ?? 0) + 1);
  return m;
}

describe('mapc backfill over an export job of 10,000 users', () => {
  it('dry run: counts exactly, writes the changeset, makes no write; --apply patches exactly the changed users once', async () => {
    const t = await tenant(10_000);
    try {
      expect(t.changed.length).toBeGreaterThan(5000);
      expect(t.skipped.length).toBe(99);
      const out = path.join(project, 'changes.ndjson');
      const dry = await run(['--spec', 'tier-sync', '--out', out, '-f', 'json', '--concurrency', '16'], env(t.fake));
      expect(dry.stderr).not.toContain('MAPC0900');
      const summary = JSON.parse(dry.stdout);
      expect(summary).toMatchObject({
        spec: 'tier-sync',
        dry_run: true,
        read: 10_000,
        would_change: t.changed.length,
        unchanged: 10_000 - t.changed.length - t.skipped.length,
        skipped: t.skipped.length,
        errors: 0,
      });
      // Skipped users (their lookup failed) make the run incomplete.
      expect(dry.code).toBe(1);
      expect(t.fake.requests.filter((r) => r.startsWith('PATCH'))).toEqual([]);
      expect(t.fake.exportFields).toEqual([[{ name: 'app_metadata' }, { name: 'given_name' }, { name: 'user_id' }, { name: 'user_metadata' }]]);
      const lines = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.length).toBe(t.changed.length);
      const byId = new Map(lines.map((l) => [l.user_id, l]));
      for (const id of t.changed) expect(byId.get(id), id).toEqual({ user_id: id, ...(t.expected.get(id) as object) });
      for (const id of t.skipped) expect(byId.has(id)).toBe(false);
      // Untouched tenant.
      for (const [id, u] of t.users) expect(u).toEqual(t.before.get(id));

      const journal = path.join(project, 'big.journal');
      const applied = await run(['--spec', 'tier-sync', '--apply', '--rate', '2000', '--journal', journal, '-f', 'json', '--concurrency', '16'], env(t.fake));
      expect(JSON.parse(applied.stdout)).toMatchObject({ dry_run: false, read: 10_000, would_change: t.changed.length, applied: t.changed.length, failed: 0, skipped: t.skipped.length });
      const counts = appliedCounts(t.fake);
      expect([...counts.keys()].sort()).toEqual([...t.changed].sort());
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      for (const p of t.fake.patches) expect(p.body, p.id).toEqual(t.expected.get(p.id));
      expectMerged(t, [...t.users.keys()]);
      expect(maxInWindow(t.fake.patches.map((p) => p.at), 1000)).toBeLessThanOrEqual(2000);
    } finally {
      await t.fake.close();
    }
  }, 240_000);
});

describe('mapc backfill --apply within the rate, through 429s, 5xx and a kill', () => {
  it('never sends more than --rate writes in any 1 s window, as the server saw them arrive', async () => {
    const t = await tenant(300);
    try {
      const r = await run(['--spec', 'tier-sync', '--apply', '--rate', '25', '--journal', path.join(project, 'rate.journal')], env(t.fake));
      expect(r.stdout).toContain(`applied ${t.changed.length}, failed 0`);
      expect(t.fake.patches.length).toBe(t.changed.length);
      expect(t.changed.length).toBeGreaterThan(100);
      // The budget is used (bursts up to the rate), and never exceeded.
      expect(maxInWindow(t.fake.patches.map((p) => p.at), 1000)).toBe(25);
    } finally {
      await t.fake.close();
    }
  }, 120_000);

  it('loses nothing to a 429 storm (X-RateLimit-Reset, Retry-After) and 5xx bursts', async () => {
    const storm = (n: number): Fault | undefined => {
      if (n >= 40 && n < 90) return { status: 429, headers: n % 2 === 0 ? { 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) } : { 'retry-after': '1' } };
      if (n % 9 === 0 || (n >= 150 && n < 170)) return { status: n % 2 ? 503 : 500 };
      return undefined;
    };
    const t = await tenant(400, storm);
    try {
      const r = await run(['--spec', 'tier-sync', '--apply', '--rate', '2000', '--journal', path.join(project, 'storm.journal'), '-f', 'json'], env(t.fake));
      const s = JSON.parse(r.stdout);
      expect(s).toMatchObject({ applied: t.changed.length, failed: 0 });
      expect(t.fake.patches.filter((p) => p.status === 429).length).toBe(50);
      expect(t.fake.patches.filter((p) => p.status >= 500).length).toBeGreaterThan(30);
      const counts = appliedCounts(t.fake);
      expect([...counts.keys()].sort()).toEqual([...t.changed].sort());
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expectMerged(t, [...t.users.keys()]);
    } finally {
      await t.fake.close();
    }
  }, 120_000);

  it('killed (SIGKILL) mid-run and run again with the same journal: every changed user is patched exactly once overall', async () => {
    // PATCHes 200-219 are applied but their answers held back: the kill lands while they are in flight.
    let holding = true;
    const t = await tenant(1500, undefined, (n) => (holding && n >= 200 && n < 220 ? 60_000 : 0));
    const journal = path.join(project, 'kill.journal');
    try {
      // A snapshot of the users (as a saved export): on the rerun it still shows the users written
      // before the kill as needing the change, so only the journal keeps them from a second write.
      const snapshot = path.join(project, 'kill-users.ndjson');
      fs.writeFileSync(snapshot, [...t.before.values()].map((u) => JSON.stringify(u)).join('\n') + '\n');
      const args = ['--spec', 'tier-sync', '--users', snapshot, '--apply', '--rate', '150', '--journal', journal, '-f', 'json'];
      const first = backfill(project, args, env(t.fake));
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (t.fake.patches.length >= 220) {
            clearInterval(poll);
            first.child.kill('SIGKILL');
            resolve();
          }
        }, 5);
      });
      const killed = await first.done;
      outputs.push(killed.stdout, killed.stderr);
      expect(killed.signal).toBe('SIGKILL');
      holding = false;
      expect(t.fake.patches.length).toBeLessThan(t.changed.length);
      // The journal has users sent whose answer never came (written by the server all the same).
      const records = fs.readFileSync(journal, 'utf8').split('\n').filter((l) => l.trim() !== '').flatMap((l) => {
        try {
          return [JSON.parse(l)];
        } catch {
          return [];
        }
      });
      const done = new Set(records.map((r) => r.done).filter(Boolean));
      const lost = records.map((r) => r.sent).filter((id) => id && !done.has(id));
      expect(lost.length).toBeGreaterThanOrEqual(20);
      const again = await run(args, env(t.fake));
      const s = JSON.parse(again.stdout);
      expect(s.failed).toBe(0);
      expect(s.journaled).toBeGreaterThan(0);
      const counts = appliedCounts(t.fake);
      expect([...counts.keys()].sort()).toEqual([...t.changed].sort());
      expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      expectMerged(t, [...t.users.keys()]);
    } finally {
      await t.fake.close();
    }
  }, 120_000);
});

describe('mapc backfill stopped with Ctrl-C', () => {
  it('finishes and journals the writes in flight, says it was interrupted, and the rerun completes the rest, each user once', async () => {
    const t = await tenant(800);
    const journal = path.join(project, 'int.journal');
    try {
      const snapshot = path.join(project, 'int-users.ndjson');
      fs.writeFileSync(snapshot, [...t.before.values()].map((u) => JSON.stringify(u)).join('\n') + '\n');
      const args = ['--spec', 'tier-sync', '--users', snapshot, '--apply', '--rate', '100', '--journal', journal, '-f', 'json'];
      const first = backfill(project, args, env(t.fake));
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (t.fake.patches.length >= 120) {
            clearInterval(poll);
            first.child.kill('SIGINT');
            resolve();
          }
        }, 5);
      });
      const stopped = await first.done;
      outputs.push(stopped.stdout, stopped.stderr);
      expect(stopped.code).toBe(1);
      const s1 = JSON.parse(stopped.stdout);
      expect(s1.interrupted).toBe(true);
      expect(s1.applied).toBe(t.fake.patches.length);
      expect(s1.applied).toBeLessThan(t.changed.length);
      // Nothing left in flight: every user sent is done.
      const lines = fs.readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.filter((l) => l.sent).length).toBe(lines.filter((l) => l.done).length);
      const again = await run(args, env(t.fake));
      const s2 = JSON.parse(again.stdout);
      expect(s2.journaled).toBe(s1.applied);
      expect(s1.applied + s2.applied).toBe(t.changed.length);
      const counts = appliedCounts(t.fake);
      expect([...counts.keys()].sort()).toEqual([...t.changed].sort());
      expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    } finally {
      await t.fake.close();
    }
  }, 120_000);
});

describe('mapc backfill with --users', () => {
  it('reads a gzipped NDJSON file, skips exactly the users whose lookup fails, and needs no credentials for a dry run', async () => {
    const t = await tenant(600);
    try {
      const file = path.join(project, 'users.ndjson.gz');
      fs.writeFileSync(file, gzipSync([...t.before.values()].map((u) => JSON.stringify(u)).join('\n') + '\n'));
      const out = path.join(project, 'small.ndjson');
      const { AUTH0_DOMAIN: _d, AUTH0_CLIENT_ID: _i, AUTH0_CLIENT_SECRET: _s, ...noApi } = env(t.fake);
      const r = await run(['--spec', 'tier-sync', '--users', file, '--out', out, '-f', 'json'], noApi);
      expect(JSON.parse(r.stdout)).toMatchObject({ read: 600, would_change: t.changed.length, skipped: t.skipped.length, errors: 0 });
      expect(t.skipped.length).toBe(5);
      const ids = new Set(fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l).user_id));
      expect([...ids].sort()).toEqual([...t.changed].sort());
      // Each skipped user is named (by id) on stderr.
      for (const id of t.skipped) expect(r.stderr).toContain(`${id}: lookup contact: 500`);
      expect(t.fake.requests).toEqual([]);
    } finally {
      await t.fake.close();
    }
  }, 60_000);

  it('reports a line that is not a user at file:line:col (MAPC0822), without quoting it', async () => {
    const file = path.join(project, 'bad.ndjson');
    fs.writeFileSync(file, `{"user_id":"auth0|4","given_name":"U4","app_metadata":{},"user_metadata":{}}\n{"email":"user9@example.com",\nnot json\n`);
    const r = await run(['--spec', 'tier-sync', '--users', file], { CRM_BASE_URL: crm.url, CRM_API_KEY: CRM_KEY });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.ndjson:2:1: error MAPC0822: line 2 of the users file is not valid JSON');
    expect(r.stderr).toContain('bad.ndjson:3:1: error MAPC0822: line 3 of the users file is not valid JSON');
    expect(r.stdout).toContain('read 3, would change 1, unchanged 0, skipped 0, errors 2');
  }, 60_000);

  it('refuses a spec whose field reads request.* (MAPC0820, located) and a missing secret (MAPC0823)', async () => {
    const geo = await run(['--spec', 'geo', '--users', 'none.ndjson'], {});
    expect(geo.code).toBe(1);
    expect(geo.stderr).toContain("mappings/geo.yaml:7:11: error MAPC0820: field 'app_metadata.country' reads 'request.geoip.countryCode'");
    const noSecret = await run(['--spec', 'tier-sync', '--users', 'none.ndjson'], { CRM_BASE_URL: crm.url });
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toContain('error MAPC0823: the secret CRM_API_KEY is not set');
    const noCreds = await run(['--spec', 'tier-sync', '--apply'], { CRM_BASE_URL: crm.url, CRM_API_KEY: CRM_KEY });
    expect(noCreds.code).toBe(1);
    expect(noCreds.stderr).toContain('error MAPC0823: AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET are not set');
  }, 60_000);

  it('stops at a wrong client secret with MAPC0825, printing neither secret', async () => {
    const t = await tenant(10);
    try {
      const r = await run(['--spec', 'tier-sync'], { ...env(t.fake), AUTH0_CLIENT_SECRET: 'wrong-secret-zz91' });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('error MAPC0825: POST /oauth/token answered 401');
      expect(leaks(r.stdout + r.stderr, ['wrong-secret-zz91'])).toEqual([]);
    } finally {
      await t.fake.close();
    }
  }, 60_000);
});

describe('what mapc backfill prints', () => {
  it('never carried the client secret, the CRM key, the token or an e-mail address (every run above)', () => {
    expect(outputs.length).toBeGreaterThan(10);
    expect(leaks(outputs.join('\n'), ['fake-mgmt-token-7f3a9c'])).toEqual([]);
  });
});
