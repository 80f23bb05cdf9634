/**
 * The list functions (#18, lists): `map_each`, `filter`, `any`, `all`, `find` evaluate a
 * per-element expression, compiled to a closure `(item) => ...` that is total (it never
 * throws); `pluck`, `flatten`, `sort`, `slice`, `index_of` take plain arguments.
 *
 * Bounded work, so the language stays total and cheap: a list function reads at most the
 * first MAX_LIST_ELEMENTS elements of a list (the rest is left out and one line is logged),
 * and `flatten` makes at most that many. There is no recursion: the compiler refuses a list
 * function inside another's per-element expression (MAPC0318). A non-array list is null
 * (logged unless it was null).
 */
import { get } from './expr';
import { log } from './log';

/** At most this many elements of a list are read by one list function call. */
export const MAX_LIST_ELEMENTS = 1000;

/** The per-element expression, compiled: total, `item` is the element. */
type Each = (item: unknown) => unknown;

/** The elements to read (at most MAX_LIST_ELEMENTS, logged when cut); null for a non-array. */
function elements(fn: string, x: unknown): readonly unknown[] | null {
  if (!Array.isArray(x)) {
    if (x != null) log({ fn, msg: 'not an array' });
    return null;
  }
  if (x.length <= MAX_LIST_ELEMENTS) return x;
  log({ fn, msg: `list cut to the first ${MAX_LIST_ELEMENTS} elements` });
  return x.slice(0, MAX_LIST_ELEMENTS);
}

const nul = (x: unknown): unknown => (x === undefined ? null : x);

/** The per-element expression's value for each element (nulls kept, in order). */
export function fn_map_each(list: unknown, each: Each): unknown[] | null {
  const v = elements('map_each', list);
  if (v === null) return null;
  const out: unknown[] = [];
  for (const x of v) out.push(nul(each(nul(x))));
  return out;
}

/** The elements for which the predicate holds (a null predicate does not hold). */
export function fn_filter(list: unknown, each: Each): unknown[] | null {
  const v = elements('filter', list);
  if (v === null) return null;
  const out: unknown[] = [];
  for (const x of v) if (each(nul(x)) === true) out.push(nul(x));
  return out;
}

/** Whether the predicate holds for some element: false for an empty list. */
export function fn_any(list: unknown, each: Each): boolean | null {
  const v = elements('any', list);
  if (v === null) return null;
  for (const x of v) if (each(nul(x)) === true) return true;
  return false;
}

/** Whether the predicate holds for every element: true for an empty list. */
export function fn_all(list: unknown, each: Each): boolean | null {
  const v = elements('all', list);
  if (v === null) return null;
  for (const x of v) if (each(nul(x)) !== true) return false;
  return true;
}

/** The first element for which the predicate holds, or null. */
export function fn_find(list: unknown, each: Each): unknown {
  const v = elements('find', list);
  if (v === null) return null;
  for (const x of v) if (each(nul(x)) === true) return nul(x);
  return null;
}

/** The field `key` of every element (null for an element without it, or that is no object). */
export function fn_pluck(list: unknown, key: unknown): unknown[] | null {
  const v = elements('pluck', list);
  if (v === null) return null;
  if (typeof key !== 'string') {
    if (key != null) log({ fn: 'pluck', msg: 'key not text' });
    return null;
  }
  // `get` reads own properties only (never __proto__, never an array's length).
  return v.map((x) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? get(x, key) : null));
}

/** One level of nesting removed: the elements of array elements, other elements as they are. */
export function fn_flatten(list: unknown): unknown[] | null {
  const v = elements('flatten', list);
  if (v === null) return null;
  const out: unknown[] = [];
  for (const x of v) {
    for (const y of Array.isArray(x) ? x : [x]) {
      if (out.length === MAX_LIST_ELEMENTS) {
        log({ fn: 'flatten', msg: `list cut to the first ${MAX_LIST_ELEMENTS} elements` });
        return out;
      }
      out.push(nul(y));
    }
  }
  return out;
}

/**
 * Numbers in ascending order, or text by UTF-16 code units (as `<` compares it, not by
 * locale); stable; nulls last. A list mixing numbers and text, or holding anything else
 * (booleans, objects, arrays, NaN), is null (logged): there is no order that means something.
 */
export function fn_sort(list: unknown): unknown[] | null {
  const v = elements('sort', list);
  if (v === null) return null;
  const values = v.filter((x) => x != null);
  const nulls = v.length - values.length;
  const numbers = values.every((x) => typeof x === 'number' && !Number.isNaN(x));
  const texts = values.every((x) => typeof x === 'string');
  if (!numbers && !texts) {
    log({ fn: 'sort', msg: 'not all numbers or all text' });
    return null;
  }
  const sorted = numbers
    ? (values as number[]).slice().sort((a, b) => a - b)
    : (values as string[]).slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...sorted, ...new Array<null>(nulls).fill(null)];
}

/** A position argument: an integer (truncated), null when absent or not a number. */
function position(x: unknown): number | null {
  if (typeof x === 'number' && Number.isFinite(x)) return Math.trunc(x);
  if (x != null) log({ fn: 'slice', msg: 'not a number' });
  return null;
}

/** Elements from start up to, not including, end (default: to the end); negative positions count from the end. */
export function fn_slice(list: unknown, start: unknown, end?: unknown): unknown[] | null {
  const v = elements('slice', list);
  const a = position(start);
  if (v === null || a === null) return null;
  const b = end == null ? undefined : position(end);
  if (b === null) return null;
  return v.slice(a, b).map(nul);
}

/** Position (0, 1, ...) of the first element equal (strictly, as `==`) to the value; null when there is none. */
export function fn_index_of(list: unknown, value: unknown): number | null {
  const v = elements('index_of', list);
  if (v === null) return null;
  const i = v.findIndex((x) => nul(x) === nul(value));
  return i < 0 ? null : i;
}
