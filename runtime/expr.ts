/**
 * Helpers called by compiled expressions (SPEC 2.4). Their names are a contract with the
 * code generator. All are total: they never throw, and a path through a missing value is null.
 */
import { isObject, isSafeKey } from './path';

const INDEX = /^(0|[1-9]\d*)$/;

/**
 * `obj[key]`, own properties only: never `__proto__`/`constructor`/`prototype`, never an
 * inherited member, never `length` of an array or string. Arrays are read by integer index
 * (a number or a canonical numeric string). Anything missing is null.
 */
export function get(obj: unknown, key: string | number): unknown {
  let v: unknown;
  if (Array.isArray(obj)) {
    const k = String(key);
    if (INDEX.test(k)) v = obj[Number(k)];
  } else if (isObject(obj)) {
    const k = String(key);
    if (isSafeKey(k) && Object.prototype.hasOwnProperty.call(obj, k)) v = obj[k];
  }
  return v === undefined ? null : v;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * `get(obj, k)` for a key the compiler checked: a string that is neither a canonical array
 * index nor `__proto__`/`constructor`/`prototype` (for such keys `get` reads an own property
 * of a non-array object and nothing else). Without `get`'s conversions and key checks, and
 * no key array as in `path`: compiled paths call it once per segment.
 */
export function prop(obj: unknown, k: string): unknown {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj) || !hasOwn.call(obj, k)) return null;
  const v = (obj as Record<string, unknown>)[k];
  return v === undefined ? null : v;
}

/** `get` along `keys`, starting at `root`. */
export function path(root: unknown, keys: readonly (string | number)[]): unknown {
  let v = root;
  for (const k of keys) {
    if (v == null) return null;
    v = get(v, k);
  }
  return v === undefined ? null : v;
}

const nul = (x: unknown): unknown => (x === undefined ? null : x);

/** `==`: strict equality, except that null and missing (undefined) are equal. */
export function eq(a: unknown, b: unknown): boolean {
  return nul(a) === nul(b);
}

/** `!=`: the negation of `eq`. */
export function ne(a: unknown, b: unknown): boolean {
  return !eq(a, b);
}

/** Orders numbers with numbers and strings with strings; any other pair compares false. */
function cmp(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) || Number.isNaN(b) ? null : a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

/** `<` (see `cmp`: mixed or null operands are false). */
export function lt(a: unknown, b: unknown): boolean {
  const c = cmp(a, b);
  return c !== null && c < 0;
}
/** `<=` */
export function le(a: unknown, b: unknown): boolean {
  const c = cmp(a, b);
  return c !== null && c <= 0;
}
/** `>` */
export function gt(a: unknown, b: unknown): boolean {
  const c = cmp(a, b);
  return c !== null && c > 0;
}
/** `>=` */
export function ge(a: unknown, b: unknown): boolean {
  const c = cmp(a, b);
  return c !== null && c >= 0;
}

/**
 * Truthiness for `when`, `&&`, `||`, `!`: JavaScript's, so null, false, 0, NaN and '' are
 * false and every object or array (even empty) is true. `empty(x)` tests emptiness.
 */
export function truthy(x: unknown): boolean {
  return !!x;
}

/** A value as template text: null/missing → '', strings as they are, numbers and booleans via String, the rest as JSON. */
export function text(x: unknown): string {
  if (x == null) return '';
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  try {
    return JSON.stringify(x) ?? '';
  } catch {
    return '';
  }
}

/** A `{ template: ... }`: the parts (literal text and values alike) as text, concatenated. */
export function tpl(parts: readonly unknown[]): string {
  return parts.map(text).join('');
}

/**
 * A request path template: even-index entries are literal text (already safe), odd-index
 * entries are values, each `encodeURIComponent`-ed. A null, empty, `.` or `..` value makes the
 * whole path null (the request is not made): an empty segment or a dot segment would reach
 * another resource than the one the spec names (`/users//x`, `/users/../admin`). So does a
 * value with a lone surrogate, which has no UTF-8 form to encode.
 */
export function urlPath(parts: readonly unknown[]): string | null {
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) {
      out += text(parts[i]);
      continue;
    }
    const v = text(parts[i]);
    if (v === '' || v === '.' || v === '..') return null;
    try {
      out += encodeURIComponent(v);
    } catch {
      // A lone surrogate (URIError) has no UTF-8 form: no path names that value.
      return null;
    }
  }
  return out;
}

/** Builds an object from entries, skipping `__proto__`/`constructor`/`prototype`; missing values become null. */
export function obj(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) if (isSafeKey(k)) o[k] = nul(v);
  return o;
}
