/** Small helpers for messages: nearest-name suggestions and Action grouping. */
import type { Spec } from '../model';

/** Levenshtein distance (small strings only: names of systems, specs). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The candidate closest to `name`, if close enough to be a likely typo; ties go to the first in sorted order. */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of [...candidates].sort()) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** The Action a spec compiles into (SPEC 3): its own `action:`, else `mapc-<trigger>`. */
export function actionNameOf(spec: Spec): string {
  return spec.action?.value ?? `mapc-${spec.trigger.value}`;
}

/** Specs grouped by Action name; groups and their specs in loaded order. */
export function groupByAction(specs: readonly Spec[]): Map<string, Spec[]> {
  const groups = new Map<string, Spec[]>();
  for (const spec of specs) {
    const name = actionNameOf(spec);
    const list = groups.get(name);
    if (list) list.push(spec);
    else groups.set(name, [spec]);
  }
  return groups;
}
