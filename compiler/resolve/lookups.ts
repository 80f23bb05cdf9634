/**
 * What a spec's lookups read of each other, and the order they run in (SPEC 3: a lookup that
 * reads another waits for it). Computed once, in the resolve phase; the checker reports the
 * cycles (MAPC0314) and lowering orders the lookups from the same facts.
 */
import { pathsRead } from '../expr';
import type { Spec } from '../model';
import { requestExprs } from '../model-walk';
import { eventRoots, type TriggerId } from '../triggers';

/** Scope names that are roots only in some positions, and where. */
export const SCOPE_NAMES: Readonly<Record<string, string>> = {
  value: "it holds the field's computed value and exists only in a field's when:",
  current: "it holds the target's value before this run and exists only in a field's from: and when:",
  response: "it holds the parsed response and exists only in a send's store:",
  continue: "it holds the verified token the page returned and exists only in a spec's continue: block",
  item: 'it holds the list element and exists only in the per-element argument of map_each, filter, any, all and find',
};

/**
 * Names that are no lookup's: the runtime never reads these keys (they lead to prototypes),
 * so a lookup named so would always read as null.
 */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

/** Names a lookup may not take: they are roots already, `secrets`, or prototype keys. */
export function reservedNames(trigger: TriggerId): Set<string> {
  return new Set([...Object.keys(eventRoots(trigger)), ...Object.keys(SCOPE_NAMES), 'secrets', ...PROTOTYPE_KEYS]);
}

/**
 * Which lookups each lookup reads (by root name), in file order; each list sorted and unique.
 * A lookup that reads itself lists itself; lookups with reserved names (MAPC0315) are never
 * dependencies.
 */
export function lookupDependencies(spec: Spec): Map<string, string[]> {
  // A lookup with a reserved name (MAPC0315) is not what its root name reads: `user.email` in
  // a lookup named `user` is not a cycle.
  const reserved = reservedNames(spec.trigger.value);
  const names = new Set(spec.lookups.map((l) => l.name.value).filter((n) => !reserved.has(n)));
  const deps = new Map<string, string[]>();
  for (const l of spec.lookups) {
    const reads = new Set<string>();
    for (const e of requestExprs(l)) for (const p of pathsRead(e)) if (names.has(p.root)) reads.add(p.root);
    deps.set(l.name.value, [...reads].sort());
  }
  return deps;
}

/**
 * A run order of the lookups (every lookup after the lookups it reads; ties in file order),
 * and the cycles (strongly connected components, each in file order). Lookups in a cycle come
 * last, in file order, so `order` always lists every lookup once.
 */
export function lookupOrder(spec: Spec): { order: string[]; cycles: string[][] } {
  const deps = lookupDependencies(spec);
  const fileOrder = [...deps.keys()];
  const rank = new Map(fileOrder.map((n, i) => [n, i]));

  // Tarjan's strongly connected components (lookups are few: recursion is fine).
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  const strong = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of deps.get(v) ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (deps.get(v) ?? []).includes(v)) cycles.push(comp.sort((a, b) => rank.get(a)! - rank.get(b)!));
    }
  };
  for (const n of fileOrder) if (!index.has(n)) strong(n);
  cycles.sort((a, b) => rank.get(a[0]!)! - rank.get(b[0]!)!);

  return { order: runOrder(fileOrder, (n) => deps.get(n) ?? [], cycles), cycles };
}

/**
 * Kahn's algorithm over the acyclic part of `names`, always taking the earliest ready one:
 * every name after those `after` gives it (names not in `names` are no wait). Names waiting
 * on a cycle follow, then the cyclic ones, in the given order.
 */
export function runOrder(names: readonly string[], after: (name: string) => Iterable<string>, cycles: readonly (readonly string[])[]): string[] {
  const known = new Set(names);
  const cyclic = new Set(cycles.flat());
  const order: string[] = [];
  const done = new Set<string>();
  const pending = names.filter((n) => !cyclic.has(n));
  while (pending.length > 0) {
    const i = pending.findIndex((n) => [...after(n)].every((d) => done.has(d) || !known.has(d)));
    if (i < 0) break; // only names that wait on a cycle remain
    const [n] = pending.splice(i, 1);
    order.push(n!);
    done.add(n!);
  }
  order.push(...pending, ...names.filter((n) => cyclic.has(n)));
  return order;
}


/** A spec's lookups: what each reads, their run order and their cycles. */
export interface LookupFacts {
  readonly deps: ReadonlyMap<string, readonly string[]>;
  readonly order: readonly string[];
  readonly cycles: readonly (readonly string[])[];
}

/** `lookupDependencies` and `lookupOrder` of a spec together. */
export function lookupFacts(spec: Spec): LookupFacts {
  const { order, cycles } = lookupOrder(spec);
  return { deps: lookupDependencies(spec), order, cycles };
}
