'use strict';
/**
 * Table 2: CPU per execution (process.cpuUsage of this process: the Action, the api stand-in
 * and the HTTP client; the stubs run in a child process), generated vs a *minimal*
 * hand-written Action that makes exactly the same api calls (bench/baseline/minimal-post-login.js
 * for the sample subset, latency-K.js for K lookups; each scenario first checks that both make
 * the same calls), for the sample subset without external calls, with one lookup, and for the
 * 2- and 4-lookup latency projects, all stubs answering at once. BATCHES batches alternate
 * between the two Actions; the figure is µs per run, median (min–max) over the batches.
 * Table 2c: cold start, `require()` of the Action file and its first call, in a fresh process
 * each (bench/lib/cold-start-child.js), COLD_RUNS processes per Action, alternating.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const h = require('../lib/harness');
const { writeLatencyProject, writeSampleSubset } = require('../lib/projects');
const { summary, fmt, table, verdict } = require('../lib/stats');

/** Batches per scenario (alternating generated / hand-written) and cold-start processes per Action. */
const BATCHES = 21;
const COLD_RUNS = 21;

const baseline = (name) => fs.readFileSync(path.join(h.ROOT, 'bench', 'baseline', name), 'utf8');

/** µs of CPU per run for `runs` runs of `action` on `event` (apis made before the clock starts). */
async function batch(action, event, runs) {
  const apis = Array.from({ length: runs }, () => h.newApi(event).api);
  const c0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) await action.handler(event, apis[i]);
  const c = process.cpuUsage(c0);
  action.clearLogs();
  return (c.user + c.system) / runs;
}

/** The api calls one run makes (metadata calls as key=value), sorted: what both Actions must agree on. */
async function callsOf(action, event) {
  const { api, record } = h.newApi(event);
  await action.handler(event, api);
  action.clearLogs();
  const kv = (tag) => ([k, v]) => `${tag}:${k}=${k === 'last_subscription_sync' ? '<now>' : JSON.stringify(v)}`;
  return JSON.stringify([...record.calls, ...record.appMetadataCalls.map(kv('app')), ...record.userMetadataCalls.map(kv('user'))].sort());
}

async function compare(gen, hand, event, { runs, batches, warmup }) {
  const [cg, ch] = [await callsOf(gen, event), await callsOf(hand, event)];
  if (cg !== ch) throw new Error(`generated and hand-written Actions make different api calls:\n${cg}\n${ch}`);
  await batch(gen, event, warmup);
  await batch(hand, event, warmup);
  const out = { gen: [], hand: [] };
  for (let b = 0; b < batches; b++) {
    if (b % 2 === 0) {
      out.gen.push(await batch(gen, event, runs));
      out.hand.push(await batch(hand, event, runs));
    } else {
      out.hand.push(await batch(hand, event, runs));
      out.gen.push(await batch(gen, event, runs));
    }
  }
  return { gen: summary(out.gen), hand: summary(out.hand), total: runs * batches };
}

async function cpu({ quick = false } = {}) {
  const stub = await h.startStub({
    delayMs: 0,
    rules: [
      { match: '/subscription', body: { tier: 'Premium', status: 'ACTIVE' } },
      { match: '/profiles/', body: { value: 'v' } },
    ],
  });
  const rows = [];
  const raw = [];
  let coldStart;
  try {
    const sample = await h.compileProject(writeSampleSubset(h.tempDir('cpu-sample')));
    const sa = sample.program.actions[0];
    const sroutes = h.routesTo(sa, stub.url);
    const sgen = h.loadPostLogin(sample.code.get(sa.name), sroutes);
    const shand = h.loadPostLogin(baseline('minimal-post-login.js'), sroutes);
    const secrets = { BILLING_API_KEY: 'bench-key' };
    const fresh = h.postLoginEvent(
      {
        user: {
          app_metadata: { last_subscription_sync: new Date(Date.now() - 3600_000).toISOString(), subscription_tier: 'standard', subscription_status: 'active', roles: ['admin'] },
          user_metadata: { beta_tester: 'yes', preferred_locale: 'en-US' },
          identities: [{ provider: 'google-oauth2', user_id: 'g', connection: 'google-oauth2', isSocial: true, profileData: { locale: 'en_us' } }],
        },
      },
      secrets,
    );
    const newUser = h.postLoginEvent({}, secrets);
    const latency = async (k) => {
      const lat = await h.compileProject(writeLatencyProject(h.tempDir(`cpu-latency-${k}`), k));
      const la = lat.program.actions[0];
      const lroutes = h.routesTo(la, stub.url);
      return [h.loadPostLogin(lat.code.get(la.name), lroutes), h.loadPostLogin(baseline(`latency-${k}.js`), lroutes)];
    };
    const [l2gen, l2hand] = await latency(2);
    const [lgen, lhand] = await latency(4);
    const levent = h.postLoginEvent({}, { SVC_API_KEY: 'bench-key' });
    coldStart = await coldStarts(sample.code.get(sa.name), baseline('minimal-post-login.js'), fresh, quick);

    const scale = quick ? 0.1 : 1;
    const scenarios = [
      ['sample subset, no external call (fields, claims, conditions only)', sgen, shand, fresh, { runs: 20_000 * scale, batches: BATCHES, warmup: 2000 * scale }],
      ['sample subset, 1 lookup (stub answers at once)', sgen, shand, newUser, { runs: 1_000 * scale, batches: BATCHES, warmup: 300 * scale }],
      ['2 lookups (stubs answer at once)', l2gen, l2hand, levent, { runs: 1_000 * scale, batches: BATCHES, warmup: 300 * scale }],
      ['4 lookups (stubs answer at once)', lgen, lhand, levent, { runs: 1_000 * scale, batches: BATCHES, warmup: 300 * scale }],
    ];
    for (const [name, gen, hand, event, opts] of scenarios) {
      const r = await compare(gen, hand, event, opts);
      const ratio = r.gen.median / r.hand.median;
      raw.push({ name, ...r, ratio });
      rows.push([name, String(r.total), fmt(r.gen), fmt(r.hand), `${ratio.toFixed(2)}×`, verdict(ratio <= 1.1)]);
    }
  } finally {
    await stub.close();
  }
  const breakdown = await engineBreakdown(quick, raw[0]);
  return {
    breakdown,
    coldStart,
    title: `2. CPU per execution vs a minimal hand-written Action making the same api calls (µs per run, median (min–max) over ${BATCHES} alternating batches)`,
    markdown: table(['scenario', 'runs each', 'generated (mapc)', 'minimal hand-written', 'ratio', 'target ≤ 1.1×'], rows),
    raw,
  };
}

/**
 * Cold start: each Action written to a file and, in a fresh Node process, `require()`d and
 * called once on `event` (no external call); ms, median (min–max) over the processes.
 */
async function coldStarts(genCode, handCode, event, quick) {
  const dir = h.tempDir('cold');
  const files = { gen: path.join(dir, 'generated.js'), hand: path.join(dir, 'hand.js') };
  fs.writeFileSync(files.gen, genCode);
  fs.writeFileSync(files.hand, handCode);
  const child = path.join(__dirname, '..', 'lib', 'cold-start-child.js');
  const once = (file) => {
    const out = execFileSync(process.execPath, [child, file, JSON.stringify(event)], { encoding: 'utf8' });
    const line = out.split('\n').find((l) => l.startsWith('COLD '));
    if (!line) throw new Error(`cold start of ${file} printed no figure:\n${out}`);
    return JSON.parse(line.slice(5));
  };
  const xs = { gen: [], hand: [] };
  const n = quick ? 5 : COLD_RUNS;
  for (let i = 0; i < n; i++) {
    const order = i % 2 === 0 ? ['gen', 'hand'] : ['hand', 'gen'];
    for (const k of order) xs[k].push(once(files[k]));
  }
  const part = (k, f) => summary(xs[k].map(f));
  const req = (x) => x.requireMs;
  const first = (x) => x.firstCallMs;
  const both = (x) => x.requireMs + x.firstCallMs;
  const ratio = part('gen', both).median / part('hand', both).median;
  return {
    title: `2c. Cold start: \`require()\` + first call, fresh process each (ms, median (min–max) over ${n} processes per Action, alternating)`,
    markdown: table(
      ['Action', '`require()`', 'first call', 'require + first call'],
      [
        ['generated (mapc), sample subset', fmt(part('gen', req), 2), fmt(part('gen', first), 2), fmt(part('gen', both), 2)],
        ['minimal hand-written', fmt(part('hand', req), 2), fmt(part('hand', first), 2), fmt(part('hand', both), 2)],
        ['ratio (target ≤ 2×)', '', '', `${ratio.toFixed(2)}×: ${verdict(ratio <= 2)}`],
      ],
    ),
    ratio,
  };
}

/**
 * Where the generated Action's CPU goes when it makes no call: the engine (dist/runtime)
 * run with no spec, then with three empty specs (the per-spec phase scaffolding: one async
 * guard per phase and spec, Promise.all over lookups and sends), against the full Action.
 */
async function engineBreakdown(quick, full) {
  const { run } = h.dist('runtime/engine.js');
  const plan = (specs) => ({ action: 'bench', trigger: 'post-login', deadlineMs: 8000, maxResponseBytes: 1 << 20, systems: {}, registry: {}, specs });
  const empty = (name) => ({ name, onError: 'continue', lookups: [], fields: [], access: [], sends: [] });
  const event = h.postLoginEvent({}, { BILLING_API_KEY: 'bench-key' });
  const runs = quick ? 1000 : 10_000;
  const engineAction = (p) => ({ handler: (e, api) => run(p, e, api), clearLogs: () => undefined });
  const rows = [];
  const measure = async (name, p) => {
    const a = engineAction(p);
    await batch(a, event, runs);
    const xs = [];
    for (let b = 0; b < 5; b++) xs.push(await batch(a, event, runs));
    return [name, summary(xs)];
  };
  const none = await measure('engine `run()`, plan with no spec', plan([]));
  const three = await measure('engine `run()`, 3 empty specs', plan([empty('a'), empty('b'), empty('c')]));
  rows.push(none, three);
  const perSpec = (three[1].median - none[1].median) / 3;
  const evalCost = full.gen.median - three[1].median;
  return {
    markdown: table(
      ['what runs (no external call)', 'µs per run'],
      [
        ...rows.map(([n, s]) => [n, fmt(s)]),
        ['generated sample subset (3 specs: 8 fields, 2 access rules, 1 lookup whose `when` is false)', fmt(full.gen)],
        ['hand-written equivalent', fmt(full.hand)],
      ],
    ),
    perSpec,
    fixed: none[1].median,
    evalCost,
  };
}

module.exports = { cpu };
