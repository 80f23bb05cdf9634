/**
 * OAuth client credentials (#18 item 7): `auth: { oauth2: { token_url, client_id_secret,
 * client_secret_secret, audience, scope } }`. The generated Action, loaded as Auth0 loads it,
 * asks the token endpoint (a stub on 127.0.0.1, like the API) for a token with a form-encoded
 * client_credentials request, sends it as a Bearer token, fetches it once per run however many
 * requests need it, keeps it in api.cache for later runs (until expires_in less the margin),
 * refreshes it once on a 401, and fails the request under its on_error policy when no token
 * can be had — never logging the client secret or the token.
 */
import { describe, expect, it } from 'vitest';
import type { Compiled } from '../../compiler/pipeline';
import { compareSnapshots } from '../../compiler/diff';
import { buildSnapshot } from '../../compiler/diff/snapshot';
import { deepMerge } from '../../compiler/emulator/events';
import { startSession, type ActionSession, type RunOutcome } from '../../compiler/emulator/run-action';
import type { ScriptedResponse } from '../../compiler/emulator/stubs';
import { defaultEvent } from '../../compiler/triggers';
import { compileFiles, compileOrThrow, runCompiled, tempProject } from '../helpers/compiled';

const PROJECT = `version: 1
claims_namespace: https://acme.example/
systems:
  crm:
    base_url: https://crm.acme.example/api
    auth:
      oauth2:
        token_url: https://login.acme.example/oauth/token
        client_id_secret: CRM_CLIENT_ID
        client_secret_secret: CRM_CLIENT_SECRET
        audience: https://crm.acme.example/
        scope: read:contacts read:orders
    timeout: 1s
    owner: team-crm
attributes:
  app_metadata.crm_id: { owner: team-crm, type: string }
  app_metadata.orders: { owner: team-crm, type: integer }
`;

const SPEC = `version: 1
name: crm
owner: team-crm
trigger: post-login
lookups:
  contact:
    system: crm
    method: GET
    path: /contacts/{{user.user_id}}
  orders:
    system: crm
    method: GET
    path: /orders/{{user.user_id}}
fields:
  - to: app_metadata.crm_id
    from: contact.id
  - to: app_metadata.orders
    from: orders.count
`;

const SECRETS = { CRM_CLIENT_ID: 'crm-client-id-1', CRM_CLIENT_SECRET: 's3cr3t-Client-Secret-Value' };
const TOKEN_PATH = '/oauth/token';

const token = (access_token: string, extra: Partial<ScriptedResponse> = {}, expires_in = 3600): ScriptedResponse => ({
  method: 'POST',
  path: TOKEN_PATH,
  body: { access_token, token_type: 'Bearer', expires_in },
  ...extra,
});
const contact: ScriptedResponse = { method: 'GET', path: '/contacts/auth0%7C1', body: { id: 'c-1' } };
const orders: ScriptedResponse = { method: 'GET', path: '/orders/auth0%7C1', body: { count: 3 } };
const EVENT = { user: { user_id: 'auth0|1', app_metadata: {} } };

async function project(project = PROJECT, spec = SPEC): Promise<Compiled> {
  return compileOrThrow('mappings', tempProject({ 'mappings/mapc.yaml': project, 'mappings/crm.yaml': spec }));
}

async function session(compiled: Compiled, scripts: readonly ScriptedResponse[], secrets: Record<string, string> = SECRETS): Promise<ActionSession> {
  const action = compiled.program.actions.find((a) => a.name === 'mapc-post-login')!;
  return startSession({ code: compiled.code.get(action.name)!, trigger: action.trigger, systems: action.systems, secrets, scripts: { crm: scripts } });
}

const run = (s: ActionSession): Promise<RunOutcome> => s.run({ event: deepMerge(defaultEvent('post-login'), EVENT) as Record<string, unknown> });
const tokenRequests = (r: RunOutcome) => r.requests.filter((q) => q.path === TOKEN_PATH);
const apiRequests = (r: RunOutcome) => r.requests.filter((q) => q.path !== TOKEN_PATH);

/** No log line carries the client secret, the client id or a token. */
function expectClean(r: RunOutcome, tokens: readonly string[]): void {
  for (const line of r.logs) {
    for (const v of [...Object.values(SECRETS), ...tokens]) expect(line).not.toContain(v);
  }
}

describe('oauth2 client credentials', () => {
  it('asks the token endpoint once (form-encoded, client_secret_post) and sends the token as Bearer on every request', async () => {
    const s = await session(await project(), [token('tok-1'), contact, orders]);
    try {
      const r = await run(s);
      expect(r.threw).toBeUndefined();
      const [t, ...more] = tokenRequests(r);
      expect(more).toEqual([]);
      expect(t!.method).toBe('POST');
      expect(t!.base).toBe('https://login.acme.example');
      expect(t!.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(t!.headers['accept']).toBe('application/json');
      expect(t!.headers['authorization']).toBeUndefined();
      expect(Object.fromEntries(new URLSearchParams(t!.body as string))).toEqual({
        grant_type: 'client_credentials',
        client_id: 'crm-client-id-1',
        client_secret: 's3cr3t-Client-Secret-Value',
        audience: 'https://crm.acme.example/',
        scope: 'read:contacts read:orders',
      });
      // The token request comes first; both lookups (concurrent) carry the one token.
      expect(r.requests[0]!.path).toBe(TOKEN_PATH);
      expect(apiRequests(r).map((q) => [q.path, q.headers['authorization']]).sort()).toEqual([
        ['/contacts/auth0%7C1', 'Bearer tok-1'],
        ['/orders/auth0%7C1', 'Bearer tok-1'],
      ]);
      expect(r.appMetadata).toMatchObject({ crm_id: 'c-1', orders: 3 });
      expect(r.logs.join('\n')).toContain('"status":200');
      expect(r.logs.some((l) => l.includes('"msg":"token"'))).toBe(true);
      expectClean(r, ['tok-1']);
    } finally {
      await s.close();
    }
  });

  it('keeps the token in api.cache: the next run asks for none, a run after expires_in (less the margin) asks again', async () => {
    const s = await session(await project(), [token('tok-1'), token('tok-2'), contact, orders, contact, orders, contact, orders]);
    try {
      const first = await run(s);
      expect(tokenRequests(first)).toHaveLength(1);
      expect(first.record.calls).toContain('api.cache.set');
      const second = await run(s);
      expect(tokenRequests(second)).toEqual([]);
      expect(apiRequests(second).map((q) => q.headers['authorization'])).toEqual(['Bearer tok-1', 'Bearer tok-1']);
      expect(second.appMetadata).toMatchObject({ crm_id: 'c-1', orders: 3 });
      // 3600 s less the margin (60 s): at 3541 s the entry is gone.
      s.clock!.sync(s.clock!.now() + 3541_000);
      const third = await run(s);
      expect(tokenRequests(third)).toHaveLength(1);
      expect(apiRequests(third).map((q) => q.headers['authorization'])).toEqual(['Bearer tok-2', 'Bearer tok-2']);
      for (const r of [first, second, third]) expectClean(r, ['tok-1', 'tok-2']);
    } finally {
      await s.close();
    }
  });

  it('a token over 4 KB is used but not cached (api.cache refuses such values)', async () => {
    const big = 'x'.repeat(5000);
    const s = await session(await project(), [token(big), token('tok-2'), contact, orders, contact, orders]);
    try {
      const first = await run(s);
      expect(apiRequests(first).map((q) => q.headers['authorization'])).toEqual([`Bearer ${big}`, `Bearer ${big}`]);
      expect(first.record.calls).not.toContain('api.cache.set');
      const second = await run(s);
      expect(tokenRequests(second)).toHaveLength(1);
      expect(apiRequests(second).map((q) => q.headers['authorization'])).toEqual(['Bearer tok-2', 'Bearer tok-2']);
      expectClean(first, [big]);
    } finally {
      await s.close();
    }
  });

  it('a 401 with a cached token drops it, fetches a new one once (shared) and retries each request once', async () => {
    const refused = (p: ScriptedResponse): ScriptedResponse => ({ ...p, status: 401, body: { error: 'invalid_token' } });
    const s = await session(await project(), [token('tok-1'), contact, orders, refused(contact), refused(orders), token('tok-2'), contact, orders, contact, orders]);
    try {
      await run(s);
      const second = await run(s);
      expect(second.threw).toBeUndefined();
      expect(second.requests.map((q) => `${q.method} ${q.path} ${q.headers['authorization'] ?? ''}`.trim()).sort()).toEqual([
        'GET /contacts/auth0%7C1 Bearer tok-1',
        'GET /contacts/auth0%7C1 Bearer tok-2',
        'GET /orders/auth0%7C1 Bearer tok-1',
        'GET /orders/auth0%7C1 Bearer tok-2',
        `POST ${TOKEN_PATH}`,
      ]);
      expect(second.appMetadata).toMatchObject({ crm_id: 'c-1', orders: 3 });
      expect(second.logs.filter((l) => l.includes('cached token refused'))).toHaveLength(2);
      // The new token replaced the old one in the cache.
      const third = await run(s);
      expect(tokenRequests(third)).toEqual([]);
      expect(apiRequests(third).map((q) => q.headers['authorization'])).toEqual(['Bearer tok-2', 'Bearer tok-2']);
      for (const r of [second, third]) expectClean(r, ['tok-1', 'tok-2']);
    } finally {
      await s.close();
    }
  });

  it('a 401 with a token fetched in this run is not retried', async () => {
    const s = await session(await project(), [token('tok-1'), { ...contact, status: 401 }, orders]);
    try {
      const r = await run(s);
      expect(tokenRequests(r)).toHaveLength(1);
      expect(apiRequests(r)).toHaveLength(2);
      expect(r.appMetadata).toMatchObject({ orders: 3 });
      expect(r.appMetadata).not.toHaveProperty('crm_id');
    } finally {
      await s.close();
    }
  });

  const failures: [string, ScriptedResponse, string][] = [
    ['a 500', token('x', { status: 500 }), '"status":500'],
    ['a timeout', token('x', { hang: true }), '"status":"timeout"'],
    ['invalid JSON', token('x', { raw: '<html>' }), '"status":"invalid_json"'],
    ['no access_token', token('x', { body: { token_type: 'Bearer' } }), '"status":"bad_token"'],
    ['another token type', token('x', { body: { access_token: 'mac-1', token_type: 'mac' } }), '"status":"bad_token"'],
  ];
  for (const [what, answer, status] of failures) {
    it(`token endpoint ${what}: no API call, the lookup is null under continue`, async () => {
      const s = await session(await project(), [answer, contact, orders]);
      try {
        const r = await run(s);
        expect(r.threw).toBeUndefined();
        expect(apiRequests(r)).toEqual([]);
        expect(tokenRequests(r)).toHaveLength(1);
        expect(r.appMetadata).toEqual({});
        const logs = r.logs.join('\n');
        expect(logs).toContain(status);
        expect(r.logs.filter((l) => l.includes('"status":"no_token"'))).toHaveLength(2);
        expect(r.record.access).toEqual({ kind: 'allow' });
        expectClean(r, ['mac-1']);
      } finally {
        await s.close();
      }
    });
  }

  it('token endpoint 500 under on_error: deny denies the login', async () => {
    const compiled = await project(PROJECT, SPEC.replace('    path: /contacts/{{user.user_id}}', '    path: /contacts/{{user.user_id}}\n    on_error: deny'));
    const r = await runCompiled(compiled, 'mapc-post-login', { event: EVENT, secrets: SECRETS, scripts: { crm: [token('x', { status: 500 })] } });
    expect(r.threw).toBeUndefined();
    expect(r.record.access.kind).toBe('deny');
    expect(r.requests.map((q) => q.path)).toEqual([TOKEN_PATH]);
  });

  it('a missing client secret makes no token request and no call (no_secret)', async () => {
    const { CRM_CLIENT_SECRET: _, ...withoutSecret } = SECRETS;
    const r = await runCompiled(await project(), 'mapc-post-login', { event: EVENT, secrets: withoutSecret, scripts: { crm: [token('tok-1'), contact, orders] } });
    expect(r.requests).toEqual([]);
    expect(r.logs.filter((l) => l.includes('"status":"no_secret"'))).toHaveLength(2);
  });

  it('mapc test answers an unscripted token request with a default token', async () => {
    const r = await runCompiled(await project(), 'mapc-post-login', { event: EVENT, secrets: SECRETS, scripts: { crm: [contact, orders] } });
    expect(tokenRequests(r).map((q) => q.matched)).toEqual([true]);
    expect(apiRequests(r).map((q) => q.headers['authorization'])).toEqual(['Bearer mapc-test-token-crm', 'Bearer mapc-test-token-crm']);
  });

  it('route credentials may be oauth2 too', async () => {
    const routed = PROJECT.replace(
      '    base_url: https://crm.acme.example/api\n',
      `    base_url:
      by: user.app_metadata.tenant
      routes:
        acme:
          url: https://acme.crm.example
          auth: { oauth2: { token_url: https://acme.idp.example/token, client_id_secret: ACME_ID, client_secret_secret: ACME_SECRET } }
      default: https://crm.acme.example/api
`,
    );
    const compiled = await project(routed);
    const action = compiled.program.actions.find((a) => a.name === 'mapc-post-login')!;
    expect(action.secrets).toEqual(['ACME_ID', 'ACME_SECRET', 'CRM_CLIENT_ID', 'CRM_CLIENT_SECRET']);
    expect(action.systems[0]!.hosts).toEqual(['acme.crm.example', 'acme.idp.example', 'crm.acme.example', 'login.acme.example']);
    const r = await runCompiled(compiled, 'mapc-post-login', {
      event: { user: { user_id: 'auth0|1', app_metadata: { tenant: 'acme' } } },
      secrets: { ...SECRETS, ACME_ID: 'acme-id', ACME_SECRET: 'acme-secret-value' },
      scripts: { crm: [{ method: 'POST', path: '/token', body: { access_token: 'acme-tok', expires_in: 60 } }, contact, orders] },
    });
    const t = tokenRequests(r);
    expect(t).toEqual([]);
    const acme = r.requests.find((q) => q.path === '/token')!;
    expect(acme.base).toBe('https://acme.idp.example');
    expect(Object.fromEntries(new URLSearchParams(acme.body as string))).toEqual({ grant_type: 'client_credentials', client_id: 'acme-id', client_secret: 'acme-secret-value' });
    expect(apiRequests(r).filter((q) => q.path !== '/token').map((q) => [q.base, q.headers['authorization']])).toEqual([
      ['https://acme.crm.example', 'Bearer acme-tok'],
      ['https://acme.crm.example', 'Bearer acme-tok'],
    ]);
  });

  it('lists the token host and both secrets, keys the cache by a hash, and checks the token URL', async () => {
    const compiled = await project();
    const action = compiled.program.actions.find((a) => a.name === 'mapc-post-login')!;
    const code = compiled.code.get('mapc-post-login')!;
    expect(action.secrets).toEqual(['CRM_CLIENT_ID', 'CRM_CLIENT_SECRET']);
    expect(code).toContain(' * Systems: crm (crm.acme.example, login.acme.example)');
    expect(code).toContain(' * Secrets: CRM_CLIENT_ID, CRM_CLIENT_SECRET');
    const keys = [...code.matchAll(/mapc:oauth:[\w-]+/g)].map((m) => m[0]);
    expect(keys).toHaveLength(1);
    expect(Buffer.byteLength(keys[0]!)).toBeLessThanOrEqual(64);
    for (const v of [...Object.values(SECRETS), 'CRM_CLIENT_SECRET']) expect(keys[0]).not.toContain(v);

    const diagnostics = async (tokenUrl: string) => {
      const r = await compileFiles({ 'mappings/mapc.yaml': PROJECT.replace('https://login.acme.example/oauth/token', tokenUrl), 'mappings/crm.yaml': SPEC });
      return r.diagnostics.map((x) => [x.code, x.message]);
    };
    expect(await diagnostics('http://login.acme.example/oauth/token')).toContainEqual([
      'MAPC0410',
      "system 'crm' (oauth2 token_url) uses plain http: identity data would travel unencrypted",
    ]);
    expect(await diagnostics('https://login.acme.example/oauth/token?tenant=1')).toContainEqual([
      'MAPC0412',
      "system 'crm' (oauth2 token_url) has a query or fragment in its token URL",
    ]);
    expect(await diagnostics('https://user:pw@login.acme.example/oauth/token')).toContainEqual(['MAPC0412', "system 'crm' (oauth2 token_url) has credentials inside its URL"]);
    expect(await diagnostics('/oauth/token')).toContainEqual([
      'MAPC0412',
      "system 'crm' (oauth2 token_url) has '/oauth/token' as its URL, which is not an absolute http(s) URL",
    ]);

    const bad = await compileFiles({ 'mappings/mapc.yaml': PROJECT.replace('client_secret_secret: CRM_CLIENT_SECRET', 'client_secret_secret: crm-secret'), 'mappings/crm.yaml': SPEC });
    expect(bad.result).toBeNull();
    expect(bad.diagnostics.map((x) => x.code)).toEqual(['MAPC0205']);
    expect(bad.diagnostics[0]!.message).toContain("'auth.oauth2.client_secret_secret'");
  });

  it('mapc diff: moving a system to oauth2 reports the token host as new and shows the auth', async () => {
    const before = await project(PROJECT.replace(/    auth:\n      oauth2:\n(?:        .*\n)+/, '    auth: { bearer: CRM_API_KEY }\n'));
    const after = await project();
    const r = compareSnapshots(buildSnapshot(before), buildSnapshot(after));
    expect(r.risks.map((k) => [k.kind, k.message])).toContainEqual(['host-added', 'new external host login.acme.example (system crm)']);
    const system = r.changes.find((c) => c.kind === 'system' && c.key === 'crm')!;
    const auth = system.props.find((p) => p.name === 'auth')!;
    expect(JSON.stringify(auth)).toContain(
      '{ oauth2: { token_url: https://login.acme.example/oauth/token, client_id_secret: CRM_CLIENT_ID, client_secret_secret: CRM_CLIENT_SECRET, audience: https://crm.acme.example/, scope: read:contacts read:orders } }',
    );
  });
});
