/**
 * Counters for docs/reliability.md: each hardening test adds what it tried (events fuzzed,
 * strings tried, faults injected). With MAPC_FUZZ_REPORT=<file> they are appended to that file
 * as JSON lines when the test file ends; otherwise they are only kept in memory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll } from 'vitest';

const counts = new Map<string, number>();

/** Adds `n` to the figure `name` (e.g. `events.mapc-post-login`). */
export function tally(name: string, n = 1): void {
  counts.set(name, (counts.get(name) ?? 0) + n);
}

/** The current figures, sorted by name. */
export function figures(): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Call once at the top of a test file: writes the figures when the file's tests end. */
export function reportFigures(file: string): void {
  afterAll(() => {
    const out = process.env['MAPC_FUZZ_REPORT'];
    if (!out) return;
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.appendFileSync(out, JSON.stringify({ file, ...figures() }) + '\n');
  });
}
