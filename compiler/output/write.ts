/**
 * Writing `generated/` atomically and detecting drift. A build writes into a temporary
 * sibling folder and swaps it in with renames, so a failed or interrupted build leaves the
 * old folder as it was, and files of removed Actions disappear with the old folder.
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { Diagnostic } from '../diagnostics';
import { MANIFEST_FILE } from './render';
import { diag } from '../diagnostics';

/** A relative output path must stay inside the output folder (renderOutput makes them; a bad one is a bug). */
function checkRelative(rel: string): void {
  const parts = rel.split('/');
  if (rel === '' || path.isAbsolute(rel) || rel.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new Error(`output: unsafe output path ${JSON.stringify(rel)}`);
  }
}

/**
 * Replaces `outDir` with exactly `files` (paths relative to it, `/`-separated). Returns
 * diagnostics instead of throwing for problems of the environment: MAPC0803 when `outDir`
 * exists, is not empty and is not a mapc output folder (no mapc-manifest.json: refusing to
 * delete someone's folder), MAPC0804 when the file system refuses a write or a rename. In
 * both cases `outDir` is left as it was.
 */
export async function writeOutput(outDir: string, files: ReadonlyMap<string, string>): Promise<Diagnostic[]> {
  for (const rel of files.keys()) checkRelative(rel);
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  const base = path.basename(target);

  const existing = await stat(target);
  if (existing && !existing.isDirectory()) {
    return [notOurs(outDir, 'it is a file')];
  }
  if (existing) {
    const entries = await fsp.readdir(target);
    if (entries.length > 0 && !entries.includes(MANIFEST_FILE)) return [notOurs(outDir, `it has no ${MANIFEST_FILE}`)];
  }

  let tmp: string | undefined;
  let old: string | undefined;
  try {
    await fsp.mkdir(parent, { recursive: true });
    tmp = await fsp.mkdtemp(path.join(parent, `.${base}.mapc-new-`));
    // Sorted: the same build makes the same sequence of writes.
    for (const rel of [...files.keys()].sort()) {
      const file = path.join(tmp, ...rel.split('/'));
      await fsp.mkdir(path.dirname(file), { recursive: true });
      await fsp.writeFile(file, files.get(rel)!, 'utf8');
    }
    if (existing) {
      old = `${tmp.replace('.mapc-new-', '.mapc-old-')}`;
      await fsp.rename(target, old);
      try {
        await fsp.rename(tmp, target);
      } catch (err) {
        await fsp.rename(old, target);
        old = undefined;
        throw err;
      }
    } else {
      await fsp.rename(tmp, target);
    }
    tmp = undefined;
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

/** The relative paths whose content differs from `files`, are missing, or are extra in `outDir`; sorted. */
export function diffOutput(outDir: string, files: ReadonlyMap<string, string>): string[] {
  return diffOutputDetailed(outDir, files).map((d) => d.path);
}

/** Like `diffOutput`, with the kind of each difference. */
export function diffOutputDetailed(outDir: string, files: ReadonlyMap<string, string>): Drift[] {
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
