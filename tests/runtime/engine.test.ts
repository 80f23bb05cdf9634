import type http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildUrl, run } from '../../runtime/engine';
import { fitsRule } from '../../runtime/path';
import { get, path, urlPath } from '../../runtime/expr';
import { fn_lower } from '../../runtime/functions';
import type { ActionPlan, Scope, SystemPlan } from '../../runtime/plan';
import { captureLogs, event, fakeApi, hang, json, lookup, plan, send, spec, stub, system, type Stub } from './helpers';

let server: Stub | undefined;
let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(async () => {
  logs.restore();
  await server?.close();
  server = undefined;
});

const L = (s: Scope, name: string) => get(s.lookups, name);

/** Runs and returns the recorded api calls. */
async function exec(p: ActionPlan, ev: unknown = event(), opts: Parameters<typeof fakeApi>[0] = {}) {
  const { api, calls } = fakeApi(opts);
  await expect(run(p, ev, api)).resolves.toBeUndefined();
  return calls;
}

const entries = () => logs.parsed();

describe('lookups', () => {
  it('feed fields, which are written through the metadata setters', async () => {
    server = await stub({ 'GET /users/auth0%7C1/sub': json(200, { tier: 'premium' }) });
    const p = plan(
      [
        spec('billing', {
          lookups: [lookup('sub', '', { path: (s) => urlPath(['/users/', path(s.event, ['user', 'user_id']), '/sub']) })],
          fields: [{ target: { kind: 'app_metadata', path: ['tier'] }, value: (s) => path(L(s, 'sub'), ['tier']) }],
        }),
      ],
      { systems: { sys: system(server.url) } },
    );
    expect(await exec(p)).toEqual([['user.setAppMetadata', 'tier', 'premium']]);
    expect(entries()).toEqual([{ mapc: 1, spec: 'billing', step: 'lookup:sub', system: 'sys', status: 200, ms: expect.any(Number) }]);
  });

  it("shared with the specs that use them: fetched once, each reader gets the owner's result (null for an unknown owner)", async () => {
    server = await stub({ 'GET /sub': json(200, { tier: 'premium' }) });
    const p = plan(
      [
        spec('reader', {
          uses: [
            { name: 'plan', spec: 'billing', lookup: 'sub' },
            { name: 'ghost', spec: 'gone', lookup: 'sub' },
          ],
          fields: [
            { target: { kind: 'id_token', claim: 'tier' }, value: (s) => path(L(s, 'plan'), ['tier']) },
            { target: { kind: 'id_token', claim: 'ghost' }, value: (s) => (L(s, 'ghost') === null ? 'null' : 'set') },
          ],
        }),
        spec('billing', { lookups: [lookup('sub', '/sub')], fields: [{ target: { kind: 'app_metadata', path: ['tier'] }, value: (s) => path(L(s, 'sub'), ['tier']) }] }),
      ],
      { systems: { sys: system(server.url) } },
    );
    expect(await exec(p)).toEqual([
      ['user.setAppMetadata', 'tier', 'premium'],
      ['idToken.setCustomClaim', 'tier', 'premium'],
      ['idToken.setCustomClaim', 'ghost', 'null'],
    ]);
    expect(server.seen).toHaveLength(1);
  });

  it('start concurrently, across specs (each answers only once the other has arrived)', async () => {
    const waiting: Record<string, () => void> = {};
    const barrier =
      (me: string, other: string): ((q: http.IncomingMessage, res: http.ServerResponse) => void) =>
      (_q, res) => {
        const answer = () => json(200, { me })(_q, res, '', 0);
        if (waiting[other]) {
          waiting[other]!();
          answer();
        } else waiting[me] = answer;
      };
    server = await stub({ 'GET /a': barrier('a', 'b'), 'GET /b': barrier('b', 'a') });
    const field = (name: string) => ({ target: { kind: 'app_metadata' as const, path: [name] }, value: (s: Scope) => path(L(s, name), ['me']) });
    const p = plan(
      [
        spec('one', { lookups: [lookup('a', '/a', { timeoutMs: 3000 })], fields: [field('a')] }),
        spec('two', { lookups: [lookup('b', '/b', { timeoutMs: 3000 })], fields: [field('b')] }),
      ],
      { systems: { sys: system(server.url) } },
    );
    expect(await exec(p)).toEqual([
      ['user.setAppMetadata', 'a', 'a'],
      ['user.setAppMetadata', 'b', 'b'],
    ]);
  });

  it('share one deadline: concurrent hanging lookups all stop at it', async () => {
    server = await stub({ 'GET /h1': hang, 'GET /h2': hang });
    const p = plan(
      [
        spec('one', { lookups: [lookup('h1', '/h1', { timeoutMs: 10_000 })] }),
        spec('two', { lookups: [lookup('h2', '/h2', { timeoutMs: 10_000 })] }),
      ],
      { systems: { sys: system(server.url) }, deadlineMs: 300 },
    );
    expect(await exec(p)).toEqual([]);
    // Sorted: the two timers end at the same deadline, and either may fire first (the second
    // request starts a millisecond later when the clock ticks between the two starts).
    expect(entries().map((e) => [e.spec, e.status]).sort()).toEqual([
      ['one', 'deadline'],
      ['two', 'deadline'],
    ]);
  });

  it('wait for the lookups they read, and see their results', async () => {
    server = await stub({ 'GET /a': json(200, { id: 'x/1' }), 'GET /b/x%2F1': json(200, { ok: true }) });
    const p = plan(
      [
        spec('chain', {
          lookups: [
            lookup('a', '/a'),
            lookup('b', '', {
              after: ['a'],
              when: (s) => L(s, 'a') !== null,
              path: (s) => urlPath(['/b/', path(L(s, 'a'), ['id'])]),
            }),
            lookup('c', '/never', { after: ['b'], when: () => false }),
          ],
          fields: [{ target: { kind: 'user_metadata', path: ['ok'] }, value: (s) => path(L(s, 'b'), ['ok']) }],
        }),
      ],
      { systems: { sys: system(server.url) } },
    );
    expect(await exec(p)).toEqual([['user.setUserMetadata', 'ok', true]]);
    expect(server.seen.map((r) => r.url)).toEqual(['/a', '/b/x%2F1']);
  });

  it('a lazy lookup starts only when needed (after what its condition reads); a failing condition fails the spec', async () => {
    server = await stub({ 'GET /a': json(200, { paying: false }), 'GET /b': json(200, { name: 'gold' }), 'GET /c': json(200, {}) });
    const p = plan(
      [
        spec('lazy', {
          lookups: [
            lookup('a', '/a'),
            lookup('b', '/b', { after: ['a'], needed: (s) => path(L(s, 'a'), ['paying']) === true }),
            lookup('c', '/c', { needed: () => true, when: () => false }),
          ],
          fields: [{ target: { kind: 'user_metadata', path: ['plan'] }, value: (s) => path(L(s, 'b'), ['name']) ?? 'free' }],
        }),
        spec('broken', {
          lookups: [
            lookup('x', '/b', {
              needed: () => {
                throw new Error('boom');
              },
            }),
          ],
        }),
      ],
      { systems: { sys: system(server.url) } },
    );
    expect(await exec(p)).toEqual([['user.setUserMetadata', 'plan', 'free']]);
    // b was not needed (a says not paying), c was needed but its own when did not hold, x failed.
    expect(server.seen.map((r) => r.url)).toEqual(['/a']);
    expect(entries()).toMatchObject([
      { spec: 'broken', step: 'lookup:x', status: 'error' },
      { spec: 'lazy', step: 'lookup:a', status: 200 },
      { spec: 'lazy', step: 'lookup:b', status: 'skipped', msg: 'not needed' },
    ]);
  });

  it('continue: a failed lookup is null, the field falls back, the failure is logged', async () => {
    server = await stub({ 'GET /down': json(500, {}) });
    const p = plan(
      [
        spec('s', {
          lookups: [lookup('d', '/down')],
          fields: [{ target: { kind: 'app_metadata', path: ['tier'] }, value: (s) => path(L(s, 'd'), ['tier']) ?? 'standard' }],
        }),
      ],
      { systems: { sys: system(server.url) } },
    );
    expect(await exec(p)).toEqual([['user.setAppMetadata', 'tier', 'standard']]);
    expect(entries()).toMatchObject([{ spec: 's', step: 'lookup:d', system: 'sys', status: 500 }]);
  });

  it('deny: a failed lookup denies with its message, and sends are skipped', async () => {
    server = await stub({ 'GET /bad': json(200, 'not json'), 'POST /s': json(200, {}) });
    const p = plan(
      [
        spec('risk', { lookups: [lookup('r', '/bad', { onError: 'deny', denyMessage: 'Risk service unavailable' })] }),
        spec('crm', { sends: [send('/s')] }),
      ],
      { systems: { sys: system(server.url) } },
    );
    expect(await exec(p)).toEqual([['access.deny', 'Risk service unavailable']]);
    expect(server.seen.map((r) => r.url)).toEqual(['/bad']);
    expect(entries()).toMatchObject([
      { spec: 'risk', step: 'lookup:r', status: 'invalid_json' },
      { spec: 'risk', step: 'lookup:r', status: 'deny' },
      { step: 'sends', status: 'skipped' },
    ]);
  });

  it('deny without a message uses the default', async () => {
    const p = plan([spec('s', { lookups: [lookup('x', '/x', { onError: 'deny', system: 'nope' })] })]);
    expect(await exec(p)).toEqual([['access.deny', 'Access denied.']]);
    expect(entries()[0]).toMatchObject({ status: 'no_system' });
  });
});

describe('requests', () => {
  const capture = (status = 200) => json(status, { id: 'r1' });

  it('carry auth, headers, query, JSON body and the idempotency key', async () => {
    server = await stub({ 'POST /c': capture() });
    const p = plan(
      [
        spec('s', {
          sends: [
            send('/c', {
              query: () => ({ a: 'x y', skip: null, list: ['1', 2] }),
              headers: () => ({ 'X-Source': 'mapc', 'X-Null': null, 'Bad Header': 'v', 'X-Inject': 'a\r\nb: c' }),
              body: (s) => ({ email: fn_lower(path(s.event, ['user', 'email'])) }),
              idempotencyKey: () => 'key-1',
            }),
          ],
        }),
      ],
      { systems: { sys: system(server.url, { auth: { kind: 'bearer', secret: 'TOKEN' } }) } },
    );
    await exec(p, event({}, { TOKEN: 'tok-123' }));
    const r = server.seen[0]!;
    expect(r.url).toBe('/c?a=x+y&list=1&list=2');
    expect(r.body).toBe('{"email":"jane@example.com"}');
    expect(r.headers).toMatchObject({
      authorization: 'Bearer tok-123',
      'content-type': 'application/json',
      accept: 'application/json',
      'idempotency-key': 'key-1',
      'x-source': 'mapc',
    });
    expect(r.headers['x-null']).toBeUndefined();
    expect(r.headers['x-inject']).toBeUndefined();
  });

  it('use header and basic auth from secrets, and a secret base URL', async () => {
    server = await stub({ 'GET /h': json(200, {}), 'GET /b': json(200, {}) });
    const p = plan(
      [spec('s', { lookups: [lookup('h', '/h', { system: 'hdr' }), lookup('b', '/b', { system: 'basic' })] })],
      {
        systems: {
          hdr: { baseUrl: () => null, baseUrlSecret: 'BASE', auth: { kind: 'header', header: 'X-Api-Key', secret: 'KEY' } },
          basic: system(server.url, { auth: { kind: 'basic', userSecret: 'U', passwordSecret: 'P' } }),
        },
      },
    );
    await exec(p, event({}, { BASE: `${server.url}/`, KEY: 'k-1', U: 'user', P: 'pässword' }));
    const byUrl = Object.fromEntries(server.seen.map((r) => [r.url, r.headers]));
    expect(byUrl['/h']!['x-api-key']).toBe('k-1');
    expect(byUrl['/b']!.authorization).toBe(`Basic ${Buffer.from('user:pässword').toString('base64')}`);
  });

  it("take a route's own credentials when the route has them, else the system's; no route and no default is no_base_url", async () => {
    server = await stub({ 'GET /acme/r': json(200, {}), 'GET /initech/r': json(200, {}), 'GET /default/r': json(200, {}) });
    const routed = (tenant: string): SystemPlan => ({
      auth: { kind: 'bearer', secret: 'SHARED' },
      routes: {
        key: () => tenant,
        urls: { acme: `${server!.url}/acme`, initech: `${server!.url}/initech` },
        auth: { acme: { kind: 'header', header: 'X-Api-Key', secret: 'ACME' } },
        default: tenant === 'none' ? null : `${server!.url}/default`,
      },
    });
    for (const tenant of ['acme', 'initech', 'other', 'none']) {
      await exec(plan([spec('s', { lookups: [lookup('l', '/r', { system: 'crm' })] })], { systems: { crm: routed(tenant) } }), event({}, { SHARED: 's-key', ACME: 'a-key' }));
    }
    expect(server.seen.map((r) => [r.url, r.headers['x-api-key'], r.headers.authorization])).toEqual([
      ['/acme/r', 'a-key', undefined],
      ['/initech/r', undefined, 'Bearer s-key'],
      ['/default/r', undefined, 'Bearer s-key'],
    ]);
    expect(entries().map((e) => e.status)).toEqual([200, 200, 200, 'no_base_url']);
  });

  it('are not made without their secret, base URL, path or a valid URL', async () => {
    server = await stub({});
    const p = plan(
      [
        spec('s', {
          lookups: [
            lookup('a', '/a', { system: 'bearer' }),
            lookup('b', '/b', { system: 'basic' }),
            lookup('c', '/c', { system: 'routed' }),
            lookup('d', '', { path: () => null }),
            lookup('e', '/e', { system: 'ftp' }),
          ],
        }),
      ],
      {
        systems: {
          sys: system(server.url),
          bearer: system(server.url, { auth: { kind: 'bearer', secret: 'MISSING' } }),
          basic: system(server.url, { auth: { kind: 'basic', userSecret: 'U', passwordSecret: 'MISSING' } }),
          routed: system(server.url, { baseUrl: () => null }),
          ftp: system('ftp://127.0.0.1'),
        },
      },
    );
    await exec(p, event({}, { U: 'u' }));
    expect(server.seen).toEqual([]);
    expect(entries().map((e) => [e.step, e.status])).toEqual([
      ['lookup:a', 'no_secret'],
      ['lookup:b', 'no_secret'],
      ['lookup:c', 'no_base_url'],
      ['lookup:d', 'no_path'],
      ['lookup:e', 'bad_url'],
    ]);
  });

  it('buildUrl keeps the origin of the base URL', () => {
    expect(buildUrl('https://a.example/api/', '/x', { q: 1 })).toBe('https://a.example/api/x?q=1');
    expect(buildUrl('https://a.example/api', 'x', null)).toBe('https://a.example/api/x');
    expect(buildUrl('https://a.example', '', undefined)).toBe('https://a.example/');
    // A path can never change the host: it always starts after the base URL's path.
    expect(buildUrl('https://a.example', '@evil.example/x', undefined)).toBe('https://a.example/@evil.example/x');
    expect(buildUrl('https://a.example', '\\evil.example/x', undefined)).toBe('https://a.example//evil.example/x');
    expect(buildUrl('https://a.example', '//evil.example/x', undefined)).toBe('https://a.example//evil.example/x');
    expect(buildUrl('not a url', '/x', undefined)).toBeNull();
  });
});

describe('scopes, SAML attributes, the user id and validation errors', () => {
  it('add (true) and remove (false) scopes, set SAML attributes, refuse what Auth0 would, and stop on a validation error', async () => {
    const field = (target: ActionPlan['specs'][number]['fields'][number]['target'], v: unknown) => ({ target, value: () => v });
    const p = plan([
      spec('out', {
        fields: [
          field({ kind: 'scopes', scope: 'read:a' }, true),
          field({ kind: 'scopes', scope: 'write:b' }, false),
          field({ kind: 'scopes', scope: 'bad' }, 'yes'),
          field({ kind: 'saml', attribute: 'group' }, ['x', 1, true]),
          field({ kind: 'saml', attribute: 'nested' }, [{ a: 1 }]),
        ],
        access: [{ when: () => true, validationError: { code: 'c1', message: 'm1' } }],
        sends: [send('/never')],
      }),
    ]);
    const calls = await exec(p);
    expect(calls).toEqual([
      ['validation.error', 'c1', 'm1'],
      ['accessToken.addScope', 'read:a'],
      ['accessToken.removeScope', 'write:b'],
      ['samlResponse.setAttribute', 'group', ['x', 1, true]],
    ]);
    expect(entries().map((e) => [e.step, e.status, e.msg])).toEqual([
      ['field:2', 'rejected', 'scopes.bad needs true (add) or false (remove)'],
      ['field:4', 'rejected', 'SAML value must be scalars: saml.nested'],
      ['access:0', 'validation_error', undefined],
      ['sends', 'skipped', 'after deny'],
    ]);
  });

  it('set the user id on pre-user-registration, and refuse one Auth0 would', async () => {
    const p = (id: unknown) =>
      plan([spec('ids', { fields: [{ target: { kind: 'user_id' }, value: () => id }] })], { trigger: 'pre-user-registration' });
    expect(await exec(p('u.jane'), event(), { trigger: 'pre-user-registration' })).toEqual([['user.setUserId', 'u.jane']]);
    expect(await exec(p('jane doe'), event(), { trigger: 'pre-user-registration' })).toEqual([]);
    expect(entries().map((e) => e.status)).toEqual(['rejected']);
  });
});

describe('fields and writes', () => {
  const ev = () =>
    event({
      app_metadata: { tier: 'standard', prefs: { a: 1, b: { c: 2 } }, keep: 'k' },
      user_metadata: { locale: 'en-US' },
    });

  it('never writes into metadata that is not an object (Auth0 refuses it on post-login; a missing one is fine before registration)', async () => {
    const w = (kind: 'app_metadata' | 'user_metadata') => spec('w', { fields: [{ target: { kind, path: ['tier'] }, value: () => 'x' }] });
    expect(await exec(plan([w('app_metadata')]), event({ app_metadata: 'a string' }))).toEqual([]);
    expect(await exec(plan([w('user_metadata')]), event({ user_metadata: undefined }))).toEqual([]);
    expect(logs.parsed().filter((e) => e['status'] === 'rejected').map((e) => e['msg'])).toEqual(['app_metadata is not an object', 'user_metadata is not an object']);
    const signup = plan([w('app_metadata')], { trigger: 'pre-user-registration' });
    expect(await exec(signup, event({ app_metadata: undefined }))).toEqual([['user.setAppMetadata', 'tier', 'x']]);
  });

  it('skip nulls and unchanged values; clear writes null; nested targets merge into one call', async () => {
    const p = plan([
      spec('s', {
        fields: [
          { target: { kind: 'app_metadata', path: ['tier'] }, value: () => 'standard' },
          { target: { kind: 'app_metadata', path: ['nothing'] }, value: () => undefined },
          { target: { kind: 'app_metadata', path: ['keep'] }, value: () => null, clear: true },
          { target: { kind: 'app_metadata', path: ['gone'] }, value: () => null, clear: true },
          { target: { kind: 'app_metadata', path: ['prefs', 'b', 'd'] }, value: () => 3 },
          { target: { kind: 'app_metadata', path: ['prefs', 'e'] }, value: () => [1] },
          { target: { kind: 'app_metadata', path: ['prefs', 'a'] }, value: () => null, clear: true },
          { target: { kind: 'app_metadata', path: ['fresh', 'x'] }, value: () => 'y' },
          { target: { kind: 'user_metadata', path: ['locale'] }, value: () => 'en-US' },
        ],
      }),
    ]);
    const e = ev();
    expect(await exec(p, e)).toEqual([
      ['user.setAppMetadata', 'fresh', { x: 'y' }],
      ['user.setAppMetadata', 'keep', null],
      ['user.setAppMetadata', 'prefs', { b: { c: 2, d: 3 }, e: [1] }],
    ]);
    // The event is never mutated.
    expect(e.user.app_metadata).toEqual({ tier: 'standard', prefs: { a: 1, b: { c: 2 } }, keep: 'k' });
  });

  it('a nested write into a non-object replaces it with an object', async () => {
    const p = plan([spec('s', { fields: [{ target: { kind: 'app_metadata', path: ['keep', 'x'] }, value: () => 1 }] })]);
    expect(await exec(p, ev())).toEqual([['user.setAppMetadata', 'keep', { x: 1 }]]);
  });

  it('nested writes that end up equal to the current object make no call', async () => {
    const p = plan([
      spec('s', {
        fields: [
          { target: { kind: 'app_metadata', path: ['prefs', 'b', 'c'] }, value: () => 2 },
          { target: { kind: 'app_metadata', path: ['prefs', 'z'] }, value: () => null, clear: true },
        ],
      }),
    ]);
    expect(await exec(p, ev())).toEqual([]);
  });

  it('a field when sees value and current', async () => {
    const seen: unknown[] = [];
    const p = plan([
      spec('s', {
        fields: [
          {
            target: { kind: 'app_metadata', path: ['tier'] },
            value: () => 'premium',
            when: (s) => (seen.push([s.value, s.current]), s.current !== 'standard'),
          },
          { target: { kind: 'user_metadata', path: ['x'] }, value: () => 1, when: (s) => s.value === 1 },
        ],
      }),
    ]);
    expect(await exec(p, ev())).toEqual([['user.setUserMetadata', 'x', 1]]);
    expect(seen).toEqual([['premium', 'standard']]);
  });

  it('values breaking the registry type or enum are not written, and are logged', async () => {
    const p = plan(
      [
        spec('s', {
          fields: [
            { target: { kind: 'app_metadata', path: ['tier'] }, value: () => 'gold' },
            { target: { kind: 'app_metadata', path: ['count'] }, value: () => '3' },
            { target: { kind: 'app_metadata', path: ['ok'] }, value: () => 'premium' },
          ],
        }),
      ],
      {
        registry: {
          'app_metadata.tier': { type: 'string', enum: ['standard', 'premium'] },
          'app_metadata.count': { type: 'integer' },
          'app_metadata.ok': { type: 'string', enum: ['standard', 'premium'] },
        },
      },
    );
    expect(await exec(p, ev())).toEqual([['user.setAppMetadata', 'ok', 'premium']]);
    expect(entries()).toEqual([
      { mapc: 1, spec: 's', step: 'field:0', status: 'rejected', msg: 'app_metadata.tier breaks string enum' },
      { mapc: 1, spec: 's', step: 'field:1', status: 'rejected', msg: 'app_metadata.count breaks integer' },
    ]);
  });

  it('fitsRule checks every type', () => {
    expect(fitsRule({ type: 'number' }, 1.5)).toBe(true);
    expect(fitsRule({ type: 'number' }, NaN)).toBe(false);
    expect(fitsRule({ type: 'integer' }, 1.5)).toBe(false);
    expect(fitsRule({ type: 'boolean' }, false)).toBe(true);
    expect(fitsRule({ type: 'array' }, [])).toBe(true);
    expect(fitsRule({ type: 'object' }, [])).toBe(false);
    expect(fitsRule({ type: 'object', enum: [{ a: 1 }] }, { a: 1 })).toBe(true);
  });

  it('claims go to the id and access tokens', async () => {
    const p = plan([
      spec('s', {
        fields: [
          { target: { kind: 'id_token', claim: 'https://acme.example/tier' }, value: () => 'premium' },
          { target: { kind: 'access_token', claim: 'https://acme.example/roles' }, value: () => ['a'] },
          { target: { kind: 'access_token', claim: 'https://acme.example/none' }, value: () => null, clear: true },
        ],
      }),
    ]);
    expect(await exec(p)).toEqual([
      ['idToken.setCustomClaim', 'https://acme.example/tier', 'premium'],
      ['accessToken.setCustomClaim', 'https://acme.example/roles', ['a']],
    ]);
  });
});

describe('access', () => {
  const denyPlan = (trigger: ActionPlan['trigger']) =>
    plan([spec('gate', { access: [{ when: () => true, deny: 'No entry' }] })], { trigger });

  it('deny uses each trigger’s calling style', async () => {
    expect(await exec(denyPlan('post-login'))).toEqual([['access.deny', 'No entry']]);
    expect(await exec(denyPlan('pre-user-registration'))).toEqual([['access.deny', 'No entry', 'No entry']]);
    expect(await exec(denyPlan('credentials-exchange'))).toEqual([['access.deny', 'invalid_request', 'No entry']]);
  });

  it('a trigger that cannot deny only logs', async () => {
    expect(await exec(denyPlan('post-user-registration'))).toEqual([]);
    expect(entries()).toEqual([{ mapc: 1, spec: 'gate', step: 'access:0', status: 'unsupported', msg: 'deny on post-user-registration' }]);
  });

  it('first matching rule wins; later specs are not evaluated after a deny', async () => {
    let evaluated = false;
    const p = plan([
      spec('a', {
        access: [
          { when: () => false, deny: 'first' },
          { when: () => 1, deny: 'second' },
          { when: () => true, deny: 'third' },
        ],
      }),
      spec('b', { access: [{ when: () => ((evaluated = true), true), mfa: 'any' }] }),
    ]);
    expect(await exec(p)).toEqual([['access.deny', 'second']]);
    expect(evaluated).toBe(false);
  });

  it('redirects with a query when the api allows it', async () => {
    const p = plan([
      spec('r', {
        access: [
          {
            when: () => true,
            redirect: { url: 'https://acme.example/upgrade', query: () => ({ plan: 'premium', n: 2, skip: null, __proto__x: 'ok' }) },
          },
        ],
      }),
      spec('r2', { access: [{ when: () => true, redirect: { url: 'https://acme.example/other' } }] }),
    ]);
    expect(await exec(p)).toEqual([['redirect.sendUserTo', 'https://acme.example/upgrade', { query: { plan: 'premium', n: '2', __proto__x: 'ok' } }]]);
    expect(entries().map((e) => [e.spec, e.status, e.msg])).toEqual([
      ['r', 'redirect', undefined],
      ['r2', 'skipped', 'already redirecting'],
    ]);
  });

  it('denies with the rule\'s message when canRedirect() is false and the rule says otherwise: deny', async () => {
    const p = plan([
      spec('r', {
        access: [
          { when: () => true, redirect: { url: 'https://acme.example/upgrade', otherwiseDeny: 'Upgrade in the browser.' } },
          { when: () => true, deny: 'never reached' },
        ],
      }),
    ]);
    expect(await exec(p, event(), { canRedirect: false })).toEqual([['access.deny', 'Upgrade in the browser.']]);
    expect(entries()).toEqual([
      { mapc: 1, spec: 'r', step: 'access:0', status: 'skipped', msg: 'cannot redirect' },
      { mapc: 1, spec: 'r', step: 'access:0', status: 'deny' },
    ]);
  });

  it('lets later rules decide when canRedirect() is false and the rule says otherwise: continue', async () => {
    const p = plan([
      spec('r', {
        access: [
          { when: () => true, redirect: { url: 'https://acme.example/profile' } },
          { when: () => true, deny: 'the later rule' },
        ],
      }),
    ]);
    expect(await exec(p, event(), { canRedirect: false })).toEqual([['access.deny', 'the later rule']]);
  });

  it('a canRedirect that throws counts as false', async () => {
    const { api, calls } = fakeApi();
    api.redirect.canRedirect = () => {
      throw new Error('nope');
    };
    await run(plan([spec('r', { access: [{ when: () => true, redirect: { url: 'https://x.example' } }] })]), event(), api);
    expect(calls).toEqual([]);
  });

  it('enables MFA', async () => {
    const p = plan([spec('m', { access: [{ when: () => true, mfa: 'guardian' }] })]);
    expect(await exec(p)).toEqual([['multifactor.enable', 'guardian']]);
  });
});

describe('sends', () => {
  it('run concurrently and store their responses as writes', async () => {
    const waiting: (() => void)[] = [];
    const both =
      (body: unknown) =>
      (q: http.IncomingMessage, res: http.ServerResponse) => {
        waiting.push(() => json(200, body)(q, res, '', 0));
        if (waiting.length === 2) for (const w of waiting) w();
      };
    server = await stub({ 'POST /contacts': both({ id: 'c-9' }), 'PUT /marketing': both({ ok: true }) });
    const p = plan(
      [
        spec('crm', {
          sends: [
            send('/contacts', {
              timeoutMs: 3000,
              store: [
                { target: { kind: 'app_metadata', path: ['crm', 'id'] }, value: (s) => path(s.response, ['id']) },
                { target: { kind: 'app_metadata', path: ['crm', 'none'] }, value: (s) => path(s.response, ['missing']) },
              ],
            }),
            send('/marketing', { method: 'PUT', timeoutMs: 3000 }),
            send('/skipped', { when: () => false }),
          ],
        }),
      ],
      { systems: { sys: system(server.url) } },
    );
    expect(await exec(p)).toEqual([['user.setAppMetadata', 'crm', { id: 'c-9' }]]);
    expect(server.seen.map((r) => r.url).sort()).toEqual(['/contacts', '/marketing']);
  });

  it('continue: a failed send skips its store; deny: it denies', async () => {
    server = await stub({ 'POST /a': json(503, {}), 'POST /b': json(400, {}) });
    const store = [{ target: { kind: 'app_metadata' as const, path: ['x'] }, value: () => 1 }];
    const p = plan(
      [spec('s', { sends: [send('/a', { store }), send('/b', { onError: 'deny', denyMessage: 'CRM down' })] })],
      { systems: { sys: system(server.url) } },
    );
    expect(await exec(p)).toEqual([['access.deny', 'CRM down']]);
  });

  it('retries an idempotent POST (with an idempotency key) after a 5xx', async () => {
    server = await stub({ 'POST /c': (q, res, b, n) => (n === 0 ? json(500, {}) : json(200, { id: 'ok' }))(q, res, b, n) });
    const p = plan(
      [
        spec('s', {
          sends: [
            send('/c', {
              retries: 1,
              idempotencyKey: () => 'k',
              store: [{ target: { kind: 'app_metadata', path: ['id'] }, value: (s) => path(s.response, ['id']) }],
            }),
          ],
        }),
      ],
      { systems: { sys: system(server.url) } },
    );
    expect(await exec(p)).toEqual([['user.setAppMetadata', 'id', 'ok']]);
    expect(entries()).toMatchObject([{ status: 200, msg: 'attempts 2' }]);
  });
});

describe('isolation and error policy', () => {
  it('an exception in one spec skips the rest of it (its writes too); other specs run', async () => {
    const p = plan([
      spec('broken', {
        fields: [
          { target: { kind: 'app_metadata', path: ['a'] }, value: () => 1 },
          {
            target: { kind: 'app_metadata', path: ['b'] },
            value: () => {
              throw new TypeError('bug for jane@example.com');
            },
          },
        ],
        access: [{ when: () => true, deny: 'unreachable' }],
      }),
      spec('fine', { fields: [{ target: { kind: 'app_metadata', path: ['c'] }, value: () => 3 }] }),
    ]);
    expect(await exec(p)).toEqual([['user.setAppMetadata', 'c', 3]]);
    expect(entries()).toEqual([{ mapc: 1, spec: 'broken', step: 'fields', status: 'error', msg: 'TypeError: bug for <email>' }]);
  });

  it('on_error deny on the spec denies with the default message (a spec has none of its own)', async () => {
    const p = plan([
      spec('strict', {
        onError: 'deny',
        lookups: [
          lookup('x', '/x', {
            path: () => {
              throw new Error('boom');
            },
          }),
        ],
      }),
    ], { systems: { sys: system('http://127.0.0.1:9') } });
    expect(await exec(p)).toEqual([['access.deny', 'Access denied.']]);
    expect(entries().map((e) => [e.step, e.status])).toEqual([
      ['lookup:x', 'error'],
      ['lookup:x', 'deny'],
    ]);
  });

  it('a store closure that throws fails the spec and drops its writes', async () => {
    server = await stub({ 'POST /c': json(200, {}) });
    const p = plan(
      [
        spec('s', {
          fields: [{ target: { kind: 'app_metadata', path: ['a'] }, value: () => 1 }],
          sends: [
            send('/c', {
              store: [
                {
                  target: { kind: 'app_metadata', path: ['b'] },
                  value: () => {
                    throw 'not an error object';
                  },
                },
              ],
            }),
          ],
        }),
      ],
      { systems: { sys: system(server.url) } },
    );
    expect(await exec(p)).toEqual([]);
    expect(entries().at(-1)).toEqual({ mapc: 1, spec: 's', step: 'send:0', status: 'error', msg: 'string' });
  });

  it('api methods that are missing or throw are logged, never thrown', async () => {
    const p = plan([
      spec('s', {
        fields: [
          { target: { kind: 'app_metadata', path: ['a'] }, value: () => 1 },
          { target: { kind: 'id_token', claim: 'https://x/c' }, value: () => 1 },
        ],
        access: [{ when: () => true, deny: 'x' }],
      }),
    ]);
    await expect(run(p, event(), {})).resolves.toBeUndefined();
    await expect(run(p, event(), null)).resolves.toBeUndefined();
    expect(await exec(p, event(), { throwOn: 'user.setAppMetadata' })).toEqual([
      ['access.deny', 'x'],
      ['idToken.setCustomClaim', 'https://x/c', 1],
    ]);
    const statuses = entries().map((e) => `${e.status} ${e.msg ?? ''}`);
    expect(statuses).toContain('unsupported api.access.deny');
    expect(statuses).toContain('unsupported api.user.setAppMetadata');
    expect(statuses).toContain('api_error api.user.setAppMetadata Error: boom in user.setAppMetadata');
  });

  it('run resolves even on a malformed plan or event', async () => {
    await expect(run({ specs: null } as unknown as ActionPlan, null, null)).resolves.toBeUndefined();
    await expect(run(plan([spec('s', { fields: [{ target: { kind: 'app_metadata', path: ['a'] }, value: () => 1 }] })]), null, fakeApi().api)).resolves.toBeUndefined();
    expect(entries()[0]).toMatchObject({ step: 'run', status: 'error' });
  });
});

describe('prototype pollution', () => {
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });

  it('responses with __proto__ keys are stored without them', async () => {
    server = await stub({ 'GET /p': json(200, '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": 1}}, "id": "x"}') });
    const p = plan(
      [
        spec('s', {
          lookups: [lookup('p', '/p')],
          fields: [
            { target: { kind: 'app_metadata', path: ['profile'] }, value: (s) => L(s, 'p') },
            { target: { kind: 'app_metadata', path: ['proto'] }, value: (s) => path(L(s, 'p'), ['__proto__', 'polluted']) },
          ],
        }),
      ],
      { systems: { sys: system(server.url) } },
    );
    const calls = await exec(p);
    expect(calls).toEqual([['user.setAppMetadata', 'profile', { id: 'x' }]]);
    expect(Object.keys(calls[0]![2] as object)).toEqual(['id']);
  });

  it('targets through __proto__/constructor/prototype are refused', async () => {
    const p = plan([
      spec('s', {
        fields: [
          { target: { kind: 'app_metadata', path: ['__proto__', 'polluted'] }, value: () => true },
          { target: { kind: 'app_metadata', path: ['prefs', 'constructor', 'prototype', 'polluted'] }, value: () => true },
          { target: { kind: 'app_metadata', path: [] }, value: () => true },
        ],
      }),
    ]);
    expect(await exec(p, event({ app_metadata: JSON.parse('{"__proto__": {"x": 1}}') }))).toEqual([]);
    expect(entries().map((e) => e.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });
});

describe('logs', () => {
  it('are ≤ 256 characters, with no e-mail address or secret, in a busy run', async () => {
    server = await stub({
      'GET /u/jane%40example.com': json(500, {}),
      'POST /c': json(429, {}, { 'retry-after': '60' }),
    });
    const long = 'a-very-long-spec-name-'.repeat(20);
    const p = plan(
      [
        spec(long, {
          lookups: [lookup('u', '', { path: (s) => urlPath(['/u/', path(s.event, ['user', 'email'])]), retries: 1 })],
          fields: [
            {
              target: { kind: 'app_metadata', path: ['n'] },
              value: (s) => {
                throw new Error(`failed for ${path(s.event, ['user', 'email'])} with s3cr3t-value-123 and eyJabc.def.ghi`);
              },
            },
          ],
        }),
        spec('b', { sends: [send('/c', { idempotencyKey: () => 'jane@example.com', retries: 2 })] }),
      ],
      { systems: { sys: system(server.url, { auth: { kind: 'bearer', secret: 'T' } }) } },
    );
    await exec(p, event({}, { T: 's3cr3t-value-123' }));
    expect(logs.lines.length).toBeGreaterThan(2);
    for (const line of logs.lines) {
      expect(line.length).toBeLessThanOrEqual(256);
      expect(line).not.toMatch(/@/);
      expect(line).not.toContain('s3cr3t');
      expect(line).not.toContain('eyJ');
      expect(() => JSON.parse(line)).not.toThrow();
    }
  });
});
