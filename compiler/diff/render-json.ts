/**
 * `mapc diff --format json`: the stable machine format documented in docs/diff.md. Object keys
 * are sorted at every level (determinism); arrays keep report order.
 */
import { sortKeys } from '../order';
import type { DiffReport } from './report';

/** Format version: bumped only on an incompatible change (a field removed or its meaning changed). */
export const DIFF_JSON_VERSION = 1;


/** The report as pretty JSON, ending with a newline. */
export function renderJson(r: DiffReport): string {
  const doc = {
    version: DIFF_JSON_VERSION,
    project: r.project,
    base: r.base,
    head: r.head,
    summary: r.summary,
    risks: r.risks,
    owners: r.owners,
    changes: r.changes,
    actions: r.actions,
  };
  return JSON.stringify(sortKeys(doc), null, 2) + '\n';
}
