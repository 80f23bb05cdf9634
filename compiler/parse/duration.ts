/** Durations as written in specs: `"1500ms"`, `"2s"`, `"1.5s"`, `"10m"`, `"1h"`, or a number of milliseconds. */

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a schema-valid duration (rounded to a whole millisecond). */
export function durationMs(v: string | number): number {
  if (typeof v === 'number') return v;
  if (v.endsWith('ms')) return Number(v.slice(0, -2));
  return Math.round(Number(v.slice(0, -1)) * UNIT_MS[v.slice(-1)]!);
}
