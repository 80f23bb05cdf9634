/**
 * Safe object access for the runtime: the only place that writes into objects built from
 * untrusted data (responses, metadata). Keys that could reach a prototype are never read or
 * written, so no response or target can pollute `Object.prototype`.
 */

/** Keys that are never read or written: they lead to prototypes. */
export function isSafeKey(key: string): boolean {
  return key !== '__proto__' && key !== 'constructor' && key !== 'prototype';
}

/** A plain (JSON-like) object: not null, not an array. */
export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Deep copy of JSON-like data without dangerous keys; `undefined` becomes null at the top.
 * Values that are not JSON (functions, symbols) are dropped.
 */
export function clone(x: unknown): unknown {
  if (Array.isArray(x)) return x.map((v) => (v === undefined ? null : clone(v)));
  if (isObject(x)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x)) {
      const v = x[k];
      if (isSafeKey(k) && v !== undefined && typeof v !== 'function') out[k] = clone(v);
    }
    return out;
  }
  return x === undefined || typeof x === 'function' || typeof x === 'symbol' || typeof x === 'bigint' ? null : x;
}

/** Structural equality of JSON-like values; `undefined` and null are equal. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    // Keys whose value is undefined do not count, as in JSON.
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => own(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Own property of an object (never inherited, never a dangerous key), or undefined. */
export function ownGet(o: unknown, key: string): unknown {
  return isObject(o) && isSafeKey(key) && own(o, key) ? o[key] : undefined;
}

/**
 * Sets `keys` inside `root` (mutated; it must be a copy the caller owns), creating objects
 * for missing or non-object intermediates. A null value deletes the last key (as Auth0's
 * metadata setters do for a top-level key). Returns false, writing nothing, when any key is
 * dangerous or `keys` is empty.
 */
export function setPath(root: Record<string, unknown>, keys: readonly string[], value: unknown): boolean {
  if (keys.length === 0 || !keys.every(isSafeKey)) return false;
  let o = root;
  for (const k of keys.slice(0, -1)) {
    const next = own(o, k) ? o[k] : undefined;
    if (!isObject(next)) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1]!;
  if (value == null) delete o[last];
  else o[last] = value;
  return true;
}
