import { describe, expect, it } from 'vitest';
import type { Expr, Template } from '../../compiler/expr/ast';
import { exprText } from '../../compiler/expr/print';
import { parseTemplate } from '../../compiler/expr/template';
import { plainOrigin } from '../../compiler/expr/parser';
import { sourceFile } from '../../compiler/source';
import { at, codes, text, tpl } from './helpers';

/** Parts as strings: text as-is, expressions as `{expr}`. */
function parts(t: Template): string[] {
  return t.parts.map((p) => (p.kind === 'text' ? p.text : `{${exprText(p.expr)}}`));
}

function ok(src: string): Template {
  const r = tpl(src);
  expect(r.diagnostics).toEqual([]);
  return r.template;
}

describe('parseTemplate: accepted constructs', () => {
  it.each([
    ['plain text', ['plain text']],
    ['', []],
    ['/users/{{user.user_id}}/subscription', ['/users/', '{user.user_id}', '/subscription']],
    ['{{user.given_name}} {{user.family_name}}', ['{user.given_name}', ' ', '{user.family_name}']],
    ['{{lower user.email}}', ['{lower(user.email)}']],
    ["{{substring user.name 0 3}}", ['{substring(user.name, 0, 3)}']],
    ['{{coalesce user.nickname "anon" true null}}', ["{coalesce(user.nickname, 'anon', true, null)}"]],
    ['{{lower (trim user.email)}}', ['{lower(trim(user.email))}']],
    ['{{now}}', ['{now()}']],
    ['{{{user.name}}} and {{&user.name}}', ['{user.name}', ' and ', '{user.name}']],
    ['{{user.identities.[0].profileData.[odd key]}}', ["{user.identities[0].profileData['odd key']}"]],
    ['a {{! a comment }} b', ['a  b']],
    ['a\\{{literal}} b', ['a{{literal}} b']],
    ['x  {{~user.name~}}  y', ['x', '{user.name}', 'y']],
  ])('%s', (src, expected) => {
    expect(parts(ok(src))).toEqual(expected);
  });

  it('maps every node to its place in the YAML file', () => {
    const r = tpl('Hi {{lower user.email}}\n{{user.app_metadata.tier}}');
    expect(r.diagnostics).toEqual([]);
    const [, call, , path] = r.template.parts;
    if (call?.kind !== 'expr' || call.expr.kind !== 'call') throw new Error('shape');
    expect(at(call.expr.span)).toBe('2:14');
    expect(text(call.expr.span)).toBe('{{lower user.email}}');
    expect(text(call.expr.nameSpan)).toBe('lower');
    const arg = call.expr.args[0] as Expr;
    expect(text(arg.span)).toBe('user.email');
    if (arg.kind !== 'member') throw new Error('shape');
    expect(text(arg.keySpan)).toBe('email');
    expect(at(arg.keySpan)).toBe('2:27');
    if (path?.kind !== 'expr' || path.expr.kind !== 'member') throw new Error('shape');
    expect(at(path.expr.span)).toBe('3:3');
    expect(text(path.expr.keySpan)).toBe('tier');
    expect(at(path.expr.keySpan)).toBe('3:21');
    expect(text(r.template.span)).toBe('Hi {{lower user.email}}\n{{user.app_metadata.tier}}');
  });

  it('with an empty registry, treats every helper as a call and leaves unknown names to the checker', () => {
    const file = sourceFile('t.yaml', '{{whatever x}} {{now}}');
    const r = parseTemplate('{{whatever x}} {{now}}', plainOrigin(file), {});
    expect(r.diagnostics).toEqual([]);
    expect(parts(r.template)).toEqual(['{whatever(x)}', ' ', '{now}']);
  });

  it('uses the real library by default', () => {
    const file = sourceFile('t.yaml', '{{upper user.name}}');
    const r = parseTemplate('{{upper user.name}}', plainOrigin(file));
    expect(r.diagnostics).toEqual([]);
    expect(parts(r.template)).toEqual(['{upper(user.name)}']);
  });
});

describe('parseTemplate: refused constructs are located diagnostics', () => {
  it.each([
    ['{{#if user.name}}x{{/if}}', 'MAPC0321@2:11', "block helpers such as '{{#if}}'"],
    ['a {{#each xs}}{{/each}}', 'MAPC0321@2:13', "'{{#each}}'"],
    ['{{^ user.name}}x{{/user.name}}', 'MAPC0321@2:11', 'block helpers'],
    ['x {{> partial}}', 'MAPC0321@2:13', 'partials are not supported'],
    ['{{#> layout}}x{{/layout}}', 'MAPC0321@2:11', 'partials are not supported'],
    ['{{*decorator}}', 'MAPC0321@2:11', "'Decorator' is not supported"],
    ['{{this}}', 'MAPC0322@2:13', 'no context object'],
    ['{{this.name}}', 'MAPC0322@2:13', "'this.name'"],
    ['{{./name}}', 'MAPC0322@2:13', 'no context object'],
    ['{{../user.name}}', 'MAPC0322@2:13', "'../user.name'"],
    ['{{lower @root.user}}', 'MAPC0322@2:19', '@data variables'],
    ['{{@index}}', 'MAPC0322@2:13', '@data'],
    ['{{substring user.name start=1}}', 'MAPC0323@2:33', "hash arguments ('start=...')"],
    ['{{lowr user.email}}', 'MAPC0324@2:13', "unknown helper 'lowr'"],
    ['{{user.name user.email}}', 'MAPC0324@2:13', "'user.name' cannot be called"],
    ['{{"text" x}}', 'MAPC0324@2:13', 'only a library function can take arguments'],
    ['Hello {{user.name', 'MAPC0320@2:17', "'{{' is not closed"],
    ['{{user.name}', 'MAPC0320@2:11', "'{{' is not closed"],
    ['{{a b=}}', 'MAPC0320@2:17', "unexpected '}}'"],
    ['{{x}}{{/y}}', 'MAPC0320@2:16', "unexpected '{{/'"],
    ['{{lower (upper x}}', 'MAPC0320@2:27', "unexpected '}}'"],
    ['{{foo/../bar}}', 'MAPC0320@2:13', 'Invalid path: foo/..'],
  ])('%s', (src, code, message) => {
    const r = tpl(src);
    expect(codes(r.diagnostics)).toEqual([code]);
    expect(r.diagnostics[0]!.message).toContain(message);
    // The refused construct is left out; only its surrounding text remains.
    expect(r.template.parts.every((p) => p.kind === 'text')).toBe(true);
  });

  it('reports every refused construct and keeps the valid parts for the checker', () => {
    const r = tpl('/u/{{this.id}}/{{user.user_id}}/{{lowr x}}');
    expect(codes(r.diagnostics)).toEqual(['MAPC0322@2:16', 'MAPC0324@2:45']);
    expect(parts(r.template)).toEqual(['/u//', '{user.user_id}', '/']);
  });

  it('hints the nearest library function for an unknown helper', () => {
    expect(tpl('{{lowr user.email}}').diagnostics[0]!.hint).toBe("did you mean 'lower'?");
  });

  it('limits sub-expression nesting', () => {
    const deep = '{{' + 'lower ('.repeat(70) + 'x' + ')'.repeat(70) + '}}';
    expect(tpl(deep).diagnostics.map((d) => d.code)).toEqual(['MAPC0313']);
  });

  it('never throws on odd input', () => {
    for (const s of ['{{', '}}', '{{{', '{{}}', '{{#}}', '{{/}}', '{{!--', '\\', '{{else}}', '{{a}}{{else}}', '{{[}}', '{{"\\"}}', '{{a.[b}}', '((', '{{ (a) }}', '{{#if}}{{/if}}', '{{~}}', '{{@}}']) {
      const r = tpl(s);
      expect(r.diagnostics.length + r.template.parts.length).toBeGreaterThanOrEqual(s === '' ? 0 : 1);
    }
  });
});
