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

/** A leaf as `clone` keeps it: `undefined` and non-JSON values become null. */
const leaf = (x: unknown): unknown =>
  x === undefined || typeof x === 'function' || typeof x === 'symbol' || typeof x === 'bigint' ? null : x;

/** An empty container of the same kind, or the leaf itself. */
const shell = (x: unknown): unknown => (Array.isArray(x) ? [] : isObject(x) ? {} : leaf(x));

/**
 * Deep copy of JSON-like (acyclic) data without dangerous keys; `undefined` becomes null at
 * the top and in arrays. Values that are not JSON (functions, symbols) are dropped. Iterative,
 * not recursive: a value nested 100,000 deep (user-editable metadata can be) must not
 * overflow the stack.
 */
export function clone(x: unknown): unknown {
  if (typeof x !== 'object' || x === null) return leaf(x);
  const root = shell(x);
  const work: [unknown, unknown][] = typeof root === 'object' && root !== null ? [[x, root]] : [];
  while (work.length > 0) {
    const [src, dst] = work.pop()!;
    const put = (v: unknown, set: (c: unknown) => void): void => {
      const c = shell(v);
      set(c);
      if (typeof c === 'object' && c !== null) work.push([v, c]);
    };
    if (Array.isArray(src)) {
      const out = dst as unknown[];
      for (let i = 0; i < src.length; i++) put(src[i], (c) => out.push(c));
    } else {
      const o = src as Record<string, unknown>;
      const out = dst as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        const v = o[k];
        if (isSafeKey(k) && v !== undefined && typeof v !== 'function') put(v, (c) => (out[k] = c));
      }
    }
  }
  return root;
}

/** Structural equality of JSON-like (acyclic) values; `undefined` and null are equal. Iterative, as `clone`. */
export function deepEqual(a: unknown, b: unknown): boolean {
  // Scalars (most fields) without the work list: a scalar equals only itself, or null/undefined each other.
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  const work: [unknown, unknown][] = [[a, b]];
  while (work.length > 0) {
    const [x, y] = work.pop()!;
    if (x === y) continue;
    if (x == null || y == null) {
      if (x == null && y == null) continue;
      return false;
    }
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) work.push([x[i], y[i]]);
      continue;
    }
    if (!isObject(x) || !isObject(y)) return false;
    // Keys whose value is undefined do not count, as in JSON.
    const kx = Object.keys(x).filter((k) => x[k] !== undefined);
    const ky = Object.keys(y).filter((k) => y[k] !== undefined);
    if (kx.length !== ky.length) return false;
    for (const k of kx) {
      if (!own(y, k)) return false;
      work.push([x[k], y[k]]);
    }
  }
  return true;
}

/** Whether arrays and objects in `x` nest deeper than `max` levels (a scalar is depth 0). Iterative. */
export function deeperThan(x: unknown, max: number): boolean {
  const work: [unknown, number][] = [[x, 0]];
  while (work.length > 0) {
    const [v, d] = work.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d + 1 > max) return true;
    for (const c of Array.isArray(v) ? v : Object.values(v)) work.push([c, d + 1]);
  }
  return false;
}

/**
 * Own property of a plain object, whatever the key, or undefined. For names the compiler
 * chose (systems, secrets): a system or secret may be called `constructor`, and an own
 * property never reaches a prototype. Data paths use `ownGet`.
 */
export function ownProp(o: unknown, key: string): unknown {
  return isObject(o) && own(o, key) ? o[key] : undefined;
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

/** A registry rule (the attribute registry's type and enum for one target); the compiler checks literals with the same function. */
export function fitsRule(rule: { readonly type: string; readonly enum?: readonly unknown[] }, v: unknown): boolean {
  const t = rule.type;
  const typed =
    t === 'string'
      ? typeof v === 'string'
      : t === 'number'
        ? typeof v === 'number' && Number.isFinite(v)
        : t === 'integer'
          ? Number.isSafeInteger(v)
          : t === 'boolean'
            ? typeof v === 'boolean'
            : t === 'array'
              ? Array.isArray(v)
              : isObject(v);
  return typed && (!rule.enum || rule.enum.some((e) => deepEqual(e, v)));
}

/** An HTTP header name (RFC 9110 token): the runtime sends only such names, and the build refuses others (MAPC0416). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
