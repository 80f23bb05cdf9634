/**
 * `mapc preview` as a process (issue #17 item 1) over 10,000 exported users, the CRM answered
 * from a `--systems` file of recorded responses (one per user, as a recording of the real
 * system would be). Expected counts come from the backfill fixture's own model of the users and
 * the CRM (tests/backfill/fixture.ts), not from mapc's code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { GATE, TIERS, expectedChange, makeProject, makeUsers, numberOf } from '../backfill/fixture';
import { spawnSync } from 'node:child_process';
import { REPO } from '../helpers/compiled';

function mapc(cwd: string, args: readonly string[]) {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin', 'mapc.js'), 'preview', ...args], { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let project: string;
let users: Map<string, Record<string, any>>;

beforeAll(() => {
  project = makeProject();
  fs.rmSync(path.join(project, 'mappings', 'geo.yaml'));
  fs.writeFileSync(path.join(project, 'mappings', 'gate.yaml'), GATE);
  users = makeUsers(10_000);
  for (const u of users.values()) if (numberOf(u['user_id']) % 50 === 0) u['app_metadata'].blocked = true;
  fs.writeFileSync(path.join(project, 'users.ndjson.gz'), gzipSync([...users.values()].map((u) => JSON.stringify(u)).join('\n') + '\n'));
  // The CRM as recorded: one answer per user (500 for the failing ones, platinum for some).
  const crm = [...users.keys()].map((id) => {
    const n = numberOf(id);
    const p = `/contacts/${encodeURIComponent(id)}`;
    if (n % 101 === 0) return { method: 'GET', path: p, status: 500 };
    return { method: 'GET', path: p, status: 200, body: { tier: n % 103 === 0 ? 'platinum' : TIERS[n % 3], segment: n % 2 ? 'B2B' : 'RETAIL' } };
  });
  fs.writeFileSync(path.join(project, 'crm.json'), JSON.stringify({ crm }));
});

describe('mapc preview over 10,000 exported users', () => {
  it('counts the writes per target (values, registry rejections), the access outcomes per rule and the calls per system exactly', () => {
    const r = mapc(project, ['--users', 'users.ndjson.gz', '--systems', 'crm.json', '-f', 'json']);
    expect(r.stderr).not.toContain('MAPC0900');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ users: 10_000, errors: 0, threw: 0, actions: ['mapc-post-login'] });

    const all = [...users.values()];
    const expected = all.map((u) => ({ u, c: expectedChange(u) }));
    const ok = expected.filter((x) => x.c !== 'skip');
    const tierWrites = ok.filter((x) => x.c && x.c !== 'skip' && x.c.app_metadata?.['tier'] !== undefined);
    const byTier = new Map<string, number>();
    for (const x of tierWrites) {
      const t = (x.c as { app_metadata: Record<string, string> }).app_metadata['tier']!;
      byTier.set(JSON.stringify(t), (byTier.get(JSON.stringify(t)) ?? 0) + 1);
    }
    const target = (name: string) => report.targets.find((t: { target: string }) => t.target === name);
    expect(target('app_metadata.tier')).toMatchObject({ spec: 'tier-sync', writes: tierWrites.length, nulls: 0, rejected: ok.filter((x) => numberOf(x.u['user_id']) % 103 === 0).length });
    expect(Object.fromEntries(target('app_metadata.tier').top.map((v: { value: string; users: number }) => [v.value, v.users]))).toEqual(Object.fromEntries(byTier));
    expect(target('app_metadata.crm.segment').writes).toBe(ok.filter((x) => x.c && x.c !== 'skip' && x.c.app_metadata?.['crm'] !== undefined).length);
    expect(target('user_metadata.greeting').writes).toBe(all.filter((u) => u['user_metadata'].greeting === undefined).length);
    // A claim is set on every run whose lookup answered (platinum too: no registry for claims).
    expect(target('id_token.https://acme.example/tier').writes).toBe(ok.length);

    const blocked = all.filter((u) => u['app_metadata'].blocked === true).length;
    const mfa = all.filter((u) => u['app_metadata'].blocked !== true && u['app_metadata'].tier === 'gold').length;
    expect(report.access).toEqual([
      { spec: 'gate', rule: 0, kind: 'deny', users: blocked },
      { spec: 'gate', rule: 1, kind: 'mfa', users: mfa },
    ]);
    expect(report.systems).toEqual([{ system: 'crm', calls: 10_000, failures: all.length - ok.length, unanswered: 0 }]);
    // The report carries no e-mail address (the profiles do).
    expect(r.stdout).not.toMatch(/@example\.com/);
  }, 120_000);

  it('writes a markdown report for a pull request, for one spec', () => {
    const r = mapc(project, ['--users', 'users.ndjson.gz', '--systems', 'crm.json', '-f', 'markdown', '--spec', 'gate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('### mapc preview: 10000 users');
    expect(r.stdout).toMatch(/\| gate \| 1 \| denies \| 200 \(2\.0%\) \|/);
    expect(r.stdout).not.toContain('app_metadata.tier');
  }, 120_000);

  it('answers the systems from the *.test.yaml stubs without --systems', () => {
    fs.writeFileSync(
      path.join(project, 'mappings', 'tier-sync.test.yaml'),
      `spec: tier-sync\ncases:\n  - name: gold\n    event: { user: { user_id: "auth0|1", given_name: U1 } }\n    systems:\n      crm:\n        - { method: GET, path: /contacts/auth0%7C1, status: 200, body: { tier: silver, segment: RETAIL } }\n    expect:\n      app_metadata: { tier: silver, crm: { segment: retail } }\n`,
    );
    try {
      const small = path.join(project, 'few.ndjson');
      fs.writeFileSync(small, [...users.values()].slice(0, 30).map((u) => JSON.stringify(u)).join('\n') + '\n');
      const r = mapc(project, ['--users', 'few.ndjson', '-f', 'json', '--spec', 'tier-sync']);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      const tier = report.targets.find((t: { target: string }) => t.target === 'app_metadata.tier');
      // Every user gets the stub's answer: silver wherever the stored tier differs.
      expect(tier.top).toEqual([{ value: '"silver"', users: tier.writes }]);
      expect(tier.writes).toBe([...users.values()].slice(0, 30).filter((u) => u['app_metadata'].tier !== 'silver').length);
      expect(report.systems).toEqual([{ system: 'crm', calls: 30, failures: 0, unanswered: 0 }]);
    } finally {
      fs.rmSync(path.join(project, 'mappings', 'tier-sync.test.yaml'));
    }
  }, 120_000);

  it('refuses a --systems file that is not a map of responses (MAPC0826) and a bad users line (MAPC0822)', () => {
    fs.writeFileSync(path.join(project, 'bad.yaml'), 'crm:\n  status: 200\n');
    const r = mapc(project, ['--users', 'users.ndjson.gz', '--systems', 'bad.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("bad.yaml:1:1: error MAPC0826: the --systems file has 'crm', which is not a list of responses");
    fs.writeFileSync(path.join(project, 'bad.ndjson'), '{"user_id":"auth0|1"}\n[1]\n');
    const b = mapc(project, ['--users', 'bad.ndjson', '--systems', 'crm.json']);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain('bad.ndjson:2:1: error MAPC0822: line 2 of the users file is not a JSON object');
  }, 120_000);
});
