/**
 * The harness api against Auth0's test api (`@auth0/actions`: src/<trigger>/<version>/test/
 * index.js, src/_shared/_XK5Fidc.js CacheAPIImpl, src/_shared/DvTaCl9e.js helpers and codecs):
 * the methods per trigger, every check and message, what does not throw but fails the login
 * in Auth0 (record.errors), the cache limits and the HS256 redirect tokens.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CACHE_LIMITS,
  continueEvent,
  createApi,
  signContinueToken,
  signHs256,
  type ApiOptions,
  type ApiRecord,
} from '../../compiler/emulator/auth0-api';
import { defaultEvent } from '../../compiler/triggers';
import { deepMerge } from '../../compiler/emulator/events';
import { startSession } from '../../compiler/emulator/run-action';
import type { TriggerId } from '../../compiler/triggers';

const login = (over: Record<string, unknown> = {}) => deepMerge(defaultEvent('post-login'), over) as Record<string, any>;
const api = (trigger: TriggerId, event: Record<string, unknown> = defaultEvent(trigger), options: ApiOptions = {}) =>
  createApi(trigger, event, options) as { api: any; record: ApiRecord };

/** `fn()` throws `msg`, and the record has `path: msg` as its last error. */
function throwsAndRecords(record: ApiRecord, path: string, fn: () => unknown, msg: string | RegExp): void {
  const before = record.errors.length;
  expect(fn).toThrow(msg);
  expect(record.errors).toHaveLength(before + 1);
  const last = record.errors.at(-1)!;
  if (typeof msg === 'string') expect(last).toBe(`${path}: ${msg}`);
  else expect(last.startsWith(`${path}: `) && msg.test(last)).toBe(true);
}

describe('methods per trigger', () => {
  const shape = (a: Record<string, any>) =>
    Object.fromEntries(Object.entries(a).map(([k, v]) => [k, Object.keys(v).sort()]).sort(([x], [y]) => (x! < y! ? -1 : 1)));

  it('offers exactly the methods of Auth0 test api that mapc uses', () => {
    expect(shape(api('post-login').api)).toEqual({
      access: ['deny'],
      accessToken: ['addScope', 'removeScope', 'setCustomClaim'],
      authentication: ['recordMethod'],
      cache: ['delete', 'get', 'set'],
      idToken: ['setCustomClaim'],
      multifactor: ['enable'],
      redirect: ['canRedirect', 'encodeToken', 'sendUserTo', 'validateToken'],
      samlResponse: ['setAttribute'],
      transaction: ['setMetadata'],
      user: ['setAppMetadata', 'setUserMetadata'],
      validation: ['error'],
    });
    expect(shape(api('pre-user-registration').api)).toEqual({
      access: ['deny'],
      cache: ['delete', 'get', 'set'],
      user: ['setAppMetadata', 'setUserId', 'setUserMetadata'],
      validation: ['error'],
    });
    expect(shape(api('credentials-exchange').api)).toEqual({
      access: ['deny'],
      accessToken: ['setCustomClaim'],
      cache: ['delete', 'get', 'set'],
    });
    expect(shape(api('post-user-registration').api)).toEqual({ cache: ['delete', 'get', 'set'] });
    expect(shape(api('post-change-password').api)).toEqual({ cache: ['delete', 'get', 'set'] });
  });

  it('returns api where Auth0 does, so calls chain', () => {
    const { api: a, record } = api('post-login');
    expect(a.idToken.setCustomClaim('https://acme.example/a', 1).accessToken.setCustomClaim('https://acme.example/b', 2)).toBe(a);
    expect(a.user.setAppMetadata('k', 1).user.setUserMetadata('k', 2)).toBe(a);
    expect(a.multifactor.enable('any')).toBe(a);
    expect(a.access.deny('no')).toBe(a);
    expect(a.accessToken.addScope('read:x')).toBeUndefined();
    expect(record.calls).toEqual([
      'api.idToken.setCustomClaim',
      'api.accessToken.setCustomClaim',
      'api.user.setAppMetadata',
      'api.user.setUserMetadata',
      'api.multifactor.enable',
      'api.access.deny',
      'api.accessToken.addScope',
    ]);
    const pur = api('pre-user-registration').api;
    expect(pur.user.setUserId('legacy.42').validation.error('c', 'm').access.deny('r', 'u')).toBe(pur);
  });
});

describe('claims', () => {
  it('post-login refuses the claim name scope on both tokens, and only that name', () => {
    const { api: a, record } = api('post-login');
    throwsAndRecords(record, 'api.idToken.setCustomClaim', () => a.idToken.setCustomClaim('scope', 'x'), 'The "scope" claim cannot be set.');
    throwsAndRecords(record, 'api.accessToken.setCustomClaim', () => a.accessToken.setCustomClaim('scope', 'x'), 'The "scope" claim cannot be set.');
    // Restricted names are dropped by Auth0's servers later, silently: the api accepts them.
    a.idToken.setCustomClaim('sub', 'x');
    a.accessToken.setCustomClaim('Scope', 1);
    expect(record.idTokenClaims).toEqual({ sub: 'x' });
    expect(record.accessTokenClaims).toEqual({ Scope: 1 });
  });

  it('credentials-exchange does not refuse scope', () => {
    const { api: a, record } = api('credentials-exchange');
    a.accessToken.setCustomClaim('scope', 'admin');
    expect(record.accessTokenClaims).toEqual({ scope: 'admin' });
    expect(record.errors).toEqual([]);
  });
});

describe('access-token scopes (helpers.accessToken)', () => {
  it('refuses what Auth0 refuses, with its messages', () => {
    const { api: a, record } = api('post-login');
    throwsAndRecords(record, 'api.accessToken.addScope', () => a.accessToken.addScope(7), 'The value for the scope must be a string.');
    expect(() => a.accessToken.removeScope(undefined)).toThrow(TypeError);
    throwsAndRecords(record, 'api.accessToken.addScope', () => a.accessToken.addScope(''), 'The value for the scope is required.');
    throwsAndRecords(record, 'api.accessToken.addScope', () => a.accessToken.addScope(' \t '), 'The value for the scope is required.');
    throwsAndRecords(record, 'api.accessToken.addScope', () => a.accessToken.addScope('x'.repeat(281)), 'The value for the scope exceeds the allowed maximum of 280 characters.');
    throwsAndRecords(record, 'api.accessToken.removeScope', () => a.accessToken.removeScope('read:a write:b'), 'The value for the scope must not have whitespace.');
    // Auth0's regex has the g flag (its lastIndex can skip a match); the harness never does.
    throwsAndRecords(record, 'api.accessToken.addScope', () => a.accessToken.addScope('r w'), 'The value for the scope must not have whitespace.');
    expect(record.scopes).toEqual({ added: [], removed: [] });
  });

  it('trims, and the last change per scope wins', () => {
    const { api: a, record } = api('post-login');
    a.accessToken.addScope('  read:orders ');
    a.accessToken.addScope('x'.repeat(280));
    a.accessToken.removeScope('write:orders');
    a.accessToken.removeScope('read:orders');
    a.accessToken.addScope('write:orders');
    expect(record.scopes).toEqual({ added: ['x'.repeat(280), 'write:orders'], removed: ['read:orders'] });
    expect(record.errors).toEqual([]);
  });

  it('more than 1000 added scopes is an error Auth0 raises server-side (the test stub does not)', () => {
    const { api: a, record } = api('post-login');
    for (let i = 0; i < 1000; i++) a.accessToken.addScope(`s${i}`);
    expect(record.errors).toEqual([]);
    expect(() => a.accessToken.addScope('one-more')).not.toThrow();
    expect(record.errors).toEqual(['api.accessToken.addScope: The number of scopes exceeds the allowed maximum of 1000.']);
  });
});

describe('metadata', () => {
  it('post-login throws when the stored metadata is not an object; keys and values are not checked', () => {
    for (const bad of ['legacy', [1], null, 3]) {
      const { api: a, record } = api('post-login', login({ user: { app_metadata: bad, user_metadata: bad } }));
      throwsAndRecords(record, 'api.user.setAppMetadata', () => a.user.setAppMetadata('a', 1), 'Unexpected app_metadata format. Must be a valid JSON object');
      throwsAndRecords(record, 'api.user.setUserMetadata', () => a.user.setUserMetadata('a', 1), 'Unexpected user_metadata format. Must be a valid JSON object.');
    }
    const { api: a, record } = api('post-login');
    a.user.setAppMetadata('', { deep: [1] });
    a.user.setUserMetadata('gone', null);
    expect(record.appMetadataCalls).toEqual([['', { deep: [1] }]]);
    expect(record.userMetadataCalls).toEqual([['gone', null]]);
    expect(record.errors).toEqual([]);
  });

  it('pre-user-registration does not check the stored metadata', () => {
    const event = deepMerge(defaultEvent('pre-user-registration'), { user: { app_metadata: 'legacy', user_metadata: null } }) as Record<string, unknown>;
    const { api: a, record } = api('pre-user-registration', event);
    a.user.setAppMetadata('a', 1);
    a.user.setUserMetadata('b', 2);
    expect(record.appMetadataCalls).toEqual([['a', 1]]);
    expect(record.userMetadataCalls).toEqual([['b', 2]]);
    expect(record.errors).toEqual([]);
  });
});

describe('pre-user-registration setUserId (PreUserRegistrationSetUserIdInput)', () => {
  it('accepts ^[a-zA-Z0-9@._+-]{1,255}$ and records the last id', () => {
    const { api: a, record } = api('pre-user-registration');
    expect(() => a.user.setUserId('legacy|1')).toThrow(); // `|` is not in the pattern
    a.user.setUserId('jane.doe+acme@example.com');
    a.user.setUserId('A-Z_0.9@x+y'.padEnd(255, 'z'));
    expect(record.userId).toBe('A-Z_0.9@x+y'.padEnd(255, 'z'));
  });

  it('refuses anything else with the codec messages', () => {
    const { api: a, record } = api('pre-user-registration');
    const pattern = 'must match pattern "^[a-zA-Z0-9@._+-]{1,255}$"';
    const p = 'api.user.setUserId';
    record.errors.length = 0;
    throwsAndRecords(record, p, () => a.user.setUserId('auth0|1'), `Invalid setUserId arguments: user_id ${pattern}`);
    throwsAndRecords(record, p, () => a.user.setUserId(''), `Invalid setUserId arguments: user_id must NOT have fewer than 1 characters, ${pattern}`);
    throwsAndRecords(record, p, () => a.user.setUserId('a'.repeat(256)), `Invalid setUserId arguments: user_id must NOT have more than 255 characters, ${pattern}`);
    throwsAndRecords(record, p, () => a.user.setUserId(42), 'Invalid setUserId arguments: user_id must be string');
    throwsAndRecords(record, p, () => a.user.setUserId(undefined), "Invalid setUserId arguments:  must have required property 'user_id'");
    throwsAndRecords(record, p, () => a.user.setUserId('ünal'), `Invalid setUserId arguments: user_id ${pattern}`);
    expect(record.userId).toBeUndefined();
  });
});

describe('validation.error (ValidationErrorInput: strings of at most 100 characters)', () => {
  it('post-login: no prefix; records the error and ends the flow like a deny', () => {
    const { api: a, record } = api('post-login');
    const p = 'api.validation.error';
    throwsAndRecords(record, p, () => a.validation.error('c'.repeat(101), 'm'), 'errorCode must NOT have more than 100 characters');
    throwsAndRecords(
      record,
      p,
      () => a.validation.error('c'.repeat(101), 'm'.repeat(101)),
      'errorCode must NOT have more than 100 characters; errorMessage must NOT have more than 100 characters',
    );
    throwsAndRecords(record, p, () => a.validation.error(1, 'm'), 'errorCode must be string');
    throwsAndRecords(record, p, () => a.validation.error('c'), " must have required property 'errorMessage'");
    throwsAndRecords(record, p, () => a.validation.error(), " must have required property 'errorCode', must have required property 'errorMessage'");
    expect(record.access).toEqual({ kind: 'allow' });
    // ajv counts code points: 100 emoji (200 UTF-16 units) are 100 characters.
    a.validation.error('E'.repeat(100), '😀'.repeat(100));
    expect(record.validationErrors).toEqual([{ code: 'E'.repeat(100), message: '😀'.repeat(100) }]);
    expect(record.access).toEqual({ kind: 'deny', reason: '😀'.repeat(100), code: 'E'.repeat(100) });
  });

  it('pre-user-registration: prefixed "Failed to add validation error"', () => {
    const { api: a, record } = api('pre-user-registration');
    throwsAndRecords(
      record,
      'api.validation.error',
      () => a.validation.error('code', 'x'.repeat(101)),
      'Failed to add validation error: errorMessage must NOT have more than 100 characters',
    );
    a.validation.error('email_domain', 'Use your work e-mail address.');
    expect(record.validationErrors).toEqual([{ code: 'email_domain', message: 'Use your work e-mail address.' }]);
  });
});

describe('access, MFA, recordMethod, transaction metadata', () => {
  it('deny per trigger; the first outcome wins', () => {
    const pl = api('post-login');
    pl.api.multifactor.enable('any');
    pl.api.access.deny('first');
    pl.api.access.deny('second');
    expect(pl.record.access).toEqual({ kind: 'deny', reason: 'first' });
    const pur = api('pre-user-registration');
    pur.api.access.deny('internal', 'Sign-ups are closed.');
    expect(pur.record.access).toEqual({ kind: 'deny', reason: 'internal', userMessage: 'Sign-ups are closed.' });
    const ce = api('credentials-exchange');
    ce.api.access.deny('invalid_request', 'no');
    expect(ce.record.access).toEqual({ kind: 'deny', code: 'invalid_request', reason: 'no' });
    expect(ce.record.errors).toEqual([]);
  });

  it("credentials-exchange: a code outside Auth0's three is recorded, not thrown (the test api forwards it)", () => {
    const { api: a, record } = api('credentials-exchange');
    expect(() => a.access.deny('access_denied', 'no')).not.toThrow();
    expect(record.errors).toEqual([`api.access.deny: "access_denied" is not one of Auth0's codes (invalid_scope, invalid_request, server_error)`]);
  });

  it('multifactor.enable forwards any provider and {allowRememberBrowser, providerOptions}', () => {
    const { api: a, record } = api('post-login');
    a.multifactor.enable('not-a-provider');
    a.multifactor.enable('duo', { allowRememberBrowser: true, providerOptions: { host: 'h', ikey: 'i', skey: 's' }, extra: 1 });
    expect(record.mfa).toEqual([
      { provider: 'not-a-provider' },
      { provider: 'duo', options: { allowRememberBrowser: true, providerOptions: { host: 'h', ikey: 'i', skey: 's' } } },
    ]);
    expect(record.access).toEqual({ kind: 'mfa', provider: 'not-a-provider' });
    expect(record.errors).toEqual([]);
  });

  it('recordMethod is recorded; outside onContinuePostLogin or without an http(s) URL it is an error', () => {
    const exec = api('post-login');
    expect(exec.api.authentication.recordMethod('https://mfa.acme.example/push')).toBe(exec.api);
    expect(exec.record.recordedMethods).toEqual(['https://mfa.acme.example/push']);
    expect(exec.record.errors).toEqual(['api.authentication.recordMethod: Auth0 allows it only in onContinuePostLogin']);
    const cont = api('post-login', login(), { entrypoint: 'onContinuePostLogin' });
    cont.api.authentication.recordMethod('https://mfa.acme.example/push');
    expect(cont.record.errors).toEqual([]);
    cont.api.authentication.recordMethod('urn:acme:push');
    expect(cont.record.errors).toEqual(['api.authentication.recordMethod: the method must be an http: or https: URL']);
  });

  it('transaction.setMetadata updates event.transaction.metadata at once; limits are errors', () => {
    const event = login();
    const { api: a, record } = api('post-login', event);
    a.transaction.setMetadata('tier', 'gold');
    a.transaction.setMetadata('n', 3);
    a.transaction.setMetadata('n', null);
    expect(event['transaction'].metadata).toEqual({ tier: 'gold' });
    expect(record.transactionMetadataCalls).toEqual([['tier', 'gold'], ['n', 3], ['n', null]]);
    expect(record.errors).toEqual([]);
    a.transaction.setMetadata('k'.repeat(65), 1);
    a.transaction.setMetadata('obj', { a: 1 });
    a.transaction.setMetadata('big', 2 ** 60);
    a.transaction.setMetadata('long', 'x'.repeat(8 * 1024 + 1));
    expect(record.errors).toEqual([
      'api.transaction.setMetadata: the key is longer than 64 characters',
      'api.transaction.setMetadata: the value must be a string, number or boolean',
      'api.transaction.setMetadata: the value is an unsafe integer',
      'api.transaction.setMetadata: the value is larger than 8192 bytes',
    ]);
    const none = login();
    delete none['transaction'];
    api('post-login', none).api.transaction.setMetadata('a', true);
    expect(none['transaction']).toEqual({ metadata: { a: true } });
  });
});

describe('redirect', () => {
  it('canRedirect: false for prompt=none and the protocols without a browser', () => {
    const can = (over: Record<string, unknown>) => api('post-login', login(over)).api.redirect.canRedirect();
    expect(can({})).toBe(true);
    expect(can({ request: { query: { prompt: 'none' } } })).toBe(false);
    expect(can({ request: { query: { prompt: 'login' } } })).toBe(true);
    for (const protocol of ['oauth2-resource-owner', 'oauth2-refresh-token', 'oauth2-password', 'oauth2-webauthn']) {
      expect(can({ transaction: { protocol } }), protocol).toBe(false);
    }
    for (const protocol of ['oidc-basic-profile', 'oidc-implicit-profile', 'oidc-hybrid-profile', 'samlp', 'wsfed', 'oauth2-device-code', 'oauth2-token-exchange']) {
      expect(can({ transaction: { protocol } }), protocol).toBe(true);
    }
    const bare = login();
    delete bare['transaction'];
    delete bare['request'].query;
    expect(api('post-login', bare).api.redirect.canRedirect()).toBe(true);
  });

  it('sendUserTo sets each query parameter, records the redirect with the state Auth0 adds', () => {
    const { api: a, record } = api('post-login');
    a.redirect.sendUserTo('https://acme.example/upgrade?from=login&plan=x', { query: { plan: 'premium', from: 'action', n: 1 } });
    expect(record.access).toEqual({
      kind: 'redirect',
      url: 'https://acme.example/upgrade?from=login&plan=x',
      query: { plan: 'premium', from: 'action', n: 1 },
      href: 'https://acme.example/upgrade?from=action&plan=premium&n=1',
    });
    const r = record.redirect!;
    expect(r.href).toBe('https://acme.example/upgrade?from=action&plan=premium&n=1');
    expect(r.state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(r.location).toBe(`${r.href}&state=${r.state}`);
    // Deterministic for the same transaction and URL.
    const again = api('post-login');
    again.api.redirect.sendUserTo('https://acme.example/upgrade?from=login&plan=x', { query: { plan: 'premium', from: 'action', n: 1 } });
    expect(again.record.redirect!.state).toBe(r.state);
    expect(record.errors).toEqual([]);
  });

  it('an invalid URL throws (new URL); a redirect where none is possible, or a second one, is an error', () => {
    const { api: a, record } = api('post-login', login({ request: { query: { prompt: 'none' } } }));
    throwsAndRecords(record, 'api.redirect.sendUserTo', () => a.redirect.sendUserTo('/relative'), /Invalid URL/);
    expect(a.redirect.sendUserTo('https://acme.example/a')).toBe(a);
    a.redirect.sendUserTo('https://acme.example/b');
    expect(record.errors.slice(1)).toEqual([
      'api.redirect.sendUserTo: Auth0 fails the login: interaction_required / redirect not possible (the request has prompt=none)',
      'api.redirect.sendUserTo: Auth0 fails the login: interaction_required / redirect not possible (the request has prompt=none)',
      'api.redirect.sendUserTo: a second redirect in one execution (Auth0 sends the user to one page)',
    ]);
    expect(record.redirect!.url).toBe('https://acme.example/a');
  });
});

describe('redirect tokens (HS256)', () => {
  const SECRET = 'redirect-secret-9c1e';
  const NOW = Date.UTC(2024, 5, 1, 10, 0, 0);
  const clock = { now: () => NOW };

  const decode = (jwt: string) => jwt.split('.').map((p, i) => (i < 2 ? JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) : p));

  it('encodeToken signs { iat, iss, sub, exp, ip, ...payload } with the secret', () => {
    const { api: a, record } = api('post-login', login(), clock);
    const jwt: string = a.redirect.encodeToken({ secret: SECRET, payload: { plan: 'premium', ip: '10.0.0.1' } });
    const [header, payload, sig] = decode(jwt);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    const iat = NOW / 1000;
    expect(payload).toEqual({ iat, iss: 'login.acme.example', sub: 'auth0|5f7c8ec7c33c6c004bbafe82', exp: iat + 900, ip: '10.0.0.1', plan: 'premium' });
    const [h, p] = jwt.split('.');
    expect(sig).toBe(createHmac('sha256', SECRET).update(`${h}.${p}`).digest('base64url'));
    expect(record.encodedTokens).toEqual([payload]);
    const short = decode(a.redirect.encodeToken({ secret: SECRET, expiresInSeconds: 60, payload: {} }))[1];
    expect(short.exp - short.iat).toBe(60);
    expect(a.redirect.encodeToken({ payload: {} })).toBe('');
    expect(record.errors).toEqual(['api.redirect.encodeToken: no secret to sign the token with']);
  });

  /** The login, its redirect, and the page's answer as the event of onContinuePostLogin. */
  function resumed(token: (state: string) => string, where: 'query' | 'body' = 'query', param = 'session_token') {
    const first = api('post-login', login(), clock);
    first.api.redirect.sendUserTo('https://mfa.acme.example/verify');
    const state = first.record.redirect!.state;
    const event = continueEvent(login(), where === 'query' ? { state, query: { [param]: token(state) } } : { state, body: { [param]: token(state) } });
    return { state, event, ...api('post-login', event, { ...clock, entrypoint: 'onContinuePostLogin' }) };
  }
  const page = (over: Partial<Parameters<typeof signContinueToken>[0]> = {}) => (state: string) =>
    signContinueToken({ secret: SECRET, state, sub: 'auth0|5f7c8ec7c33c6c004bbafe82', iss: 'login.acme.example', payload: { verified: true }, now: NOW, ...over });

  it('round-trips: a token the page signs validates in onContinuePostLogin', () => {
    const { state, api: a, record } = resumed(page());
    expect(a.redirect.validateToken({ secret: SECRET })).toEqual({
      verified: true,
      iat: NOW / 1000,
      sub: 'auth0|5f7c8ec7c33c6c004bbafe82',
      iss: 'login.acme.example',
      state,
      exp: NOW / 1000 + 900,
    });
    expect(record.errors).toEqual([]);
  });

  it('reads the token from the POST body too, and from a custom parameter', () => {
    expect(resumed(page(), 'body').api.redirect.validateToken({ secret: SECRET }).verified).toBe(true);
    const custom = resumed(page(), 'query', 'answer');
    expect(custom.api.redirect.validateToken({ secret: SECRET, tokenParameterName: 'answer' }).verified).toBe(true);
  });

  it.each([
    ['a wrong secret', page({ secret: 'other' }), 'invalid signature'],
    ['an expired token', page({ expiresInSeconds: -1 }), 'the token has expired'],
    ['a token of another login (state)', page({ state: 'someone-elses-state' }), 'the state does not match'],
    ['a token for another user', page({ sub: 'auth0|mallory' }), 'the subject (sub) is not the user of this login'],
    ['a token of another tenant', page({ iss: 'evil.example' }), 'the issuer (iss) is not the hostname of this login'],
    ['garbage', () => 'not-a-jwt', 'the token is not a JWT'],
    ['alg none', (state: string) => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ state })).toString('base64url')}.`, 'unsupported algorithm "none"'],
    ['no exp', (state: string) => signHs256({ state, sub: 'auth0|5f7c8ec7c33c6c004bbafe82', iss: 'login.acme.example' }, SECRET), 'the token has no expiry (exp)'],
  ])('refuses %s (its answer, recorded in invalidTokens, not as a rejected call)', (_what, token, reason) => {
    const { api: a, record } = resumed(token);
    expect(() => a.redirect.validateToken({ secret: SECRET })).toThrow(`The session token is invalid: ${reason}`);
    expect(record.invalidTokens).toEqual([`The session token is invalid: ${reason}`]);
    expect(record.errors).toEqual([]);
  });

  it('throws when the parameter is missing (or empty)', () => {
    const { api: a, record } = api('post-login', login(), { entrypoint: 'onContinuePostLogin' });
    throwsAndRecords(
      record,
      'api.redirect.validateToken',
      () => a.redirect.validateToken({ secret: SECRET }),
      "There is no parameter called 'session_token' available in either the POST body or query string.",
    );
    const empty = api('post-login', login({ request: { query: { session_token: '' } } })).api;
    expect(() => empty.redirect.validateToken({ secret: SECRET, tokenParameterName: 'session_token' })).toThrow("There is no parameter called 'session_token'");
  });

  it('continueEvent: a new request (GET /continue with state, or a form POST); the rest is a copy', () => {
    const original = login({ request: { query: { foo: 'bar' }, body: { a: 1 } } });
    const get = continueEvent(original, { state: 's1', query: { session_token: 't' } }) as Record<string, any>;
    expect(get['request']).toEqual({ ...original['request'], method: 'GET', query: { session_token: 't', state: 's1' }, body: {} });
    expect(get['request']).not.toBe(original['request']);
    expect(get['user']).toEqual(original['user']);
    expect(get['user']).not.toBe(original['user']);
    const post = continueEvent(original, { state: 's2', body: { session_token: 't' } }) as Record<string, any>;
    expect(post['request'].method).toBe('POST');
    expect(post['request'].query).toEqual({});
    expect(post['request'].body).toEqual({ session_token: 't', state: 's2' });
  });
});

describe('cache (CacheAPIImpl)', () => {
  let t = Date.UTC(2024, 5, 1);
  const clock = { now: () => t };
  const cache = () => api('post-user-registration', defaultEvent('post-user-registration'), clock);

  it('keys up to 64 bytes, values up to 4096 bytes (UTF-8)', () => {
    const { api: a } = cache();
    expect(a.cache.set('k'.repeat(64), 'v').type).toBe('success');
    expect(a.cache.set('k'.repeat(65), 'v')).toEqual({ type: 'error', code: 'CacheKeySizeExceeded' });
    expect(a.cache.set('é'.repeat(33), 'v')).toEqual({ type: 'error', code: 'CacheKeySizeExceeded' });
    expect(a.cache.set('v4096', 'x'.repeat(4096)).type).toBe('success');
    expect(a.cache.set('v4097', 'x'.repeat(4097))).toEqual({ type: 'error', code: 'CacheValueSizeExceeded' });
    expect(a.cache.set('v-multibyte', '€'.repeat(1366))).toEqual({ type: 'error', code: 'CacheValueSizeExceeded' });
  });

  it('the whole cache at most 16 KiB + 256 bytes, counting the record being replaced', () => {
    const { api: a } = cache();
    for (const k of ['k0', 'k1', 'k2', 'k3']) expect(a.cache.set(k, 'x'.repeat(4096)).type).toBe('success');
    // 4 × 4098 = 16392 bytes stored; a fifth record does not fit.
    expect(a.cache.set('k4', 'x'.repeat(4096))).toEqual({ type: 'error', code: 'CacheSizeExceeded' });
    expect(CACHE_LIMITS.maxTotalBytes - 16392).toBe(248);
    expect(a.cache.set('k4', 'x'.repeat(246)).type).toBe('success');
    // Replacing k0 with a smaller value still counts k0's old value (as getCacheSize does).
    expect(a.cache.set('k0', 'x')).toEqual({ type: 'error', code: 'CacheSizeExceeded' });
  });

  it('ttl and expires_at: validation, the earlier wins, default 15 minutes', () => {
    const { api: a } = cache();
    const at = t;
    expect(a.cache.set('a', 'v')).toEqual({ type: 'success', record: { value: 'v', expires_at: at + 15 * 60_000 } });
    expect(a.cache.set('b', 'v', { ttl: 1000.9 }).record.expires_at).toBe(at + 1000);
    expect(a.cache.set('c', 'v', { ttl: 5000, expires_at: at + 2000.5 }).record.expires_at).toBe(at + 2000);
    expect(a.cache.set('d', 'v', { ttl: 2000, expires_at: at + 5000 }).record.expires_at).toBe(at + 2000);
    expect(a.cache.set('e', 'v', { ttl: 48 * 3_600_000 }).record.expires_at).toBe(at + 48 * 3_600_000);
    for (const bad of [Number.NaN, Infinity, '1000', null]) {
      expect(a.cache.set('f', 'v', { ttl: bad })).toEqual({ type: 'error', code: 'InvalidExpiry' });
      expect(a.cache.set('f', 'v', { expires_at: bad })).toEqual({ type: 'error', code: 'InvalidExpiry' });
    }
    expect(a.cache.set('f', 'v', { ttl: 0 })).toEqual({ type: 'error', code: 'ItemAlreadyExpired' });
    expect(a.cache.set('f', 'v', { ttl: -5 })).toEqual({ type: 'error', code: 'ItemAlreadyExpired' });
    expect(a.cache.set('f', 'v', { expires_at: at })).toEqual({ type: 'error', code: 'ItemAlreadyExpired' });
    expect(a.cache.set('f', 'v', { expires_at: 1e300 })).toEqual({ type: 'error', code: 'InvalidExpiry' });
  });

  it('get honours expiry (a record expires after expires_at); delete needs the key', () => {
    const { api: a } = cache();
    const stored = a.cache.set('k', 'v', { ttl: 1000 }).record;
    expect(a.cache.get('k')).toBe(stored);
    t += 1000;
    expect(a.cache.get('k')).toEqual({ value: 'v', expires_at: t });
    t += 1;
    expect(a.cache.get('k')).toBeUndefined();
    expect(a.cache.get('missing')).toBeUndefined();
    expect(a.cache.delete('k')).toEqual({ type: 'success' });
    expect(a.cache.delete('k')).toEqual({ type: 'error', code: 'CacheKeyDoesNotExist' });
  });

  it('a key or value that is not a string throws (Buffer.byteLength), recorded', () => {
    const { api: a, record } = cache();
    throwsAndRecords(record, 'api.cache.set', () => a.cache.set('k', 42), /The "string" argument must be of type string/);
    throwsAndRecords(record, 'api.cache.set', () => a.cache.set({}, 'v'), /The "string" argument must be of type string/);
  });

  it('keeps the documented 20 entries per trigger (MaxSideEffectsExceeded); a session shares its cache', () => {
    const data = new Map();
    const { api: a } = api('post-login', login(), { ...clock, cacheData: data });
    for (let i = 0; i < 20; i++) expect(a.cache.set(`k${i}`, 'v').type).toBe('success');
    expect(a.cache.set('k20', 'v')).toEqual({ type: 'error', code: 'MaxSideEffectsExceeded' });
    expect(a.cache.set('k0', 'w').type).toBe('success');
    expect(api('post-login', login(), { ...clock, cacheData: data }).api.cache.get('k0').value).toBe('w');
  });
});

describe('a session: onExecutePostLogin, the page, onContinuePostLogin', () => {
  it('runs both handlers on one module with the same stubs and cache', async () => {
    const SECRET = 'redirect-secret-9c1e';
    const code = `
exports.onExecutePostLogin = async (event, api) => {
  api.cache.set('started', event.request.method);
  const token = api.redirect.encodeToken({ secret: event.secrets.REDIRECT_SECRET, payload: { step: 'verify' } });
  api.redirect.sendUserTo('https://mfa.acme.example/verify', { query: { session_token: token } });
};
exports.onContinuePostLogin = async (event, api) => {
  const answer = api.redirect.validateToken({ secret: event.secrets.REDIRECT_SECRET });
  api.idToken.setCustomClaim('https://acme.example/verified', answer.verified === true);
  api.idToken.setCustomClaim('https://acme.example/started', api.cache.get('started').value);
  api.authentication.recordMethod('https://mfa.acme.example/verify');
};`;
    const session = await startSession({ code, trigger: 'post-login', systems: [], secrets: { REDIRECT_SECRET: SECRET } });
    try {
      const first = await session.run({ event: defaultEvent('post-login') });
      expect(first.threw).toBeUndefined();
      expect(first.record.errors).toEqual([]);
      const redirect = first.record.redirect!;
      expect(new URL(redirect.location).searchParams.get('state')).toBe(redirect.state);
      const token = signContinueToken({ secret: SECRET, state: redirect.state, sub: 'auth0|5f7c8ec7c33c6c004bbafe82', iss: 'login.acme.example', payload: { verified: true } });
      const second = await session.run({
        entrypoint: 'onContinuePostLogin',
        event: continueEvent(first.event, { state: redirect.state, query: { session_token: token } }),
      });
      expect(second.threw).toBeUndefined();
      expect(second.record.errors).toEqual([]);
      expect(second.record.idTokenClaims).toEqual({ 'https://acme.example/verified': true, 'https://acme.example/started': 'GET' });
      expect(second.record.recordedMethods).toEqual(['https://mfa.acme.example/verify']);
      expect(second.event['secrets']).toEqual({ REDIRECT_SECRET: SECRET });
    } finally {
      await session.close();
    }
  });
});
