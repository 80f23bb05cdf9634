/**
 * Found by attacking the build (#13, item 7): `mapc build` swapped `generated/` with two renames
 * (generated → `.generated.mapc-old-*`, new → generated). A process killed between them left
 * `generated/` missing, and the `.generated.mapc-old-*` / `.generated.mapc-new-*` folders stayed
 * for ever: the next build neither restored nor removed them. Now a staging folder counts as
 * complete only once renamed `-ready-`, and every build (and `mapc check`) first repairs what an
 * interrupted run left (compiler/output/write.ts, `recoverOutput`).
 *
 * Each test runs the real launcher as a process and kills it with the crash hook
 * `MAPC_TEST_CRASH_AT=<step>` (SIGKILL at that step), then compares file trees byte for byte
 * with reference builds of the old and the new specs.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CRASH_STEPS, type CrashStep } from '../../../compiler/output/write';
import { REPO, tempProject } from '../../helpers/compiled';
import { projectFile } from '../support/project';

const spec = (from: string) => `version: 1
name: swap
owner: team-a
trigger: post-login
fields:
  - to: app_metadata.value
    from: ${from}
`;
const OLD_SPEC = spec('lower(user.email)');
const NEW_SPEC = spec('upper(user.email)');

/** Runs `node bin/mapc.js <args>` in `cwd`, with `MAPC_TEST_CRASH_AT=crashAt` when given. */
function mapc(cwd: string, args: readonly string[], crashAt?: CrashStep): SpawnSyncReturns<string> {
  const env = { ...process.env };
  delete env['MAPC_TEST_CRASH_AT'];
  if (crashAt) env['MAPC_TEST_CRASH_AT'] = crashAt;
  // The timeout is only a safety net so a regression fails instead of hanging the suite.
  return spawnSync(process.execPath, [path.join(REPO, 'bin', 'mapc.js'), ...args], { cwd, env, encoding: 'utf8', timeout: 20_000 });
}

function expectOk(r: SpawnSyncReturns<string>): void {
  expect(r.signal, r.stderr).toBeNull();
  expect(r.status, r.stderr).toBe(0);
}

function expectKilled(r: SpawnSyncReturns<string>): void {
  expect(r.signal, `status ${r.status}: ${r.stderr}`).toBe('SIGKILL');
}

/** A folder as relative path → bytes (`null` for a folder); null when it does not exist. */
type Tree = Record<string, Buffer | null>;
function tree(dir: string): Tree | null {
  if (!fs.existsSync(dir)) return null;
  const out: Tree = {};
  const walk = (d: string, pre: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = pre ? `${pre}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out[rel] = null;
        walk(path.join(d, e.name), rel);
      } else {
        out[rel] = fs.readFileSync(path.join(d, e.name));
      }
    }
  };
  walk(dir, '');
  return out;
}

/** The names next to `generated/` that are leftovers of a swap. */
const leftovers = (dir: string): string[] => fs.readdirSync(dir).filter((n) => n.startsWith('.generated.mapc-')).sort();

interface Fixture {
  readonly dir: string;
  readonly oldTree: Tree;
  readonly newTree: Tree;
}

/**
 * A project built once with OLD_SPEC (its `generated/` is the old output), whose spec is then
 * changed to NEW_SPEC; `newTree` is a reference build of NEW_SPEC into another folder.
 * `initialBuild: false` leaves `generated/` absent (oldTree is then the empty tree).
 */
function fixture(initialBuild = true): Fixture {
  const dir = tempProject({ 'mappings/mapc.yaml': projectFile(), 'mappings/spec.yaml': OLD_SPEC });
  let oldTree: Tree = {};
  if (initialBuild) {
    expectOk(mapc(dir, ['build']));
    oldTree = tree(path.join(dir, 'generated'))!;
  }
  fs.writeFileSync(path.join(dir, 'mappings', 'spec.yaml'), NEW_SPEC);
  expectOk(mapc(dir, ['build', '-o', 'reference-new']));
  const newTree = tree(path.join(dir, 'reference-new'))!;
  fs.rmSync(path.join(dir, 'reference-new'), { recursive: true });
  expect(newTree).not.toEqual(oldTree);
  return { dir, oldTree, newTree };
}

/** A normal build now repairs everything: `generated/` is the new output and no leftover is left. */
function expectRecoveredByBuild(f: Fixture): void {
  expectOk(mapc(f.dir, ['build']));
  expect(tree(path.join(f.dir, 'generated'))).toEqual(f.newTree);
  expect(leftovers(f.dir)).toEqual([]);
}

/** What `generated/` is right after a kill at each step of a build that replaces an existing one. */
const AFTER_KILL: Record<Exclude<CrashStep, 'after-recover'>, 'old' | 'new' | 'missing, old kept'> = {
  'mid-write-new': 'old',
  'after-write-new': 'old',
  'after-mark-complete': 'old',
  // The one point between the two renames: the old output is complete in `-old-`, and the next
  // build or check puts it back before anything else.
  'after-rename-old': 'missing, old kept',
  'after-rename-new': 'new',
};

describe('an interrupted swap of generated/ leaves the old or the new output, and the next run repairs it', () => {
  beforeAll(() => {
    // bin/mapc.js runs the compiled dist/: rebuild it when it predates the crash hook.
    const entry = path.join(REPO, 'dist', 'compiler', 'output', 'write.js');
    const current = () => fs.existsSync(entry) && fs.readFileSync(entry, 'utf8').includes('MAPC_TEST_CRASH_AT');
    if (current()) return;
    spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO, stdio: 'pipe' });
    if (!current()) throw new Error('could not compile dist/ (npm run build:ts)');
  }, 120_000);

  it('every crash step is covered here', () => {
    expect([...CRASH_STEPS].sort()).toEqual(['after-recover', ...Object.keys(AFTER_KILL)].sort());
  });

  for (const [step, expected] of Object.entries(AFTER_KILL) as [keyof typeof AFTER_KILL, string][]) {
    const what = expected === 'old' ? 'the old output' : expected === 'new' ? 'the new output' : 'missing, the old output kept whole';
    it(`killed at ${step}: generated/ is ${what}; the next build finishes the job`, () => {
      const f = fixture();
      expectKilled(mapc(f.dir, ['build'], step));
      const now = tree(path.join(f.dir, 'generated'));
      if (expected === 'old') expect(now).toEqual(f.oldTree);
      else if (expected === 'new') expect(now).toEqual(f.newTree);
      else {
        expect(now).toBeNull();
        const olds = leftovers(f.dir).filter((n) => n.startsWith('.generated.mapc-old-'));
        expect(olds).toHaveLength(1);
        expect(tree(path.join(f.dir, olds[0]!))).toEqual(f.oldTree);
      }
      // Never anything but old or new: a half-written folder is never in place.
      expect([f.oldTree, f.newTree]).toContainEqual(now ?? f.oldTree);
      expect(leftovers(f.dir)).not.toEqual([]);
      expectRecoveredByBuild(f);
    });
  }

  it('mapc check after a kill between the renames restores the old output first, then compares', () => {
    const f = fixture();
    expectKilled(mapc(f.dir, ['build'], 'after-rename-old'));
    expect(tree(path.join(f.dir, 'generated'))).toBeNull();
    const r = mapc(f.dir, ['check']);
    expect(r.signal).toBeNull();
    // The restored folder is the old output, so it is out of date with the changed spec.
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('MAPC0805');
    expect(r.stderr).not.toContain('is missing');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(tree(path.join(f.dir, 'generated'))).toEqual(f.oldTree);
    expect(leftovers(f.dir)).toEqual([]);
    expectRecoveredByBuild(f);
  });

  it('killed at after-recover, after restoring: generated/ is the old output, leftovers already gone', () => {
    const f = fixture();
    expectKilled(mapc(f.dir, ['build'], 'after-rename-old'));
    expectKilled(mapc(f.dir, ['build'], 'after-recover'));
    expect(tree(path.join(f.dir, 'generated'))).toEqual(f.oldTree);
    expect(leftovers(f.dir)).toEqual([]);
    expectRecoveredByBuild(f);
  });

  it('a first build killed before its rename leaves no generated/; an incomplete -new- is never promoted', () => {
    const f = fixture(false);
    expectKilled(mapc(f.dir, ['build'], 'after-write-new'));
    expect(tree(path.join(f.dir, 'generated'))).toBeNull();
    expect(leftovers(f.dir).map((n) => n.replace(/-[^.-]+-[^-]+$/, ''))).toEqual(['.generated.mapc-new']);
    // check repairs first: the staging folder is deleted, not put in place.
    expect(mapc(f.dir, ['check']).status).toBe(1);
    expect(tree(path.join(f.dir, 'generated'))).toBeNull();
    expect(leftovers(f.dir)).toEqual([]);
    expectRecoveredByBuild(f);
  });

  it('a first build killed after its output was complete: the next run promotes the -ready- folder', () => {
    const f = fixture(false);
    expectKilled(mapc(f.dir, ['build'], 'after-mark-complete'));
    expect(tree(path.join(f.dir, 'generated'))).toBeNull();
    const r = mapc(f.dir, ['check']);
    expect(r.stderr).toContain('is up to date');
    expect(r.status).toBe(0);
    expect(tree(path.join(f.dir, 'generated'))).toEqual(f.newTree);
    expect(leftovers(f.dir)).toEqual([]);
  });

  it('leftovers of earlier crashes next to an intact generated/ are removed by the next build; a running build\'s are not', () => {
    const f = fixture();
    const exited = spawnSync(process.execPath, ['-e', '']);
    const deadPid = exited.pid;
    expect(deadPid).toBeGreaterThan(0);
    const stale = [
      // The names mapc wrote before it recorded the pid.
      '.generated.mapc-old-a1B2c3',
      '.generated.mapc-new-d4E5f6',
      // A dead process's, of every kind.
      `.generated.mapc-old-${deadPid}-g7H8i9`,
      `.generated.mapc-ready-${deadPid}-g7H8i9`,
      `.generated.mapc-new-${deadPid}-j0K1l2`,
    ];
    for (const name of stale) {
      fs.mkdirSync(path.join(f.dir, name, 'actions'), { recursive: true });
      fs.writeFileSync(path.join(f.dir, name, 'tenant.yaml'), 'stale\n');
    }
    // This test's own process is running: its staging folder belongs to a build in progress.
    const running = `.generated.mapc-new-${process.pid}-m3N4o5`;
    fs.mkdirSync(path.join(f.dir, running));
    // Not a leftover: another output folder's name, and a user's file.
    fs.mkdirSync(path.join(f.dir, '.other.mapc-old-a1B2c3'));
    fs.writeFileSync(path.join(f.dir, 'notes.txt'), 'mine\n');

    expectOk(mapc(f.dir, ['build']));
    expect(tree(path.join(f.dir, 'generated'))).toEqual(f.newTree);
    expect(leftovers(f.dir)).toEqual([running]);
    expect(fs.existsSync(path.join(f.dir, '.other.mapc-old-a1B2c3'))).toBe(true);
    expect(fs.readFileSync(path.join(f.dir, 'notes.txt'), 'utf8')).toBe('mine\n');
  });

  it('a build with nothing left over is unchanged: the same bytes, nothing next to generated/', () => {
    const f = fixture();
    expectOk(mapc(f.dir, ['build']));
    expect(tree(path.join(f.dir, 'generated'))).toEqual(f.newTree);
    expect(fs.readdirSync(f.dir).sort()).toEqual(['generated', 'mappings']);
  });
});
