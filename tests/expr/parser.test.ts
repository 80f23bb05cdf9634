import { describe, expect, it } from 'vitest';
import type { Expr } from '../../compiler/expr/ast';
import { MAX_EXPR_DEPTH, parseExpr, plainOrigin } from '../../compiler/expr/parser';
import { sourceFile } from '../../compiler/source';
import { at, codes, parse, text } from './helpers';

/** Compact S-expression of an AST, for precise shape assertions. */
function sx(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return JSON.stringify(e.value);
    case 'root':
      return e.name;
    case 'member':
      return `(. ${sx(e.object)} ${JSON.stringify(e.key)})`;
    case 'call':
      return `(${e.name}${e.args.map((a) => ' ' + sx(a)).join('')})`;
    case 'unary':
      return `(! ${sx(e.operand)})`;
    case 'binary':
      return `(${e.op} ${sx(e.left)} ${sx(e.right)})`;
    case 'invalid':
      return '<invalid>';
  }
}

function ok(src: string): Expr {
  const r = parse(src);
  expect(r.diagnostics).toEqual([]);
  return r.expr;
}

describe('parseExpr: precedence and shape', () => {
  it.each([
    ['a || b && c', '(|| a (&& b c))'],
    ['a && b || c', '(|| (&& a b) c)'],
    ['a || b || c', '(|| (|| a b) c)'],
    ['!a == b', '(! (== a b))'],
    ['!a && b', '(&& (! a) b)'],
    ['!!a', '(! (! a))'],
    ['(a || b) && c', '(&& (|| a b) c)'],
    ['!(a) == (b)', '(! (== a b))'],
    ['x.y <= 3', '(<= (. x "y") 3)'],
    ['a != null', '(!= a null)'],
    ["user.identities[0]['profileData'].x", '(. (. (. (. user "identities") 0) "profileData") "x")'],
    ["identity('facebook').profileData.custom_data", '(. (. (identity "facebook") "profileData") "custom_data")'],
    ["coalesce(a.b, lower(c), 'x', -2.5, true, false, null)", '(coalesce (. a "b") (lower c) "x" -2.5 true false null)'],
    ['now()', '(now)'],
    ['first(split(a, \',\'))[0]', '(. (first (split a ",")) 0)'],
    ['x.null.true', '(. (. x "null") "true")'],
    ['hours_since(user.created_at) > 720 || !exists(user.app_metadata.tier)', '(|| (> (hours_since (. user "created_at")) 720) (! (exists (. (. user "app_metadata") "tier"))))'],
  ])('%s', (src, expected) => {
    expect(sx(ok(src))).toBe(expected);
  });

  it('decodes string escapes and numbers', () => {
    expect(sx(ok("'it\\'s \\\\ \\n \\t \\u00e9'"))).toBe(JSON.stringify("it's \\ \n \t é"));
    expect(sx(ok('-12'))).toBe('-12');
    expect(sx(ok('0.25'))).toBe('0.25');
    expect(sx(ok('a < -1'))).toBe('(< a -1)');
  });
});

describe('parseExpr: spans map into the YAML file', () => {
  it('gives every node its exact source range', () => {
    const r = parse("lower(usr.email) == 'x'");
    expect(r.diagnostics).toEqual([]);
    const e = r.expr;
    if (e.kind !== 'binary' || e.left.kind !== 'call') throw new Error('shape');
    expect(at(e.span)).toBe('2:11');
    expect(text(e.span)).toBe("lower(usr.email) == 'x'");
    expect(text(e.left.nameSpan)).toBe('lower');
    expect(text(e.left.span)).toBe('lower(usr.email)');
    const arg = e.left.args[0]!;
    if (arg.kind !== 'member' || arg.object.kind !== 'root') throw new Error('shape');
    expect(at(arg.object.span)).toBe('2:17');
    expect(text(arg.object.span)).toBe('usr');
    expect(at(arg.keySpan)).toBe('2:21');
    expect(text(arg.keySpan)).toBe('email');
    expect(text(e.right.span)).toBe("'x'");
    expect(at(e.right.span)).toBe('2:31');
  });

  it('goes through origin.offset, e.g. a quoted scalar mapped to its start', () => {
    const file = sourceFile('m.yaml', 'when: "a.b == \'x\'"\n');
    const r = parseExpr("a.b == 'x'", { file, offset: () => 6 });
    expect(r.diagnostics).toEqual([]);
    expect(r.expr.span.start).toBe(6);
  });

  it('spans an index key and the closing bracket', () => {
    const e = ok("x['k y'][2]");
    if (e.kind !== 'member' || e.object.kind !== 'member') throw new Error('shape');
    expect(text(e.object.keySpan)).toBe("'k y'");
    expect(text(e.keySpan)).toBe('2');
    expect(text(e.span)).toBe("x['k y'][2]");
  });
});

describe('parseExpr: syntax errors are located diagnostics', () => {
  it.each([
    ['(a', "expected ')' to close '(' at 2:11, found end of expression", '2:13'],
    ['lower(a', "expected ',' or ')' to close 'lower(' at 2:16, found end of expression", '2:18'],
    ['a == b == c', 'comparisons do not chain', '2:18'],
    ['a == !b', "'!' cannot follow '==' directly", '2:16'],
    ['a.b(1)', "only library functions can be called: 'a.b' is not a function name", '2:14'],
    ['lower(a)(b)', "only library functions can be called: 'lower(a)' is not a function name", '2:19'],
    ['"x"', 'strings are written in single quotes', '2:11'],
    ["'abc", 'unterminated string starting at 2:11', '2:11'],
    ["'\\q'", "unknown escape '\\q'", '2:12'],
    ["'\\u12'", "'\\u' must be followed by four hex digits", '2:12'],
    ['a = b', "unexpected '='", '2:13'],
    ['a & b', "unexpected '&'", '2:13'],
    ['a - 1', "unexpected '-'", '2:13'],
    ['a b', "expected an operator or end of expression, found 'b'", '2:13'],
    ['', 'expected an expression, found end of expression', '2:11'],
    ['a ==', "expected an expression after '==', found end of expression", '2:15'],
    ['a.', "expected a field name after '.', found end of expression", '2:13'],
    ['a.1', "expected a field name after '.', found '1'", '2:13'],
    ['a[x]', "expected an index (0, 1, ...) or a 'key' inside '[ ]', found 'x'", '2:13'],
    ['a[-1]', "expected an index", '2:13'],
    ['a[1.5]', "expected an index", '2:13'],
    ["a['k'", "expected ']' to close '[' at 2:12, found end of expression", '2:16'],
    ['1.', "malformed number '1.'", '2:11'],
    ['12abc', "malformed number '12a'", '2:11'],
    ['a # b', "unexpected character '#'", '2:13'],
    ['a 😀', "unexpected character '😀'", '2:13'],
  ])('%s', (src, message, pos) => {
    const r = parse(src);
    expect(r.expr.kind).toBe('invalid');
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.code).toBe('MAPC0300');
    expect(r.diagnostics[0]!.severity).toBe('error');
    expect(r.diagnostics[0]!.message).toContain(message);
    expect(at(r.diagnostics[0]!.span)).toBe(pos);
  });

  it('limits nesting depth with MAPC0313 instead of overflowing the stack', () => {
    const deep = '('.repeat(MAX_EXPR_DEPTH + 1) + 'a' + ')'.repeat(MAX_EXPR_DEPTH + 1);
    expect(codes(parse(deep).diagnostics)).toEqual([`MAPC0313@2:${11 + MAX_EXPR_DEPTH}`]);
    const ok64 = '('.repeat(MAX_EXPR_DEPTH) + 'a' + ')'.repeat(MAX_EXPR_DEPTH);
    expect(parse(ok64).diagnostics).toEqual([]);
    expect(parse('!'.repeat(100000) + 'a').diagnostics[0]!.code).toBe('MAPC0313');
    expect(parse('f('.repeat(100000) + 'a' + ')'.repeat(100000)).diagnostics[0]!.code).toBe('MAPC0313');
    expect(parse('a' + '.b'.repeat(100000)).diagnostics[0]!.code).toBe('MAPC0313');
    expect(parse(Array.from({ length: 100000 }, (_, i) => `a${i}`).join(' || ')).diagnostics[0]!.code).toBe('MAPC0313');
  });
});

describe('parseExpr never throws', () => {
  // A deterministic generator (no Math.random: failures must reproduce).
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }
  const alphabet = ["a", "b", "_", "1", "0", ".", "-", "'", "\\", "u", "(", ")", "[", "]", ",", "!", "=", "<", ">", "&", "|", " ", "\n", '"', "😀", "\u2028", "t", "true", "null", "lower(", "x.y", "==", "&&"];

  it('on 5000 random strings, each yielding either an AST or exactly one diagnostic', () => {
    const next = rng(42);
    const file = sourceFile('r.yaml', '');
    for (let n = 0; n < 5000; n++) {
      let s = '';
      const len = Math.floor(next() * 40);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      const r = parseExpr(s, plainOrigin(file));
      if (r.expr.kind === 'invalid') expect(r.diagnostics).toHaveLength(1);
      else expect(r.diagnostics).toEqual([]);
    }
  });
});
