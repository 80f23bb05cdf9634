import { describe, expect, it } from 'vitest';
import { eq, ge, get, gt, le, lt, ne, obj, path, text, tpl, truthy, urlPath } from '../../runtime/expr';

describe('get and path', () => {
  const data = JSON.parse('{"a": {"b": [10, {"c": "x"}]}, "__proto__": {"polluted": true}, "n": null}');

  it('read own properties and array indexes', () => {
    expect(path(data, ['a', 'b', 1, 'c'])).toBe('x');
    expect(path(data, ['a', 'b', '0'])).toBe(10);
    expect(get(data, 'n')).toBeNull();
    expect(get(data, 'missing')).toBeNull();
    expect(path(data, ['missing', 'deeper'])).toBeNull();
    expect(path(data, [])).toBe(data);
    expect(path(undefined, [])).toBeNull();
  });

  it('never read prototypes, inherited members or lengths', () => {
    expect(get(data, '__proto__')).toBeNull();
    expect(get({}, 'constructor')).toBeNull();
    expect(get({}, 'toString')).toBeNull();
    expect(get(Object.assign(Object.create({ inherited: 1 }), {}), 'inherited')).toBeNull();
    expect(get({ prototype: 1 }, 'prototype')).toBeNull();
    expect(get([1, 2], 'length')).toBeNull();
    expect(get('abc', 'length')).toBeNull();
    expect(get([1, 2], -1)).toBeNull();
    expect(get([1, 2], '01')).toBeNull();
    expect(get([1, 2], 5)).toBeNull();
    expect(get(null, 'a')).toBeNull();
    expect(get(7, 'a')).toBeNull();
  });
});

describe('comparisons', () => {
  it('eq/ne are strict, with null == missing', () => {
    expect(eq(null, undefined)).toBe(true);
    expect(eq(1, '1')).toBe(false);
    expect(eq('a', 'a')).toBe(true);
    expect(ne(0, false)).toBe(true);
    expect(ne(undefined, null)).toBe(false);
  });

  it('order numbers with numbers and strings with strings only', () => {
    expect(lt(1, 2)).toBe(true);
    expect(le(2, 2)).toBe(true);
    expect(gt('b', 'a')).toBe(true);
    expect(ge('a', 'a')).toBe(true);
    expect(lt('a', 'b')).toBe(true);
    expect(gt('a', 'a')).toBe(false);
    expect(lt(1, '2')).toBe(false);
    expect(ge(null, 0)).toBe(false);
    expect(le(NaN, 1)).toBe(false);
    expect(gt(true, false)).toBe(false);
  });

  it('truthy is JavaScript truthiness (empty arrays and objects are true)', () => {
    expect([null, undefined, 0, '', false, NaN].map(truthy)).toEqual([false, false, false, false, false, false]);
    expect([[], {}, 'a', 1, true].map(truthy)).toEqual([true, true, true, true, true]);
  });
});

describe('templates', () => {
  it('tpl stringifies values and drops nulls', () => {
    expect(tpl(['Hi ', 'Jane', ' ', null, '/', 3, '/', true, '/', { a: 1 }, undefined])).toBe('Hi Jane /3/true/{"a":1}');
    expect(text(10n)).toBe('');
  });

  it('urlPath encodes each value', () => {
    expect(urlPath(['/users/', 'auth0|1', '/x'])).toBe('/users/auth0%7C1/x');
    expect(urlPath(['/q/', 'a/../b?c#d', ''])).toBe('/q/a%2F..%2Fb%3Fc%23d');
    expect(urlPath(['/n/', 0])).toBe('/n/0');
    expect(urlPath(['/static'])).toBe('/static');
  });

  it('urlPath is null for a null, empty or dot-segment value', () => {
    expect(urlPath(['/users/', null, '/x'])).toBeNull();
    expect(urlPath(['/users/', '', '/x'])).toBeNull();
    expect(urlPath(['/users/', '..', '/x'])).toBeNull();
    expect(urlPath(['/users/', '.', '/x'])).toBeNull();
  });

  it('obj skips dangerous keys and keeps nulls', () => {
    const o = obj([
      ['a', 1],
      ['__proto__', { polluted: true }],
      ['constructor', 1],
      ['prototype', 1],
      ['b', undefined],
    ]);
    expect(o).toEqual({ a: 1, b: null });
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
