/**
 * `mapc diff` behaviour: json (exact risks, summary, changes, sizes), the rename case,
 * `--base-dir`, `--fail-on` exit codes, broken base and head, usage errors, a project that
 * does not exist at the base, markdown escaping, determinism, and the real launcher.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileOrThrow, REPO } from '../helpers/compiled';
import { commit, edit, mapc, repoWithBase, write } from './helpers';
import { applyEveryChange } from './scenario';

interface JsonReport {
  version: number;
  base: { label: string; builds: boolean; errors: string[]; specs: number };
  head: { label: string; builds: boolean; specs: number };
  summary: Record<string, { added: number; removed: number; changed: number }>;
  risks: { kind: string; spec?: string; message: string; why: string }[];
  owners: { owner: string; reasons: string[] }[];
  changes: { kind: string; key: string; spec?: string; trigger?: string; status: string; props: { name: string; before?: unknown; after?: unknown }[]; before?: Record<string, unknown>; after?: Record<string, unknown> }[];
  actions: { name: string; trigger: string; before?: number; after?: number; delta: number }[];
}

async function json(dir: string, ...args: string[]): Promise<JsonReport> {
  const r = await mapc(dir, 'diff', '--format', 'json', ...args);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as JsonReport;
}

async function codeSizes(dir: string): Promise<Record<string, number>> {
  const compiled = await compileOrThrow('mappings', dir);
  return Object.fromEntries([...compiled.code].map(([name, code]) => [name, Buffer.byteLength(code)]));
}

describe('a redirect rule whose otherwise changes', () => {
  it('is a risky change of its own (redirect-otherwise), with why', async () => {
    const dir = repoWithBase();
    edit(dir, 'mappings/subscription-enrichment.yaml', "      query: { plan: \"'premium'\" }", "      query: { plan: \"'premium'\" }\n      otherwise: continue");
    const report = await json(dir);
    expect(report.risks.map((r) => [r.kind, r.message])).toEqual([
      [
        'redirect-otherwise',
        'redirect rule #2 in spec subscription-enrichment: otherwise deny: This sign-in needs a step in your browser. Please sign in again from the application. → continue',
      ],
    ]);
    expect(report.risks[0]!.why).toMatch(/continue lets those users through without the page/);
  });
});

describe('mapc diff --format json', () => {
  let dir: string;
  let report: JsonReport;
  beforeAll(async () => {
    dir = repoWithBase();
    applyEveryChange(dir);
    report = await json(dir);
  });

  it('lists every risk, most consequential first', () => {
    expect(report.risks.map((r) => [r.kind, r.spec ?? null, r.message])).toEqual([
      ['access-added', 'risk-check', "new deny rule #3 in spec risk-check when request.geoip.countryCode == 'XX'"],
      ['access-changed', 'risk-check', 'mfa rule #2 in spec risk-check changed: when'],
      ['access-changed', 'subscription-enrichment', 'redirect rule #2 in spec subscription-enrichment changed: redirect'],
      ['claim-added', 'social-profile', 'claim id_token.locale added in spec social-profile'],
      ['claim-changed', 'crm-profile-sync', 'claim id_token.crm_id in spec crm-profile-sync changed: from'],
      ['claim-removed', 'token-claims', 'claim access_token.roles removed in spec token-claims'],
      ['claim-renamed', 'token-claims', 'claim id_token.beta_tester renamed to id_token.beta in spec token-claims'],
      ['claims-namespace', null, 'claims namespace https://acme.example/ → https://id.acme.example/'],
      ['host-added', null, 'new external host fraud.partner.example (system fraud)'],
      ['secret-added', null, 'new secret BILLING_TOKEN (system billing)'],
      ['secret-added', null, 'new secret FRAUD_API_KEY (system fraud)'],
      ['policy-deny', 'subscription-enrichment', 'lookup subscription in spec subscription-enrichment: on_error continue → deny'],
      ['owner-moved', null, 'attribute app_metadata.order_count: owner team-commerce → team-analytics'],
      ['owner-moved', null, 'write to app_metadata.order_count moved from team-commerce to team-analytics'],
      ['timeout-raised', null, 'system billing: timeout 1000ms → 3000ms'],
      ['timeout-raised', 'risk-check', 'lookup risk in spec risk-check: timeout 800ms → 1200ms'],
      ['timeout-raised', 'subscription-enrichment', 'lookup subscription in spec subscription-enrichment: timeout 1000ms → 3000ms'],
      ['deadline-raised', null, 'project default: deadline 8000ms → 10000ms'],
      ['retries-raised', 'crm-profile-sync', 'send PUT crm /contacts/by-external-id/{{user.user_id}} in spec crm-profile-sync: retries 1 → 3'],
    ]);
    for (const r of report.risks) expect(r.why.length).toBeGreaterThan(20);
  });

  it('counts changes per kind; the moved crm-contact spec is not among them', () => {
    expect(report.summary).toEqual({
      specs: { added: 1, removed: 1, changed: 1 },
      fields: { added: 3, removed: 2, changed: 4 },
      lookups: { added: 1, removed: 0, changed: 3 },
      sends: { added: 0, removed: 1, changed: 1 },
      access: { added: 1, removed: 0, changed: 2 },
      systems: { added: 1, removed: 0, changed: 1 },
      attributes: { added: 1, removed: 0, changed: 1 },
      project: { added: 0, removed: 0, changed: 1 },
    });
    expect(report.changes.filter((c) => c.spec === 'crm-contact')).toEqual([]);
  });

  it('reports each property change with its before and after', () => {
    const find = (kind: string, key: string) => report.changes.find((c) => c.kind === kind && c.key === key)!;
    expect(find('field', 'app_metadata.subscription_tier').props).toEqual([{ name: 'transform', after: 'trim' }]);
    expect(find('field', 'app_metadata.last_subscription_sync').props).toEqual([
      { name: 'when', before: 'exists(subscription)', after: 'exists(subscription.tier)' },
    ]);
    expect(find('field', 'id_token.crm_id').props).toEqual([
      { name: 'from', before: 'coalesce(contact.id, user.app_metadata.crm_contact_id)', after: 'coalesce(user.app_metadata.crm_contact_id, contact.id)' },
    ]);
    expect(find('field', 'app_metadata.order_count').props).toEqual([{ name: 'owner', before: 'team-commerce', after: 'team-analytics' }]);
    expect(find('lookup', 'orders').props.map((p) => p.name)).toEqual(['path', 'owner']);
    expect(find('lookup', 'subscription').props).toEqual([
      { name: 'timeout', before: 1000, after: 3000 },
      { name: 'on_error', before: 'continue', after: 'deny' },
    ]);
    expect(find('system', 'billing').props).toEqual([
      { name: 'auth', before: '{ header: X-Api-Key, secret: BILLING_API_KEY }', after: '{ bearer: BILLING_TOKEN }' },
      { name: 'secrets', before: ['BILLING_API_KEY'], after: ['BILLING_TOKEN'] },
      { name: 'timeout', before: 1000, after: 3000 },
    ]);
    const send = find('send', 'PUT crm /contacts/by-external-id/{{user.user_id}}');
    expect(send.spec).toBe('crm-profile-sync');
    expect(send.trigger).toBe('post-login');
    expect(send.props.map((p) => p.name)).toEqual(['body', 'retries']);
    expect(find('spec', 'marketing-sync').status).toBe('removed');
    expect(find('lookup', 'fraud').after).toEqual({
      body: '{ user_id: user.user_id, ip: request.ip }',
      method: 'POST',
      on_error: 'continue',
      owner: 'team-security',
      path: '/v1/score',
      retries: 0,
      system: 'fraud',
      timeout: 2000,
    });
  });

  it('names the owners to review', () => {
    expect(report.owners).toEqual([
      { owner: 'team-analytics', reasons: ['attribute app_metadata.order_count', 'spec order-summary'] },
      {
        owner: 'team-billing',
        reasons: ['attribute app_metadata.last_subscription_sync', 'attribute app_metadata.subscription_tier', 'spec subscription-enrichment', 'system billing'],
      },
      { owner: 'team-commerce', reasons: ['attribute app_metadata.order_count', 'spec order-summary'] },
      { owner: 'team-crm', reasons: ['spec crm-profile-sync'] },
      { owner: 'team-identity', reasons: ['spec social-profile', 'spec token-claims'] },
      { owner: 'team-marketing', reasons: ['spec marketing-sync'] },
      { owner: 'team-security', reasons: ['attribute app_metadata.fraud_score', 'spec fraud-check', 'spec risk-check', 'system fraud'] },
    ]);
  });

  it('gives the exact size of every Action on both sides', async () => {
    const after = await codeSizes(dir);
    const before = await codeSizes(repoWithBase());
    expect(report.actions).toEqual(
      ['mapc-post-login', 'mapc-pre-user-registration', 'mapc-post-user-registration'].map((name) => ({
        name,
        trigger: name.replace(/^mapc-/, ''),
        before: before[name],
        after: after[name],
        delta: after[name]! - before[name]!,
      })),
    );
  });

  it('is stable: same bytes on a second run, keys sorted', async () => {
    const a = await mapc(dir, 'diff', '--format', 'json');
    const b = await mapc(dir, 'diff', '--format', 'json');
    expect(a.stdout).toBe(b.stdout);
    expect(Object.keys(JSON.parse(a.stdout))).toEqual(['actions', 'base', 'changes', 'head', 'owners', 'project', 'risks', 'summary', 'version']);
    expect(report.version).toBe(1);
    expect(report.base).toEqual({ builds: true, errors: [], label: 'HEAD', specs: 9 });
    expect(report.head).toEqual({ builds: true, errors: [], label: 'working tree', specs: 9 });
  });
});

describe('mapc diff: the rename case, bases and exit codes', () => {
  it('a renamed spec file shows no change at all', async () => {
    const dir = repoWithBase();
    fs.renameSync(path.join(dir, 'mappings', 'risk-check.yaml'), path.join(dir, 'mappings', 'security-risk.yaml'));
    const r = await json(dir);
    expect(r.changes).toEqual([]);
    expect(r.risks).toEqual([]);
    expect(r.owners).toEqual([]);
    const text = await mapc(dir, 'diff');
    expect(text.stdout.split('\n').slice(0, 2)).toEqual(['mapc diff: HEAD → working tree (mappings/)', 'no semantic changes']);
  });

  it('compares committed refs too (base-ref argument)', async () => {
    const dir = repoWithBase();
    edit(dir, 'mappings/order-summary.yaml', 'transform: [to_int]', 'transform: [to_int]\n    default: 0');
    commit(dir, 'default order count');
    const r = await json(dir, 'HEAD~1');
    expect(r.base.label).toBe('HEAD~1');
    expect(r.changes.map((c) => [c.kind, c.key, c.status, c.props])).toEqual([
      ['field', 'app_metadata.order_count', 'changed', [{ name: 'default', after: '0' }]],
    ]);
    expect((await json(dir)).changes).toEqual([]);
  });

  it('--base-dir compares two folders without git', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-diff-dirs-'));
    fs.cpSync(path.join(__dirname, 'fixture'), path.join(dir, 'old'), { recursive: true });
    fs.cpSync(path.join(__dirname, 'fixture'), path.join(dir, 'mappings'), { recursive: true });
    edit(dir, 'mappings/mapc.yaml', 'base_url: https://risk.acme.example', 'base_url: https://risk2.acme.example');
    const r = await json(dir, '--base-dir', 'old');
    expect(r.base.label).toBe('old');
    expect(r.risks.map((k) => [k.kind, k.message])).toEqual([['host-added', 'new external host risk2.acme.example (system risk)']]);
    expect(r.changes.map((c) => [c.kind, c.key, c.props.map((p) => p.name)])).toEqual([['system', 'risk', ['base_url', 'hosts']]]);
  });

  it('--fail-on risky|any sets the exit code', async () => {
    const dir = repoWithBase();
    expect((await mapc(dir, 'diff', '--fail-on', 'any')).code).toBe(0);
    expect((await mapc(dir, 'diff', '--fail-on', 'risky')).code).toBe(0);
    edit(dir, 'mappings/social-profile.yaml', 'description: Map attributes', 'description: Copy attributes');
    expect((await mapc(dir, 'diff')).code).toBe(0);
    expect((await mapc(dir, 'diff', '--fail-on', 'risky')).code).toBe(0);
    expect((await mapc(dir, 'diff', '--fail-on', 'any')).code).toBe(1);
    edit(dir, 'mappings/risk-check.yaml', 'risk.score >= 0.9', 'risk.score >= 0.8');
    expect((await mapc(dir, 'diff', '--fail-on', 'risky')).code).toBe(1);
    expect((await mapc(dir, 'diff', '--fail-on', 'bogus')).code).toBe(2);
  });

  it('a policy switched to deny at the spec and project level is risky', async () => {
    const dir = repoWithBase();
    edit(dir, 'mappings/order-summary.yaml', 'trigger: post-login\n', 'trigger: post-login\non_error: deny\n');
    const r = await json(dir);
    expect(r.risks.map((k) => [k.kind, k.message])).toEqual([
      ['policy-deny', 'spec order-summary: on_error continue → deny'],
      ['policy-deny', 'lookup orders in spec order-summary: on_error continue → deny'],
    ]);
  });

  it('a base that does not build: reported with its errors, exit 0, and --fail-on any trips', async () => {
    const dir = repoWithBase();
    edit(dir, 'mappings/mapc.yaml', 'deadline: 8s', 'deadline: soon');
    commit(dir, 'broken');
    edit(dir, 'mappings/mapc.yaml', 'deadline: soon', 'deadline: 8s');
    const r = await json(dir);
    expect(r.base.builds).toBe(false);
    expect(r.base.errors).toHaveLength(1);
    expect(r.base.errors[0]).toMatch(/^mappings\/mapc\.yaml:\d+:\d+: error MAPC\d{4}: /);
    expect(r.changes).toEqual([]);
    expect(r.actions.every((a) => a.before === undefined && typeof a.after === 'number')).toBe(true);
    const text = await mapc(dir, 'diff');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('base HEAD does not build: 1 error(s); nothing compared');
    expect((await mapc(dir, 'diff', '--fail-on', 'risky')).code).toBe(0);
    expect((await mapc(dir, 'diff', '--fail-on', 'any')).code).toBe(1);
  });

  it('a working tree that does not build: its diagnostics and exit 1', async () => {
    const dir = repoWithBase();
    edit(dir, 'mappings/token-claims.yaml', 'from: user.app_metadata.roles', 'from: usr.app_metadata.roles');
    const r = await mapc(dir, 'diff');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('mappings/token-claims.yaml:9:11: error MAPC0301');
    expect(r.stderr).toContain('the specs in the working tree do not build');
  });

  it('usage problems exit 2 with one line', async () => {
    const dir = repoWithBase();
    const unknown = await mapc(dir, 'diff', 'no-such-branch');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("mapc: unknown git ref 'no-such-branch' (for a pull request, fetch the base first: git fetch origin main)\n");
    const both = await mapc(dir, 'diff', 'HEAD', '--base-dir', 'x');
    expect(both.code).toBe(2);
    const noGit = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-diff-nogit-'));
    fs.cpSync(path.join(__dirname, 'fixture'), path.join(noGit, 'mappings'), { recursive: true });
    const outside = await mapc(noGit, 'diff');
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('is not inside a git repository (use --base-dir <dir> to compare two folders)');
    const missing = await mapc(noGit, 'diff', '--base-dir', 'nope');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('mapc: base folder nope does not exist\n');
  });

  it('a project absent at the base: everything is added', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-diff-new-'));
    spawnSync('git', ['init', '-q'], { cwd: dir });
    write(dir, 'README.md', 'hello\n');
    commit(dir, 'init');
    fs.cpSync(path.join(__dirname, 'fixture'), path.join(dir, 'mappings'), { recursive: true });
    const r = await json(dir);
    expect(r.base).toEqual({ builds: true, errors: [], label: 'HEAD', specs: 0 });
    expect(r.changes.every((c) => c.status === 'added')).toBe(true);
    expect(r.summary['specs']).toEqual({ added: 9, removed: 0, changed: 0 });
    expect(r.actions.every((a) => a.before === undefined && a.delta === a.after)).toBe(true);
  });

  it('runs from a subfolder of the repository with the same paths', async () => {
    const dir = repoWithBase();
    edit(dir, 'mappings/social-profile.yaml', 'transform: [trim, normalize_locale]', 'transform: [normalize_locale]');
    const sub = path.join(dir, 'mappings');
    const r = await mapc(sub, 'diff', '--project', '.', '--format', 'json');
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.changes.map((c) => [c.key, c.props])).toEqual([
      ['user_metadata.preferred_locale', [{ name: 'transform', before: 'trim, normalize_locale', after: 'normalize_locale' }]],
    ]);
  });

  it('markdown escapes what specs say: no injected markup in the comment', async () => {
    const dir = repoWithBase();
    edit(dir, 'mappings/risk-check.yaml', 'deny: This sign-in looks unusual', "deny: '</details> `x` **bold** <img src=x> This sign-in looks unusual");
    edit(dir, 'mappings/risk-check.yaml', 'Contact support if this was you.', "Contact support if this was you.'");
    const r = await mapc(dir, 'diff', '--format', 'markdown');
    expect(r.stderr).toBe('');
    // HTML only in the report's own lines; the spec's text stays inside a code span, which
    // CommonMark renders literally.
    expect([...new Set(r.stdout.split('\n').filter((l) => /^\s*</.test(l)))]).toEqual([
      '<details>',
      '<summary>All changes (1)</summary>',
      '</details>',
      '<summary>Action sizes</summary>',
      '<sub>Generated by `mapc diff`. Review the specs, not the generated JavaScript.</sub>',
    ]);
    expect(r.stdout).toContain('  - deny: `This sign-in looks unusual and was blocked. Contact support if this was you.` → ``</details> `x` **bold** <img src=x> This sign-in looks unusual and was blocked. Contact support if this was you.``');
  });
});

describe('mapc diff (the real launcher)', () => {
  beforeAll(() => {
    // bin/mapc.js runs the compiled dist/; build it when it predates this command.
    const entry = path.join(REPO, 'dist', 'compiler', 'cli', 'commands', 'diff.js');
    if (fs.existsSync(entry)) return;
    spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO, stdio: 'pipe' });
    if (!fs.existsSync(entry)) throw new Error('could not compile dist/ (npm run build:ts)');
  }, 120_000);

  it('node bin/mapc.js diff prints markdown and honours --fail-on', () => {
    const dir = repoWithBase();
    edit(dir, 'mappings/mapc.yaml', 'timeout: 800ms', 'timeout: 900ms');
    const bin = path.join(REPO, 'bin', 'mapc.js');
    const md = spawnSync(process.execPath, [bin, 'diff', 'HEAD', '--format', 'markdown'], { cwd: dir, encoding: 'utf8' });
    expect(md.status).toBe(0);
    expect(md.stdout).toContain('- **system risk: timeout 800ms → 900ms** — ');
    const gate = spawnSync(process.execPath, [bin, 'diff', '--fail-on', 'risky'], { cwd: dir, encoding: 'utf8' });
    expect(gate.status).toBe(1);
    expect(gate.stdout.split('\n')[1]).toBe('2 risky changes · 2 changes · 1 owner to review');
  });
});
