/**
 * Executes the sample organisation's bundled post-login Action (the bytes `mapc build`
 * writes) with an Auth0-like event and api against stub systems on 127.0.0.1, and asserts
 * writes, claims, access outcomes and requests exactly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Compiled } from '../../compiler/pipeline';
import type { ScriptedResponse } from '../../compiler/emulator/stubs';
import { compileOrThrow, runCompiled, type RunOptions } from '../helpers/compiled';

const USER = 'auth0|5f7c8ec7c33c6c004bbafe82';
const ENC = encodeURIComponent(USER);
const NS = 'https://acme.example/';
const SECRETS = {
  CRM_API_KEY: 'crm-secret',
  BILLING_API_KEY: 'billing-secret',
  ORDERS_API_KEY: 'orders-secret',
  RISK_API_KEY: 'risk-secret',
  MARKETING_USER: 'mk-user',
  MARKETING_PASSWORD: 'mk-pass',
  UPGRADE_TOKEN_SECRET: 'upgrade-secret',
};

/** Every system answering normally. */
function happy(over: Partial<Record<string, readonly ScriptedResponse[]>> = {}): Record<string, readonly ScriptedResponse[]> {
  return {
    crm: [{ method: 'GET', path: `/contacts/by-external-id/${ENC}`, body: { id: 4242 } }],
    billing: [{ method: 'GET', path: `/users/${ENC}/subscription`, body: { tier: 'Premium', status: 'ACTIVE' } }],
    orders: [{ method: 'GET', path: `/customers/${ENC}/orders/summary`, body: { count: '7' } }],
    risk: [{ method: 'POST', path: '/score', body: { score: 0.1 } }],
    ...over,
  } as Record<string, readonly ScriptedResponse[]>;
}

let compiled: Compiled;
beforeAll(async () => {
  compiled = await compileOrThrow('mappings');
});

const run = (opts: RunOptions) => runCompiled(compiled, 'mapc-post-login', { secrets: SECRETS, ...opts });

describe('sample post-login Action, executed', () => {
  it('enriches, claims and allows on the success path, with exactly the expected requests', async () => {
    const out = await run({ scripts: happy() });
    expect(out.threw).toBeUndefined();
    expect(out.refused).toEqual([]);
    expect(out.record.access).toEqual({ kind: 'allow' });
    const { last_subscription_sync, ...app } = out.appMetadata;
    expect(app).toEqual({
      crm_contact_id: '4242',
      subscription_tier: 'premium',
      subscription_status: 'active',
      order_count: 7,
    });
    expect(typeof last_subscription_sync).toBe('string');
    expect(Math.abs(Date.parse(String(last_subscription_sync)) - Date.now())).toBeLessThan(60_000);
    expect(out.record.idTokenClaims).toEqual({
      [`${NS}crm_id`]: '4242',
      [`${NS}subscription_tier`]: 'premium',
      [`${NS}beta_tester`]: false,
    });
    expect(out.record.accessTokenClaims).toEqual({});
    // One profile update per top-level key; nothing for unchanged values.
    expect(out.record.appMetadataCalls.map(([k]) => k).sort()).toEqual(
      ['crm_contact_id', 'last_subscription_sync', 'order_count', 'subscription_status', 'subscription_tier'],
    );
    expect(out.record.userMetadataCalls).toEqual([]);
    const reqs = out.requests.map((r) => `${r.system} ${r.method} ${r.path}`).sort();
    expect(reqs).toEqual([
      `billing GET /users/${ENC}/subscription`,
      `crm GET /contacts/by-external-id/${ENC}`,
      `orders GET /customers/${ENC}/orders/summary?since=2020-01-01`,
      'risk POST /score',
    ]);
    const bySystem = Object.fromEntries(out.requests.map((r) => [r.system, r]));
    expect(bySystem['crm']!.headers['authorization']).toBe('Bearer crm-secret');
    expect(bySystem['billing']!.headers['x-api-key']).toBe('billing-secret');
    expect(bySystem['orders']!.headers['authorization']).toBe('Bearer orders-secret');
    expect(bySystem['risk']!.headers['idempotency-key']).toBe(`${USER}-5`);
    expect(bySystem['risk']!.body).toEqual({ user_id: USER, ip: '203.0.113.10', country: 'NL', logins: 5 });
    // The routed orders system used the default (us) route: no region on the user.
    expect(out.fetched.filter((u) => u.includes('orders'))).toEqual([
      `https://us.orders.acme.example/customers/${ENC}/orders/summary?since=2020-01-01`,
    ]);
  });

  it('routes the orders lookup by app_metadata.region', async () => {
    const out = await run({ scripts: happy(), event: { user: { app_metadata: { region: 'eu' } } } });
    expect(out.fetched.filter((u) => u.includes('orders'))).toEqual([
      `https://eu.orders.acme.example/customers/${ENC}/orders/summary?since=2020-01-01`,
    ]);
  });

  it('writes nothing when every value is already current (no profile update)', async () => {
    const fresh = new Date().toISOString();
    const out = await run({
      scripts: happy({ crm: [], billing: [] }),
      event: {
        user: {
          app_metadata: {
            crm_contact_id: '4242',
            subscription_tier: 'premium',
            subscription_status: 'active',
            last_subscription_sync: fresh,
            order_count: 7,
          },
        },
      },
    });
    expect(out.record.access).toEqual({ kind: 'allow' });
    expect(out.record.appMetadataCalls).toEqual([]);
    expect(out.record.userMetadataCalls).toEqual([]);
    // Fresh tier and a known CRM id: neither lookup ran.
    expect(out.requests.map((r) => r.system).sort()).toEqual(['orders', 'risk']);
    expect(out.record.idTokenClaims[`${NS}subscription_tier`]).toBe('premium');
    expect(out.record.idTokenClaims[`${NS}crm_id`]).toBe('4242');
  });

  it('denies with the deny_message when the critical risk system hangs (timeout, one retry)', async () => {
    const out = await run({ scripts: happy({ risk: [{ path: '/score', hang: true }, { path: '/score', hang: true }] }) });
    expect(out.threw).toBeUndefined();
    expect(out.record.access).toEqual({
      kind: 'deny',
      reason: 'We could not verify this sign-in. Please try again in a few minutes.',
    });
    // Retried once (POST with an idempotency key), then gave up.
    expect(out.requests.filter((r) => r.system === 'risk')).toHaveLength(2);
  });

  it('retries the risk call after a 503 and then allows', async () => {
    const out = await run({
      scripts: happy({ risk: [{ path: '/score', status: 503 }, { path: '/score', body: { score: 0.2 } }] }),
    });
    expect(out.record.access).toEqual({ kind: 'allow' });
    expect(out.requests.filter((r) => r.system === 'risk')).toHaveLength(2);
  });

  it('honours Retry-After on 429 within the deadline', async () => {
    const out = await run({
      scripts: happy({
        risk: [{ path: '/score', status: 429, headers: { 'retry-after': '0' } }, { path: '/score', body: { score: 0.2 } }],
      }),
    });
    expect(out.record.access).toEqual({ kind: 'allow' });
    expect(out.requests.filter((r) => r.system === 'risk')).toHaveLength(2);
  });

  it('denies on a connection reset of the risk system (both attempts)', async () => {
    const out = await run({ scripts: happy({ risk: [{ path: '/score', reset: true }, { path: '/score', reset: true }] }) });
    expect(out.record.access.kind).toBe('deny');
  });

  it('denies high risk scores and requires MFA for medium ones', async () => {
    const high = await run({ scripts: happy({ risk: [{ path: '/score', body: { score: 0.95 } }] }) });
    expect(high.record.access).toEqual({
      kind: 'deny',
      reason: 'This sign-in looks unusual and was blocked. Contact support if this was you.',
    });
    const medium = await run({ scripts: happy({ risk: [{ path: '/score', body: { score: 0.7 } }] }) });
    expect(medium.record.access).toEqual({ kind: 'mfa', provider: 'any' });
    expect(medium.record.mfa).toEqual([{ provider: 'any' }]);
  });

  it('continues without the tier when billing answers invalid JSON (claim falls back to its default)', async () => {
    const out = await run({ scripts: happy({ billing: [{ path: `/users/${ENC}/subscription`, raw: '{"tier": ' }] }) });
    expect(out.record.access).toEqual({ kind: 'allow' });
    expect(out.appMetadata['subscription_tier']).toBeUndefined();
    expect(out.appMetadata['last_subscription_sync']).toBeUndefined();
    expect(out.record.idTokenClaims[`${NS}subscription_tier`]).toBe('standard');
    expect(out.appMetadata['crm_contact_id']).toBe('4242');
  });

  it('continues when billing fails with 500 (no retry: retries 0)', async () => {
    const out = await run({ scripts: happy({ billing: [{ path: `/users/${ENC}/subscription`, status: 500 }] }) });
    expect(out.record.access).toEqual({ kind: 'allow' });
    expect(out.requests.filter((r) => r.system === 'billing')).toHaveLength(1);
    expect(out.appMetadata['subscription_tier']).toBeUndefined();
  });

  it('continues without the CRM id when the CRM drops the connection', async () => {
    const out = await run({
      scripts: happy({
        crm: [
          { path: `/contacts/by-external-id/${ENC}`, reset: true },
          { path: `/contacts/by-external-id/${ENC}`, reset: true },
        ],
      }),
    });
    expect(out.record.access).toEqual({ kind: 'allow' });
    expect(out.appMetadata['crm_contact_id']).toBeUndefined();
    expect(out.record.idTokenClaims[`${NS}crm_id`]).toBeUndefined();
    expect(out.appMetadata['subscription_tier']).toBe('premium');
  });

  it('denies an app that requires a tier the user does not have', async () => {
    const out = await run({
      scripts: happy({ billing: [{ path: `/users/${ENC}/subscription`, body: { tier: 'standard', status: 'active' } }] }),
      event: { client: { metadata: { required_subscription_tier: 'premium' } } },
    });
    expect(out.record.access).toEqual({
      kind: 'deny',
      reason: 'Your subscription tier does not permit access to this application.',
    });
  });

  it('redirects old trials to the upgrade page with a signed token, and denies where Auth0 cannot redirect', async () => {
    const trial = { user: { created_at: new Date(Date.now() - 40 * 86_400_000).toISOString() } };
    const scripts = happy({ billing: [{ path: `/users/${ENC}/subscription`, body: { tier: 'trial', status: 'active' } }] });
    const out = await run({ scripts, event: trial });
    expect(out.record.access).toMatchObject({ kind: 'redirect', url: 'https://acme.example/upgrade' });
    const href = new URL((out.record.access as { href: string }).href);
    expect(href.searchParams.get('plan')).toBe('premium');
    expect(href.searchParams.get('session_token')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(out.record.encodedTokens).toEqual([expect.objectContaining({ tier: 'trial', sub: 'auth0|5f7c8ec7c33c6c004bbafe82' })]);
    expect(out.record.errors).toEqual([]);
    const ropg = await run({ scripts, event: { ...trial, transaction: { protocol: 'oauth2-password' } } });
    expect(ropg.threw).toBeUndefined();
    expect(ropg.record.access).toEqual({ kind: 'deny', reason: 'Your trial has ended. Sign in again in your browser to upgrade.' });
    expect(ropg.record.calls).not.toContain('api.redirect.sendUserTo');
    expect(ropg.record.errors).toEqual([]);
  });

  it('syncs consenting users to marketing with basic auth, and nobody else', async () => {
    const consenting = await run({
      scripts: happy({ marketing: [{ method: 'PUT', body: {} }] }),
      event: { user: { user_metadata: { marketing_consent: true } } },
    });
    const mk = consenting.requests.filter((r) => r.system === 'marketing');
    expect(mk).toHaveLength(1);
    expect(mk[0]!.method).toBe('PUT');
    expect(mk[0]!.path).toMatch(/^\/lists\/customers\/members\/[0-9a-f]{64}$/);
    expect(mk[0]!.headers['authorization']).toBe(`Basic ${Buffer.from('mk-user:mk-pass').toString('base64')}`);
    expect(mk[0]!.body).toEqual({
      email_address: 'jane.doe@example.com',
      status: 'subscribed',
      merge_fields: { FNAME: 'Jane', LNAME: 'Doe', LOCALE: 'en' },
    });
    const silent = await run({ scripts: happy() });
    expect(silent.requests.filter((r) => r.system === 'marketing')).toEqual([]);
  });

  it('maps Google locale and Facebook data from identities', async () => {
    const out = await run({
      scripts: happy(),
      event: {
        user: {
          identities: [
            { provider: 'google-oauth2', connection: 'google-oauth2', isSocial: true, user_id: 'g1', profileData: { locale: ' en_gb ' } },
            { provider: 'facebook', connection: 'facebook', isSocial: true, user_id: 'f1', profileData: { custom_facebook_data: { likes: 3 } } },
          ],
        },
      },
    });
    expect(out.userMetadata['preferred_locale']).toBe('en-GB');
    expect(out.appMetadata['facebook_custom_data']).toEqual({ likes: 3 });
  });

  it('puts roles in the access token only when they are a list', async () => {
    const out = await run({ scripts: happy(), event: { user: { app_metadata: { roles: ['admin', 'support'] } } } });
    expect(out.record.accessTokenClaims).toEqual({ [`${NS}roles`]: ['admin', 'support'] });
    const notList = await run({ scripts: happy(), event: { user: { app_metadata: { roles: 'admin' } } } });
    expect(notList.record.accessTokenClaims).toEqual({});
  });

  it('never logs a secret or an e-mail address', async () => {
    const out = await run({ scripts: happy({ risk: [{ path: '/score', status: 500 }, { path: '/score', status: 500 }] }) });
    expect(out.logs.length).toBeGreaterThan(0);
    for (const line of out.logs) {
      expect(line.length).toBeLessThanOrEqual(256);
      for (const secret of Object.values(SECRETS)) expect(line).not.toContain(secret);
      expect(line).not.toContain('jane.doe@example.com');
    }
  });
});
