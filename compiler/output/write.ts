/**
 * Writing `generated/` atomically and detecting drift.
 *
 * A build never writes into `generated/` itself. Next to it (same parent, so renames stay on
 * one file system) it uses folders named `.<out>.mapc-<kind>-<pid>-<random>`, where `<pid>` is
 * the process that made them:
 *
 *   -new-    staging: the new output is being written; never complete, never promoted
 *   -ready-  the staging folder renamed once its last file was written: complete (the rename
 *            is the completeness marker, so no marker file ends up in generated/)
 *   -old-    the previous `generated/`, moved aside whole by one rename: complete
 *
 * The swap, with the crash steps named after the point they stop at (see below):
 *
 *   1. recover leftovers of an earlier, interrupted run          (step `after-recover`)
 *   2. write every file into `-new-`, sorted                     (`mid-write-new` after the
 *                                                                 first file, `after-write-new`)
 *   3. rename `-new-` → `-ready-`                                (`after-mark-complete`)
 *   4. rename `generated/` → `-old-` (when it exists)           (`after-rename-old`)
 *   5. rename `-ready-` → `generated/`                           (`after-rename-new`)
 *   6. delete `-old-`
 *
 * Each step is one rename, so a process killed anywhere leaves `generated/` either the old
 * output or the new one, complete — or missing, only between steps 4 and 5, with `-old-`
 * holding it. The next build (and `mapc check`, before it compares) repairs that with one rule,
 * `recoverOutput`: if `generated/` is missing, restore the newest `-old-`, else promote the
 * newest `-ready-`; never a `-new-`. Then, once `generated/` is a folder, delete every leftover.
 * Leftovers of a process that is still running (a concurrent build) are never touched. This
 * guards against interruption (a kill, a crash, Ctrl-C), not against power loss: files are not
 * fsync'ed.
 *
 * Crash hook for tests: `MAPC_TEST_CRASH_AT=<step>` makes the process kill itself with SIGKILL
 * at that step (tests/hardening/regressions/generated-swap-interrupted.test.ts). It is read
 * only here, only at those points, and does nothing when unset.
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { Diagnostic } from '../diagnostics';
import { compare } from '../order';
import { MANIFEST_FILE } from './render';
import { diag } from '../diagnostics';

/** The points at which `MAPC_TEST_CRASH_AT` can stop a build; in the order a build reaches them. */
export const CRASH_STEPS = [
  'after-recover',
  'mid-write-new',
  'after-write-new',
  'after-mark-complete',
  'after-rename-old',
  'after-rename-new',
] as const;
export type CrashStep = (typeof CRASH_STEPS)[number];

/** Test hook: dies at `step` as a kill would (no cleanup, no exit handlers) when asked to. */
function crashPoint(step: CrashStep): void {
  if (process.env['MAPC_TEST_CRASH_AT'] === step) process.kill(process.pid, 'SIGKILL');
}

/** A relative output path must stay inside the output folder (renderOutput makes them; a bad one is a bug). */
function checkRelative(rel: string): void {
  const parts = rel.split('/');
  if (rel === '' || path.isAbsolute(rel) || rel.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new Error(`output: unsafe output path ${JSON.stringify(rel)}`);
  }
}

type LeftoverKind = 'new' | 'ready' | 'old';

/** A `.<out>.mapc-<kind>-…` folder next to the output folder. */
interface Leftover {
  readonly abs: string;
  readonly kind: LeftoverKind;
  /** The process that made it; undefined for names without one (mapc before the pid was added). */
  readonly pid: number | undefined;
}

/** The prefix of a leftover of `kind` for output folder `base`. */
function leftoverPrefix(base: string, kind: LeftoverKind): string {
  return `.${base}.mapc-${kind}-`;
}

/** The leftovers next to `target`, sorted by name; none when its parent cannot be read. */
function findLeftovers(target: string): Leftover[] {
  const parent = path.dirname(target);
  const base = path.basename(target);
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return [];
  }
  const out: Leftover[] = [];
  for (const name of names.sort(compare)) {
    for (const kind of ['new', 'ready', 'old'] as const) {
      const prefix = leftoverPrefix(base, kind);
      if (!name.startsWith(prefix)) continue;
      const m = /^(\d+)-[^-]+$/.exec(name.slice(prefix.length));
      out.push({ abs: path.join(parent, name), kind, pid: m ? Number(m[1]) : undefined });
    }
  }
  return out;
}

/** True when the process that made a leftover may still be writing it (ours, or alive). */
function ownerRunning(l: Leftover): boolean {
  if (l.pid === undefined) return false;
  if (l.pid === process.pid) return true;
  try {
    process.kill(l.pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is someone else's. ESRCH: gone. (A reused pid only delays cleanup.)
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch {
    return null;
  }
}

/** The most recently modified of `candidates` (ties: the last by name). */
function newest(candidates: readonly Leftover[]): Leftover | undefined {
  let best: { l: Leftover; mtime: number } | undefined;
  for (const l of candidates) {
    const st = lstatOrNull(l.abs);
    if (!st?.isDirectory()) continue;
    if (!best || st.mtimeMs >= best.mtime) best = { l, mtime: st.mtimeMs };
  }
  return best?.l;
}

/**
 * Repairs what an interrupted run left next to `target` (the absolute output folder), by the
 * rule of the module comment: when `target` is missing, restore the newest `-old-`, else promote
 * the newest `-ready-` (a `-new-` is never complete); then, when `target` is a folder, delete
 * every leftover of a process that is no longer running (a `-new-` is deleted even when
 * `target` stays missing). Best effort: a file system that refuses is left as it is (the build
 * then reports its own error); it never throws.
 */
export function recoverOutput(target: string): void {
  const dead = findLeftovers(target).filter((l) => !ownerRunning(l));
  if (dead.length === 0) return;
  const remaining = new Set(dead);
  if (lstatOrNull(target) === null) {
    const restore = newest(dead.filter((l) => l.kind === 'old')) ?? newest(dead.filter((l) => l.kind === 'ready'));
    if (restore) {
      try {
        fs.renameSync(restore.abs, target);
        remaining.delete(restore);
      } catch {
        // Leave everything as it is: deleting the other copies now could lose the last one.
        return;
      }
    }
  }
  const targetIsFolder = lstatOrNull(target)?.isDirectory() === true;
  for (const l of remaining) {
    if (l.kind !== 'new' && !targetIsFolder) continue;
    try {
      fs.rmSync(l.abs, { recursive: true, force: true });
    } catch {
      // Not a build failure; the next run tries again.
    }
  }
}

export interface WriteOptions {
  /**
   * The file whose presence marks an existing folder as mapc's to replace (default
   * mapc-manifest.json; `mapc catalog` writes mapc-catalog.json). `files` should hold it.
   */
  readonly marker?: string;
}

/**
 * Replaces `outDir` with exactly `files` (paths relative to it, `/`-separated), by the swap of
 * the module comment, after recovering what an interrupted earlier run left. Returns
 * diagnostics instead of throwing for problems of the environment: MAPC0803 when `outDir`
 * exists, is not empty and is not a mapc output folder (no mapc-manifest.json, or `opts.marker`: refusing to
 * delete someone's folder), MAPC0804 when the file system refuses a write or a rename. In
 * both cases `outDir` is left as it was.
 */
export async function writeOutput(outDir: string, files: ReadonlyMap<string, string>, opts: WriteOptions = {}): Promise<Diagnostic[]> {
  const marker = opts.marker ?? MANIFEST_FILE;
  for (const rel of files.keys()) checkRelative(rel);
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  const base = path.basename(target);

  recoverOutput(target);
  crashPoint('after-recover');

  const existing = await stat(target);
  if (existing && !existing.isDirectory()) {
    return [notOurs(outDir, 'it is a file')];
  }
  if (existing) {
    const entries = await fsp.readdir(target);
    if (entries.length > 0 && !entries.includes(marker)) return [notOurs(outDir, `it has no ${marker}`)];
  }

  /** The folder holding the new output until it is in place: `-new-`, then `-ready-`. */
  let tmp: string | undefined;
  let old: string | undefined;
  try {
    await fsp.mkdir(parent, { recursive: true });
    tmp = await fsp.mkdtemp(path.join(parent, `${leftoverPrefix(base, 'new')}${process.pid}-`));
    const suffix = path.basename(tmp).slice(leftoverPrefix(base, 'new').length);
    // Sorted: the same build makes the same sequence of writes.
    let first = true;
    for (const rel of [...files.keys()].sort()) {
      const file = path.join(tmp, ...rel.split('/'));
      await fsp.mkdir(path.dirname(file), { recursive: true });
      await fsp.writeFile(file, files.get(rel)!, 'utf8');
      if (first) crashPoint('mid-write-new');
      first = false;
    }
    crashPoint('after-write-new');
    const ready = path.join(parent, leftoverPrefix(base, 'ready') + suffix);
    await fsp.rename(tmp, ready);
    tmp = ready;
    crashPoint('after-mark-complete');
    if (existing) {
      old = path.join(parent, leftoverPrefix(base, 'old') + suffix);
      await fsp.rename(target, old);
      crashPoint('after-rename-old');
      try {
        await fsp.rename(tmp, target);
      } catch (err) {
        // Put the old output back; if even that fails, `-old-` is kept and the next run restores it.
        const moved = old;
        old = undefined;
        await fsp.rename(moved, target).catch(() => undefined);
        throw err;
      }
    } else {
      await fsp.rename(tmp, target);
    }
    tmp = undefined;
    crashPoint('after-rename-new');
  } catch (err) {
    if (tmp) await fsp.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    const e = err as NodeJS.ErrnoException;
    return [
      diag('MAPC0804', undefined, `could not write ${outDir}: ${e.code ? `${e.code} ` : ''}${e.message}`, `check that ${outDir} and its parent folder are writable; the previous output was left unchanged`),
    ];
  }
  // The new output is in place; failing to clean up the old copy is not a build failure.
  if (old) await fsp.rm(old, { recursive: true, force: true }).catch(() => undefined);
  return [];
}

function notOurs(outDir: string, why: string): Diagnostic {
  return diag('MAPC0803', undefined, `refusing to replace ${outDir}: ${why}, so it does not look like mapc output`, `choose another --out folder, or empty ${outDir} first`);
}

async function stat(p: string): Promise<fs.Stats | null> {
  try {
    return await fsp.stat(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** How one output path differs from what is on disk. */
export interface Drift {
  readonly path: string;
  readonly kind: 'changed' | 'missing' | 'extra';
}

/**
 * The relative paths whose content differs from `files`, are missing, or are extra in `outDir`;
 * sorted. Leftovers of an interrupted build next to `outDir` are first repaired (`recoverOutput`).
 */
export function diffOutput(outDir: string, files: ReadonlyMap<string, string>): string[] {
  return diffOutputDetailed(outDir, files).map((d) => d.path);
}

/** Like `diffOutput`, with the kind of each difference. */
export function diffOutputDetailed(outDir: string, files: ReadonlyMap<string, string>): Drift[] {
  // What is compared is the output an interrupted build left, repaired as the next build would.
  recoverOutput(path.resolve(outDir));
  const onDisk = new Set(listFiles(path.resolve(outDir)));
  const out: Drift[] = [];
  for (const [rel, text] of files) {
    if (!onDisk.has(rel)) {
      out.push({ path: rel, kind: 'missing' });
      continue;
    }
    const actual = fs.readFileSync(path.join(outDir, ...rel.split('/')));
    if (!actual.equals(Buffer.from(text, 'utf8'))) out.push({ path: rel, kind: 'changed' });
  }
  for (const rel of onDisk) if (!files.has(rel)) out.push({ path: rel, kind: 'extra' });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Every file under `dir`, relative, `/`-separated; empty when `dir` does not exist. */
function listFiles(dir: string, prefix = ''): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: string[] = [];
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(path.join(dir, e.name), rel));
    else out.push(rel);
  }
  return out;
}
