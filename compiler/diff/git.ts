/**
 * Reading the project as it is at a git ref, through git itself (`ls-tree` + `cat-file`), into
 * a temporary folder laid out like the repository, so that compiling it from the matching
 * working directory shows the same paths (`mappings/x.yaml`) as the working tree does.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface BaseTree {
  /** Temporary repository root; remove with `cleanup()`. */
  readonly root: string;
  /** The working directory inside `root` matching the caller's. */
  readonly cwd: string;
  /** The project folder to compile from `cwd`. */
  readonly projectDir: string;
  /** Files read from the ref (0: the project does not exist there). */
  readonly files: number;
  readonly cleanup: () => void;
}

/** Why the ref could not be read (a usage problem, not a bug). */
export class GitError extends Error {}

function git(cwd: string, args: readonly string[]): Buffer {
  return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

function real(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** The repository root of `cwd`, or a GitError. */
export function repoRoot(cwd: string): string {
  try {
    return real(git(cwd, ['rev-parse', '--show-toplevel']).toString('utf8').trim());
  } catch {
    throw new GitError(`${cwd} is not inside a git repository (use --base-dir <dir> to compare two folders)`);
  }
}

/**
 * Writes the files of `projectDir` (relative to `cwd`, or absolute) as they are at `ref` into
 * a temporary folder. Throws GitError when there is no repository or no such ref.
 */
export function readProjectAtRef(cwd: string, projectDir: string, ref: string): BaseTree {
  // The repository is the project folder's, wherever mapc runs from.
  const projectAbs = path.resolve(cwd, projectDir);
  const root = repoRoot(fs.existsSync(projectAbs) ? projectAbs : cwd);
  let commit: string;
  try {
    commit = git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).toString('utf8').trim();
  } catch {
    throw new GitError(`unknown git ref '${ref}' (for a pull request, fetch the base first: git fetch origin main)`);
  }
  const absProject = real(path.resolve(cwd, projectDir));
  const rel = path.relative(root, absProject);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new GitError(`the project folder ${projectDir} is outside the git repository ${root}`);
  const relPosix = rel.split(path.sep).join('/');
  const names = git(root, ['ls-tree', '-r', '-z', '--name-only', commit, '--', relPosix === '' ? '.' : relPosix])
    .toString('utf8')
    .split('\0')
    .filter((n) => n !== '');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-diff-'));
  const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
  try {
    for (const name of names) {
      const out = path.join(tmp, ...name.split('/'));
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, git(root, ['cat-file', 'blob', `${commit}:${name}`]));
    }
    const relCwd = path.relative(root, real(cwd));
    const tmpCwd = relCwd.startsWith('..') ? tmp : path.join(tmp, relCwd);
    fs.mkdirSync(tmpCwd, { recursive: true });
    return {
      root: tmp,
      cwd: tmpCwd,
      projectDir: path.isAbsolute(projectDir) ? path.join(tmp, rel) : projectDir,
      files: names.length,
      cleanup,
    };
  } catch (err) {
    cleanup();
    throw err;
  }
}
