/**
 * A company repository as the GitHub Action sees it after actions/checkout and `npm ci`: a git
 * clone whose `origin` is a bare repository on disk (the base branch `main` pushed there, but
 * not fetched into the clone: the action has to fetch it), mapc "installed" as
 * node_modules/mapc → this checkout (so `npx --no-install mapc` runs this repository's
 * bin/mapc.js), a project made by `mapc init` and built, and a pull-request branch checked out.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/compiled';

export const MAPC = path.join(REPO, 'bin', 'mapc.js');

export function sh(cmd: string, args: readonly string[], cwd: string): string {
  const r = spawnSync(cmd, [...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', MAPC_DEBUG: '' }, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

export const git = (cwd: string, ...args: string[]) =>
  sh('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], cwd);

export const mapc = (cwd: string, ...args: string[]) => sh(process.execPath, [MAPC, ...args], cwd);

export interface Workspace {
  /** The clone (GITHUB_WORKSPACE). */
  readonly root: string;
  /** Where mapc is installed and runs (the action's working-directory). */
  readonly dir: string;
  /** The spec file the tests edit. */
  readonly spec: string;
  /** The spec as committed on main. */
  readonly original: string;
}

/** Makes the repository under `tmp`; mapc's folder is `sub` of the clone ('' for its root). */
export function makeWorkspace(tmp: string, sub = ''): Workspace {
  const root = path.join(tmp, 'workspace');
  const origin = path.join(tmp, 'origin.git');
  const dir = path.join(root, sub);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "acme-identity", "private": true, "devDependencies": { "mapc": "*" } }\n');
  fs.mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
  fs.symlinkSync(REPO, path.join(dir, 'node_modules', 'mapc'), 'dir');
  fs.symlinkSync(path.join('..', 'mapc', 'bin', 'mapc.js'), path.join(dir, 'node_modules', '.bin', 'mapc'));
  fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules/\n');
  mapc(dir, 'init');
  mapc(dir, 'build');
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'mappings');
  git(tmp, 'init', '-q', '--bare', origin);
  git(root, 'remote', 'add', 'origin', origin);
  git(root, 'push', '-q', 'origin', 'main');
  // A checkout of the pull request only: the base branch is on origin, not in the clone.
  git(root, 'update-ref', '-d', 'refs/remotes/origin/main');
  git(root, 'checkout', '-q', '-b', 'feature');
  const spec = path.join(dir, 'mappings', 'crm-enrichment.yaml');
  return { root, dir, spec, original: fs.readFileSync(spec, 'utf8') };
}

/** `mapc check --help` of this checkout's mapc (what its options are). */
export function checkHelp(): string {
  return spawnSync(process.execPath, [MAPC, 'check', '--help'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }).stdout;
}
