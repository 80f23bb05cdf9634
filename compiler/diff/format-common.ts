/** Helpers shared by the text and markdown renderers. */
import type { PropValue } from './snapshot';
import type { Change } from './compare';
import type { DiffReport } from './report';
import { TRIGGER_IDS } from '../triggers';

/** Property values as a reviewer reads them: durations in ms, lists comma-separated. */
export function propText(name: string, v: PropValue | undefined): string {
  if (v === undefined) return '(unset)';
  if (typeof v === 'number' && (name === 'timeout' || name === 'deadline')) return `${v}ms`;
  if (Array.isArray(v)) return v.length === 0 ? '(none)' : v.join(', ');
  return String(v);
}

/** `1,234 B`. */
export function bytes(n: number): string {
  return `${n.toLocaleString('en-US')} B`;
}

/** `+12 B`, `-3 B`, `±0 B`. */
export function delta(n: number): string {
  return n > 0 ? `+${bytes(n)}` : n < 0 ? `-${bytes(-n)}` : '±0 B';
}

export interface Group {
  /** `project`, or a trigger id. */
  readonly heading: string;
  /** Spec name for spec-scoped groups. */
  readonly spec?: string;
  readonly changes: readonly Change[];
}

/** Changes grouped: project items first, then per trigger and spec (changes are already sorted). */
export function groupChanges(changes: readonly Change[]): Group[] {
  const groups: { heading: string; spec?: string; changes: Change[] }[] = [];
  for (const c of changes) {
    const heading = c.spec === undefined ? 'project' : (c.trigger ?? TRIGGER_IDS[0]);
    const last = groups[groups.length - 1];
    if (last && last.heading === heading && last.spec === c.spec) last.changes.push(c);
    else groups.push({ heading, ...(c.spec !== undefined ? { spec: c.spec } : {}), changes: [c] });
  }
  return groups;
}

/** One line: `3 risky changes · 12 changes · 2 owners to review`, or `no semantic changes`. */
export function headline(r: DiffReport): string {
  if (!r.base.builds) return `base ${r.base.label} does not build: ${r.base.errors.length} error(s); nothing compared`;
  if (r.changes.length === 0) return 'no semantic changes';
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  return [
    n(r.risks.length, 'risky change', 'risky changes'),
    n(r.changes.length, 'change', 'changes'),
    n(r.owners.length, 'owner to review', 'owners to review'),
  ].join(' · ');
}

/** Properties shown for an added or removed item (all of them, in order). */
export function allProps(c: Change): [string, PropValue][] {
  return Object.entries((c.status === 'removed' ? c.before : c.after) ?? {});
}

/** Whether any change or risk makes `--fail-on` trip. */
export function shouldFail(r: DiffReport, failOn: 'risky' | 'any' | undefined): boolean {
  if (failOn === 'risky') return r.risks.length > 0;
  // A base that does not build cannot prove "no change".
  if (failOn === 'any') return r.changes.length > 0 || !r.base.builds;
  return false;
}
