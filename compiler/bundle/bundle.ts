/**
 * esbuild: an Action's entry module + runtime/ → one self-contained CommonJS file. The
 * runtime is tree-shaken to what the plan uses; the result is checked against Auth0's size
 * limit and must not depend on anything but Node built-ins.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinModules } from 'node:module';
import * as esbuild from 'esbuild';
import type { Code } from '../codegen';
import { diag, type Diagnostic } from '../diagnostics';
import type { Span } from '../source';
import { LIMITS } from '../triggers';

/** Options of `bundleAction`; all optional. */
export interface BundleOptions {
  /**
   * The repository root holding `runtime/` (default: found from this file's location, so it
   * works from the TS sources and from dist/compiler/bundle/).
   */
  readonly root?: string;
  /** Where the size diagnostic points (e.g. the first spec of the Action). */
  readonly span?: Span;
  /** Size limit in bytes (default Auth0's, LIMITS.actionBytes). */
  readonly maxBytes?: number;
  /**
   * A folder for bundled Actions kept across builds (`bundleActions` only): an Action whose
   * entry module, name, runtime/ and esbuild are unchanged is not bundled again. None by default.
   */
  readonly cacheDir?: string;
}

export type BundleResult =
  | { readonly code: string }
  | {
      readonly diagnostics: Diagnostic[];
      /** Set when the Action is over the size limit (the MAPC0801 among `diagnostics`). */
      readonly tooLarge?: { readonly bytes: number; readonly max: number };
    };

/** The esbuild options every Action is bundled with (also used by the benchmarks' size table). */
export const BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  treeShaking: true,
  charset: 'ascii',
  // esbuild re-prints string literals and would undo codegen's `\u003c/script>`: keep
  // `</script` escaped (as `<\/script`) so no user string can close a script element.
  supported: { 'inline-script': true },
  legalComments: 'none',
  write: false,
  metafile: true,
  logLevel: 'silent',
} as const satisfies esbuild.BuildOptions;

/**
 * Bundles `entry` (from `emitAction`) for the Action `name`. Deterministic: the same entry and
 * runtime give the same bytes whatever the working directory or checkout location (paths in
 * esbuild's comments are relative to the repository root). Fails with MAPC0801 when the result
 * exceeds the size limit, MAPC0802 when esbuild or the self-containment check fails.
 */
export async function bundleAction(entry: Code, name: string, opts: BundleOptions = {}): Promise<BundleResult> {
  const root = opts.root ?? repoRoot();
  const { header, body } = splitHeader(entry.toString());
  let result: esbuild.BuildResult<{ write: false; metafile: true }>;
  try {
    result = await esbuild.build({
      ...BUILD_OPTIONS,
      stdin: { contents: body, resolveDir: path.join(root, 'runtime'), sourcefile: `${name}.plan.js`, loader: 'js' },
      absWorkingDir: root,
      // esbuild drops a comment at the top of a file; the header goes back on as the banner.
      ...(header ? { banner: { js: header } } : {}),
    });
  } catch (err) {
    return { diagnostics: [bundleFailed(name, failureText(err), opts.span)] };
  }
  const out = result.outputFiles[0]!;
  const meta = Object.values(result.metafile.outputs)[0]!;
  return finish(name, out.text, Object.keys(result.metafile.inputs), meta.imports, opts);
}

/** One Action for `bundleActions`. */
export interface BundleItem {
  readonly entry: Code;
  readonly name: string;
  /** Where this Action's size diagnostic points. */
  readonly span?: Span;
}

/**
 * Bundles several Actions with one esbuild build (one entry point each), so runtime/ is read
 * and parsed once instead of once per Action; results in the order of `items`, each the same
 * bytes `bundleAction` gives for it. If the build fails as a whole, each Action is bundled on
 * its own, so every diagnostic names its Action.
 */
export async function bundleActions(items: readonly BundleItem[], opts: Omit<BundleOptions, 'span'> = {}): Promise<BundleResult[]> {
  if (opts.cacheDir === undefined) return bundleFresh(items, opts);
  const cache = new BundleCache(opts.cacheDir, opts.root ?? repoRoot(), opts.maxBytes ?? LIMITS.actionBytes);
  const keys = items.map((it) => cache.key(it));
  const results: (BundleResult | undefined)[] = keys.map((k) => cache.get(k));
  const missing = items.flatMap((it, i) => (results[i] === undefined ? [i] : []));
  if (missing.length > 0) {
    const fresh = await bundleFresh(
      missing.map((i) => items[i]!),
      opts,
    );
    missing.forEach((i, j) => {
      const r = fresh[j]!;
      results[i] = r;
      if ('code' in r) cache.put(keys[i]!, r.code);
    });
    cache.prune(4 * items.length + 64);
  }
  return results as BundleResult[];
}

/**
 * Bundled Actions by key, one file each (`<key>.js` under the cache folder). The key is a
 * sha256 of everything the bundle depends on: the entry module (header included) and the
 * Action's name (esbuild's path comments carry it), every file of runtime/, esbuild's version
 * and options, the size limit and the bundler's own code. Only bundles that passed every check are kept, so a hit is
 * a `{ code }` result. Reading or writing failures only make misses.
 */
class BundleCache {
  private readonly dir: string;
  private readonly base: string;

  constructor(cacheDir: string, root: string, maxBytes: number) {
    this.dir = path.join(cacheDir, 'bundles');
    this.base = runtimeFingerprint(root, maxBytes);
  }

  key(it: BundleItem): string {
    return createHash('sha256').update(`${this.base}\0${it.name}\0`).update(it.entry.toString()).digest('hex');
  }

  get(key: string): BundleResult | undefined {
    const file = path.join(this.dir, `${key}.js`);
    try {
      const code = fs.readFileSync(file, 'utf8');
      // Used now: kept longest by `prune`.
      const now = new Date();
      fs.utimesSync(file, now, now);
      return { code };
    } catch {
      return undefined;
    }
  }

  put(key: string, code: string): void {
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const file = path.join(this.dir, `${key}.js`);
      const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      fs.writeFileSync(tmp, code);
      fs.renameSync(tmp, file);
    } catch {
      // A bundle that cannot be kept is bundled again next time.
    }
  }

  /** Keeps the `keep` most recently used bundles (other branches, earlier edits), drops the rest. */
  prune(keep: number): void {
    try {
      const all = fs.readdirSync(this.dir).map((f) => ({ f, t: fs.statSync(path.join(this.dir, f)).mtimeMs }));
      if (all.length <= keep) return;
      all.sort((a, b) => b.t - a.t || compareText(a.f, b.f));
      for (const { f } of all.slice(keep)) fs.rmSync(path.join(this.dir, f), { force: true });
    } catch {
      // ignore
    }
  }
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const fingerprints = new Map<string, string>();

/** Every file below `dir` (relative, sorted). */
function filesBelow(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => compareText(a.name, b.name))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...filesBelow(dir, r));
    else if (e.isFile()) out.push(r);
  }
  return out;
}

/**
 * sha256 of runtime/ (every file's name and bytes), esbuild's version and options, and the size
 * limit. Hashed once per process while the files' sizes and modification times stay the same.
 */
function runtimeFingerprint(root: string, maxBytes: number): string {
  const runtimeDir = path.join(root, 'runtime');
  const files = filesBelow(runtimeDir);
  const stats = files.map((f) => {
    const st = fs.statSync(path.join(runtimeDir, f));
    return `${f}:${st.size}:${st.mtimeMs}`;
  });
  const id = `${runtimeDir}\0${maxBytes}\0${stats.join('\0')}`;
  const known = fingerprints.get(id);
  if (known) return known;
  const h = createHash('sha256').update(`mapc-bundle 1\0${esbuild.version}\0${JSON.stringify(BUILD_OPTIONS)}\0${maxBytes}\0`);
  // This code itself (the checks after esbuild, `neutraliseKeywords`): in the bundled CLI the
  // whole of dist/mapc.js, so any other mapc misses.
  h.update(fs.readFileSync(__filename)).update('\0');
  for (const f of files) h.update(`${f}\0`).update(fs.readFileSync(path.join(runtimeDir, f))).update('\0');
  const digest = h.digest('hex');
  fingerprints.set(id, digest);
  return digest;
}

/** `bundleActions` without the cache. */
async function bundleFresh(items: readonly BundleItem[], opts: Omit<BundleOptions, 'span'>): Promise<BundleResult[]> {
  const root = opts.root ?? repoRoot();
  const runtimeDir = path.join(root, 'runtime');
  const one = (it: BundleItem): Promise<BundleResult> => bundleAction(it.entry, it.name, { ...opts, ...(it.span ? { span: it.span } : {}) });
  // Action names are unique per build; a repeated name could not get its own output file.
  if (items.length < 2 || new Set(items.map((i) => i.name)).size !== items.length) return Promise.all(items.map(one));
  const parts = items.map((it) => splitHeader(it.entry.toString()));
  // Each entry is a virtual file beside the runtime, named as `bundleAction`'s stdin is, so
  // esbuild's path comments are the same.
  const entryPath = (name: string): string => path.join(runtimeDir, `${name}.plan.js`);
  const bodies = new Map(items.map((it, i) => [entryPath(it.name), parts[i]!.body]));
  let result: esbuild.BuildResult<{ write: false; metafile: true }>;
  try {
    result = await esbuild.build({
      ...BUILD_OPTIONS,
      entryPoints: Object.fromEntries(items.map((it) => [it.name, entryPath(it.name)])),
      outdir: path.join(root, '.mapc-bundle'),
      absWorkingDir: root,
      plugins: [
        {
          name: 'mapc-entries',
          setup(build: esbuild.PluginBuild) {
            build.onResolve({ filter: /\.plan\.js$/ }, (a: esbuild.OnResolveArgs) => (bodies.has(a.path) ? { path: a.path } : undefined));
            build.onLoad({ filter: /\.plan\.js$/ }, (a: esbuild.OnLoadArgs) => {
              const contents = bodies.get(a.path);
              return contents === undefined ? undefined : { contents, loader: 'js', resolveDir: runtimeDir };
            });
          },
        },
      ],
    });
  } catch {
    return Promise.all(items.map(one));
  }
  const byPath = new Map(result.outputFiles.map((f) => [f.path, f.text]));
  const metaOf = new Map(Object.entries(result.metafile.outputs).map(([p, m]) => [path.resolve(root, p), m]));
  return items.map((it, i) => {
    const file = path.join(root, '.mapc-bundle', `${it.name}.js`);
    const text = byPath.get(file);
    const meta = metaOf.get(file);
    if (text === undefined || meta === undefined) return { diagnostics: [bundleFailed(it.name, 'esbuild produced no output for it', it.span)] };
    const header = parts[i]!.header;
    // As esbuild's banner would put it: the header, a line break, the code.
    return finish(it.name, header ? `${header}\n${text}` : text, Object.keys(meta.inputs), meta.imports, { ...opts, ...(it.span ? { span: it.span } : {}) });
  });
}

/** Checks and size limit shared by both bundling paths. */
function finish(name: string, text: string, inputs: readonly string[], imports: readonly { path: string }[], opts: BundleOptions): BundleResult {
  const code = neutraliseKeywords(text);
  const problem = selfContainmentProblem(inputs, imports);
  if (problem) return { diagnostics: [bundleFailed(name, problem, opts.span)] };
  const bytes = Buffer.byteLength(code, 'utf8');
  const max = opts.maxBytes ?? LIMITS.actionBytes;
  if (bytes > max) {
    return {
      diagnostics: [
        diag(
          'MAPC0801',
          opts.span,
          `Action '${name}' is ${bytes} bytes after bundling; Auth0 accepts at most ${max} bytes per Action`,
          'move some specs into their own Action with `action: <name>`, or drop mappings this Action does not need',
        ),
      ],
      tooLarge: { bytes, max },
    };
  }
  return { code };
}

function failureText(err: unknown): string {
  const failure = err as Partial<esbuild.BuildFailure>;
  return failure.errors?.map((m) => m.text).join('; ') ?? String(err);
}

function bundleFailed(name: string, detail: string, span: Span | undefined): Diagnostic {
  return diag('MAPC0802', span, `could not bundle Action '${name}': ${detail}`, 'this is most likely a bug in mapc or a broken runtime/ folder: please report it');
}

const BUILTINS = new Set(builtinModules);

/** Every input must come from runtime/ (no npm package) and every import left must be a Node built-in. */
function selfContainmentProblem(inputs: readonly string[], imports: readonly { path: string }[]): string | null {
  for (const input of [...inputs].sort()) {
    if (input.includes('node_modules')) return `the bundle would include the npm package file ${input}`;
  }
  for (const imp of imports) {
    const id = imp.path.startsWith('node:') ? imp.path.slice(5) : imp.path;
    if (!BUILTINS.has(id)) return `the bundle would require '${imp.path}', which an Auth0 Action does not have`;
  }
  return null;
}

/**
 * Rewrites every `##` and `@@` in the bundle so the Deploy CLI's keyword replacement
 * (`##KEY##`, `@@KEY@@`, applied to each code.js it uploads: AUTH0-FACTS.md §4.4) cannot
 * change the code, e.g. put a secret's value into a string a user wrote. esbuild re-prints
 * string literals, undoing codegen's escapes, so this runs on the output. In an ASCII bundle
 * these pairs occur only inside strings, template literals, regular expressions and comments,
 * where `\x23`/`\x40` mean the same character (an already-escaped `\#` is rewritten whole).
 */
export function neutraliseKeywords(code: string): string {
  const rewrite = (hex: string) => (_m: string, slashes: string) =>
    (slashes.length % 2 === 1 ? slashes.slice(0, -1) : slashes) + hex;
  return code.replace(/(\\*)#(?=#)/g, rewrite('\\x23')).replace(/(\\*)@(?=@)/g, rewrite('\\x40'));
}

/**
 * Splits the leading `/** ... *\/` comment off the entry. The header is made by codegen's
 * `blockComment`, whose text cannot contain `*\/`, so the first `*\/` ends it.
 */
export function splitHeader(text: string): { header: string; body: string } {
  if (!text.startsWith('/**')) return { header: '', body: text };
  const end = text.indexOf('*/');
  if (end < 0) return { header: '', body: text };
  return { header: text.slice(0, end + 2), body: text.slice(end + 2).replace(/^\n/, '') };
}

let cachedRoot: string | undefined;

/**
 * The repository root: the nearest folder above this file holding `runtime/plan.ts`. From the
 * sources that is two levels up, from dist/compiler/bundle/ three.
 */
export function repoRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'runtime', 'plan.ts')) && fs.existsSync(path.join(dir, 'package.json'))) {
      cachedRoot = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`bundle: cannot find the runtime/ folder above ${__dirname}`);
    dir = parent;
  }
}
