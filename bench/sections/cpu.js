'use strict';
/**
 * Table 2: CPU per execution (process.cpuUsage of this process: the Action, the api stand-in
 * and the HTTP client; the stubs run in a child process), generated vs hand-written, for
 * the sample subset without external calls, with one lookup to a zero-delay stub, and for the
 * 4-lookup latency project with zero-delay stubs. Batches alternate between the two Actions;
 * the figure is µs per run, median (min–max) over the batches.
 */
const fs = require('node:fs');
const path = require('node:path');
const h = require('../lib/harness');
const { writeLatencyProject, writeSampleSubset } = require('../lib/projects');
const { summary, fmt, table, verdict } = require('../lib/stats');

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

async function compare(gen, hand, event, { runs, batches, warmup }) {
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
  try {
    const sample = await h.compileProject(writeSampleSubset(h.tempDir('cpu-sample')));
    const sa = sample.program.actions[0];
    const sroutes = h.routesTo(sa, stub.url);
    const sgen = h.loadPostLogin(sample.code.get(sa.name), sroutes);
    const shand = h.loadPostLogin(baseline('sample-post-login.js'), sroutes);
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
    const lat = await h.compileProject(writeLatencyProject(h.tempDir('cpu-latency'), 4));
    const la = lat.program.actions[0];
    const lroutes = h.routesTo(la, stub.url);
    const lgen = h.loadPostLogin(lat.code.get(la.name), lroutes);
    const lhand = h.loadPostLogin(baseline('latency-4.js'), lroutes);
    const levent = h.postLoginEvent({}, { SVC_API_KEY: 'bench-key' });

    const scale = quick ? 0.1 : 1;
    const scenarios = [
      ['sample subset, no external call (fields, claims, conditions only)', sgen, shand, fresh, { runs: 10_000 * scale, batches: 5, warmup: 2000 * scale }],
      ['sample subset, 1 lookup (stub answers at once)', sgen, shand, newUser, { runs: 2_000 * scale, batches: 5, warmup: 300 * scale }],
      ['4 lookups (stubs answer at once)', lgen, lhand, levent, { runs: 2_000 * scale, batches: 5, warmup: 300 * scale }],
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
    title: '2. CPU per execution (µs per run, median (min–max) over 5 batches)',
    markdown: table(['scenario', 'runs each', 'generated (mapc)', 'hand-written', 'ratio', 'target ≤ 1.1×'], rows),
    raw,
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
