/**
 * List functions and `[*]` (#18, lists) in the parser and the type checker: `[*]` is
 * `map_each(list, item...)`, `item` is a root only inside a per-element argument (typed from
 * the list's element type), list functions do not nest (MAPC0318), wrong uses are located
 * diagnostics with a hint, and per-element functions are no transform steps.
 */
import { describe, expect, it } from 'vitest';
import { checkExpr, checkTransformStep, type ExprEnv } from '../../compiler/expr/check';
import { exprText } from '../../compiler/expr/print';
import { specEnv } from '../../compiler/resolve/expressions';
import { T, type Type } from '../../compiler/expr/types';
import { SIGNATURES } from '../../runtime/signatures';
import { at, codes, parse, text } from './helpers';
import { loc, step } from './spec-builders';

const env = (extra: Record<string, Type> = {}, lookups: string[] = []): ExprEnv => specEnv('post-login', SIGNATURES, lookups, extra, "a field's from:");

function check(src: string, e: ExprEnv = env()) {
  const p = parse(src);
  expect(p.diagnostics).toEqual([]);
  return checkExpr(p.expr, e);
}

describe('parser: [*]', () => {
  it('reads list[*].a.b as map_each(list, item.a.b), printed as written', () => {
    const p = parse('user.identities[*].profileData.locale');
    expect(p.diagnostics).toEqual([]);
    const e = p.expr;
    expect(e.kind).toBe('call');
    if (e.kind !== 'call') return;
    expect(e.name).toBe('map_each');
    expect(e.wildcard).toBe(true);
    expect(text(e.nameSpan)).toBe('[*]');
    expect(text(e.span)).toBe('user.identities[*].profileData.locale');
    expect(exprText(e.args[0]!)).toBe('user.identities');
    expect(exprText(e.args[1]!)).toBe('item.profileData.locale');
    expect(exprText(e)).toBe('user.identities[*].profileData.locale');
  });

  it('[*] works after a call and at the end of a path', () => {
    expect(exprText(parse("split(user.name, ' ')[*]").expr)).toBe("split(user.name, ' ')[*]");
    expect(exprText(parse("json_parse(x)[*]['odd key']").expr)).toBe("json_parse(x)[*]['odd key']");
  });

  it('refuses a second [*] in one path, with a hint', () => {
    const p = parse('user.identities[*].groups[*].name');
    expect(codes(p.diagnostics)).toEqual(['MAPC0300@2:36']);
    expect(p.diagnostics[0]!.message).toContain("only one '[*]' per path");
    expect(p.diagnostics[0]!.hint).toContain('flatten(user.identities[*].groups)[*]');
  });

  it('refuses a call on an element chain and stray stars', () => {
    expect(codes(parse('x[*](1)').diagnostics)).toEqual(['MAPC0300@2:15']);
    expect(codes(parse('x[ * ]').diagnostics)).toEqual(['MAPC0300@2:14']);
  });
});

describe('checker: types', () => {
  it.each<[string, Type]>([
    ['user.identities[*].provider', T.array(T.string)],
    ['user.identities[*].isSocial', T.array(T.boolean)],
    ["pluck(user.identities, 'provider')", T.array(T.string)],
    ["pluck(user.identities, 'anything')", T.array(T.any)],
    ['map_each(user.identities, lower(item.connection))', T.array(T.string)],
    ['filter(user.identities, item.isSocial)[0].user_id', T.string],
    ["find(user.identities, item.provider == 'github').user_id", T.string],
    ["any(user.app_metadata.roles, item == 'admin')", T.boolean],
    ['all(user.identities, item.isSocial)', T.boolean],
    ["sort(split(user.name, ' '))", T.array(T.string)],
    ["slice(split(user.name, ' '), 1)", T.array(T.string)],
    ["index_of(split(user.name, ' '), 'x')", T.number],
    ["flatten(map_each(user.identities, split(item.connection, '-')))", T.array(T.string)],
    ['flatten(user.app_metadata.groups)', T.array(T.any)],
    ['map_each(user.app_metadata.xs, item.a.b)', T.array(T.any)],
    // Lists in sequence are fine: only nesting inside the per-element argument is refused.
    ["filter(user.identities[*].provider, item != 'auth0')", T.array(T.string)],
    ['map_each(user.identities, item)', T.array(T.object({}))],
  ])('%s', (src, type) => {
    const r = check(src);
    expect(r.diagnostics).toEqual([]);
    if (type.kind === 'array' && type.of.kind === 'object') expect(r.type.kind === 'array' && r.type.of.kind).toBe('object');
    else expect(r.type).toEqual(type);
  });

  it('outer roots stay readable inside the per-element argument', () => {
    const r = check("any(user.identities, item.connection == client.metadata.connection && exists(lookup1.x))", env({}, ['lookup1']));
    expect(r.diagnostics).toEqual([]);
  });

  it('item is typed from the element: a typo in an element field is located', () => {
    const e = env({ xs: T.array(T.object({ name: T.string })) });
    const r = check('map_each(xs, item.nmae)', e);
    expect(codes(r.diagnostics)).toEqual(['MAPC0302@2:29']);
    expect(r.diagnostics[0]!.hint).toBe("did you mean 'name'?");
    const w = check('xs[*].nmae', e);
    expect(codes(w.diagnostics)).toEqual(['MAPC0302@2:17']);
    const k = check("pluck(xs, 'nmae')", e);
    expect(codes(k.diagnostics)).toEqual(['MAPC0302@2:21']);
    expect(k.diagnostics[0]!.hint).toBe("did you mean 'name'?");
    const s = check("pluck(split(user.name, ' '), 'a')", e);
    expect(codes(s.diagnostics)).toEqual(['MAPC0302@2:40']);
  });
});

describe('checker: wrong uses', () => {
  it('item outside a per-element argument is MAPC0304 with a hint', () => {
    const r = check('lower(item.name)');
    expect(codes(r.diagnostics)).toEqual(['MAPC0304@2:17']);
    expect(r.diagnostics[0]!.message).toBe("'item.name': 'item' is not a root in a field's from: it is the element only inside the per-element argument of map_each, filter, any, all and find");
    expect(r.diagnostics[0]!.hint).toContain("any(user.app_metadata.roles, item == 'admin')");
    // Also in the list argument itself.
    expect(codes(check('filter(item, true)').diagnostics)).toEqual(['MAPC0304@2:18']);
    expect(codes(check('item[*].x').diagnostics)).toEqual(['MAPC0304@2:11']);
  });

  it('a list function inside a per-element argument is MAPC0318, at the inner name', () => {
    const r = check("filter(user.identities, any(item.profileData.groups, item == 'x'))");
    expect(codes(r.diagnostics)).toEqual(['MAPC0318@2:35']);
    expect(r.diagnostics[0]!.message).toBe("'any' inside the per-element expression of 'filter': list functions do not nest");
    expect(r.diagnostics[0]!.hint).toContain('field of its own');
    const w = check('map_each(user.identities, item.profileData.tags[*])');
    expect(codes(w.diagnostics)).toEqual(['MAPC0318@2:58']);
    expect(w.diagnostics[0]!.hint).toContain('flatten(user.identities[*].profileData.tags)');
    const p = check("user.identities[*].profileData[0]", env());
    expect(p.diagnostics).toEqual([]);
  });

  it('a list that is not an array is located at the argument; [*] on a non-array at the [*]', () => {
    const r = check('filter(user.email, true)');
    expect(codes(r.diagnostics)).toEqual(['MAPC0307@2:18']);
    expect(r.diagnostics[0]!.hint).toContain('filter(list: array, predicate: boolean)');
    const w = check('user.email[*]');
    expect(codes(w.diagnostics)).toEqual(['MAPC0302@2:21']);
    expect(w.diagnostics[0]!.message).toBe("'user.email[*]': [*] reads every element of an array, but 'user.email' is a string");
    expect(w.diagnostics[0]!.hint).toContain("write 'user.email' without [*]");
  });

  it('a predicate must be a condition', () => {
    const r = check('filter(user.identities, item.provider)');
    expect(codes(r.diagnostics)).toEqual(['MAPC0307@2:35']);
    expect(r.diagnostics[0]!.message).toBe("'predicate' of 'filter' expects a boolean, got a string");
    expect(r.diagnostics[0]!.hint).toContain("item.provider == '...' or exists(item.provider)");
  });

  it("pluck's key is a literal; arity is checked", () => {
    expect(codes(check('pluck(user.identities, user.name)').diagnostics)).toEqual(['MAPC0308@2:34']);
    expect(codes(check('any(user.identities)').diagnostics)).toEqual(['MAPC0306@2:11']);
  });

  it('a lookup may not be named item (MAPC0315: a scope name)', async () => {
    const { checkSpecExpressions } = await import('../../compiler/resolve/expressions');
    const { lookup, project, spec } = await import('./spec-builders');
    const ds = checkSpecExpressions(spec('post-login', { lookups: [{ ...lookup('item', '/x'), name: loc('item', 6) }] }), project(), SIGNATURES);
    expect(ds.map((d) => d.code)).toContain('MAPC0315');
    expect(ds.find((d) => d.code === 'MAPC0315')!.message).toContain('a scope name');
  });

  it('a per-element function is no transform step; pluck, sort, flatten are', () => {
    const r = checkTransformStep({ ...step('filter'), name: loc('filter', 7) }, T.array(T.string), SIGNATURES);
    expect(r.diagnostics.map((d) => `${d.code}@${at(d.span)}`)).toEqual(['MAPC0316@7:1']);
    expect(r.diagnostics[0]!.hint).toContain('from: filter(<list>, <expression over item>)');
    expect(checkTransformStep(step('sort'), T.array(T.string), SIGNATURES).diagnostics).toEqual([]);
    expect(checkTransformStep(step('flatten'), T.any, SIGNATURES).diagnostics).toEqual([]);
    expect(checkTransformStep(step('pluck', ['provider']), T.any, SIGNATURES).diagnostics).toEqual([]);
  });
});
