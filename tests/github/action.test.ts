/**
 * The GitHub Action (action.yml, #19 item 4), run locally step by step as the runner would
 * (./run-action.ts): `mapc check --format sarif` into $RUNNER_TEMP, the SARIF upload (not run:
 * its inputs are checked), `mapc diff --format markdown` against origin/<base> (fetched by the
 * action), one pull-request comment posted, then updated, through a stub of GitHub's REST API
 * on 127.0.0.1 (./stub-github.ts) that pages its comments, and the last step failing the job
 * when the check failed. The repository is a git clone with mapc installed as
 * node_modules/mapc → this checkout (./workspace.ts).
 *
 * The check step needs a mapc that prints SARIF (`sarif` among the choices of `mapc check -f`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { REPO } from '../helpers/compiled';
import { condition, evaluate, interpolate, loadAction, runAction, type ActionRun, type ExprContext, type StepRun } from './run-action';
import { StubGitHub } from './stub-github';
import { checkHelp, makeWorkspace, mapc, type Workspace } from './workspace';

const ACTION = loadAction(path.join(REPO, 'action.yml'));
const HELP = checkHelp();
const TOKEN = `ghs_test${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
const REPOSITORY = 'acme/identity';
const PR = 7;
const MARKER = '<!-- mapc-diff -->';

let tmp: string;
let ws: Workspace;
let stub: StubGitHub;
let runs = 0;
/** Everything every step of every run printed. */
const logs: string[] = [];

interface Job {
  readonly event?: 'pull_request' | 'push';
  readonly inputs?: Record<string, string>;
  readonly workspace?: Workspace;
}

/** One job that uses the action, as GitHub would set it up. */
async function job(o: Job = {}): Promise<ActionRun> {
  const event = o.event ?? 'pull_request';
  const w = o.workspace ?? ws;
  const n = ++runs;
  const temp = path.join(tmp, `runner-temp-${n}`);
  fs.mkdirSync(temp);
  const eventPath = path.join(temp, 'event.json');
  const full = { full_name: REPOSITORY };
  const payload =
    event === 'pull_request'
      ? { action: 'synchronize', number: PR, pull_request: { number: PR, head: { ref: 'feature', sha: 'f'.repeat(40), repo: full }, base: { ref: 'main', repo: full } }, repository: full }
      : { ref: 'refs/heads/main', repository: full };
  fs.writeFileSync(eventPath, JSON.stringify(payload));
  const summary = path.join(temp, 'step-summary.md');
  fs.writeFileSync(summary, '');
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? os.homedir(),
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_API_URL: stub.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    GITHUB_SHA: 'f'.repeat(40),
    GITHUB_REF: event === 'pull_request' ? `refs/pull/${PR}/merge` : 'refs/heads/main',
    GITHUB_BASE_REF: event === 'pull_request' ? 'main' : '',
    GITHUB_HEAD_REF: event === 'pull_request' ? 'feature' : '',
    GITHUB_STEP_SUMMARY: summary,
    NO_COLOR: '1',
    // npx must find the installed mapc, never ask a registry.
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
  };
  const github = { event_name: event, base_ref: event === 'pull_request' ? 'main' : '', token: TOKEN };
  const run = await runAction({ action: ACTION, actionPath: REPO, inputs: o.inputs ?? {}, github, env, workspace: w.root, runnerTemp: temp });
  logs.push(run.log);
  return run;
}

const step = (run: ActionRun, idOrName: string): StepRun => {
  const s = run.steps.find((x) => x.step.id === idOrName || x.step.name === idOrName);
  if (!s) throw new Error(`no step ${idOrName}`);
  return s;
};
const last = (run: ActionRun) => run.steps.at(-1)!;
const upload = (run: ActionRun) => run.steps.find((s) => s.step.uses !== undefined)!;
const marked = () => (stub.comments.get(PR) ?? []).filter((c) => c.body.startsWith(MARKER));
const rebuild = () => mapc(ws.dir, 'build');

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-action-'));
  ws = makeWorkspace(tmp);
  stub = new StubGitHub(REPOSITORY, TOKEN);
  await stub.start();
  // 150 comments by people, one quoting the action's marker: the action's comment goes on page 2.
  stub.seed(PR, [...Array.from({ length: 120 }, (_, i) => `comment ${i}`), `> ${MARKER}\n> quoted`, ...Array.from({ length: 29 }, (_, i) => `later ${i}`)]);
}, 120_000);

afterAll(async () => {
  await stub?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('action.yml', () => {
  it('runs a mapc whose check prints SARIF', () => {
    expect(HELP).toMatch(/-f, --format <format>.*"sarif"/s);
  });

  it('is a composite action whose scripts take inputs only through env, and which uses the installed mapc', () => {
    expect(ACTION.runs.using).toBe('composite');
    const scripts = ACTION.runs.steps.filter((s) => s.run !== undefined);
    expect(scripts.length).toBeGreaterThanOrEqual(4);
    for (const s of scripts) {
      expect(s.shell, s.name).toBe('bash');
      expect(s.run, s.name).not.toContain('${{');
      // Every mapc command is the repository's own installation, never a download.
      const code = s.run!.split('\n').filter((l) => !l.trim().startsWith('#')).join('\n');
      for (const m of code.matchAll(/\bnpx\b[^\n]*/g)) expect(m[0]).toMatch(/^npx --no-install mapc /);
    }
    const uses = ACTION.runs.steps.filter((s) => s.uses !== undefined);
    expect(uses.map((s) => s.uses)).toEqual(['github/codeql-action/upload-sarif@v3']);
    // Every expression of the file is one the evaluator knows (it throws on anything else).
    const ctx: ExprContext = {
      inputs: Object.fromEntries(Object.keys(ACTION.inputs).map((k) => [k, ''])),
      steps: {},
      stepIds: new Set(ACTION.runs.steps.flatMap((s) => (s.id ? [s.id] : []))),
      github: { event_name: 'pull_request', base_ref: 'main', token: 't' },
      failed: false,
    };
    const texts = [
      ...Object.values(ACTION.inputs).map((i) => i.default ?? ''),
      ...Object.values(ACTION.outputs).map((o) => o.value),
      ...ACTION.runs.steps.flatMap((s) => [...Object.values(s.env ?? {}), ...Object.values(s.with ?? {}), s['working-directory'] ?? '']),
    ];
    for (const t of texts) expect(() => interpolate(String(t), ctx)).not.toThrow();
    for (const s of ACTION.runs.steps) expect(() => condition(s.if, ctx)).not.toThrow();
    expect(ACTION.inputs['base-ref']!.default).toBe('origin/${{ github.base_ref }}');
    // The check step and the result step (which prints the check again, in text) pass mapc the same options.
    const options = (s: (typeof ACTION.runs.steps)[number]) => s.run!.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('if [ -n "$MAPC_') && !l.includes('FAIL_ON'));
    const check = ACTION.runs.steps.find((s) => s.id === 'check')!;
    expect(options(check)).toHaveLength(4);
    expect(options(ACTION.runs.steps.at(-1)!)).toEqual(options(check));
    expect(ACTION.inputs['github-token']!.default).toBe('${{ github.token }}');
  });

  it('docs/ci.md lists every input and output, and its workflows use the action as README does', () => {
    const doc = fs.readFileSync(path.join(REPO, 'docs', 'ci.md'), 'utf8');
    const rows = (heading: string) => {
      const section = doc.split(`\n## ${heading}\n`)[1]!.split('\n## ')[0]!;
      return [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    };
    expect(rows('Inputs')).toEqual(Object.keys(ACTION.inputs));
    expect(rows('Outputs')).toEqual(Object.keys(ACTION.outputs));
    expect(doc).toContain(`| \`base-ref\` | \`${ACTION.inputs['base-ref']!.default}\` |`);
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    for (const text of [doc, readme]) {
      const flows = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parseYaml(m[1]!) as { jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }> });
      const uses = flows.flatMap((f) => Object.values(f.jobs).flatMap((j) => j.steps)).filter((s) => s.uses?.startsWith('<owner>/mapc@'));
      expect(uses.length).toBeGreaterThan(0);
      for (const s of uses) for (const k of Object.keys(s.with ?? {})) expect(Object.keys(ACTION.inputs)).toContain(k);
    }
  });

  it('the evaluator fails on what it does not know, so a test cannot pass by accident', () => {
    const ctx: ExprContext = { inputs: { comment: 'true' }, steps: {}, stepIds: new Set(['check']), github: { event_name: 'push', base_ref: '', token: 't' }, failed: false };
    expect(() => evaluate('inputs.commnet', ctx)).toThrow(/unknown input/);
    expect(() => evaluate('steps.chek.outputs.x', ctx)).toThrow(/unknown step id/);
    expect(() => evaluate('github.event.pull_request.number', ctx)).toThrow(/unsupported context/);
    expect(() => evaluate("contains(inputs.comment, 'x')", ctx)).toThrow();
    expect(() => evaluate('hashFiles()', ctx)).toThrow(/unsupported function/);
    expect(evaluate("inputs.comment == 'TRUE' && github.event_name != 'pull_request'", ctx)).toBe(true);
    expect(evaluate("steps.check.outputs.x != ''", ctx)).toBe(false);
    expect(condition("inputs.comment == 'true'", { ...ctx, failed: true })).toBe(false);
    expect(condition("always() && inputs.comment == 'true'", { ...ctx, failed: true })).toBe(true);
  });
});

describe('the action in a pull request', () => {
  it('without changes: check passes, SARIF for the upload, the base fetched, one comment saying there are no changes', async () => {
    const run = await job();
    const check = step(run, 'check');
    const sarifFile = path.join(tmp, `runner-temp-${runs}`, 'mapc.sarif');
    expect(check.outputs).toEqual({ 'exit-code': '0', 'sarif-file': sarifFile });
    const log = JSON.parse(fs.readFileSync(sarifFile, 'utf8')) as { version: string; runs: { tool: { driver: { name: string } }; results: unknown[] }[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.tool.driver.name).toBe('mapc');
    expect(log.runs[0]!.results).toEqual([]);
    // The upload step gets the file the check step wrote.
    expect(upload(run).with).toEqual({ sarif_file: sarifFile, category: 'mapc', token: TOKEN });
    expect(run.outputs['sarif-file']).toBe(sarifFile);
    expect(check.exit).toBe(0);
    expect(run.outputs['check-exit-code']).toBe(check.outputs['exit-code']);

    // The diff step fetched the base it was not given.
    const diff = step(run, 'diff');
    expect(diff.exit).toBe(0);
    expect(diff.stdout).toContain('mapc: fetching main from origin');
    const md = fs.readFileSync(diff.outputs['diff-file']!, 'utf8');
    expect(md).toContain('### mapc diff: `origin/main` → working tree');
    expect(md).toContain('**no semantic changes**');
    expect(fs.readFileSync(path.join(tmp, `runner-temp-${runs}`, 'step-summary.md'), 'utf8')).toBe(md);

    // One comment, posted after reading both pages of the existing ones.
    const gets = stub.requests.filter((r) => r.method === 'GET').map((r) => r.path);
    expect(gets).toEqual([`/repos/${REPOSITORY}/issues/${PR}/comments?per_page=100`, `/repos/${REPOSITORY}/issues/${PR}/comments?per_page=100&page=2`]);
    expect(stub.writes().map((r) => r.method)).toEqual(['POST']);
    expect(marked()).toHaveLength(1);
    expect(marked()[0]!.body).toBe(`${MARKER}\n${md.trimEnd()}\n`);
    expect(step(run, 'comment').stdout).toContain(`mapc: posted the diff comment on pull request #${PR}: ${marked()[0]!.html_url}`);
    expect(run.outputs['comment-url']).toBe(marked()[0]!.html_url);

    expect(last(run).exit).toBe(0);
    expect(run.failed).toBe(false);
  }, 120_000);

  it('with a change: the same comment is updated with the diff (found on page 2), no second comment', async () => {
    fs.writeFileSync(ws.spec, ws.original.replace(/- to: (app_metadata\.\w+)/, '- to: $1_v2'));
    rebuild();
    const before = stub.requests.length;
    const id = marked()[0]!.id;
    const run = await job();
    const writes = stub.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(writes.map((r) => [r.method, r.path])).toEqual([['PATCH', `/repos/${REPOSITORY}/issues/comments/${id}`]]);
    expect(marked()).toHaveLength(1);
    const body = marked()[0]!.body;
    expect(body.startsWith(`${MARKER}\n### mapc diff: \`origin/main\` → working tree\n`)).toBe(true);
    expect(body).toContain('**0 risky changes · 2 changes · 1 owner to review**');
    expect(body).toContain('_v2`');
    expect(step(run, 'comment').stdout).toContain('mapc: updated the diff comment');
    expect(step(run, 'check').outputs['exit-code']).toBe('0');
  }, 120_000);

  it('run again with the same diff: the comment is left as it is', async () => {
    const before = stub.requests.length;
    const run = await job();
    expect(stub.requests.slice(before).map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(step(run, 'comment').stdout).toContain(`mapc: the diff comment on pull request #${PR} is up to date`);
  }, 120_000);

  it('when generated/ is out of date: the last step fails the job and prints the diagnostics; the comment is still updated', async () => {
    const changed = ws.original.replace(/- to: (app_metadata\.\w+)/, '- to: $1_v3');
    fs.writeFileSync(ws.spec, changed); // not rebuilt: drift
    const run = await job();
    const check = step(run, 'check');
    expect(check.exit).toBe(0); // the check step only records the result
    expect(check.outputs['exit-code']).toBe('1');
    const log = JSON.parse(fs.readFileSync(check.outputs['sarif-file']!, 'utf8')) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const results = log.runs[0]!.results;
    expect(results.map((r) => r.ruleId)).toContain('MAPC0805');
    // Drift has no place in a spec: reported at the project's mapc.yaml, relative to the repository root.
    expect(results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('mappings/mapc.yaml');
    expect(upload(run).with?.['sarif_file']).toBe(check.outputs['sarif-file']);
    expect(marked()[0]!.body).toContain('_v3`');
    const result = last(run);
    expect(result.exit).toBe(1);
    expect(result.stdout).toContain('::error title=mapc check::mapc check failed');
    expect(result.stderr).toContain('generated/actions/mapc-post-login/code.js differs from a fresh build');
    expect(run.failed).toBe(true);
  }, 120_000);

  it('fail-on any: a change fails the job, after the comment', async () => {
    rebuild();
    const run = await job({ inputs: { 'fail-on': 'any' } });
    expect(step(run, 'diff').outputs['exit-code']).toBe('1');
    expect(step(run, 'comment').exit).toBe(0);
    expect(last(run).exit).toBe(1);
    expect(last(run).stdout).toContain('::error title=mapc diff::the pull request has any changes (fail-on: any)');
  }, 120_000);

  it('comment: false posts nothing', async () => {
    const before = stub.requests.length;
    const run = await job({ inputs: { comment: 'false' } });
    expect(step(run, 'diff').ran).toBe(false);
    expect(step(run, 'comment').ran).toBe(false);
    expect(stub.requests.length).toBe(before);
  }, 120_000);

  it('a push: check and SARIF only, no diff, no comment, no request to GitHub', async () => {
    fs.writeFileSync(ws.spec, ws.original);
    rebuild();
    const before = stub.requests.length;
    const run = await job({ event: 'push' });
    expect(step(run, 'check').ran).toBe(true);
    expect(step(run, 'diff').ran).toBe(false);
    expect(step(run, 'comment').ran).toBe(false);
    expect(stub.requests.length).toBe(before);
    expect(upload(run).with !== undefined).toBe(true);
    expect(last(run).exit).toBe(0);
  }, 120_000);

  it('no report (a base that cannot be read, specs that do not build): the comment says why, the job fails', async () => {
    const missing = await job({ inputs: { 'base-ref': 'origin/no-such-branch' } });
    expect(step(missing, 'diff').stdout).toContain('::warning title=mapc diff::could not fetch no-such-branch from origin');
    expect(step(missing, 'diff').outputs['exit-code']).toBe('2');
    expect(marked()[0]!.body).toBe(
      `${MARKER}\n### mapc diff: \`origin/no-such-branch\` → this pull request\n\n**No diff**: mapc diff could not read the base \`origin/no-such-branch\`. Details in [the job log](https://github.com/${REPOSITORY}/actions/runs/4242).\n`,
    );
    expect(last(missing).stdout).toContain('::error title=mapc diff::mapc diff failed (exit 2): see its step');
    expect(last(missing).exit).toBe(1);

    fs.writeFileSync(ws.spec, ws.original.replace(/from: (\w+)\./, 'from: $1x.'));
    try {
      const broken = await job();
      expect(step(broken, 'check').outputs['exit-code']).toBe('1');
      expect(step(broken, 'diff').outputs['exit-code']).toBe('1');
      expect(marked()[0]!.body).toContain('**No diff**: the specs of this pull request do not build (see the mapc check results).');
      expect(last(broken).stderr).toContain('error MAPC0301');
      expect(last(broken).exit).toBe(1);
    } finally {
      fs.writeFileSync(ws.spec, ws.original);
    }
  }, 120_000);

  it('project, out, layout and target reach mapc check', async () => {
    const given = { project: 'mappings', out: 'generated', layout: 'yaml', ...(HELP.includes('--target') ? { target: 'deploy-cli' } : {}) };
    const ok = await job({ event: 'push', inputs: given });
    expect(step(ok, 'check').outputs['exit-code']).toBe('0');
    const elsewhere = await job({ event: 'push', inputs: { ...given, out: 'elsewhere' } });
    expect(step(elsewhere, 'check').outputs['exit-code']).toBe('1');
    expect(last(elsewhere).exit).toBe(1);
    expect(last(elsewhere).stderr).toContain('elsewhere/tenant.yaml is missing');
  }, 120_000);

  it('without mapc installed: one clear error, no other mapc command, the job fails', async () => {
    const installed = path.join(ws.dir, 'node_modules', 'mapc');
    fs.renameSync(installed, `${installed}.away`);
    try {
      const run = await job();
      const check = step(run, 'check');
      expect(check.exit).toBe(1);
      expect(check.stdout).toBe(`::error title=mapc is not installed::mapc is not installed in ${ws.dir}: add it to the repository (npm install -D mapc) and install the dependencies (npm ci) before this step\n`);
      expect(run.steps.filter((s) => s.ran).map((s) => s.step.id ?? s.step.name)).toEqual(['check', 'mapc result']);
      expect(upload(run).with).toBeUndefined();
      expect(last(run).stdout).toBe('::error title=mapc check::mapc check did not run (see its step)\n');
      expect(last(run).exit).toBe(1);
    } finally {
      fs.renameSync(`${installed}.away`, installed);
    }
  }, 120_000);

  it('a token that may not comment (403): the comment step fails with what to do, the job fails, the result step still runs', async () => {
    stub.fail = { status: 403, message: 'Resource not accessible by integration' };
    try {
      const run = await job();
      const c = step(run, 'comment');
      expect(c.exit).toBe(1);
      expect(c.stderr).toContain('GitHub answered 403');
      expect(c.stderr).toContain('permissions: pull-requests: write');
      expect(last(run).ran).toBe(true);
      expect(last(run).exit).toBe(0); // the check itself passed
      expect(run.failed).toBe(true);
    } finally {
      stub.fail = null;
    }
  }, 120_000);

  it('never prints the token, and sent it on every request to GitHub', () => {
    expect(logs.length).toBe(runs);
    expect(stub.requests.length).toBeGreaterThan(0);
    for (const r of stub.requests) expect(r.authorization).toBe(`Bearer ${TOKEN}`);
    for (const log of logs) expect(log.includes(TOKEN)).toBe(false);
  });
});

describe('the action in a subfolder (working-directory)', () => {
  let sub: Workspace;
  let subTmp: string;

  beforeAll(() => {
    subTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-action-sub-'));
    sub = makeWorkspace(subTmp, 'identity');
  }, 120_000);
  afterAll(() => {
    if (subTmp) fs.rmSync(subTmp, { recursive: true, force: true });
  });

  it('checks and diffs the project there; SARIF paths are relative to the repository root', async () => {
    fs.writeFileSync(sub.spec, sub.original.replace(/- to: (app_metadata\.\w+)/, '- to: $1_sub')); // drift
    const run = await job({ workspace: sub, inputs: { 'working-directory': 'identity', 'comment-key': 'identity' } });
    const check = step(run, 'check');
    expect(check.outputs['exit-code']).toBe('1');
    const log = JSON.parse(fs.readFileSync(check.outputs['sarif-file']!, 'utf8')) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[] }[] }[] };
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation).toEqual({ uri: 'identity/mappings/mapc.yaml', uriBaseId: '%SRCROOT%' });
    expect(step(run, 'diff').exit).toBe(0);
    const mine = (stub.comments.get(PR) ?? []).filter((c) => c.body.startsWith('<!-- mapc-diff:identity -->'));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.body).toContain('_sub`');
    expect(marked()).toHaveLength(1); // the other project's comment is untouched
    expect(last(run).exit).toBe(1);
    expect(last(run).stderr).toContain('differs from a fresh build');
    expect(run.log.includes(TOKEN)).toBe(false);
  }, 120_000);
});
