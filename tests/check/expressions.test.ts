import { describe, expect, it } from 'vitest';
import { checkProjectExpressions, checkSpecExpressions } from '../../compiler/resolve/expressions';
import { lookupDependencies, lookupOrder, resolve } from '../../compiler/resolve';
import type { Send } from '../../compiler/model';
import { span } from '../../compiler/source';
import { codes, FAKE_FUNCTIONS } from '../expr/helpers';
import { ex, field, loc, lookup, names, path, project, spec, step, system, when } from '../expr/spec-builders';

describe('checkSpecExpressions', () => {
  it('accepts a realistic post-login spec', () => {
    const s = spec('post-login', {
      lookups: [
        lookup('subscription', '/users/{{user.user_id}}/subscription', { when: when('hours_since(user.app_metadata.synced) > 24') }),
        lookup('plan', '/plans/{{subscription.plan_id}}'),
      ],
      fields: [
        field('app_metadata.tier', ex("coalesce(plan.tier, subscription.tier, current)"), { when: when("value != current && value != 'none'"), transform: [step('trim'), step('lower')] }),
        field('user_metadata.locale', ex("identity('google-oauth2').profileData.locale")),
        field('id_token.region', ex('user.app_metadata.region'), { transform: [step('map', [], { table: { eu: 'EU' }, default: 'US' })] }),
      ],
      sends: [
        {
          system: loc('crm'),
          method: loc('POST'),
          path: path('/contacts'),
          query: [],
          headers: [{ key: loc('X-Source'), value: { kind: 'template', template: path('{{lower connection.name}}'), span: span(names, 0) } }],
          body: { kind: 'object', entries: [{ key: loc('email'), value: ex('lower(user.email)') }, { key: loc('plan'), value: ex('plan.name') }], span: span(names, 0) },
          idempotencyKey: path('{{user.user_id}}'),
          when: when('user.email_verified'),
          store: [{ target: loc('app_metadata.crm_id'), value: ex('response.id') }],
          span: span(names, 0),
        } satisfies Send,
      ],
      access: [
        { when: when("user.app_metadata.tier == 'trial' && stats.logins_count > 3"), action: { kind: 'redirect', url: loc('https://x'), query: [{ key: loc('plan'), value: ex("'premium'") }], otherwise: { kind: 'deny' } }, span: span(names, 0) },
      ],
    });
    expect(checkSpecExpressions(s, project(), FAKE_FUNCTIONS)).toEqual([]);
  });

  it('checks each position with its own roots', () => {
    const s = spec('pre-user-registration', {
      lookups: [lookup('risk', '/risk/{{user.user_id}}', { when: when('exists(response)') })],
      fields: [
        field('app_metadata.a', ex('value')),
        field('app_metadata.b', ex('user.email'), { when: when('response.ok') }),
      ],
      sends: [
        { system: loc('crm'), method: loc('POST'), path: path('/x'), query: [], headers: [], when: when('exists(value)'), store: [{ target: loc('app_metadata.c'), value: ex('stats.logins_count') }], span: span(names, 0) },
      ],
      access: [{ when: when('current == 1'), action: { kind: 'deny', message: loc('no') }, span: span(names, 0) }],
    });
    const ds = checkSpecExpressions(s, project(), FAKE_FUNCTIONS);
    expect(ds.map((d) => `${d.code} ${d.message}`)).toEqual([
      "MAPC0304 'response' is not available in lookup 'risk': it holds the parsed response and exists only in a send's store:",
      "MAPC0303 'user.user_id' is not provided by the pre-user-registration trigger (it exists on post-login, post-user-registration, post-change-password)",
      "MAPC0304 'value' is not available in a field's from: it holds the field's computed value and exists only in a field's when:",
      "MAPC0304 'response' is not available in a field's when: it holds the parsed response and exists only in a send's store:",
      "MAPC0304 'value' is not available in a send: it holds the field's computed value and exists only in a field's when:",
      "MAPC0303 'stats.logins_count': the pre-user-registration trigger does not provide 'stats' (it exists on post-login)",
      "MAPC0304 'current' is not available in an access rule: it holds the target's value before this run and exists only in a field's from: and when:",
    ]);
  });

  it('uses the attribute registry for the type of current', () => {
    const s = spec('post-login', { fields: [field('app_metadata.tier', ex('current'), { when: when('current > 3') })] });
    expect(codes(checkSpecExpressions(s, project(), FAKE_FUNCTIONS))).toEqual(['MAPC0311@2:11']);
  });

  it('checks transform steps: function, value type, arguments', () => {
    const s = spec('post-login', {
      fields: [
        field('app_metadata.a', ex('user.email'), { transform: [step('trimm')] }),
        field('app_metadata.b', ex('user.email'), { transform: [step('now')] }),
        field('app_metadata.c', ex('stats.logins_count'), { transform: [step('lower')] }),
        field('app_metadata.d', ex('user.email'), { transform: [step('substring', ['x'])] }),
        field('app_metadata.e', ex('user.email'), { transform: [step('substring')] }),
        field('app_metadata.f', ex('user.email'), { transform: [step('matches', ['(a|a)*'])] }),
        field('app_metadata.g', ex('user.email'), { transform: [step('map', [], { tabel: {} })] }),
        field('app_metadata.h', ex('user.email'), { transform: [step('split', [','])] , when: when('value > 1') }),
      ],
    });
    const ds = checkSpecExpressions(s, project(), FAKE_FUNCTIONS);
    expect(ds.map((d) => `${d.code} ${d.message}${d.hint ? ` | ${d.hint}` : ''}`)).toEqual([
      "MAPC0305 unknown transform 'trimm' | did you mean 'trim'?",
      "MAPC0316 'now' takes no value, so it cannot be a transform step | use it as a value instead: from: now()",
      "MAPC0316 'lower' expects a string but the value here is a number | convert it first, e.g. with to_string or to_number",
      "MAPC0307 'start' of 'substring' expects an integer, got a string | substring: value, start: integer, [end: integer]",
      "MAPC0306 'substring' as a transform takes 1 to 2 arguments after the value, got 0 | substring: value, start, [end]",
      "MAPC0310 regular expression for 'matches' is prone to catastrophic backtracking: a repeated group has alternatives that can match the same text (both can start with \"a\"), like (a|ab)*; this backtracks exponentially | remove the nested repetition or make the alternatives distinct, e.g. (a+)+ → a+",
      "MAPC0307 'map' has no parameter 'tabel' | did you mean 'table'?",
      "MAPC0311 '>' cannot compare an array of strings with a number | order numbers with numbers and strings with strings; convert with to_number(...) or to_string(...)",
    ]);
  });

  it('refuses lookup names that shadow roots', () => {
    const s = spec('post-login', { lookups: [lookup('user', '/a'), lookup('response', '/b'), lookup('secrets', '/c')] });
    expect(checkSpecExpressions(s, project(), FAKE_FUNCTIONS).map((d) => `${d.code} ${d.message}`)).toEqual([
      "MAPC0315 lookup name 'user' is an event field of post-login, so expressions could not read this lookup",
      "MAPC0315 lookup name 'response' is a scope name, so expressions could not read this lookup",
      "MAPC0315 lookup name 'secrets' is reserved, so expressions could not read this lookup",
    ]);
  });

  it('reports a shadowing lookup once: its uses and its own event reads do not cascade', () => {
    const s = spec('post-login', {
      lookups: [lookup('user', '/contacts/{{user.email}}'), lookup('value', '/v')],
      fields: [field('app_metadata.a', ex('user.id')), field('app_metadata.b', ex('value.x'))],
    });
    expect(codes(checkSpecExpressions(s, project(), FAKE_FUNCTIONS)).map((c) => c.split('@')[0])).toEqual(['MAPC0315', 'MAPC0315']);
    expect(lookupOrder(s)).toEqual({ order: ['user', 'value'], cycles: [] });
  });

  it('points an unknown transform with no close name at the function library docs', () => {
    const s = spec('post-login', { fields: [field('app_metadata.a', ex('user.email'), { transform: [step('frobnicate')] })] });
    expect(checkSpecExpressions(s, project(), FAKE_FUNCTIONS).map((d) => d.hint)).toEqual([
      'a transform step is a library function: see the function library in docs/language.md',
    ]);
  });

  it('checks routing keys of the systems the spec calls, with event data only', () => {
    const p = project([system('crm', "lower(user.app_metadata.region)"), system('orders', 'subscription.region'), system('unused', 'usr.x')]);
    const s = spec('post-login', {
      lookups: [lookup('subscription', '/s'), { ...lookup('o', '/o'), system: loc('orders') }],
    });
    const ds = checkSpecExpressions(s, p, FAKE_FUNCTIONS);
    expect(ds.map((d) => `${d.code} ${d.message}`)).toEqual([
      "MAPC0304 'subscription' is not available in the routing key (by:) of system 'orders': a system's routing key is computed from event data only; lookups have not run yet",
    ]);
  });

  it('deduplicates project-wide diagnostics (one routed system used by two specs)', () => {
    const p = project([system('crm', 'usr.region')]);
    const a = spec('post-login', { lookups: [lookup('x', '/x')] });
    const b = spec('post-login', { lookups: [lookup('y', '/y')] });
    const ds = checkProjectExpressions(resolve({ root: '.', cwd: '.', project: p, specs: [a, b], testFiles: [] }), FAKE_FUNCTIONS);
    expect(codes(ds)).toEqual(['MAPC0301@2:11']);
  });
});

describe('lookup dependencies and cycles', () => {
  it('orders lookups after what they read, ties in file order', () => {
    const s = spec('post-login', {
      lookups: [
        lookup('c', '/c/{{b.id}}', { when: when('exists(a)') }),
        lookup('a', '/a'),
        lookup('b', '/b/{{a.id}}', { body: ex("concat(a.x, 'y')") }),
        lookup('d', '/d', { query: [{ key: loc('q'), value: ex("identity('x').user_id") }] }),
      ],
    });
    expect([...lookupDependencies(s)]).toEqual([
      ['c', ['a', 'b']],
      ['a', []],
      ['b', ['a']],
      ['d', []],
    ]);
    expect(lookupOrder(s)).toEqual({ order: ['a', 'b', 'c', 'd'], cycles: [] });
    expect(checkSpecExpressions(s, project(), { ...FAKE_FUNCTIONS, concat: FAKE_FUNCTIONS.coalesce! })).toEqual([]);
  });

  it('reports a cycle once, naming both lookups, with the other as related', () => {
    const s = spec('post-login', {
      lookups: [lookup('a', '/a/{{b.id}}'), lookup('b', '/b', { idempotencyKey: path('{{a.k}}') }), lookup('c', '/c/{{c.id}}'), lookup('d', '/d/{{a.id}}')],
    });
    expect(lookupOrder(s)).toEqual({ order: ['d', 'a', 'b', 'c'], cycles: [['a', 'b'], ['c']] });
    const ds = checkSpecExpressions(s, project(), FAKE_FUNCTIONS);
    expect(ds.map((d) => `${d.code} ${d.message}`)).toEqual([
      "MAPC0314 lookups 'a' and 'b' read each other (a → b → a), so none of them can run first",
      "MAPC0314 lookup 'c' reads itself",
    ]);
    expect(ds.map((d) => d.span)).toEqual([s.lookups[0]!.name.span, s.lookups[2]!.name.span]);
    expect(ds[0]!.related).toEqual([{ message: "lookup 'b' is declared here", span: s.lookups[1]!.name.span }]);
    expect(ds[1]!.related).toEqual([]);
  });

  it('names a three-lookup cycle in order', () => {
    const s = spec('post-login', { lookups: [lookup('a', '/{{c.x}}'), lookup('b', '/{{a.x}}'), lookup('c', '/{{b.x}}')] });
    const ds = checkSpecExpressions(s, project(), FAKE_FUNCTIONS);
    expect(ds.map((d) => d.message)).toEqual(["lookups 'a', 'b' and 'c' read each other (a → c → b → a), so none of them can run first"]);
  });
});
