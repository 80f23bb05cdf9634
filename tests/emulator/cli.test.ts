/**
 * `mapc test` end to end (issue #4): the sample organisation passes, a wrong expectation fails
 * naming the case with expected and actual values, broken test files get located
 * diagnostics, a hanging system ends in the spec's error policy, and the filter selects.
 */
import * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT, REPO, copySample, lookupSpec, mapc, tempDir } from './helpers';

/** The number of cases in the sample's test files, and the spec names they test. */
function sampleCases(): { total: number; specs: string[]; perSpec: Record<string, number> } {
  const dir = path.join(REPO, 'mappings');
  const perSpec: Record<string, number> = {};
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.test.yaml'))) {
    const data = parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { spec: string; cases: unknown[] };
    perSpec[data.spec] = (perSpec[data.spec] ?? 0) + data.cases.length;
  }
  const total = Object.values(perSpec).reduce((a, b) => a + b, 0);
  return { total, specs: Object.keys(perSpec).sort(), perSpec };
}

const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');

/** `path:line:col` of the `- name: <name>` item of a sample test file, as the report shows it. */
function caseLocation(file: string, name: string): string {
  const text = fs.readFileSync(path.join(REPO, 'mappings', file), 'utf8').split('\n');
  const i = text.findIndex((l) => l.trimStart() === `- name: ${name}`);
  expect(i).toBeGreaterThanOrEqual(0);
  return `mappings/${file}:${i + 1}:${text[i]!.indexOf('-') + 3}`;
}
const PREMIUM = caseLocation('subscription-enrichment.test.yaml', 'premium user gets the tier claim');

describe('mapc test on the sample organisation', () => {
  it('has a test file for every spec of mappings/', () => {
    const specs = fs
      .readdirSync(path.join(REPO, 'mappings'))
      .filter((f) => f.endsWith('.yaml') && f !== 'mapc.yaml' && !f.endsWith('.test.yaml'))
      .map((f) => (parse(fs.readFileSync(path.join(REPO, 'mappings', f), 'utf8')) as { name: string }).name)
      .sort();
    expect(sampleCases().specs).toEqual(specs);
  });

  it('passes every case: one line per case, then the closing line, exit 0', async () => {
    const { total } = sampleCases();
    const r = await mapc(['test']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.exit).toBe(0);
    const out = lines(r.stdout);
    expect(out).toHaveLength(total + 1);
    expect(out.slice(0, -1).every((l) => /^✓ [a-z0-9-]+ › .+ \(\d+ ms\)$/.test(l))).toBe(true);
    expect(out.at(-1)).toBe(`${total} passed, 0 failed`);
  }, 60_000);

  it('runs only the cases the filter matches (spec name or case name)', async () => {
    const { perSpec } = sampleCases();
    const bySpec = await mapc(['test', 'token-claims']);
    expect(bySpec.exit).toBe(0);
    expect(lines(bySpec.stdout).at(-1)).toBe(`${perSpec['token-claims']} passed, 0 failed`);
    expect(lines(bySpec.stdout).slice(0, -1).every((l) => l.startsWith('✓ token-claims › '))).toBe(true);

    const byCase = await mapc(['test', 'EU user is counted']);
    expect(byCase.exit).toBe(0);
    expect(lines(byCase.stdout)).toEqual([
      expect.stringMatching(/^✓ order-summary › an eu user is counted by the eu order service \(\d+ ms\)$/),
      '1 passed, 0 failed',
    ]);
  }, 30_000);

  it('a filter that matches nothing is an error with a suggestion', async () => {
    const r = await mapc(['test', 'token-claim5']);
    expect(r.exit).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("mapc: no test case matches 'token-claim5' (did you mean 'token-claims'?)\n");
  }, 30_000);

  it('--format json reports every case with its outcome', async () => {
    const r = await mapc(['test', 'premium user gets the tier claim', '--format', 'json']);
    expect(r.exit).toBe(0);
    const out = JSON.parse(r.stdout) as { cases: Record<string, unknown>[]; passed: number; failed: number };
    expect(out.passed).toBe(1);
    expect(out.failed).toBe(0);
    expect(out.cases).toHaveLength(1);
    expect(out.cases[0]).toMatchObject({
      spec: 'subscription-enrichment',
      name: 'premium user gets the tier claim',
      location: PREMIUM,
      passed: true,
      mismatches: [],
    });
    expect((out.cases[0]!['requests'] as { url: string }[]).map((q) => q.url).sort()).toEqual([
      'https://billing.acme.example/v2/users/auth0%7C1/subscription',
      'https://risk.acme.example/score',
      'https://us.orders.acme.example/customers/auth0%7C1/orders/summary?since=2020-01-01',
    ]);
  }, 30_000);
});

describe('a wrong expectation', () => {
  let dir: string;
  beforeAll(() => {
    dir = copySample();
    const file = path.join(dir, 'mappings', 'subscription-enrichment.test.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const wrong = text.replace('      id_token: { subscription_tier: premium }\n      access: allow\n', '      id_token: { subscription_tier: standard }\n      access: allow\n');
    expect(wrong).not.toBe(text);
    fs.writeFileSync(file, wrong);
  });

  it('fails, naming the case and showing expected and actual values and the requests received', async () => {
    const r = await mapc(['test', 'premium user gets the tier claim'], dir);
    expect(r.exit).toBe(1);
    const out = lines(r.stdout);
    expect(out[0]).toMatch(/^✗ subscription-enrichment › premium user gets the tier claim \(\d+ ms\)$/);
    expect(out.slice(1, 5)).toEqual([
      `    at ${PREMIUM}`,
      '    id_token.subscription_tier',
      '      expected: "standard"',
      '      actual:   "premium"',
    ]);
    expect(out[5]).toBe('    requests received:');
    expect(out).toContain('      billing: GET https://billing.acme.example/v2/users/auth0%7C1/subscription');
    expect(out.at(-1)).toBe('0 passed, 1 failed');
  }, 30_000);

  it('does not affect the correct cases of the same file', async () => {
    const r = await mapc(['test', 'a sync older than 24 hours is refreshed'], dir);
    expect(r.exit).toBe(0);
    expect(lines(r.stdout).at(-1)).toBe('1 passed, 0 failed');
  }, 30_000);
});

describe('broken test files get located diagnostics', () => {
  const project = (test: string): string =>
    tempDir({ 'mappings/mapc.yaml': PROJECT, 'mappings/tier.yaml': lookupSpec('continue'), 'mappings/tier.test.yaml': test });

  it('a YAML syntax error', async () => {
    const dir = project('spec: tier\ncases:\n  - name: a\n    event: { user: { user_id: "x" }\n');
    const r = await mapc(['test'], dir);
    expect(r.exit).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^mappings\/tier\.test\.yaml:\d+:\d+: error MAPC0105: YAML syntax error/);
  });

  it('a key the schema does not know, with a did-you-mean hint', async () => {
    const dir = project('spec: tier\ncases:\n  - name: a\n    systems:\n      svc: [{ stauts: 500 }]\n');
    const r = await mapc(['test'], dir);
    expect(r.exit).toBe(1);
    expect(r.stderr).toBe(
      "mappings/tier.test.yaml:5:15: error MAPC0201: unknown key 'stauts' in 'systems.svc #1' of case 'a'\n" +
        "  hint: did you mean 'status'?\n" +
        '1 error\n',
    );
  });

  it('an unknown spec, with the nearest name', async () => {
    const dir = project('spec: tire\ncases:\n  - name: a\n');
    const r = await mapc(['test'], dir);
    expect(r.exit).toBe(1);
    expect(r.stderr).toBe(
      "mappings/tier.test.yaml:1:7: error MAPC1001: no spec named 'tire' in this project\n" +
        "  hint: did you mean 'tier'?\n" +
        '1 error\n',
    );
  });

  it('a scripted system and an expected request that the Action never calls', async () => {
    const dir = project(
      'spec: tier\ncases:\n  - name: a\n    systems:\n      svx: [{ status: 200 }]\n    expect:\n      requests: [{ system: crm }]\n',
    );
    const r = await mapc(['test'], dir);
    expect(r.exit).toBe(1);
    expect(r.stderr).toBe(
      "mappings/tier.test.yaml:5:7: error MAPC1002: system 'svx' is scripted, but the Action mapc-post-login never calls it\n" +
        "  hint: did you mean 'svc'?\n" +
        "mappings/tier.test.yaml:7:28: error MAPC1003: the Action mapc-post-login never calls system 'crm'\n" +
        '  hint: the Action mapc-post-login calls: svc\n' +
        '2 errors\n',
    );
  });

  it('duplicate case names point at the first one', async () => {
    const dir = project('spec: tier\ncases:\n  - name: a\n  - name: a\n');
    const r = await mapc(['test', '--format', 'json'], dir);
    expect(r.exit).toBe(1);
    const out = JSON.parse(r.stdout) as { diagnostics: unknown[]; cases: unknown[]; passed: number; failed: number };
    expect(out.cases).toEqual([]);
    expect([out.passed, out.failed]).toEqual([0, 0]);
    expect(out.diagnostics).toEqual([
      {
        file: 'mappings/tier.test.yaml',
        line: 4,
        column: 11,
        endLine: 4,
        endColumn: 12,
        severity: 'error',
        code: 'MAPC1004',
        message: "a case named 'a' already exists in this file",
        hint: 'give each case its own name: the report and the filter use it',
        related: [{ file: 'mappings/tier.test.yaml', line: 3, column: 11, endLine: 3, endColumn: 12, message: 'first named here' }],
      },
    ]);
  });

  it('an expectation the trigger can never produce, and a date that does not exist', async () => {
    const files = {
      'mappings/mapc.yaml': PROJECT,
      'mappings/notify.yaml':
        'version: 1\nname: notify\nowner: team-a\ntrigger: post-user-registration\nsends:\n  - { system: svc, method: POST, path: /users, body: { id: user.user_id } }\n',
      'mappings/notify.test.yaml': 'spec: notify\ncases:\n  - name: a\n    now: 2024-02-30T00:00:00Z\n    expect:\n      id_token: { x: 1 }\n',
    };
    const r = await mapc(['test'], tempDir(files));
    expect(r.exit).toBe(1);
    expect(r.stderr).toBe(
      "mappings/notify.test.yaml:4:10: error MAPC1006: '2024-02-30T00:00:00Z' is not a real date-time\n" +
        '  hint: write an ISO date-time such as 2024-06-01T12:00:00Z\n' +
        "mappings/notify.test.yaml:6:7: error MAPC1005: post-user-registration issues no ID token, so 'id_token' can never be met\n" +
        "  hint: remove 'expect.id_token'\n" +
        '2 errors\n',
    );
  });
});

describe('coming back to /continue', () => {
  it('is refused for a spec that never redirects (MAPC1007)', async () => {
    const files = {
      'mappings/mapc.yaml': 'version: 1\nclaims_namespace: https://acme.example/\n',
      'mappings/gate.yaml': "version: 1\nname: gate\nowner: team-a\ntrigger: post-login\naccess:\n  - when: \"true\"\n    deny: No.\n",
      'mappings/gate.test.yaml': 'spec: gate\ncases:\n  - name: a\n    continue: { token: { payload: { ok: true } } }\n',
    };
    const r = await mapc(['test'], tempDir(files));
    expect(r.exit).toBe(1);
    expect(r.stderr).toBe(
      "mappings/gate.test.yaml:4:5: error MAPC1007: spec 'gate' never redirects, so the user never comes back to /continue\n" +
        '  hint: remove continue: from this case, or test the spec that redirects\n' +
        '1 error\n',
    );
  });

  it('fails a case whose run does not redirect, and passes the round trip when it does', async () => {
    const files = {
      'mappings/mapc.yaml': 'version: 1\nclaims_namespace: https://acme.example/\n',
      'mappings/page.yaml':
        'version: 1\nname: page\nowner: team-a\ntrigger: post-login\naccess:\n  - when: user.app_metadata.done != true\n    redirect: { url: https://acme.example/page, token: { secret: PAGE } }\ncontinue:\n  fields:\n    - to: app_metadata.done\n      from: continue.done\n  access:\n    - when: continue.done != true\n      deny: Not done.\n',
      'mappings/page.test.yaml':
        'spec: page\ncases:\n  - name: done on the page\n    continue: { token: { payload: { done: true } } }\n    expect: { access: allow, app_metadata: { done: true } }\n  - name: already done\n    event: { user: { app_metadata: { done: true } } }\n    continue: { token: { payload: { done: true } } }\n',
    };
    const r = await mapc(['test'], tempDir(files));
    expect(r.exit).toBe(1);
    expect(r.stdout).toContain('✓ page › done on the page');
    expect(r.stdout).toContain('✗ page › already done');
    expect(r.stdout).toContain('the run redirects, so the user can come back');
    expect(r.stdout).toContain('1 passed, 1 failed');
  });
});

describe('a system that hangs', () => {
  const hangCase = (expectAccess: string, expectTier: string) => `spec: tier
cases:
  - name: hang
    event: { user: { user_id: u1 } }
    systems:
      svc: [{ method: GET, path: /users/u1, hang: true }]
    expect:
      access: ${expectAccess}
      id_token: { tier: ${expectTier} }
      requests: [{ system: svc, method: GET, path: /users/u1 }]
`;
  const project = (onError: 'continue' | 'deny', test: string): string =>
    tempDir({ 'mappings/mapc.yaml': PROJECT, 'mappings/tier.yaml': lookupSpec(onError), 'mappings/tier.test.yaml': test });

  it('ends in the spec policy: on_error deny denies with the deny message', async () => {
    const r = await mapc(['test'], project('deny', hangCase('{ deny: The tier service is down. }', 'unknown')));
    expect(r.stdout).toMatch(/^✓ tier › hang \(\d+ ms\)\n1 passed, 0 failed\n$/);
    expect(r.exit).toBe(0);
  }, 30_000);

  it('ends in the spec policy: on_error continue allows, the lookup is null', async () => {
    const r = await mapc(['test'], project('continue', hangCase('allow', 'unknown')));
    expect(r.stdout).toMatch(/^✓ tier › hang \(\d+ ms\)\n1 passed, 0 failed\n$/);
    expect(r.exit).toBe(0);
  }, 30_000);

  it('expecting the other outcome fails and shows the actual one', async () => {
    const r = await mapc(['test'], project('deny', hangCase('allow', 'unknown')));
    expect(r.exit).toBe(1);
    const out = lines(r.stdout);
    expect(out.slice(1, 5)).toEqual([
      '    at mappings/tier.test.yaml:3:5',
      '    access',
      '      expected: "allow"',
      '      actual:   {"deny":"The tier service is down."}',
    ]);
    expect(out).toContain('      svc: GET https://svc.example.com/api/users/u1');
    expect(out.at(-1)).toBe('0 passed, 1 failed');
  }, 30_000);
});

describe('the mapc process', () => {
  // The CLI runs from dist/: build it only when it is missing or older than the sources.
  beforeAll(() => {
    const newest = (dir: string): number => {
      let t = 0;
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) t = Math.max(t, newest(p));
        else if (e.name.endsWith('.ts')) t = Math.max(t, fs.statSync(p).mtimeMs);
      }
      return t;
    };
    const built = path.join(REPO, 'dist', 'compiler', 'cli', 'main.js');
    const sources = Math.max(newest(path.join(REPO, 'compiler')), newest(path.join(REPO, 'runtime')));
    if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < sources) {
      childProcess.execFileSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
        cwd: REPO,
        stdio: 'pipe',
      });
    }
  }, 120_000);

  it('exits 1 with the closing line when a case fails, 0 when all pass', () => {
    const dir = tempDir({
      'mappings/mapc.yaml': PROJECT,
      'mappings/tier.yaml': lookupSpec('continue'),
      'mappings/tier.test.yaml': `spec: tier
cases:
  - name: right
    event: { user: { user_id: u1 } }
    systems: { svc: [{ method: GET, path: /users/u1, body: { tier: gold } }] }
    expect: { id_token: { tier: gold } }
  - name: wrong
    event: { user: { user_id: u1 } }
    systems: { svc: [{ method: GET, path: /users/u1, body: { tier: gold } }] }
    expect: { id_token: { tier: silver } }
`,
    });
    const bin = path.join(REPO, 'bin', 'mapc.js');
    const failing = childProcess.spawnSync(process.execPath, [bin, 'test'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(failing.status).toBe(1);
    expect(failing.stdout).toMatch(/^✓ tier › right \(\d+ ms\)\n✗ tier › wrong \(\d+ ms\)\n/);
    expect(failing.stdout).toContain('    id_token.tier\n      expected: "silver"\n      actual:   "gold"\n');
    expect(failing.stdout.endsWith('\n1 passed, 1 failed\n')).toBe(true);

    const passing = childProcess.spawnSync(process.execPath, [bin, 'test', 'right'], { cwd: dir, encoding: 'utf8' });
    expect(passing.status).toBe(0);
    expect(passing.stdout).toMatch(/^✓ tier › right \(\d+ ms\)\n1 passed, 0 failed\n$/);
  }, 60_000);
});
