/**
 * Random expression and template sources (issue #8): whatever the text, the parser returns
 * a located diagnostic or a valid AST, never throws, and the type checker never throws on
 * what it returns. Expressions generated from the grammar parse back to exactly the tree
 * they were printed from, hostile string literals included.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Expr } from '../../compiler/expr/ast';
import { checkExpr, checkTemplate, defaultFunctions, exprText, parseExpr, parseTemplate, plainOrigin, walkExpr } from '../../compiler/expr';
import { specEnv } from '../../compiler/resolve/expressions';
import { sourceFile } from '../../compiler/source';
import { hostileString, NASTY_FRAGMENTS } from './support/arbitraries';
import { fcParams, SOURCE_RUNS } from './support/config';
import { reportFigures, tally } from './support/figures';

// `npm run fuzz` runs 10,000+ cases per property.
vi.setConfig({ testTimeout: 600_000 });

reportFigures('sources');

const FUNCTIONS = defaultFunctions();
const ENV = specEnv('post-login', FUNCTIONS, ['sub'], {}, 'a fuzzed expression');

const EXPR_FRAGMENTS = [
  'user', 'user.email', '.', '[', ']', '[0]', "['x']", '(', ')', ',', '!', '==', '!=', '<', '<=', '>', '>=', '&&', '||',
  "'", "\\'", '\\', '\\u', '\\u00e9', '\\n', 'lower(', 'coalesce(', "identity('facebook')", 'exists(', 'null', 'true',
  'false', '42', '-5', '0.5', '1e9', '..', ' ', '\t', '\n', 'sub.tier', 'value', 'current', 'response', 'secrets.X',
  'regex_replace(user.name, \'(a+)+$\', \'\')', 'matches(', '"', '`', '${', '__proto__', 'constructor',
];

const TEMPLATE_FRAGMENTS = [
  '{{', '}}', '{{{', '}}}', '\\{{', '{{!', '{{!--', '--}}', '{{#if user.email}}', '{{/if}}', '{{else}}', '{{> p}}',
  '{{this}}', '{{../x}}', '{{@index}}', '{{user.email}}', '{{lower user.email}}', '{{lower (trim user.name)}}',
  '{{concat a b c=1}}', '{{user.[odd key]}}', '{{"str"}}', "{{'s'}}", '{{42}}', '{{now}}', '{{~user.name~}}', ' ', '\n',
  '\0', 'text', '{{sub.tier}}', '{{secrets.X}}', '{{__proto__}}', '{{user.__proto__.x}}', '}', '{',
];

/** Text mixing syntax fragments with hostile strings. */
const sourceOf = (fragments: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.array(fc.oneof(fc.constantFrom(...fragments), fc.constantFrom(...NASTY_FRAGMENTS)), { maxLength: 20 }).map((a) => a.join('')), weight: 4 },
    { arbitrary: hostileString, weight: 1 },
    { arbitrary: fc.string({ unit: fc.constantFrom(...'()[]!.,\'"=<>&|{}\\ a1'.split('')), maxLength: 60 }), weight: 2 },
  );

/** Every span inside the file, and the AST free of `invalid` nodes. */
function assertWellFormed(e: Expr, length: number): void {
  walkExpr(e, (n: Expr) => {
    expect(n.kind).not.toBe('invalid');
    expect(n.span.start).toBeGreaterThanOrEqual(0);
    expect(n.span.end).toBeLessThanOrEqual(length);
  });
}

/** The tree without spans (for comparing a parse with a re-parse). */
function shape(e: Expr): unknown {
  switch (e.kind) {
    case 'literal':
      return ['lit', e.value];
    case 'root':
      return ['root', e.name];
    case 'member':
      return ['member', shape(e.object), e.key];
    case 'call':
      return ['call', e.name, e.args.map(shape)];
    case 'unary':
      return ['!', shape(e.operand)];
    case 'binary':
      return [e.op, shape(e.left), shape(e.right)];
    case 'invalid':
      return ['invalid'];
  }
}

const parse = (text: string) => parseExpr(text, plainOrigin(sourceFile('fuzz.yaml', text)));

describe('random expression sources', () => {
  it(`${SOURCE_RUNS} sources: a located diagnostic or a valid AST that prints and re-parses to itself`, () => {
    fc.assert(
      fc.property(sourceOf(EXPR_FRAGMENTS), (text) => {
        tally('sources.expressions');
        const { expr, diagnostics } = parse(text);
        if (diagnostics.length > 0) {
          expect(expr.kind).toBe('invalid');
          for (const d of diagnostics) {
            expect(d.code).toMatch(/^MAPC03\d\d$/);
            expect(d.span!.start).toBeGreaterThanOrEqual(0);
            expect(d.span!.end).toBeLessThanOrEqual(text.length);
            expect(d.message.length).toBeGreaterThan(0);
          }
          tally('sources.expressions-refused');
          return;
        }
        assertWellFormed(expr, text.length);
        const again = parse(exprText(expr));
        expect(again.diagnostics).toEqual([]);
        expect(shape(again.expr)).toEqual(shape(expr));
        expect(() => checkExpr(expr, ENV)).not.toThrow();
      }),
      fcParams(SOURCE_RUNS),
    );
  });

  /** Expressions from the grammar, hostile string literals included. */
  const generated: fc.Arbitrary<string> = fc.letrec((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { arbitrary: hostileString.map((s) => `'${s.replace(/[\\']/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}'`), weight: 3 },
      { arbitrary: fc.oneof(fc.nat(), fc.constantFrom(0.5, 1.25, 100)).map(String), weight: 1 },
      { arbitrary: fc.constantFrom('true', 'false', 'null', 'user.email', 'user.identities[0]', "user['odd key']", 'sub.tier'), weight: 2 },
      { arbitrary: fc.tuple(fc.constantFrom('lower', 'coalesce', 'concat', 'exists'), fc.array(tie('e'), { minLength: 1, maxLength: 3 })).map(([f, a]) => `${f}(${a.join(', ')})`), weight: 2 },
      { arbitrary: tie('e').map((x) => `!(${x})`), weight: 1 },
      { arbitrary: fc.tuple(tie('e'), fc.constantFrom('==', '!=', '<', '<=', '>', '>=', '&&', '||'), tie('e')).map(([a, op, b]) => `(${a}) ${op} (${b})`), weight: 2 },
    ),
  })).e;

  it(`${SOURCE_RUNS} grammar-generated expressions parse, check and round-trip through printing`, () => {
    fc.assert(
      fc.property(generated, (text) => {
        tally('sources.generated');
        const { expr, diagnostics } = parse(text);
        // Only the nesting limits may refuse a generated expression.
        if (diagnostics.length > 0) {
          expect(diagnostics.map((d) => d.code)).toEqual(['MAPC0313']);
          return;
        }
        assertWellFormed(expr, text.length);
        const again = parse(exprText(expr));
        expect(again.diagnostics).toEqual([]);
        expect(shape(again.expr)).toEqual(shape(expr));
        expect(() => checkExpr(expr, ENV)).not.toThrow();
      }),
      fcParams(SOURCE_RUNS),
    );
  });

  it('string literals decode exactly', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const src = `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
        const { expr, diagnostics } = parse(src);
        expect(diagnostics).toEqual([]);
        expect(expr).toMatchObject({ kind: 'literal', value: s });
      }),
      fcParams(SOURCE_RUNS),
    );
  });
});

describe('random template sources', () => {
  it(`${SOURCE_RUNS} sources: located diagnostics or parts, never a throw; the checker never throws`, () => {
    fc.assert(
      fc.property(sourceOf(TEMPLATE_FRAGMENTS), (text) => {
        tally('sources.templates');
        const file = sourceFile('fuzz.yaml', text);
        const { template, diagnostics } = parseTemplate(text, plainOrigin(file), FUNCTIONS);
        for (const d of diagnostics) {
          expect(d.code).toMatch(/^MAPC03\d\d$/);
          expect(d.span!.start).toBeGreaterThanOrEqual(0);
          expect(d.span!.end).toBeLessThanOrEqual(text.length);
        }
        if (diagnostics.length > 0) tally('sources.templates-refused');
        else for (const p of template.parts) if (p.kind === 'expr') assertWellFormed(p.expr, text.length);
        expect(() => checkTemplate(template, ENV)).not.toThrow();
      }),
      fcParams(SOURCE_RUNS),
    );
  });
});
