import * as vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  Code,
  Name,
  blockComment,
  commentText,
  indent,
  join,
  js,
  lineComment,
  literal,
  prop,
  propertyKey,
} from '../../compiler/codegen';
import { skeleton } from '../../compiler/codegen/skeleton';
import { NASTY } from './helpers';

/** Evaluates an expression in a fresh context (so prototype changes would be visible). */
function evaluate(c: Code): unknown {
  return vm.runInNewContext(`(${c.toString()})`);
}

/** Parses without running (throws SyntaxError when the code does not parse). */
function parses(src: string): boolean {
  new vm.Script(src);
  return true;
}

describe('literal', () => {
  it.each(NASTY)('round-trips the string %j exactly and leaves no raw hazard in the source', (s) => {
    const c = literal(s);
    expect(evaluate(c)).toBe(s);
    const src = c.toString();
    expect(src).not.toMatch(/[\u2028\u2029\n\r<]/);
    expect(src).not.toContain('##');
    expect(src).not.toContain('@@');
  });

  it('encodes strings as JSON with extra escapes', () => {
    expect(literal('a"b').toString()).toBe('"a\\"b"');
    expect(literal('</script>').toString()).toBe('"\\u003c/script>"');
    expect(literal('\u2028').toString()).toBe('"\\u2028"');
    expect(literal('##A##').toString()).toBe('"\\u0023#A\\u0023#"');
    expect(literal('@@A@@').toString()).toBe('"\\u0040@A\\u0040@"');
    expect(literal('a@b.c #1').toString()).toBe('"a@b.c #1"');
  });

  it('encodes every number, including NaN, infinities and -0', () => {
    expect(literal(1.5).toString()).toBe('1.5');
    expect(literal(1e21).toString()).toBe('1e+21');
    expect(literal(NaN).toString()).toBe('NaN');
    expect(literal(-Infinity).toString()).toBe('-Infinity');
    expect(literal(-0).toString()).toBe('-0');
    expect(Object.is(evaluate(literal(-0)), -0)).toBe(true);
    expect(evaluate(literal(Infinity))).toBe(Infinity);
    expect(evaluate(literal([NaN]))).toEqual([NaN]);
  });

  it('encodes undefined, null, booleans', () => {
    expect(literal(undefined).toString()).toBe('undefined');
    expect(literal(null).toString()).toBe('null');
    expect(literal(true).toString()).toBe('true');
  });

  it('round-trips nested objects and arrays keeping key order', () => {
    const v = { b: 1, a: [1, 'x', null, { 'two words': true, [NASTY[0]!]: NASTY[1] }], 'x-y': {}, 10: 'ten', 2: 'two' };
    const back = evaluate(literal(v));
    expect(back).toEqual(v);
    expect(Object.keys(back as object)).toEqual(Object.keys(v));
    expect(literal({ b: 1, a: 2 }).toString()).toBe('{ b: 1, a: 2 }');
    expect(literal({ 'x-y': 1 }).toString()).toBe('{ "x-y": 1 }');
  });

  it('keeps a __proto__ key an own property instead of setting the prototype', () => {
    const v = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}') as Record<string, unknown>;
    const src = literal(v).toString();
    expect(src).toBe('{ ["__proto__"]: { polluted: true }, ok: 1 }');
    const back = evaluate(literal(v)) as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(back, '__proto__')).toBe(true);
    expect((back as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.keys(back)).toEqual(['__proto__', 'ok']);
  });

  it('refuses what is not data (a compiler bug)', () => {
    expect(() => literal(() => 1)).toThrow(/cannot encode/);
    expect(() => literal(new Date(0))).toThrow(/plain objects/);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => literal(cyclic)).toThrow(/cyclic/);
  });
});

describe('js', () => {
  it('inserts Code raw and encodes everything else', () => {
    const f = new Name('f');
    const user = NASTY[0]!;
    const c = js`${f}(${user}, ${1}, ${literal([1])}, ${{ a: null }})`;
    expect(c.toString()).toBe(`f(${JSON.stringify(user)}, 1, [1], { a: null })`);
  });

  it('cannot be tricked by a string that looks like code', () => {
    for (const s of NASTY) {
      const c = js`(function () { return ${s}; })()`;
      expect(parses(c.toString())).toBe(true);
      expect(vm.runInNewContext(c.toString())).toBe(s);
    }
  });

  it('join and indent lay out Code', () => {
    expect(join([js`a`, js`b`]).toString()).toBe('a, b');
    expect(join([js`a`, js`b`], js`;`).toString()).toBe('a;b');
    expect(indent(js`{\nx,\n\ny\n}`).toString()).toBe('{\n  x,\n\n  y\n  }');
  });
});

describe('Code', () => {
  it('cannot be forged from a string outside codegen', () => {
    const Forge = Code as unknown as new (text: string, token: unknown) => Code;
    expect(() => new Forge('process.exit(1)', Symbol('codegen'))).toThrow(/made only by codegen/);
  });
});

describe('Name', () => {
  it('accepts identifiers and refuses everything else', () => {
    expect(new Name('fn_lower').toString()).toBe('fn_lower');
    expect(new Name('$x1').toString()).toBe('$x1');
    for (const bad of ['', '1a', 'a-b', 'a b', 'a;b', 'class', 'default', 'eval', 'fn_x()', '\u2028']) {
      expect(() => new Name(bad), bad).toThrow(/invalid identifier/);
    }
  });
});

describe('prop and propertyKey', () => {
  const o = new Name('o');
  it('uses dot access for identifier names, brackets otherwise', () => {
    expect(prop(o, 'email').toString()).toBe('o.email');
    expect(prop(o, 'class').toString()).toBe('o.class');
    expect(prop(o, 'x-y').toString()).toBe('o["x-y"]');
    expect(prop(o, 0).toString()).toBe('o[0]');
    expect(prop(o, '</script>').toString()).toBe('o["\\u003c/script>"]');
  });

  it('reads the same value as ordinary property access, for every nasty key', () => {
    for (const k of [...NASTY, '__proto__x', 'constructor']) {
      const c = js`((o) => ${prop(o, k)})(${{ [k]: 42 }})`;
      expect(vm.runInNewContext(c.toString()), k).toBe(42);
    }
  });

  it('writes __proto__ as a computed key', () => {
    expect(propertyKey('__proto__')).toBe('["__proto__"]');
    expect(propertyKey('a')).toBe('a');
    expect(propertyKey('1a')).toBe('"1a"');
  });
});

describe('comments', () => {
  it.each(NASTY)('a comment cannot be closed or broken by %j', (s) => {
    const line = lineComment(s).toString();
    const block = blockComment(['first', s, '']).toString();
    // If the text escaped the comment, these would not parse or would run code.
    const src = `${block}\n${line}\nresult = 1;`;
    const ctx: { result?: number } = {};
    vm.runInNewContext(src, ctx);
    expect(ctx.result).toBe(1);
    expect(src.split('\n')).toHaveLength(block.split('\n').length + 2);
    expect(src).not.toMatch(/##|@@|[^\x20-\x7e\n]/);
  });

  it('commentText neutralises closers, keywords and line breaks', () => {
    expect(commentText('a */ b')).toBe('a * / b');
    expect(commentText('**//')).toBe('** //');
    expect(commentText('*/*/')).toBe('* /* /');
    expect(commentText('###')).toBe('# # #');
    expect(commentText('x\ny')).toBe('x y');
    expect(commentText('é')).toBe('\\u{e9}');
  });
});

describe('skeleton', () => {
  const render = skeleton<'a' | 'b'>('start {{a}} mid {{b}} end');
  it('fills slots with Code unescaped', () => {
    expect(render({ a: js`x < ${'<&>'}`, b: js`{{b}}` }).toString()).toBe('start x < "\\u003c&>" mid {{b}} end');
  });
  it('fails on a missing slot (strict) and on a non-Code slot', () => {
    expect(() => render({ a: js`x` } as never)).toThrow();
    expect(() => render({ a: js`x`, b: 'raw' as unknown as Code })).toThrow(/not Code/);
  });
});

describe('neutraliseKeywords (bundle post-pass)', () => {
  it('leaves no ## or @@ and keeps the meaning of strings, regexes and comments', async () => {
    const { neutraliseKeywords } = await import('../../compiler/bundle/bundle');
    const src = String.raw`r = ['##A##', "@@B@@", '\\##', '\##', /x##y/.test('x##y'), ${'`'}###${'`'}]; // ##C## @@`;
    const out = neutraliseKeywords(src);
    expect(out).not.toMatch(/##|@@/);
    const a: { r?: unknown } = {};
    const b: { r?: unknown } = {};
    vm.runInNewContext(src, a);
    vm.runInNewContext(out, b);
    expect(b.r).toEqual(a.r);
    expect(b.r).toEqual(['##A##', '@@B@@', '\\##', '##', true, '###']);
  });
});
