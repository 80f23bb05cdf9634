/**
 * `mapc diff --users` as a process (issue #17 item 1): 10,000 exported users through the base
 * (a folder) and the head, the CRM answered from recorded responses. The head adds a deny and an
 * MFA rule and changes a transform; the expected impact comes from the fixture's model.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GATE, TIERS, expectedChange, makeProject, makeUsers, numberOf } from '../backfill/fixture';
import { REPO } from '../helpers/compiled';

let project: string;
let users: Map<string, Record<string, any>>;

beforeAll(() => {
  project = makeProject();
  fs.rmSync(path.join(project, 'mappings', 'geo.yaml'));
  fs.cpSync(path.join(project, 'mappings'), path.join(project, 'base'), { recursive: true });
  fs.writeFileSync(path.join(project, 'mappings', 'gate.yaml'), GATE);
  const spec = path.join(project, 'mappings', 'tier-sync.yaml');
  fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('from: lower(contact.segment)', 'from: upper(contact.segment)'));
  users = makeUsers(10_000);
  for (const u of users.values()) if (numberOf(u['user_id']) % 50 === 0) u['app_metadata'].blocked = true;
  fs.writeFileSync(path.join(project, 'users.ndjson'), [...users.values()].map((u) => JSON.stringify(u)).join('\n') + '\n');
  const crm = [...users.keys()].map((id) => {
    const n = numberOf(id);
    const p = `/contacts/${encodeURIComponent(id)}`;
    if (n % 101 === 0) return { method: 'GET', path: p, status: 500 };
    return { method: 'GET', path: p, body: { tier: n % 103 === 0 ? 'platinum' : TIERS[n % 3], segment: n % 2 ? 'B2B' : 'RETAIL' } };
  });
  fs.writeFileSync(path.join(project, 'crm.json'), JSON.stringify({ crm }));
});

function diff(args: readonly string[]) {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin', 'mapc.js'), 'diff', '--base-dir', 'base', '--users', 'users.ndjson', '--systems', 'crm.json', ...args], {
    cwd: project,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('mapc diff --users over 10,000 exported users', () => {
  it('adds the impact of the change to the review: users newly denied or sent to MFA, writes that change', () => {
    const all = [...users.values()];
    const blocked = all.filter((u) => u['app_metadata'].blocked === true).length;
    const mfa = all.filter((u) => u['app_metadata'].blocked !== true && u['app_metadata'].tier === 'gold').length;
    const ok = all.filter((u) => expectedChange(u) !== 'skip');
    const baseSegment = ok.filter((u) => {
      const c = expectedChange(u);
      return c !== null && c !== 'skip' && c.app_metadata?.['crm'] !== undefined;
    }).length;

    const json = diff(['-f', 'json']);
    expect(json.stderr).not.toContain('MAPC0900');
    expect(json.code).toBe(0);
    const impact = JSON.parse(json.stdout).users;
    expect(impact.users).toBe(10_000);
    expect(impact.access.deny).toEqual({ newly: blocked, no_longer: 0, newly_from_allow: blocked });
    expect(impact.access.mfa).toEqual({ newly: mfa, no_longer: 0, newly_from_allow: mfa });
    const seg = impact.targets.find((t: { target: string }) => t.target === 'app_metadata.crm.segment');
    // Upper case never equals the stored lower case: the head writes every user whose lookup answered.
    expect(seg).toEqual({ target: 'app_metadata.crm.segment', base_writes: baseSegment, head_writes: ok.length, changed_users: ok.length });
    const tier = impact.targets.find((t: { target: string }) => t.target === 'app_metadata.tier');
    expect(tier.changed_users).toBe(0);

    const text = diff([]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Impact on 10,000 users (users.ndjson):');
    expect(text.stdout).toContain(`denies ${blocked.toLocaleString('en-US')} of 10,000 users that it did not deny before (all of them allowed before)`);
    expect(text.stdout).toContain(`writes app_metadata.crm.segment for ${ok.length.toLocaleString('en-US')} users (${baseSegment.toLocaleString('en-US')} before); ${ok.length.toLocaleString('en-US')} get a different value`);
    const md = diff(['-f', 'markdown']);
    expect(md.stdout).toContain('#### Impact on 10,000 users (`users.ndjson`)');
    expect(md.stdout).toContain(`- sends to MFA ${mfa.toLocaleString('en-US')} of 10,000 users`);
    expect(md.stdout + text.stdout).not.toMatch(/@example\.com/);
  }, 180_000);

  it('refuses --users with -f html (a usage error, before any user is read) instead of dropping the impact', () => {
    const html = diff(['-f', 'html']);
    expect(html.code).toBe(2);
    expect(html.stdout).toBe('');
    expect(html.stderr).toContain('has no users section; use --users with -f text, markdown or json');
  });
});
