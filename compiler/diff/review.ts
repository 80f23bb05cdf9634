/**
 * Owners to review: the teams accountable for what a change touches — the owners of every
 * spec (and mapping-level owner) touched, of every registered attribute written or edited,
 * and of every system edited, on either side of the change.
 */
import type { Change } from './compare';
import { storeTargets } from './risk';
import type { Snapshot } from './snapshot';

export interface OwnerToReview {
  readonly owner: string;
  /** What of theirs is touched: `spec crm-profile-sync`, `attribute app_metadata.x`, `system crm`; sorted. */
  readonly reasons: readonly string[];
}

/** Sorted by owner. */
export function ownersToReview(base: Snapshot, head: Snapshot, changes: readonly Change[]): OwnerToReview[] {
  const reasons = new Map<string, Set<string>>();
  const add = (owner: unknown, reason: string) => {
    if (typeof owner !== 'string' || owner === '') return;
    reasons.set(owner, (reasons.get(owner) ?? new Set()).add(reason));
  };
  const attributeOwners = (target: string): unknown[] =>
    [base, head].map((s) => [...s.items.values()].find((i) => i.kind === 'attribute' && i.key === target)?.props['owner']);
  const specOwners = (spec: string): unknown[] =>
    [base, head].map((s) => [...s.items.values()].find((i) => i.kind === 'spec' && i.key === spec)?.props['owner']);

  for (const c of changes) {
    const sides = [c.before, c.after];
    if (c.spec !== undefined) {
      for (const o of specOwners(c.spec)) add(o, `spec ${c.spec}`);
      // A mapping may name its own owner (`owner:` on a field, lookup, send or rule).
      for (const p of sides) add(p?.['owner'], `spec ${c.spec}`);
    }
    if (c.kind === 'field') {
      const target = c.key.replace(/ #\d+$/, '');
      for (const o of attributeOwners(target)) add(o, `attribute ${target}`);
    }
    if (c.kind === 'send') {
      for (const side of [base, head]) {
        for (const item of side.items.values()) {
          if (item.kind !== 'send' || item.spec !== c.spec || item.key !== c.key) continue;
          for (const t of storeTargets(item)) for (const o of attributeOwners(t)) add(o, `attribute ${t}`);
        }
      }
    }
    if (c.kind === 'attribute') for (const p of sides) add(p?.['owner'], `attribute ${c.key}`);
    if (c.kind === 'system') for (const p of sides) add(p?.['owner'], `system ${c.key}`);
  }
  return [...reasons]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([owner, set]) => ({ owner, reasons: [...set].sort() }));
}
