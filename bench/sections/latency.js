'use strict';
/**
 * Table 1: login latency with K independent lookups, each stub answering after D ms:
 * the generated Action (lookups run concurrently) vs bench/baseline/latency-K.js (one await
 * after another). Runs alternate between the two so that machine noise hits both alike.
 */
const fs = require('node:fs');
const path = require('node:path');
const h = require('../lib/harness');
const { writeLatencyProject } = require('../lib/projects');
const { summary, fmt, table, verdict } = require('../lib/stats');

const KS = [1, 2, 4, 8];

async function latency({ delayMs = 100, runs = 9, warmup = 2 } = {}) {
  const stub = await h.startStub({ delayMs, rules: [{ match: '/profiles/', body: { value: 'v' } }] });
  const rows = [];
  const raw = [];
  try {
    for (const k of KS) {
      const compiled = await h.compileProject(writeLatencyProject(h.tempDir(`latency-${k}`), k));
      const action = compiled.program.actions[0];
      const routes = h.routesTo(action, stub.url);
      const gen = h.loadPostLogin(compiled.code.get(action.name), routes);
      const hand = h.loadPostLogin(fs.readFileSync(path.join(h.ROOT, 'bench', 'baseline', `latency-${k}.js`), 'utf8'), routes);
      const event = h.postLoginEvent({}, { SVC_API_KEY: 'bench-key' });
      const times = { gen: [], hand: [], floor: [] };
      // The floor: K bare concurrent fetch() calls to the same stub, no Action at all. What a
      // run takes above it is the Action's own cost (or the machine's noise, which the floor shows).
      const bare = async () => {
        await Promise.all(Array.from({ length: k }, (_, j) => fetch(`${stub.url}/profiles/floor${j}`).then((r) => r.json())));
        return { appMetadataCalls: { length: k } };
      };
      for (let i = 0; i < warmup + runs; i++) {
        const order = i % 2 === 0 ? ['gen', 'hand', 'floor'] : ['floor', 'hand', 'gen'];
        for (const which of order) {
          const t0 = performance.now();
          const record = which === 'floor' ? await bare() : await (which === 'gen' ? gen : hand).run(event);
          const ms = performance.now() - t0;
          // A run that did not make all K calls would measure nothing.
          if (record.appMetadataCalls.length !== k) throw new Error(`latency K=${k} ${which}: expected ${k} writes, got ${record.appMetadataCalls.length}`);
          if (i >= warmup) times[which].push(ms);
        }
        gen.clearLogs();
        hand.clearLogs();
      }
      const g = summary(times.gen);
      const b = summary(times.hand);
      const f = summary(times.floor);
      const limit = 1.15 * delayMs;
      raw.push({ k, gen: g, hand: b, floor: f });
      // Judged on the median: a single slow run on a shared machine slows the bare fetch() floor too.
      rows.push([String(k), fmt(g), fmt(b), fmt(f), (g.median - f.median).toFixed(1), `${(b.median / g.median).toFixed(2)}×`, `≤ ${limit.toFixed(0)} ms: ${verdict(g.median <= limit)}`]);
    }
  } finally {
    await stub.close();
  }
  return {
    title: `1. Login latency, K independent lookups, each stub delays D = ${delayMs} ms (ms, median (min–max) of ${runs} runs)`,
    markdown: table(['K', 'generated (mapc)', 'hand-written (sequential)', 'floor: K bare concurrent fetch()', 'mapc above floor (median)', 'speed-up', 'target: generated median ≤ 1.15 × D'], rows),
    raw,
  };
}

module.exports = { latency };
