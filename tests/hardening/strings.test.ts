/**
 * Random strings (all of Unicode, lone surrogates, quotes, backticks, `${}`, `</script>`,
 * U+2028/2029, NUL, Deploy CLI keywords) through everything that reaches generated code:
 * first the codegen primitives directly (literal, property keys and access, comments), then
 * whole projects through the real pipeline, where each string sits in every free-text
 * position at once (descriptions, owner, literal values, expression string literals,
 * template text, body and query keys and values, headers, deny messages) and must come out
 * of the running Action exactly as written, while the code parses and runs nothing else.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { commentText, js, literal, prop, propertyKey } from '../../compiler/codegen';
import { compile } from '../../compiler/pipeline';
import { runCompiled, tempProject } from '../helpers/compiled';
import { headerValue } from '../../runtime/engine';
import { hostileString } from './support/arbitraries';
import { fcParams, PROJECT_RUNS, STRING_RUNS } from './support/config';
import { reportFigures, tally } from './support/figures';
import { projectFile, SINK_SECRETS } from './support/project';

// `npm run fuzz` runs 10,000+ cases per property.
vi.setConfig({ testTimeout: 600_000 });

reportFigures('strings');

const evaluate = (code: string): unknown => new Function(`"use strict"; return (${code});`)();

/** Same value, same own keys (a `__proto__` key must be an own property), same number identity. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => same(v, b[i]));
  if (typeof a === 'object' && a !== null) {
    if (typeof b !== 'object' || b === null || Array.isArray(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      Object.getPrototypeOf(b) === Object.prototype &&
      ka.length === kb.length &&
      ka.every((k, i) => kb[i] === k && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return a === b;
}

/** Properties every piece of generated source must have, whatever went in. */
function assertSafeSource(code: string): void {
  expect(code).not.toMatch(/[\u2028\u2029]/);
  expect(code).not.toMatch(/<\/script/i);
  expect(code).not.toMatch(/##|@@/);
}

/** Plain objects whose keys (including `__proto__`) and values are hostile. */
const hostileData: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { arbitrary: hostileString, weight: 4 },
    { arbitrary: fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e21, 5e-324, true, false, null), weight: 1 },
    { arbitrary: fc.double(), weight: 1 },
    { arbitrary: fc.array(tie('value'), { maxLength: 3 }), weight: 1 },
    {
      arbitrary: fc.array(fc.tuple(fc.oneof(hostileString, fc.constant('__proto__')), tie('value')), { maxLength: 3 }).map((es) => {
        const o: Record<string, unknown> = {};
        for (const [k, v] of es) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
        return o;
      }),
      weight: 1,
    },
  ),
})).value;

describe('codegen primitives with random strings', () => {
  it(`literal() of ${STRING_RUNS} hostile values parses, is script-safe and evaluates to the same value`, () => {
    fc.assert(
      fc.property(hostileData, (v) => {
        const code = literal(v).toString();
        assertSafeSource(code);
        expect(same(v, evaluate(code))).toBe(true);
        tally('strings.literal');
      }),
      fcParams(STRING_RUNS),
    );
  });

  it(`propertyKey() and prop() address exactly the key, for ${STRING_RUNS} keys`, () => {
    fc.assert(
      fc.property(hostileString, (k) => {
        const o = evaluate(`{ ${propertyKey(k)}: 42 }`) as Record<string, unknown>;
        expect(Object.keys(o)).toEqual([k]);
        expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
        const read = new Function('o', `"use strict"; return ${prop(js`o`, k)};`) as (o: unknown) => unknown;
        const target: Record<string, unknown> = {};
        Object.defineProperty(target, k, { value: 'hit', enumerable: true });
        expect(read(target)).toBe('hit');
        assertSafeSource(propertyKey(k) + prop(js`o`, k).toString());
        tally('strings.keys');
      }),
      fcParams(STRING_RUNS),
    );
  });

  it(`commentText() keeps ${STRING_RUNS} strings inside line and block comments`, () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const t = commentText(s);
        expect(t).toMatch(/^[\x20-\x7e]*$/);
        assertSafeSource(t);
        expect(evaluate(`/* ${t} */ 1`)).toBe(1);
        expect(new Function(`// ${t}\nreturn 2;`)()).toBe(2);
        tally('strings.comments');
      }),
      fcParams(STRING_RUNS),
    );
  });
});

/** A YAML double-quoted scalar holding exactly `s` (ASCII only: everything else escaped). */
const yq = (s: string): string =>
  JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** An expression string literal holding exactly `s`. */
const exprLit = (s: string): string =>
  `'${s.replace(/[\\']/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;

/**
 * Template text: no `{`, `\` or NUL (template syntax is fuzzed by the sources test; Handlebars
 * reads NUL as the end of input), so it is all literal text.
 */
const tplText = (s: string): string => s.replace(/[{\\\0]/g, '(');

/** What a URL query carries: USV strings (lone surrogates become U+FFFD). */
const usv = (s: string): string => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

const DANGEROUS = new Set(['__proto__', 'constructor', 'prototype']);

function spec(s: readonly string[]): string {
  const [desc, owner, literalValue, exprValue, tpl, key, value, deny] = s as [string, string, string, string, string, string, string, string];
  return `version: 1
name: fuzzed
owner: ${yq(owner)}
trigger: post-login
description: ${yq(desc)}
fields:
  - to: id_token.lit
    from: { value: ${yq(literalValue)} }
    description: ${yq(desc)}
  - to: app_metadata.expr
    from: ${yq(exprLit(exprValue))}
  - to: user_metadata.tpl
    from: { template: ${yq('{{user.nickname}}|' + tplText(tpl))} }
sends:
  - system: sink
    method: POST
    path: /p/{{user.nickname}}
    description: ${yq(desc)}
    query:
      ${yq('q' + key)}: { value: ${yq(value)} }
    headers:
      X-Fuzz: { value: ${yq(value)} }
    body:
      ${yq(key)}: { value: ${yq(value)} }
      fixed_tpl: { template: ${yq(tplText(tpl) + '|{{user.nickname}}')} }
      fixed_expr: ${yq(`concat(${exprLit(exprValue)}, user.nickname)`)}
access:
  - when: user.nickname == 'deny-me'
    deny: ${yq(deny)}
`;
}

describe('random strings through the whole pipeline', () => {
  it(`${PROJECT_RUNS} projects × 8 strings in every free-text position build, parse, and round-trip exactly`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileString, { minLength: 8, maxLength: 8 }), async (s) => {
        const dir = tempProject({ 'mappings/mapc.yaml': projectFile(), 'mappings/fuzzed.yaml': spec(s) });
        const { result, diagnostics } = await compile({ projectDir: 'mappings', cwd: dir });
        const [, owner, literalValue, exprValue, tpl, key, value, deny] = s as [string, string, string, string, string, string, string, string];
        tally('strings.pipeline', 8);
        if (!result) {
          // Only a blank owner or deny message may be refused, and only with located diagnostics.
          const errors = diagnostics.filter((d) => d.severity === 'error');
          expect(errors.length).toBeGreaterThan(0);
          expect(owner.trim() === '' || deny.trim() === '').toBe(true);
          for (const d of errors) expect(d.span?.file.path).toMatch(/fuzzed\.yaml$/);
          tally('strings.pipeline-refused');
          return;
        }
        const code = result.code.get('mapc-post-login')!;
        assertSafeSource(code);
        for (const [path, text] of result.files) if (path.endsWith('.js')) expect(() => new Function(text)).not.toThrow();
        expect(() => JSON.parse(result.files.get('mapc-manifest.json')!)).not.toThrow();

        const out = await runCompiled(result, 'mapc-post-login', {
          secrets: SINK_SECRETS,
          event: { user: { nickname: 'jd' } },
          scripts: { sink: [{ method: 'POST', body: {} }] },
        });
        expect((globalThis as Record<string, unknown>)['PWNED']).toBeUndefined();
        expect(out.threw).toBeUndefined();
        expect(out.record.idTokenClaims['https://acme.example/lit']).toBe(literalValue);
        expect(out.appMetadata['expr']).toBe(exprValue);
        expect(out.userMetadata['tpl']).toBe('jd|' + tplText(tpl));
        expect(out.requests).toHaveLength(1);
        const req = out.requests[0]!;
        expect(new URL('http://x' + req.path).searchParams.get(usv('q' + key))).toBe(usv(value));
        const body = req.body as Record<string, unknown>;
        if (!DANGEROUS.has(key) && key !== 'fixed_tpl' && key !== 'fixed_expr') expect(body[key]).toBe(value);
        expect(body['fixed_tpl']).toBe(tplText(tpl) + '|jd');
        expect(body['fixed_expr']).toBe(exprValue + 'jd');
        expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
        // Header values: dropped when they carry a line break or NUL, else sent (encoded beyond Latin-1), trimmed by HTTP.
        const header = req.headers['x-fuzz'];
        if (/[\r\n\0]/.test(value)) expect(header).toBeUndefined();
        else expect(header ?? '').toBe(headerValue(value).replace(/^[ \t]+|[ \t]+$/g, ''));

        const denied = await runCompiled(result, 'mapc-post-login', { secrets: SINK_SECRETS, event: { user: { nickname: 'deny-me' } } });
        expect(denied.record.access).toEqual({ kind: 'deny', reason: deny });
      }),
      fcParams(PROJECT_RUNS),
    );
  }, 900_000);
});
