'use strict';
/**
 * Table 3: `mapc build` as a process (node bin/mapc.js) on synthetic projects of 10, 100 and
 * 1,000 specs: wall time and peak RSS of a clean build (output folder removed first) and of a
 * no-op rebuild (same inputs, output already there), each beside the floor: a process that
 * only reads and YAML-parses the same files. Peak memory from /usr/bin/time when the
 * machine has it, else from a --require hook reading process.resourceUsage().maxRSS at exit.
 * Table 3b splits one in-process build of the 1,000-spec project into its phases (and the
 * check phase into its rules) to show where the time goes.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const h = require('../lib/harness');
const { writeScalingProject } = require('../lib/projects');
const { summary, fmt, table, verdict } = require('../lib/stats');

const SIZES = [10, 100, 1000];
/** The mapping the one-spec-change build edits (the first field of s0000.yaml). */
const EDITED_FROM = 'from: lower(profile.tier)';
const TIME = '/usr/bin/time';

/** One `mapc build` process in `cwd`: { ms, rssKb }. */
function buildOnce(cwd) {
  const mapc = path.join(h.ROOT, 'bin', 'mapc.js');
  const args = ['build', '--project', 'mappings', '--out', 'generated'];
  const rssFile = path.join(cwd, 'maxrss.txt');
  fs.rmSync(rssFile, { force: true });
  const useTime = fs.existsSync(TIME);
  const t0 = performance.now();
  const r = useTime
    ? spawnSync(TIME, ['-f', 'MAXRSS %M', process.execPath, mapc, ...args], { cwd, encoding: 'utf8' })
    : spawnSync(process.execPath, ['--require', path.join(__dirname, '..', 'lib', 'maxrss.js'), mapc, ...args], {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, MAPC_BENCH_MAXRSS: rssFile },
      });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`mapc build failed in ${cwd} (exit ${r.status}):\n${r.stderr}`);
  const rssKb = useTime ? Number(/MAXRSS (\d+)/.exec(r.stderr)[1]) : Number(fs.readFileSync(rssFile, 'utf8').trim());
  return { ms, rssKb };
}

/**
 * The floor of a build of `cwd`: a Node process that only reads every YAML file of the
 * project and parses it with the `yaml` package (what no build can avoid), in ms.
 */
function floorOnce(cwd) {
  const script = `
const fs = require('node:fs'); const path = require('node:path'); const { parseDocument } = require(${JSON.stringify(require.resolve('yaml'))});
const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.yaml') ? [path.join(d, e.name)] : []);
let n = 0; for (const f of walk('mappings')) { parseDocument(fs.readFileSync(f, 'utf8')).toJS(); n++; }
if (n === 0) process.exit(1);`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`floor script failed in ${cwd}:\n${r.stderr}`);
  return ms;
}

async function build({ runs = 3 } = {}) {
  const rows = [];
  const raw = {};
  for (const n of SIZES) {
    const dir = h.tempDir(`build-${n}`);
    writeScalingProject(dir, n);
    // As in a repository with mapc installed: the build cache lives in node_modules/.cache/mapc.
    fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
    const clean = [];
    const warm = [];
    const oneSpec = [];
    const noop = [];
    const floor = [];
    const cache = path.join(dir, 'node_modules', '.cache', 'mapc');
    const edited = path.join(dir, 'mappings', 's0000.yaml');
    const original = fs.readFileSync(edited, 'utf8');
    if (!original.includes(EDITED_FROM)) throw new Error(`bench: ${edited} has no '${EDITED_FROM}' to edit`);
    for (let i = 0; i < runs; i++) {
      // Interleaved, so load on the machine hits the floor and the builds alike.
      floor.push(floorOnce(dir));
      // Clean: no output folder and no cache (bundles, build records, the CLI's code cache).
      fs.rmSync(path.join(dir, 'generated'), { recursive: true, force: true });
      fs.rmSync(cache, { recursive: true, force: true });
      clean.push(buildOnce(dir));
      noop.push(buildOnce(dir));
      // Output folder removed, cache kept (a fresh checkout in a warm CI cache, a branch switch).
      fs.rmSync(path.join(dir, 'generated'), { recursive: true, force: true });
      warm.push(buildOnce(dir));
      // One spec's value changed (what `--watch` and an edit-and-build loop see): run i edits
      // it to a new value, so its Action is bundled again.
      fs.writeFileSync(edited, original.replace(EDITED_FROM, `from: coalesce(${EDITED_FROM.slice(6)}, 'run-${i}')`));
      oneSpec.push(buildOnce(dir));
    }
    fs.writeFileSync(edited, original);
    const actions = fs.readdirSync(path.join(dir, 'generated', 'actions')).length;
    const r = {
      clean: summary(clean.map((x) => x.ms)),
      cleanRss: summary(clean.map((x) => x.rssKb / 1024)),
      warm: summary(warm.map((x) => x.ms)),
      oneSpec: summary(oneSpec.map((x) => x.ms)),
      noop: summary(noop.map((x) => x.ms)),
      noopRss: summary(noop.map((x) => x.rssKb / 1024)),
      floor: summary(floor),
      actions,
      dir,
    };
    raw[n] = r;
    const x = (v) => `${(v / r.floor.median).toFixed(2)}×`;
    rows.push([
      String(n),
      String(actions),
      fmt(r.floor, 0),
      fmt(r.clean, 0),
      x(r.clean.median),
      fmt(r.cleanRss, 0),
      fmt(r.warm, 0),
      x(r.warm.median),
      fmt(r.oneSpec, 0),
      x(r.oneSpec.median),
      fmt(r.noop, 0),
      x(r.noop.median),
      fmt(r.noopRss, 0),
    ]);
  }
  const t1000 = raw[1000].clean.median;
  const ratio = t1000 / raw[100].clean.median;
  const phases = await phaseBreakdown(raw[1000].dir);
  return {
    title: `3. Build scaling: \`mapc build\` as a process (median (min–max) of ${runs} runs; peak RSS from ${fs.existsSync(TIME) ? '/usr/bin/time' : 'process.resourceUsage().maxRSS'})`,
    markdown:
      table(
        [
          'specs',
          'Actions',
          'floor: read + YAML parse (ms)',
          'clean build, no cache (ms)',
          'clean / floor',
          'peak RSS (MiB)',
          'output removed, cache kept (ms)',
          '/ floor',
          'one spec changed (ms)',
          '/ floor',
          'no-op rebuild (ms)',
          'no-op / floor',
          'peak RSS (MiB)',
        ],
        rows,
      ) +
      '\n\n' +
      table(
        ['target', 'measured', 'verdict'],
        [
          ['clean build, 1,000 specs ≤ 2 × floor', `${(t1000 / raw[1000].floor.median).toFixed(2)}× (${(t1000 / 1000).toFixed(2)} s)`, verdict(t1000 <= 2 * raw[1000].floor.median)],
          ['no-op rebuild, 1,000 specs ≤ 0.6 × floor', `${(raw[1000].noop.median / raw[1000].floor.median).toFixed(2)}×`, verdict(raw[1000].noop.median <= 0.6 * raw[1000].floor.median)],
          ['linear: 1,000-spec time ≤ 12 × 100-spec time', `${ratio.toFixed(1)}×`, verdict(ratio <= 12)],
        ],
      ),
    phases,
    raw,
  };
}

/** One in-process build of `dir`, timed per phase with the compiler's own modules from dist/. */
async function phaseBreakdown(dir) {
  const { loadProject } = h.dist('compiler/parse/load.js');
  const { resolve } = h.dist('compiler/resolve/index.js');
  const { RULES } = h.dist('compiler/check/index.js');
  const { createContext } = h.dist('compiler/check/context.js');
  const { lower } = h.dist('compiler/ir/lower.js');
  const { emitAction } = h.dist('compiler/emit/index.js');
  const { bundleActions } = h.dist('compiler/bundle/index.js');
  const { renderOutput } = h.dist('compiler/output/index.js');
  const rows = [];
  const time = (name, fn) => {
    const t0 = performance.now();
    const v = fn();
    rows.push([name, performance.now() - t0]);
    return v;
  };
  const loaded = time('parse (YAML, schema, model)', () => loadProject(path.join(dir, 'mappings'), { cwd: dir })).result;
  const resolved = time('resolve (Actions, targets, lookup order, expression types)', () => resolve(loaded));
  const out = [];
  const ctx = createContext(resolved, out);
  const ruleTimes = [];
  for (const [name, rule] of RULES) {
    const t0 = performance.now();
    rule(ctx);
    ruleTimes.push([name, performance.now() - t0]);
  }
  ruleTimes.sort((a, b) => b[1] - a[1]);
  const rulesTotal = ruleTimes.reduce((a, [, t]) => a + t, 0);
  rows.push([`check: ${RULES.length} rules`, rulesTotal]);
  const program = time('lower (IR)', () => lower(resolved));
  const entries = time('emit (entry JS)', () => program.actions.map((a) => [a, emitAction(a)]));
  const code = new Map();
  const t0 = performance.now();
  // As compiler/pipeline.ts does: one esbuild build with an entry point per Action.
  const bundles = await bundleActions(entries.map(([a, entry]) => ({ entry, name: a.name })));
  entries.forEach(([a], i) => {
    const b = bundles[i];
    if ('diagnostics' in b) throw new Error(`bundle failed for ${a.name}`);
    code.set(a.name, b.code);
  });
  rows.push([`bundle (esbuild, ${entries.length} Actions in one build)`, performance.now() - t0]);
  time('render output', () => renderOutput(program, code, loaded));
  const total = rows.reduce((a, [, t]) => a + t, 0);
  const pct = (t) => `${((100 * t) / total).toFixed(0)}%`;
  return {
    markdown:
      table(['phase (1,000 specs, in process)', 'ms', 'share'], rows.map(([n, t]) => [n, t.toFixed(0), pct(t)])) +
      '\n\n' +
      table(['slowest check rules (1,000 specs)', 'ms'], ruleTimes.slice(0, 5).map(([n, t]) => [n, t.toFixed(0)])),
    rows,
    ruleTimes,
    total,
  };
}

module.exports = { build };
