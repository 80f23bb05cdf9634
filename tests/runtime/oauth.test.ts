/**
 * runtime/oauth.ts and the engine's oauth2 path, against real stub servers on 127.0.0.1: the
 * token request, one per run, api.cache (hits, expiry, refusals, a cache that is missing or
 * throws), the TTL rule, what counts as a usable token, the 401 refresh, and the log lines.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApi, type CacheRecord } from '../../compiler/emulator/auth0-api';
import { run } from '../../runtime/engine';
import { cacheTtl, hasClientSecrets, refreshToken, tokenFor, type OAuthPlan, type TokenCall, type TokenRun } from '../../runtime/oauth';
import type { ActionPlan } from '../../runtime/plan';
import { captureLogs, event, json, lookup, plan, spec, stub, type Handler, type Stub } from './helpers';

const SECRETS = { CID: 'client-id-1', CSECRET: 'client-secret-value-1' };
const KEY = 'mapc:oauth:test-key';

let server: Stub;
let logs: ReturnType<typeof captureLogs>;

beforeEach(() => {
  logs = captureLogs();
});
afterEach(async () => {
  logs.restore();
  await server?.close();
});

const oauth = (extra: Partial<OAuthPlan> = {}): OAuthPlan => ({
  kind: 'oauth2',
  tokenUrl: `${server.url}/token`,
  clientIdSecret: 'CID',
  clientSecretSecret: 'CSECRET',
  cacheKey: KEY,
  ...extra,
});

const CALL: TokenCall = { spec: 's', step: 'lookup:a', system: 'sys', timeoutMs: 500, retries: 0, maxBytes: 1024 * 1024 };

function tokenRun(api: unknown, secrets: Record<string, string> = SECRETS, extra: Partial<TokenRun> = {}): TokenRun {
  return { event: { secrets }, api, deadlineAt: Date.now() + 5000, secrets: Object.values(secrets), ...extra };
}

function cachedApi(data = new Map<string, CacheRecord>()) {
  return { api: createApi('post-login', event()).api as any, data };
}

const tokenAnswer = (access_token: string, extra: Record<string, unknown> = {}): Handler => json(200, { access_token, token_type: 'Bearer', expires_in: 3600, ...extra });

const tokenRequests = () => server.seen.filter((s) => s.url === '/token');

describe('tokenFor', () => {
  it('posts the client credentials form and returns the token; one request per run', async () => {
    server = await stub({ 'POST /token': tokenAnswer('tok-1') });
    const r = tokenRun(undefined);
    const [a, b] = await Promise.all([tokenFor(r, oauth({ audience: 'aud', scope: 'a b' }), CALL), tokenFor(r, oauth(), CALL)]);
    expect(a).toEqual({ value: 'tok-1', cached: false });
    expect(b).toBe(a);
    expect(tokenRequests()).toHaveLength(1);
    const seen = tokenRequests()[0]!;
    expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen.body).toBe('grant_type=client_credentials&client_id=client-id-1&client_secret=client-secret-value-1&audience=aud&scope=a+b');
    // The token joined the run's redaction list.
    expect(r.secrets).toContain('tok-1');
    expect(logs.parsed()).toEqual([expect.objectContaining({ spec: 's', step: 'lookup:a', system: 'sys', status: 200, ms: expect.any(Number), msg: 'token' })]);
  });

  it('caches the token in api.cache with the TTL, and a new run reads it from there', async () => {
    server = await stub({ 'POST /token': tokenAnswer('tok-1', { expires_in: '600' }) });
    const data = new Map<string, CacheRecord>();
    const at = Date.now();
    const { api } = createApi('post-login', event(), { cacheData: data, now: () => at });
    expect(await tokenFor(tokenRun(api), oauth(), CALL)).toEqual({ value: 'tok-1', cached: false });
    expect(data.get(KEY)).toEqual({ value: 'tok-1', expires_at: at + 540_000 });
    const again = tokenRun(api);
    expect(await tokenFor(again, oauth(), CALL)).toEqual({ value: 'tok-1', cached: true });
    expect(again.secrets).toContain('tok-1');
    expect(tokenRequests()).toHaveLength(1);
  });

  it('ignores an expired, non-string or unusable cache entry', async () => {
    server = await stub({ 'POST /token': tokenAnswer('fresh') });
    for (const hit of [{ value: 'old', expires_at: Date.now() - 1 }, { value: 42 }, { value: 'has space' }, 'text']) {
      const api = { cache: { get: () => hit, set: () => ({ type: 'success' }), delete: () => ({ type: 'success' }) } };
      expect(await tokenFor(tokenRun(api), oauth(), CALL)).toEqual({ value: 'fresh', cached: false });
    }
    expect(tokenRequests()).toHaveLength(4);
  });

  it('works without api.cache, with a cache that throws, and with one that answers errors', async () => {
    server = await stub({ 'POST /token': tokenAnswer('tok') });
    const throwing = {
      cache: {
        get: () => {
          throw new Error('get');
        },
        set: () => {
          throw new Error('set');
        },
        delete: () => {
          throw new Error('delete');
        },
      },
    };
    const refusing = { cache: { get: () => undefined, set: () => ({ type: 'error', code: 'CacheSizeExceeded' }), delete: () => ({ type: 'error' }) } };
    for (const api of [undefined, null, {}, { cache: { get: () => undefined } }, throwing, refusing]) {
      const r = tokenRun(api);
      expect(await tokenFor(r, oauth(), CALL)).toEqual({ value: 'tok', cached: false });
      // A refresh also gets by without a cache.
      expect(await refreshToken(r, oauth(), CALL)).toEqual({ value: 'tok', cached: false });
    }
  });

  it('does not cache a token over 4096 bytes or without a usable expires_in', async () => {
    const answers: Record<string, unknown>[] = [
      { access_token: 'x'.repeat(4097), expires_in: 3600 },
      { access_token: 'y'.repeat(4096), expires_in: 3600 },
      { access_token: 'no-expiry' },
      { access_token: 'zero', expires_in: 0 },
      { access_token: 'text-expiry', expires_in: 'soon' },
    ];
    server = await stub({ 'POST /token': (req, res, body, n) => json(200, answers[n])(req, res, body, n) });
    const data = new Map<string, CacheRecord>();
    const { api } = createApi('post-login', event(), { cacheData: data });
    const stored: (string | undefined)[] = [];
    for (let i = 0; i < answers.length; i++) {
      data.clear();
      expect((await tokenFor(tokenRun(api), oauth(), CALL))?.value).toBe(answers[i]!['access_token']);
      stored.push(data.get(KEY)?.value);
    }
    expect(stored).toEqual([undefined, 'y'.repeat(4096), undefined, undefined, undefined]);
  });

  const unusable: [string, Handler, string | number][] = [
    ['a 500', json(500, {}), 500],
    ['invalid JSON', json(200, '<html>'), 'invalid_json'],
    ['no access_token', json(200, { token_type: 'Bearer' }), 'bad_token'],
    ['an empty token', json(200, { access_token: '' }), 'bad_token'],
    ['a token with a line break', json(200, { access_token: 'a\r\nx-injected: 1' }), 'bad_token'],
    ['a non-bearer token type', json(200, { access_token: 'm', token_type: 'mac' }), 'bad_token'],
    ['a token type that is not text', json(200, { access_token: 'm', token_type: 1 }), 'bad_token'],
    ['an array', json(200, ['tok']), 'bad_token'],
    ['an empty body', json(200, ''), 'bad_token'],
  ];
  for (const [what, answer, status] of unusable) {
    it(`no token from ${what} (logged ${status})`, async () => {
      server = await stub({ 'POST /token': answer });
      expect(await tokenFor(tokenRun(undefined), oauth(), CALL)).toBeNull();
      expect(logs.parsed()).toEqual([expect.objectContaining({ status, msg: 'token' })]);
    });
  }

  it('accepts a lower-case token type, retries within the calling request’s retries, caps the answer', async () => {
    server = await stub({
      'POST /token': (req, res, body, n) => (n === 0 ? json(503, {}) : json(200, { access_token: 'tok', token_type: 'bearer' }))(req, res, body, n),
      'POST /big': json(200, { access_token: 'x'.repeat(70 * 1024) }),
    });
    expect(await tokenFor(tokenRun(undefined), oauth(), { ...CALL, retries: 1 })).toEqual({ value: 'tok', cached: false });
    expect(logs.parsed()[0]).toMatchObject({ status: 200, msg: 'token, attempts 2' });
    expect(await tokenFor(tokenRun(undefined), oauth({ tokenUrl: `${server.url}/big` }), CALL)).toBeNull();
    expect(logs.parsed()[1]).toMatchObject({ status: 'too_large' });
  });

  it('leaves a frozen redaction list alone', async () => {
    server = await stub({ 'POST /token': tokenAnswer('tok') });
    const r = tokenRun(undefined, SECRETS, { secrets: Object.freeze([...Object.values(SECRETS)]) });
    expect(await tokenFor(r, oauth(), CALL)).toEqual({ value: 'tok', cached: false });
  });
});

describe('refreshToken', () => {
  it('drops the cache entry and fetches once for the run', async () => {
    server = await stub({ 'POST /token': (req, res, body, n) => tokenAnswer(`tok-${n}`)(req, res, body, n) });
    const data = new Map<string, CacheRecord>([[KEY, { value: 'stale', expires_at: Date.now() + 100_000 }]]);
    const { api } = createApi('post-login', event(), { cacheData: data });
    const r = tokenRun(api);
    expect(await tokenFor(r, oauth(), CALL)).toEqual({ value: 'stale', cached: true });
    const [a, b] = await Promise.all([refreshToken(r, oauth(), CALL), refreshToken(r, oauth(), CALL)]);
    expect(a).toEqual({ value: 'tok-0', cached: false });
    expect(b).toBe(a);
    expect(data.get(KEY)?.value).toBe('tok-0');
    expect(tokenRequests()).toHaveLength(1);
    // Later requests of the run get the new token.
    expect(await tokenFor(r, oauth(), CALL)).toBe(a);
  });
});

describe('hasClientSecrets and cacheTtl', () => {
  it('needs both secrets, non-empty, from an event that has them', () => {
    server = undefined as unknown as Stub;
    const a: OAuthPlan = { kind: 'oauth2', tokenUrl: 'https://idp.example/token', clientIdSecret: 'CID', clientSecretSecret: 'CSECRET', cacheKey: KEY };
    expect(hasClientSecrets(tokenRun(undefined), a)).toBe(true);
    expect(hasClientSecrets(tokenRun(undefined, { CID: 'x' }), a)).toBe(false);
    expect(hasClientSecrets(tokenRun(undefined, { ...SECRETS, CSECRET: '' }), a)).toBe(false);
    expect(hasClientSecrets({ ...tokenRun(undefined), event: null }, a)).toBe(false);
  });

  it('is expires_in less min(60 s, 10 %), at most 24 h, else 0', () => {
    server = undefined as unknown as Stub;
    expect(cacheTtl(3600)).toBe(3_540_000);
    expect(cacheTtl(300)).toBe(270_000);
    expect(cacheTtl('86400')).toBe(86_340_000);
    expect(cacheTtl(10 * 86400)).toBe(86_340_000);
    expect(cacheTtl(0.0001)).toBe(0);
    for (const bad of [undefined, null, -5, 0, NaN, Infinity, '1.5', 'x', {}]) expect(cacheTtl(bad)).toBe(0);
  });
});

describe('the engine with oauth2 systems', () => {
  const oauthPlan = (extra: Partial<Parameters<typeof lookup>[2]> = {}): ActionPlan =>
    plan([spec('s', { lookups: [lookup('a', '/a', extra), lookup('b', '/b', extra)], fields: [] })], {
      systems: { sys: { baseUrl: () => server.url, auth: oauth() } },
    });

  async function exec(p: ActionPlan, secrets: Record<string, string> = SECRETS, cacheData = new Map<string, CacheRecord>()) {
    const ev = event({}, secrets);
    const { api } = createApi('post-login', ev, { cacheData });
    await run(p, ev, api);
    return api;
  }

  it('sends the token as Bearer on every request of the run, fetched once', async () => {
    server = await stub({ 'POST /token': tokenAnswer('tok-1'), 'GET /a': json(200, {}), 'GET /b': json(200, {}) });
    await exec(oauthPlan());
    expect(server.seen.map((s) => [s.url, s.headers.authorization]).sort()).toEqual([
      ['/a', 'Bearer tok-1'],
      ['/b', 'Bearer tok-1'],
      ['/token', undefined],
    ]);
    for (const line of logs.lines) for (const v of [...Object.values(SECRETS), 'tok-1']) expect(line).not.toContain(v);
  });

  it('no token: the requests fail with no_token (deny applies); no secret: no_secret without a token request', async () => {
    server = await stub({ 'POST /token': json(500, {}) });
    const ev = event({}, SECRETS);
    const { api, record } = createApi('post-login', ev);
    await run(oauthPlan({ onError: 'deny' }), ev, api);
    expect(record.access.kind).toBe('deny');
    expect(logs.parsed().filter((l) => l['status'] === 'no_token')).toHaveLength(2);
    expect(server.seen.map((s) => s.url)).toEqual(['/token']);
    await exec(oauthPlan(), { CID: 'x' });
    expect(logs.parsed().filter((l) => l['status'] === 'no_secret')).toHaveLength(2);
    expect(server.seen).toHaveLength(1);
  });

  it('a 401 with a cached token: refresh once and retry; a failed refresh is no_token', async () => {
    let refusals = 0;
    server = await stub({
      'POST /token': (req, res, body, n) => (n === 0 ? tokenAnswer('tok-new') : json(500, {}))(req, res, body, n),
      'GET /a': (req, res, body, n) => (req.headers.authorization === 'Bearer tok-new' ? json(200, {}) : (refusals++, json(401, {})))(req, res, body, n),
      'GET /b': (req, res, body, n) => (req.headers.authorization === 'Bearer tok-new' ? json(200, {}) : json(401, {}))(req, res, body, n),
    });
    const cacheData = new Map<string, CacheRecord>([[KEY, { value: 'tok-old', expires_at: Date.now() + 100_000 }]]);
    await exec(oauthPlan(), SECRETS, cacheData);
    expect(refusals).toBe(1);
    expect(server.seen.filter((s) => s.url === '/token')).toHaveLength(1);
    expect(logs.parsed().filter((l) => l['msg'] === 'cached token refused')).toHaveLength(2);
    expect(logs.parsed().filter((l) => l['status'] === 200 && l['step'] !== undefined && l['msg'] === undefined)).toHaveLength(2);
    expect(cacheData.get(KEY)?.value).toBe('tok-new');

    // Next run: the cached token is refused again and the token endpoint now fails.
    cacheData.set(KEY, { value: 'tok-old', expires_at: Date.now() + 100_000 });
    logs.lines.length = 0;
    await exec(oauthPlan(), SECRETS, cacheData);
    expect(logs.parsed().filter((l) => l['status'] === 'no_token')).toHaveLength(2);
    expect(cacheData.has(KEY)).toBe(false);
  });
});
