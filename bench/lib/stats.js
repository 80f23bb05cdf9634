'use strict';
/** Small statistics and markdown helpers for the benchmark tables. */

/** Median, min and max of a non-empty list of numbers. */
function summary(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
}

/** `median (min–max)` with `digits` decimals. */
function fmt(sum, digits = 1) {
  const f = (x) => x.toFixed(digits);
  return `${f(sum.median)} (${f(sum.min)}–${f(sum.max)})`;
}

/** A markdown table from a header row and rows of cells. */
function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** `ok` / `MISSED` for a target check. */
const verdict = (ok) => (ok ? 'met' : '**missed**');

module.exports = { summary, fmt, table, verdict };
