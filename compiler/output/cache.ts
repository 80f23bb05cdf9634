/**
 * The build cache (#16): a `mapc build` whose inputs are all unchanged since the last clean
 * build, and whose output folder still holds exactly what that build wrote, does nothing —
 * it reads and hashes the files instead of parsing, checking and bundling them.
 *
 * The key covers everything a build reads: every file under the project folder (name and
 * contents, test files and ignored files included, so nothing a build might read is missed),
 * the output layout, mapc's version and a fingerprint of the compiler itself (the size and
 * modification time of every file of its installation, so a rebuilt or upgraded mapc misses).
 * Only builds without any diagnostic are recorded (a hit has nothing to print). The record
 * lives in `node_modules/.cache/mapc/` of the working folder, the place build tools share;
 * without a `node_modules` folder there is no cache, and `MAPC_NO_CACHE=1` turns it off.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compare } from '../order';

export interface CacheOptions {
  /** The working folder; the cache is `<cwd>/node_modules/.cache/mapc`. */
  readonly cwd: string;
  readonly projectDir: string;
  readonly outDir: string;
  /** Anything else the output depends on (the layout). */
  readonly variant: string;
  /** mapc's installation folder (package.json, dist/, runtime/). */
  readonly installDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

interface Entry {
  readonly key: string;
  /** Output files (relative, `/`) → sha256. */
  readonly outputs: Readonly<Record<string, string>>;
  /** What the build printed on success, to say it again. */
  readonly actions: number;
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** Every file below `dir`, relative with `/`, sorted; symbolic links followed as the loader reads them. */
function files(dir: string, rel = '', out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => compare(a.name, b.name))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) files(dir, r, out);
    else out.push(r);
  }
  return out;
}

/**
 * mapc's cache folder for commands run in `cwd`: `<cwd>/node_modules/.cache/mapc`, or null
 * without a node_modules folder or with MAPC_NO_CACHE=1. Holds the build records (below), the
 * bundled Actions (`bundles/`, compiler/bundle) and the CLI's code cache (bin/mapc.js).
 */
export function cacheFolder(cwd: string, env: Readonly<Record<string, string | undefined>>): string | null {
  if (env['MAPC_NO_CACHE'] === '1') return null;
  const modules = path.join(cwd, 'node_modules');
  if (!fs.existsSync(modules)) return null;
  return path.join(modules, '.cache', 'mapc');
}

function cacheFile(o: CacheOptions): string | null {
  const folder = cacheFolder(o.cwd, o.env);
  return folder === null ? null : path.join(folder, `${sha256(path.resolve(o.outDir)).slice(0, 16)}.json`);
}

/** The key of a build of `o` as the files are now, or null when a file cannot be read (no cache). */
export function buildKey(o: CacheOptions): string | null {
  const h = createHash('sha256');
  h.update(`mapc-cache 1\0${o.variant}\0${path.resolve(o.projectDir)}\0`);
  try {
    h.update(fs.readFileSync(path.join(o.installDir, 'package.json')));
    for (const sub of ['dist', 'runtime']) {
      for (const f of files(path.join(o.installDir, sub))) {
        const st = fs.statSync(path.join(o.installDir, sub, f));
        h.update(`${sub}/${f}\0${st.size}\0${st.mtimeMs}\0`);
      }
    }
    for (const f of files(o.projectDir)) h.update(`${f}\0${sha256(fs.readFileSync(path.join(o.projectDir, f)))}\0`);
  } catch {
    return null;
  }
  return h.digest('hex');
}

/** The number of Actions of the recorded build when `key` matches and the output folder holds exactly its files; else null. */
export function cacheHit(o: CacheOptions, key: string): number | null {
  const file = cacheFile(o);
  if (!file) return null;
  let entry: Entry;
  try {
    entry = JSON.parse(fs.readFileSync(file, 'utf8')) as Entry;
  } catch {
    return null;
  }
  if (entry.key !== key) return null;
  const on = files(o.outDir);
  const want = Object.keys(entry.outputs).sort(compare);
  if (on.length !== want.length || on.some((f, i) => f !== want[i])) return null;
  try {
    for (const f of on) if (sha256(fs.readFileSync(path.join(o.outDir, f))) !== entry.outputs[f]) return null;
  } catch {
    return null;
  }
  return entry.actions;
}

/** Records a clean build (best effort: a cache that cannot be written is no cache). */
export function recordBuild(o: CacheOptions, key: string, outputs: ReadonlyMap<string, string>, actions: number): void {
  const file = cacheFile(o);
  if (!file) return;
  const entry: Entry = { key, outputs: Object.fromEntries([...outputs].map(([p, text]) => [p, sha256(text)])), actions };
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(entry));
    fs.renameSync(tmp, file);
  } catch {
    // ignore
  }
}
