/** Durations as written in specs: `"1500ms"`, `"2s"`, `"1.5s"`, or a number of milliseconds. */

/** Milliseconds of a schema-valid duration (rounded to a whole millisecond). */
export function durationMs(v: string | number): number {
  if (typeof v === 'number') return v;
  if (v.endsWith('ms')) return Number(v.slice(0, -2));
  return Math.round(Number(v.slice(0, -1)) * 1000);
}
