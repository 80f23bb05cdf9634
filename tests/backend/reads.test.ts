/**
 * Compiled paths read the engine's own holders directly (`s.lookups.name`, `s.value`) and
 * outside data one segment at a time (`prop`, `get`). This compiles paths over every kind of
 * root and key, evaluates them against hostile holders (inherited members, `__proto__` from
 * JSON, null prototypes, class instances, arrays, strings) and compares each result with the
 * reference reading `path(root, keys)` that generated code used before.
 */
import { describe, expect, it } from 'vitest';
import { ExprContext, compileExpr } from '../../compiler/emit/expr';
import type { Expr } from '../../compiler/expr/ast';
import * as runtime from '../../runtime/index';
import { call, lit, mem, root } from './helpers';

const LOOKUPS = ['sub', 'constructor', 'toString', 'class'];

/** The compiled closure `(s) => <expr>`, with the runtime helpers in scope. */
function compile(e: Expr): (s: unknown) => unknown {
  const ctx = new ExprContext(new Set(LOOKUPS));
  const body = compileExpr(e, ctx).toString();
  const names = ctx.helpers();
  const make = new Function(...names, `return (s) => ${body};`) as (...h: unknown[]) => (s: unknown) => unknown;
  return make(...names.map((n) => (runtime as Record<string, unknown>)[n]));
}

class Holder {
  own = 'own';
  get getter(): string {
    return 'inherited getter';
  }
}

/** Values at every level: plain, JSON with an own `__proto__`, null-prototype, class instance, array, scalars. */
function holders(depth: number): unknown[] {
  const leaves: unknown[] = ['text', 7, true, null, undefined, ['a', 'b']];
  if (depth === 0) return leaves;
  const inner = holders(depth - 1);
  const out: unknown[] = [...leaves];
  inner.forEach((v, i) => {
    out.push({ a: v, b: i, own: v, '0': v, toString: v });
    if (i % 3 === 0) out.push(Object.assign(JSON.parse('{"__proto__": {"a": "polluted"}}'), { a: v }));
    if (i % 3 === 1) out.push(Object.assign(Object.create(null), { a: v, constructor: v }));
    if (i % 3 === 2) out.push(Object.assign(new Holder(), { a: v }));
    if (i % 4 === 0) out.push([v, v]);
  });
  return out;
}

const KEY_CHAINS: (string | number)[][] = [[], ['a'], ['a', 'a'], ['own'], ['getter'], ['toString'], ['constructor'], ['__proto__', 'a'], ['0'], [0], [1, 'a'], ['length'], ['a', 'own', 'a']];

const chain = (base: Expr, keys: readonly (string | number)[]): Expr => keys.reduce<Expr>((e, k) => mem(e, k), base);

describe('compiled reads agree with path()', () => {
  const values = holders(2);

  it('event roots', () => {
    let nonNull = 0;
    for (const keys of KEY_CHAINS) {
      const f = compile(chain(root('user'), keys));
      for (const v of values) {
        const s = { event: { user: v }, lookups: {} };
        const want = runtime.path(s.event, ['user', ...keys]);
        expect(f(s), `user.${keys.join('.')}`).toBe(want);
        if (want !== null) nonNull++;
      }
    }
    expect(nonNull).toBeGreaterThan(100);
  });

  it('lookup roots, including names that are Object.prototype members', () => {
    for (const name of LOOKUPS) {
      for (const keys of KEY_CHAINS) {
        const f = compile(chain(root(name), keys));
        for (const v of values) {
          // As the engine makes it: null prototype, every lookup name an own property.
          const lookups = Object.assign(Object.create(null), Object.fromEntries(LOOKUPS.map((n) => [n, null])), { [name]: v });
          const s = { event: {}, lookups };
          expect(f(s), `${name}.${keys.join('.')}`).toBe(runtime.path(lookups, [name, ...keys]));
        }
      }
    }
  });

  it('value, current and response, present or not', () => {
    for (const r of ['value', 'current', 'response']) {
      for (const keys of KEY_CHAINS) {
        const f = compile(chain(root(r), keys));
        for (const v of values) {
          const s = { event: {}, lookups: {}, [r]: v };
          const want = keys.length === 0 ? runtime.get(s, r) : runtime.path(runtime.get(s, r), keys);
          expect(f(s), `${r}.${keys.join('.')}`).toBe(want);
        }
        // A root read outside the place it belongs to (no such scope property) is null.
        expect(f({ event: {}, lookups: {} })).toBeNull();
      }
    }
  });

  it('member access after a call', () => {
    for (const keys of KEY_CHAINS) {
      const f = compile(chain(call('coalesce', root('user'), lit('x')), keys));
      for (const v of values) {
        const s = { event: { user: v }, lookups: {} };
        expect(f(s)).toBe(runtime.path(runtime.fn_coalesce(runtime.get(s.event, 'user'), 'x'), keys));
      }
    }
  });

  it('reads plain keys with prop(), the engine holders directly, and the rest with get()', () => {
    const src = (e: Expr) => compileExpr(e, new ExprContext(new Set(LOOKUPS))).toString();
    expect(src(chain(root('user'), ['app_metadata', 'tier']))).toBe('prop(prop(prop(s.event, "user"), "app_metadata"), "tier")');
    expect(src(chain(root('user'), ['identities', 0, '0', 'constructor']))).toBe(
      'get(get(get(prop(prop(s.event, "user"), "identities"), 0), "0"), "constructor")',
    );
    expect(src(chain(root('sub'), ['tier']))).toBe('prop(s.lookups.sub, "tier")');
    expect(src(root('class'))).toBe('(s.lookups.class ?? null)');
    expect(src(root('constructor'))).toBe('get(s.lookups, "constructor")');
    expect(src(root('value'))).toBe('(s.value ?? null)');
    expect(src(chain(root('response'), ['id']))).toBe('prop(s.response, "id")');
  });
});
