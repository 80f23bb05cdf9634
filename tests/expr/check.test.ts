import { describe, expect, it } from 'vitest';
import { checkExpr, checkTemplate, type ExprEnv } from '../../compiler/expr/check';
import { specEnv } from '../../compiler/resolve/expressions';
import type { TriggerId } from '../../compiler/triggers';
import { T, type Type } from '../../compiler/expr/types';
import { SIGNATURES } from '../../runtime/signatures';
import { at, codes, FAKE_FUNCTIONS, parse, tpl } from './helpers';

function env(trigger: TriggerId, extra: Record<string, Type> = {}, lookups: string[] = []): ExprEnv {
  return specEnv(trigger, FAKE_FUNCTIONS, lookups, extra, "a field's from:");
}

function check(src: string, e: ExprEnv = env('post-login')) {
  const p = parse(src);
  expect(p.diagnostics).toEqual([]);
  return checkExpr(p.expr, e);
}

describe('checkExpr: valid expressions and their types', () => {
  it.each<[string, Type]>([
    ['user.email', T.string],
    ['user.email_verified', T.boolean],
    ['stats.logins_count', T.number],
    ['user.app_metadata.anything.deep', T.any],
    ["user.identities[0].profileData['x']", T.any],
    ['user.identities[0].provider', T.string],
    ["identity('facebook').profileData.custom_data", T.any],
    ["identity('facebook').user_id", T.string],
    ['lower(user.email)', T.string],
    ['hours_since(user.created_at) > 24 || !exists(user.app_metadata.tier)', T.boolean],
    ["coalesce(user.nickname, user.name, 'x')", T.string],
    ['coalesce(user.nickname, stats.logins_count)', T.any],
    // if(): the common type of the branches (null fits every type; a missing else is null).
    ["if(user.email_verified, 'verified', 'unverified')", T.string],
    ["if(stats.logins_count > 1, lower(user.email), null)", T.string],
    ["if(exists(user.nickname), user.nickname)", T.string],
    ["if(user.email_verified, 'x', stats.logins_count)", T.any],
    ['if(user.email_verified, stats.logins_count, 0)', T.number],
    ['if(user.email_verified, null, null)', T.null],
    ["first(split(user.email, '@'))", T.string],
    ['first(user.identities).connection', T.string],
    ["client.metadata.required_tier == 'gold'", T.boolean],
    ["matches(user.email, '^[a-z]+@acme\\\\.com$')", T.boolean],
    ['substring(user.name, 0)', T.string],
    ['null', T.null],
    ['user.email == null', T.boolean],
    ["user.app_metadata.n < 3 && user.app_metadata.s >= 'a'", T.boolean],
    ['lookup1.items[0].id', T.any],
  ])('%s', (src, type) => {
    const r = check(src, env('post-login', {}, ['lookup1']));
    expect(r.diagnostics).toEqual([]);
    expect(r.type).toEqual(type);
  });
});

describe('checkExpr: errors with hints', () => {
  it.each<[string, TriggerId, string, string, string | undefined]>([
    // [source, trigger, CODE@line:col, message fragment, hint]
    ['usr.email', 'post-login', 'MAPC0301@2:11', "unknown path 'usr.email': 'usr' is not a root in a field's from:", "did you mean 'user'?"],
    ['user.emial', 'post-login', 'MAPC0302@2:16', "unknown path 'user.emial': 'user' has no field 'emial'", "did you mean 'email'?"],
    ['user.email.domain', 'post-login', 'MAPC0302@2:22', "'user.email' is a string and has no fields", undefined],
    ['user.identities.first', 'post-login', 'MAPC0302@2:27', "'user.identities' is an array; index it with a number", 'e.g. user.identities[0]'],
    ['stats[0]', 'post-login', 'MAPC0302@2:17', "'stats' is an object, not an array", undefined],
    ['user.user_id', 'pre-user-registration', 'MAPC0303@2:16', "'user.user_id' is not provided by the pre-user-registration trigger (it exists on post-login, post-user-registration, post-change-password)", 'the user is not created yet: there is no user_id, identities, stats or organization'],
    ['user.identities[0]', 'pre-user-registration', 'MAPC0303@2:16', "'user.identities' is not provided by the pre-user-registration trigger", undefined],
    ['stats.logins_count', 'pre-user-registration', 'MAPC0303@2:11', "the pre-user-registration trigger does not provide 'stats' (it exists on post-login)", undefined],
    ['user.email', 'credentials-exchange', 'MAPC0303@2:11', "the credentials-exchange trigger does not provide 'user'", 'a machine-to-machine flow: there is no user'],
    ['request.query.x', 'post-user-registration', 'MAPC0303@2:19', "'request.query' is not provided by the post-user-registration trigger (it exists on post-login)", undefined],
    ["identity('google')", 'pre-user-registration', 'MAPC0303@2:11', "'identity' reads user.identities, which the pre-user-registration trigger does not provide", undefined],
    ['secrets.CRM_API_KEY', 'post-login', 'MAPC0304@2:11', "'secrets.CRM_API_KEY': secrets cannot be read in expressions", "a secret flows only into a system's auth: in mapc.yaml, e.g. auth: { bearer: CRM_API_KEY } or auth: { header: X-Api-Key, secret: CRM_API_KEY }"],
    ['secrets.SHOP_TOKEN', 'post-login', 'MAPC0304@2:11', "'secrets.SHOP_TOKEN': secrets cannot be read in expressions", "a secret flows only into a system's auth: in mapc.yaml, e.g. auth: { bearer: SHOP_TOKEN } or auth: { header: X-Api-Key, secret: SHOP_TOKEN }"],
    ['response.id', 'post-login', 'MAPC0304@2:11', "'response' is not available in a field's from:", undefined],
    ['value', 'post-login', 'MAPC0304@2:11', "'value' is not available in a field's from:", undefined],
    ['lowr(user.email)', 'post-login', 'MAPC0305@2:11', "unknown function 'lowr'", "did you mean 'lower'?"],
    ['uppercase(user.name)', 'post-login', 'MAPC0305@2:11', "unknown function 'uppercase'", "did you mean 'upper'? (test)"],
    ['frobnicate(user.name)', 'post-login', 'MAPC0305@2:11', "unknown function 'frobnicate'", 'see the function library in docs/language.md'],
    ["lower(user.email, 'x')", 'post-login', 'MAPC0306@2:29', "'lower' takes 1 argument, got 2", 'lower(text)'],
    ['substring(user.name)', 'post-login', 'MAPC0306@2:11', "'substring' takes 2 to 3 arguments, got 1", 'substring(text, start, [end])'],
    ["substring(user.name, 'a')", 'post-login', 'MAPC0307@2:32', "'start' of 'substring' expects an integer, got a string", 'substring(text: string, start: integer, [end: integer])'],
    ['substring(user.name, 1.5)', 'post-login', 'MAPC0307@2:32', "'start' of 'substring' expects an integer, got 1.5", 'substring(text: string, start: integer, [end: integer])'],
    ['lower(stats.logins_count)', 'post-login', 'MAPC0307@2:17', "'text' of 'lower' expects a string, got a number", 'lower(text: string)'],
    ['matches(user.email, user.name)', 'post-login', 'MAPC0308@2:31', "'pattern' of 'matches' must be a literal", "write the regular expression as a string literal: '^[a-z]+$'"],
    ["matches(user.email, '([a-z')", 'post-login', 'MAPC0309@2:31', "invalid regular expression for 'matches': /([a-z/: Unterminated character class", undefined],
    ["matches(user.email, '(a+)+$')", 'post-login', 'MAPC0310@2:31', "regular expression for 'matches' is prone to catastrophic backtracking", undefined],
    ["stats.logins_count > 'ten'", 'post-login', 'MAPC0311@2:11', "'>' cannot compare a number with a string", undefined],
    ['user.identities < 3', 'post-login', 'MAPC0311@2:11', "'<' cannot compare an array", undefined],
    ["if(user.email, 'a', 'b')", 'post-login', 'MAPC0307@2:14', "'condition' of 'if' expects a boolean, got a string", 'if(condition: boolean, then: any, [else: any])'],
    ['if(user.email_verified)', 'post-login', 'MAPC0306@2:11', "'if' takes 2 to 3 arguments, got 1", 'if(condition, then, [else])'],
    ["stats.logins_count == '1'", 'post-login', 'MAPC0312@2:11', "'==' compares a number with a string: comparison is strict, so it is always false", undefined],
  ])('%s on %s', (src, trigger, code, message, hint) => {
    const r = check(src, env(trigger));
    expect(codes(r.diagnostics)).toEqual([code]);
    expect(r.diagnostics[0]!.message).toContain(message);
    if (hint !== undefined) expect(r.diagnostics[0]!.hint).toBe(hint);
    expect(r.diagnostics[0]!.severity).toBe(code.startsWith('MAPC0312') ? 'warning' : 'error');
  });

  it('suggests a library function by what other languages call it, with what it does', () => {
    const e = specEnv('post-login', SIGNATURES, [], {}, "a field's from:");
    const hint = (src: string) => check(src, e).diagnostics[0]!.hint;
    expect(hint('titlecase(user.name)')).toBe("did you mean 'capitalize'? (first character upper-cased, the rest unchanged)");
    expect(hint('Title_Case(user.name)')).toBe("did you mean 'capitalize'? (first character upper-cased, the rest unchanged)");
    expect(hint('strip(user.name)')).toBe("did you mean 'trim'? (text without leading and trailing whitespace)");
    // A spelling match wins over a synonym.
    expect(hint('toupper(user.name)')).toBe("did you mean 'upper'?");
  });

  it('lists the roots when no name is close', () => {
    const r = check('zzzzzz', env('post-change-password'));
    expect(r.diagnostics[0]!.hint).toBe('roots here: connection, custom_domain, request, tenant, transaction, user');
  });

  it('does not cascade: one error per unknown root, type any afterwards', () => {
    const r = check("lower(usr.email) == 'x' && usr.a.b.c > 3");
    expect(codes(r.diagnostics)).toEqual(['MAPC0301@2:17', 'MAPC0301@2:38']);
  });

  it('reports nested problems inside arguments of an unknown function', () => {
    const r = check('lowr(usr.email)');
    expect(codes(r.diagnostics)).toEqual(['MAPC0301@2:16', 'MAPC0305@2:11']);
  });

  it('treats inherited object properties as unknown, not as roots or functions', () => {
    expect(codes(check('constructor.name').diagnostics)).toEqual(['MAPC0301@2:11']);
    expect(codes(check('toString(user.email)').diagnostics)).toEqual(['MAPC0305@2:11']);
    expect(codes(check('user.__proto__').diagnostics)).toEqual(['MAPC0302@2:16']);
  });

  it('allows value, current and response only where the env provides them', () => {
    const e = env('post-login', { value: T.string, current: T.any });
    expect(check("value != current && lower(value) == 'x'", e).diagnostics).toEqual([]);
  });

  it('works against the real library', () => {
    const e = specEnv('post-login', SIGNATURES, [], {}, "a field's from:");
    const p = parse("concat(lower(trim(user.email)), '-', to_string(stats.logins_count))");
    expect(checkExpr(p.expr, e).diagnostics).toEqual([]);
    expect(checkExpr(p.expr, e).type).toEqual(T.string);
    const bad = parse('lowr(user.email)');
    expect(checkExpr(bad.expr, e).diagnostics[0]!.hint).toBe("did you mean 'lower'?");
  });
});

describe('checkTemplate', () => {
  it('checks every interpolation and produces a string', () => {
    const t = tpl('/users/{{user.user_id}}/{{lower usr.email}}/{{substring user.name "a"}}');
    expect(t.diagnostics).toEqual([]);
    const r = checkTemplate(t.template, env('post-login'));
    expect(r.type).toEqual(T.string);
    expect(codes(r.diagnostics)).toEqual(['MAPC0301@2:43', 'MAPC0307@2:77']);
  });

  it('reports user.user_id in a pre-user-registration path', () => {
    const t = tpl('/users/{{user.user_id}}');
    const r = checkTemplate(t.template, env('pre-user-registration'));
    expect(codes(r.diagnostics)).toEqual(['MAPC0303@2:25']);
    expect(at(r.diagnostics[0]!.span)).toBe('2:25');
  });

  it('reports an unknown helper as an unknown function when the parse phase had no registry', () => {
    const t = tpl('{{lowr user.email}}', {});
    expect(t.diagnostics).toEqual([]);
    const r = checkTemplate(t.template, env('post-login'));
    expect(codes(r.diagnostics)).toEqual(['MAPC0305@2:13']);
    expect(r.diagnostics[0]!.hint).toBe("did you mean 'lower'?");
  });
});
