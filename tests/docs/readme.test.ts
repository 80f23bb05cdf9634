/**
 * The README's commands work on a fresh copy of the repository (issue #9). The copy holds the
 * files git would check out (tracked and not-ignored, so no dist/ and no node_modules/);
 * node_modules is linked from this checkout because this machine cannot download packages
 * (`npm install --offline` cannot complete from npm's cache), and `npm run prepare` — the step
 * `npm install` runs after installing — compiles mapc. Then, as the README says:
 * `npx mapc build` rebuilds generated/ byte for byte, the tour's mistake prints the diagnostic
 * the README quotes, `npx mapc test` passes, `npx mapc diff` explains the tour's change, and
 * `npx mapc init` scaffolds a project that builds and tests.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/compiled';

const README = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
let copy = '';
/** Whether the copy held compiled output before set-up (it must not: dist/ is ignored). */
let distBeforeSetup = true;

function sh(cmd: string, args: readonly string[], cwd = copy): SpawnSyncReturns<string> {
  return spawnSync(cmd, [...args], {
    cwd,
    encoding: 'utf8',
    // Offline: npx must find mapc in the project, never ask a registry.
    env: { ...process.env, NO_COLOR: '1', MAPC_DEBUG: '', npm_config_offline: 'true', npm_config_update_notifier: 'false' },
    timeout: 120_000,
  });
}

/** Every file of `dir`, relative, sorted. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else out.push(path.relative(dir, abs).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** The lines of the README's ```sh blocks that are commands (comments cut). */
function readmeCommands(): string[] {
  return [...README.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1]!
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, '').trim())
      .filter((l) => l !== ''),
  );
}

beforeAll(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-fresh-'));
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' });
  if (files.status !== 0) throw new Error(`git ls-files failed: ${files.stderr}`);
  for (const rel of files.stdout.split('\0').filter(Boolean)) {
    const from = path.join(REPO, rel);
    if (!fs.existsSync(from)) continue; // deleted in the working tree, not yet in git
    fs.mkdirSync(path.dirname(path.join(copy, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(copy, rel));
  }
  distBeforeSetup = fs.existsSync(path.join(copy, 'dist'));
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  const prepare = sh('npm', ['run', '-s', 'prepare']);
  if (prepare.status !== 0) throw new Error(`npm run prepare failed:\n${prepare.stdout}${prepare.stderr}`);
}, 180_000);

afterAll(() => {
  if (copy !== '') fs.rmSync(copy, { recursive: true, force: true });
});

describe('README', () => {
  it('states the set-up, main-job and test commands this test runs', () => {
    expect(readmeCommands().slice(0, 3)).toEqual(['npm install', 'npx mapc build', 'npm test']);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
    expect(pkg.scripts['prepare']).toBe('tsc -p tsconfig.build.json && node scripts/bundle-cli.js');
    expect(pkg.scripts['test']).toContain('vitest run');
    expect(pkg.bin['mapc']).toBe('bin/mapc.js');
  });

  it('set-up on the fresh copy: no dist/ before, the compiled CLI after `npm run prepare`', () => {
    expect(distBeforeSetup).toBe(false);
    expect(fs.existsSync(path.join(copy, 'dist', 'compiler', 'cli', 'main.js'))).toBe(true);
    // The CLI bin/mapc.js runs: one bundled file (scripts/bundle-cli.js).
    expect(fs.existsSync(path.join(copy, 'dist', 'mapc.js'))).toBe(true);
    const version = sh('npx', ['mapc', '--version']);
    expect(version.stdout).toBe('0.1.0\n');
  });

  it('`npx mapc build` rebuilds the committed generated/ byte for byte; validate and check pass', () => {
    const committed = tree(path.join(REPO, 'generated'));
    fs.rmSync(path.join(copy, 'generated'), { recursive: true, force: true });
    const build = sh('npx', ['mapc', 'build']);
    expect(build.stderr).toMatch(/^mapc: wrote \d+ Action\(s\) to generated\/\n$/);
    expect(build.status).toBe(0);
    expect(tree(path.join(copy, 'generated'))).toEqual(committed);
    const differing = committed.filter(
      (f) => fs.readFileSync(path.join(copy, 'generated', f), 'utf8') !== fs.readFileSync(path.join(REPO, 'generated', f), 'utf8'),
    );
    expect(differing, 'generated/ is out of date with the compiler: run `npx mapc build` and commit it').toEqual([]);
    const validate = sh('npx', ['mapc', 'validate']);
    expect(validate.status).toBe(0);
    expect(validate.stderr).toMatch(/^mapc: \d+ spec\(s\) valid\.\n$/);
    const check = sh('npx', ['mapc', 'check']);
    expect(check.stderr).toBe('mapc: generated/ is up to date.\n');
    expect(check.status).toBe(0);
  });

  it("the tour: the mistake prints the README's diagnostic, the tests pass, diff explains the change", () => {
    const spec = path.join(copy, 'mappings', 'subscription-enrichment.yaml');
    const original = fs.readFileSync(spec, 'utf8');
    try {
      // Step 2, exactly as written.
      const typo = /Change `(from: lower\(subscription\.tier\))` to `(from: lower\(subscripton\.tier\))`/.exec(README);
      expect(typo).not.toBeNull();
      expect(original).toContain(typo![1]!);
      fs.writeFileSync(spec, original.replace(typo![1]!, typo![2]!));
      const quoted = /run `npx mapc validate`:\n\s*```\n([\s\S]*?)\n\s*```/.exec(README)![1]!.split('\n').map((l) => l.replace(/^ {3}/, ''));
      const validate = sh('npx', ['mapc', 'validate']);
      expect(validate.status).toBe(1);
      expect(validate.stderr.split('\n').slice(0, quoted.length)).toEqual(quoted);

      // Step 4.
      fs.writeFileSync(spec, original);
      const test = sh('npx', ['mapc', 'test']);
      expect(test.stdout.trim().split('\n').at(-1)).toMatch(/^[1-9]\d* passed, 0 failed$/);
      expect(test.status).toBe(0);

      // Step 5: a git repository of the copy, then the README's edit.
      const git = (...args: string[]) => sh('git', ['-c', 'user.email=readme@test', '-c', 'user.name=readme', '-c', 'commit.gpgsign=false', ...args]);
      expect(git('init', '-q').status).toBe(0);
      expect(git('add', '-A', 'mappings').status).toBe(0);
      expect(git('commit', '-q', '-m', 'base').status).toBe(0);
      const edit = /Change `(default: standard)` to `(default: trial)`/.exec(README);
      expect(edit).not.toBeNull();
      fs.writeFileSync(spec, original.replace(edit![1]!, edit![2]!));
      const diff = sh('npx', ['mapc', 'diff']);
      expect(diff.status).toBe(0);
      expect(diff.stdout).toContain('spec subscription-enrichment');
      expect(diff.stdout).toContain('default: "standard" → "trial"');
      expect(diff.stdout).toContain('team-billing');
    } finally {
      fs.writeFileSync(spec, original);
    }
  });

  it('`npx mapc init -p my-mappings` scaffolds a project that tests and builds as the README says', () => {
    expect(README).toContain('`npx mapc init -p my-mappings`');
    expect(README).toContain('`npx mapc test -p my-mappings`');
    expect(README).toContain('`npx mapc build -p my-mappings -o my-generated`');
    expect(sh('npx', ['mapc', 'init', '-p', 'my-mappings']).status).toBe(0);
    const test = sh('npx', ['mapc', 'test', '-p', 'my-mappings']);
    expect(test.stdout.trim().split('\n').at(-1)).toBe('3 passed, 0 failed');
    const build = sh('npx', ['mapc', 'build', '-p', 'my-mappings', '-o', 'my-generated']);
    expect(build.stderr).toBe('mapc: wrote 1 Action(s) to my-generated/\n');
    // The sample organisation's output is untouched.
    expect(sh('npx', ['mapc', 'check']).status).toBe(0);
  });
});
