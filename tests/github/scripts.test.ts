/**
 * The GitHub Action's two scripts on their own: scripts/github/comment.js (run as the action
 * runs it, `node comment.js <body.md>`, against the stub GitHub on 127.0.0.1) on its error
 * paths — each a clear one-line message, an exit code, never the token — and on what it
 * posts; scripts/github/sarif-paths.js on the paths it rewrites.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/compiled';
import { StubGitHub } from './stub-github';

const COMMENT = path.join(REPO, 'scripts', 'github', 'comment.js');
const SARIF_PATHS = path.join(REPO, 'scripts', 'github', 'sarif-paths.js');
const TOKEN = `ghs_unit${Math.random().toString(36).slice(2)}`;
const REPOSITORY = 'acme/identity';
const MARKER = '<!-- mapc-diff -->';

let tmp: string;
let stub: StubGitHub;
let n = 0;

interface Result {
  readonly exit: number;
  readonly stdout: string;
  readonly stderr: string;
}

function node(script: string, args: readonly string[], env: Record<string, string | undefined>, cwd = tmp): Promise<Result> {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries({ PATH: process.env['PATH'], ...env }).filter((e): e is [string, string] => e[1] !== undefined));
    const child = spawn(process.execPath, [script, ...args], { cwd, env: clean, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exit: code ?? 1, stdout, stderr }));
  });
}

interface CommentRun {
  readonly body?: string;
  readonly event?: unknown;
  readonly env?: Record<string, string | undefined>;
}

/** comment.js as the action's step runs it; the result is checked for the token. */
async function comment(o: CommentRun = {}): Promise<Result & { output: string }> {
  const i = ++n;
  const bodyFile = path.join(tmp, `body-${i}.md`);
  fs.writeFileSync(bodyFile, o.body ?? '### mapc diff\n\nsome changes\n');
  const eventFile = path.join(tmp, `event-${i}.json`);
  const full = { full_name: REPOSITORY };
  fs.writeFileSync(eventFile, JSON.stringify(o.event ?? { pull_request: { number: 3, head: { repo: full }, base: { repo: full } } }));
  const output = path.join(tmp, `output-${i}`);
  fs.writeFileSync(output, '');
  const r = await node(COMMENT, [bodyFile], {
    GITHUB_TOKEN: TOKEN,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_API_URL: stub.url,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_OUTPUT: output,
    ...o.env,
  });
  expect(r.stdout + r.stderr).not.toContain(TOKEN);
  return { ...r, output: fs.readFileSync(output, 'utf8') };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-gh-scripts-'));
  stub = new StubGitHub(REPOSITORY, TOKEN);
  await stub.start();
});

afterEach(() => {
  stub.fail = null;
  stub.linkOverride = null;
  stub.comments.clear();
  stub.requests.length = 0;
});

afterAll(async () => {
  await stub?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('scripts/github/comment.js', () => {
  it('posts a comment with the marker, then updates that one; writes comment-url and comment-id', async () => {
    const first = await comment({ body: 'one\n' });
    expect([first.exit, first.stderr]).toEqual([0, '']);
    const [c] = stub.comments.get(3)!;
    expect(c!.body).toBe(`${MARKER}\none\n`);
    expect(first.output).toBe(`comment-url=${c!.html_url}\ncomment-id=${c!.id}\n`);
    const second = await comment({ body: 'two\n' });
    expect(second.exit).toBe(0);
    expect(stub.comments.get(3)!.map((x) => x.body)).toEqual([`${MARKER}\ntwo\n`]);
    expect(stub.writes().map((r) => r.method)).toEqual(['POST', 'PATCH']);
    expect(stub.writes()[0]!.body).toEqual({ body: `${MARKER}\none\n` });
  });

  it('an empty report still updates the comment, to say there are no changes', async () => {
    await comment({ body: 'a diff\n' });
    const r = await comment({ body: '\n' });
    expect(r.exit).toBe(0);
    expect(stub.comments.get(3)![0]!.body).toBe(`${MARKER}\n**mapc diff**: no changes to the specs.\n`);
  });

  it('MAPC_COMMENT_KEY keeps one comment per key', async () => {
    await comment({ body: 'a\n' });
    await comment({ body: 'b\n', env: { MAPC_COMMENT_KEY: 'billing/eu' } });
    await comment({ body: 'b2\n', env: { MAPC_COMMENT_KEY: 'billing/eu' } });
    expect(stub.comments.get(3)!.map((c) => c.body)).toEqual([`${MARKER}\na\n`, '<!-- mapc-diff:billing/eu -->\nb2\n']);
    const bad = await comment({ env: { MAPC_COMMENT_KEY: 'x -->' } });
    expect(bad.exit).toBe(2);
    expect(bad.stderr).toContain('MAPC_COMMENT_KEY');
  });

  it('cuts a report longer than GitHub allows, at a line, and says so', async () => {
    const line = `| \`row\` | ${'x'.repeat(90)} |\n`;
    const r = await comment({ body: line.repeat(1000) });
    expect(r.exit).toBe(0);
    const body = stub.comments.get(3)![0]!.body;
    expect(body.length).toBeLessThanOrEqual(65536);
    expect(body.startsWith(`${MARKER}\n${line}`)).toBe(true);
    expect(body).toMatch(/\|\n\n… cut to fit a GitHub comment: the whole report is in the job log and its summary\.\n$/);
  });

  it('403: a clear message naming the permission, exit 1', async () => {
    stub.fail = { status: 403, message: 'Resource not accessible by integration' };
    const r = await comment();
    expect(r.exit).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `::error title=mapc diff comment::GitHub answered 403 to GET /repos/${REPOSITORY}/issues/3/comments: Resource not accessible by integration. ` +
        'the token may not write comments: give the job `permissions: pull-requests: write` (or pass a github-token that can).\n',
    );
  });

  it('403 on a pull request from a fork: a warning, exit 0 (its token is read-only)', async () => {
    stub.fail = { status: 403, message: 'Resource not accessible by integration' };
    const r = await comment({ event: { pull_request: { number: 3, head: { repo: { full_name: 'someone/identity' } }, base: { repo: { full_name: REPOSITORY } } } } });
    expect(r.exit).toBe(0);
    expect(r.stdout).toMatch(/^::warning title=mapc diff comment::not posted: the token of a pull request from a fork is read-only/);
  });

  it('401 (bad token) and 404: what they mean, exit 1', async () => {
    const bad = await comment({ env: { GITHUB_TOKEN: 'not-the-token' } });
    expect(bad.exit).toBe(1);
    expect(bad.stderr).toContain('GitHub answered 401');
    expect(bad.stderr).toContain('bad or expired credentials');
    expect(bad.stderr).not.toContain('not-the-token');
    const missing = await comment({ env: { GITHUB_REPOSITORY: 'acme/other' } });
    expect(missing.exit).toBe(1);
    expect(missing.stderr).toContain('GitHub answered 404 to GET /repos/acme/other/issues/3/comments: Not Found. the repository or pull request was not found');
  });

  it('a GitHub that cannot be reached: a clear message, exit 1', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const r = await comment({ env: { GITHUB_API_URL: `http://127.0.0.1:${port}` } });
    expect(r.exit).toBe(1);
    expect(r.stderr).toBe(`::error title=mapc diff comment::cannot reach GitHub (GET /repos/${REPOSITORY}/issues/3/comments at http://127.0.0.1:${port}): ECONNREFUSED\n`);
  });

  it('does not follow a page link to another origin with the token', async () => {
    const other = new StubGitHub(REPOSITORY, TOKEN);
    await other.start();
    try {
      stub.seed(3, ['a']);
      stub.linkOverride = () => `<${other.url}/repos/${REPOSITORY}/issues/3/comments?page=2>; rel="next"`;
      const r = await comment();
      expect(r.exit).toBe(1);
      expect(r.stderr).toContain(`refusing to send the token to ${other.url} (not GITHUB_API_URL)`);
      expect(other.requests).toEqual([]);
      expect(stub.writes()).toEqual([]);
    } finally {
      await other.stop();
    }
  });

  it('problems of the set-up exit 2 with what to do', async () => {
    const cases: [CommentRun, string][] = [
      [{ env: { GITHUB_TOKEN: undefined } }, 'GITHUB_TOKEN is not set: pass the github-token input'],
      [{ env: { GITHUB_REPOSITORY: undefined } }, 'GITHUB_REPOSITORY must be owner/name'],
      [{ env: { GITHUB_EVENT_PATH: undefined } }, 'GITHUB_EVENT_PATH is not set'],
      [{ event: { ref: 'refs/heads/main' } }, 'the event is not a pull request'],
      [{ env: { GITHUB_API_URL: 'not a url' } }, 'GITHUB_API_URL is not a URL'],
    ];
    for (const [run, message] of cases) {
      const r = await comment(run);
      expect([r.exit, r.stderr]).toEqual([2, expect.stringContaining(message)]);
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    }
    expect(stub.requests).toEqual([]);
    const usage = await node(COMMENT, [], { GITHUB_TOKEN: TOKEN });
    expect([usage.exit, usage.stderr]).toEqual([2, '::error title=mapc diff comment::usage: node scripts/github/comment.js <body.md>\n']);
  });

  it('a message with a new line or % stays one workflow command', async () => {
    stub.fail = { status: 422, message: 'Validation Failed\nbody is 100% wrong' };
    const r = await comment();
    expect(r.exit).toBe(1);
    expect(r.stderr).toContain('Validation Failed%0Abody is 100%25 wrong');
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('scripts/github/sarif-paths.js', () => {
  const log = () => ({
    version: '2.1.0',
    runs: [
      {
        results: [
          {
            locations: [{ physicalLocation: { artifactLocation: { uri: 'mappings/a%20b.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } } }],
            relatedLocations: [{ physicalLocation: { artifactLocation: { uri: 'mappings/mapc.yaml', uriBaseId: '%SRCROOT%' } } }],
          },
          { locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///elsewhere/x.yaml' } } }] },
        ],
      },
    ],
  });
  const uris = (file: string) => (JSON.stringify(JSON.parse(fs.readFileSync(file, 'utf8'))).match(/"uri":"[^"]*"/g) ?? []).map((s) => s.slice(7, -1));

  it('puts the working folder in front of %SRCROOT% paths, run below GITHUB_WORKSPACE', async () => {
    const root = path.join(tmp, 'ws-sarif');
    const cwd = path.join(root, 'team a', 'identity');
    fs.mkdirSync(cwd, { recursive: true });
    const file = path.join(tmp, 'a.sarif');
    fs.writeFileSync(file, JSON.stringify(log()));
    const r = await node(SARIF_PATHS, [file], { GITHUB_WORKSPACE: root }, cwd);
    expect([r.exit, r.stdout, r.stderr]).toEqual([0, 'mapc: 2 SARIF location(s) made relative to the repository root\n', '']);
    expect(uris(file)).toEqual(['team%20a/identity/mappings/a%20b.yaml', 'team%20a/identity/mappings/mapc.yaml', 'file:///elsewhere/x.yaml']);
  });

  it('leaves the log alone at the root of the workspace, or outside it', async () => {
    const root = path.join(tmp, 'ws-sarif-root');
    fs.mkdirSync(root, { recursive: true });
    const file = path.join(tmp, 'b.sarif');
    const text = JSON.stringify(log());
    for (const cwd of [root, tmp]) {
      fs.writeFileSync(file, text);
      const r = await node(SARIF_PATHS, [file], { GITHUB_WORKSPACE: root }, cwd);
      expect([r.exit, r.stdout, r.stderr]).toEqual([0, '', '']);
      expect(fs.readFileSync(file, 'utf8')).toBe(text);
    }
  });

  it('refuses a file that is not a SARIF log, exit 2', async () => {
    const file = path.join(tmp, 'c.sarif');
    fs.writeFileSync(file, '[]');
    const r = await node(SARIF_PATHS, [file], { GITHUB_WORKSPACE: tmp });
    expect(r.exit).toBe(2);
    expect(r.stderr).toBe(`::error title=mapc SARIF::${file} is not a SARIF 2.1.0 log\n`);
  });
});
