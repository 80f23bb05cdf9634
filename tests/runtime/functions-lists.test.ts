/**
 * The list functions (#18, lists; runtime/lists.ts): total, null in → null out, a non-array
 * list logged, at most MAX_LIST_ELEMENTS elements read (logged when cut), the sort rule,
 * index_of's null, pluck's own-property reads.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  fn_all,
  fn_any,
  fn_filter,
  fn_find,
  fn_flatten,
  fn_index_of,
  fn_map_each,
  fn_pluck,
  fn_slice,
  fn_sort,
  MAX_LIST_ELEMENTS,
} from '../../runtime/functions';
import { captureLogs } from './helpers';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

const isB = (x: unknown): boolean => x === 'b';
const ids = [
  { provider: 'google-oauth2', isSocial: true, user_id: 'g-1' },
  { provider: 'auth0', isSocial: false, user_id: 'a-1' },
  { provider: 'github', isSocial: true, user_id: 'h-1' },
];

describe('per-element functions', () => {
  it('map_each keeps the order and the nulls', () => {
    expect(fn_map_each(ids, (i) => (i as { provider: string }).provider)).toEqual(['google-oauth2', 'auth0', 'github']);
    expect(fn_map_each([1, undefined, 3], (i) => i)).toEqual([1, null, 3]);
    expect(fn_map_each(['a'], () => undefined)).toEqual([null]);
    expect(fn_map_each([], isB)).toEqual([]);
  });

  it('filter keeps the elements whose predicate is true (null and truthy non-booleans do not count)', () => {
    expect(fn_filter(ids, (i) => (i as { isSocial: boolean }).isSocial)).toEqual([ids[0], ids[2]]);
    expect(fn_filter(['a', 'b', 'b'], isB)).toEqual(['b', 'b']);
    expect(fn_filter(['a'], () => null)).toEqual([]);
    expect(fn_filter(['a'], () => 1)).toEqual([]);
    expect(fn_filter([undefined], () => true)).toEqual([null]);
  });

  it('any is false and all true for an empty list; find gives the first match or null', () => {
    expect(fn_any([], isB)).toBe(false);
    expect(fn_all([], isB)).toBe(true);
    expect(fn_any(['a', 'b'], isB)).toBe(true);
    expect(fn_all(['b', 'b'], isB)).toBe(true);
    expect(fn_all(['b', 'a'], isB)).toBe(false);
    expect(fn_all(['b'], () => null)).toBe(false);
    expect(fn_find(ids, (i) => (i as { provider: string }).provider.startsWith('g'))).toBe(ids[0]);
    expect(fn_find(ids, () => false)).toBeNull();
    expect(fn_find([undefined], () => true)).toBeNull();
  });

  it('stop at the first decisive element', () => {
    const seen: unknown[] = [];
    const spy = (x: unknown): boolean => (seen.push(x), x === 'b');
    expect(fn_any(['a', 'b', 'c'], spy)).toBe(true);
    expect(seen).toEqual(['a', 'b']);
  });

  it('a list that is not an array is null, logged (never its value); null is null without a log', () => {
    for (const f of [fn_map_each, fn_filter, fn_any, fn_all, fn_find]) {
      expect(f('b', isB)).toBeNull();
      expect(f({ 0: 'b' }, isB)).toBeNull();
      expect(f(null, isB)).toBeNull();
      expect(f(undefined, isB)).toBeNull();
    }
    expect(logs.lines.length).toBe(10);
    expect(logs.lines.every((l) => l.includes('not an array'))).toBe(true);
  });

  it(`read at most the first ${MAX_LIST_ELEMENTS} elements, and log the cut`, () => {
    const long = Array.from({ length: MAX_LIST_ELEMENTS + 500 }, (_, i) => i);
    let calls = 0;
    const out = fn_map_each(long, (x) => (calls++, x));
    expect(out).toHaveLength(MAX_LIST_ELEMENTS);
    expect(calls).toBe(MAX_LIST_ELEMENTS);
    // The element past the cut is never seen.
    expect(fn_any(long, (x) => x === MAX_LIST_ELEMENTS + 1)).toBe(false);
    expect(fn_index_of(long, MAX_LIST_ELEMENTS + 1)).toBeNull();
    expect(logs.lines).toHaveLength(3);
    expect(logs.lines[0]).toContain(`list cut to the first ${MAX_LIST_ELEMENTS} elements`);
    expect(logs.lines[0]).toContain('map_each');
  });
});

describe('pluck, flatten, sort, slice, index_of', () => {
  it('pluck reads own fields only; other elements give null', () => {
    expect(fn_pluck(ids, 'provider')).toEqual(['google-oauth2', 'auth0', 'github']);
    expect(fn_pluck([{ a: 1 }, { b: 2 }, 'x', null, [1], { a: undefined }], 'a')).toEqual([1, null, null, null, null, null]);
    expect(fn_pluck([{}], '__proto__')).toEqual([null]);
    expect(fn_pluck([{}], 'constructor')).toEqual([null]);
    expect(fn_pluck([{ a: 1 }], null)).toBeNull();
    expect(logs.lines).toEqual([]);
    expect(fn_pluck([{ a: 1 }], 1)).toBeNull();
    expect(fn_pluck('x', 'a')).toBeNull();
    expect(logs.lines).toHaveLength(2);
  });

  it('flatten removes one level and makes at most the cap', () => {
    expect(fn_flatten([[1, 2], 3, [[4]], [], [undefined]])).toEqual([1, 2, 3, [4], null]);
    const big = [Array.from({ length: MAX_LIST_ELEMENTS }, () => 1), [2, 3]];
    expect(fn_flatten(big)).toHaveLength(MAX_LIST_ELEMENTS);
    expect(logs.lines).toHaveLength(1);
    expect(fn_flatten(5)).toBeNull();
  });

  it('sort: numbers ascending, text by code units, nulls last, stable; a mixed list is null (logged)', () => {
    expect(fn_sort([10, 2, -1, 2.5])).toEqual([-1, 2, 2.5, 10]);
    expect(fn_sort(['b', 'B', 'a', 'é', 'A', 'a'])).toEqual(['A', 'B', 'a', 'a', 'b', 'é']);
    expect(fn_sort([null, 'b', undefined, 'a'])).toEqual(['a', 'b', null, null]);
    expect(fn_sort([])).toEqual([]);
    expect(fn_sort([null])).toEqual([null]);
    const input = [3, 1, 2];
    fn_sort(input);
    expect(input).toEqual([3, 1, 2]);
    expect(logs.lines).toEqual([]);
    expect(fn_sort([1, 'a'])).toBeNull();
    expect(fn_sort([true, false])).toBeNull();
    expect(fn_sort([{}, {}])).toBeNull();
    expect(fn_sort([1, NaN])).toBeNull();
    expect(logs.lines).toHaveLength(4);
    expect(logs.lines[0]).toContain('not all numbers or all text');
  });

  it('slice counts like substring, negative from the end; bad positions are null (logged)', () => {
    const l = ['a', 'b', 'c', 'd'];
    expect(fn_slice(l, 1)).toEqual(['b', 'c', 'd']);
    expect(fn_slice(l, 1, 3)).toEqual(['b', 'c']);
    expect(fn_slice(l, -2)).toEqual(['c', 'd']);
    expect(fn_slice(l, 0, -1)).toEqual(['a', 'b', 'c']);
    expect(fn_slice(l, 3, 1)).toEqual([]);
    expect(fn_slice(l, 1.9, 2.2)).toEqual(['b']);
    expect(fn_slice([undefined], 0)).toEqual([null]);
    expect(fn_slice(l, null)).toBeNull();
    expect(fn_slice(l, 0, null)).toEqual(l);
    expect(logs.lines).toEqual([]);
    expect(fn_slice(l, 'x')).toBeNull();
    expect(fn_slice(l, 0, 'y')).toBeNull();
    expect(fn_slice(l, Infinity)).toBeNull();
    expect(logs.lines).toHaveLength(3);
  });

  it('index_of compares strictly (null equals missing) and is null, not -1, when absent', () => {
    expect(fn_index_of(['a', 'b', 'a'], 'a')).toBe(0);
    expect(fn_index_of([1, '1'], '1')).toBe(1);
    expect(fn_index_of(['a', undefined], null)).toBe(1);
    expect(fn_index_of(['a'], 'z')).toBeNull();
    expect(fn_index_of([{}], {})).toBeNull();
    expect(fn_index_of(null, 'a')).toBeNull();
  });
});
