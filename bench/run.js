#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: the five benchmarks of issue #7, side by side in one process run, printed
 * as markdown and written to bench/results.md. Needs dist/ (built by `npm install`, or
 * `npm run build:ts`, which the npm script runs first). `--quick` runs a tenth of the CPU
 * runs and one build per size, and writes nothing (for trying the harness; not for figures).
 * Method and targets: docs/performance.md.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./lib/harness');
const { latency } = require('./sections/latency');
const { cpu } = require('./sections/cpu');
const { build } = require('./sections/build');
const { size } = require('./sections/size');
const { writes } = require('./sections/writes');
const { backfill } = require('./sections/backfill');

async function main() {
  const quick = process.argv.includes('--quick');
  const started = performance.now();
  const parts = [];
  const emit = (title, markdown) => {
    const text = `## ${title}\n\n${markdown}\n`;
    process.stdout.write(text + '\n');
    parts.push(text);
  };
  const header =
    `# mapc benchmarks\n\n` +
    `Written by \`npm run bench\` (bench/run.js); method and analysis in docs/performance.md.\n\n` +
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} at start, ` +
    `Node ${process.version}, ${os.platform()} ${os.arch()}${quick ? ', **--quick** (not for figures)' : ''}.\n`;
  process.stdout.write(header + '\n');
  try {
    const l = await latency({ runs: quick ? 3 : 9 });
    emit(l.title, l.markdown);
    const c = await cpu({ quick });
    emit(c.title, c.markdown);
    emit(
      '2b. Where the generated Action spends CPU without external calls',
      c.breakdown.markdown +
        `\n\nFixed cost of \`run()\`: ${c.breakdown.fixed.toFixed(1)} µs; phase scaffolding per spec: ${c.breakdown.perSpec > 0.05 ? `${c.breakdown.perSpec.toFixed(1)} µs` : '≈ 0 (below the noise)'}; ` +
        `evaluating the specs' fields and rules and applying the writes: ${c.breakdown.evalCost.toFixed(1)} µs.`,
    );
    emit(c.coldStart.title, c.coldStart.markdown);
    const b = await build({ runs: quick ? 1 : 3 });
    emit(b.title, b.markdown);
    emit('3b. Where a 1,000-spec build spends its time', b.phases.markdown);
    const s = await size();
    emit(s.title, s.markdown);
    emit('4c. Typical specs per Action within 100 kB', s.typical.markdown);
    const w = await writes();
    emit(w.title, w.markdown);
    const bf = await backfill(quick ? { runs: 1, sizes: [1, 5_000, 20_000] } : {});
    emit(bf.title, bf.markdown);
  } finally {
    h.cleanup();
  }
  const total = ((performance.now() - started) / 1000).toFixed(0);
  const footer = `\nTotal benchmark time: ${total} s.\n`;
  process.stdout.write(footer);
  const results = [header, ...parts].join('\n') + footer;
  // Quick runs are for trying the harness: they never replace the recorded figures.
  if (!quick) {
    fs.writeFileSync(path.join(__dirname, 'results.md'), results);
    spliceIntoDocs(results);
  }
}

/** Replaces the "Latest results" block of docs/performance.md (between its markers) with this run's tables. */
function spliceIntoDocs(results) {
  const doc = path.join(__dirname, '..', 'docs', 'performance.md');
  if (!fs.existsSync(doc)) return;
  const text = fs.readFileSync(doc, 'utf8');
  const start = '<!-- bench:results:start -->';
  const end = '<!-- bench:results:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return;
  // Headings one level down, so the results sit under "Latest results".
  const body = results.replace(/^# mapc benchmarks\n\n/, '').replace(/^## /gm, '### ');
  fs.writeFileSync(doc, text.slice(0, a + start.length) + '\n' + body + text.slice(b));
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err && err.stack ? err.stack : err}\n`);
  process.exitCode = 1;
});
