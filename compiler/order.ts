/**
 * Deterministic order, used wherever output or diagnostics are sorted: code-point order,
 * never `localeCompare` (which depends on the machine's locale).
 */

/** Code-point (or numeric) order. */
export function compare<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A deep copy with object keys in code-point order (arrays keep their order). */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort(compare)) {
      // defineProperty: a `__proto__` key stays an own property.
      Object.defineProperty(out, k, { value: sortKeys((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}
