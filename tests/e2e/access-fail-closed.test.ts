/**
 * Access fails closed (issue: Auth0 fidelity). Every access kind on every protocol Auth0's
 * post-login v3 types list, with and without prompt=none, through the bundled Action and the
 * harness api: a deny always denies, MFA is always asked for (Auth0 itself refuses the token
 * where MFA cannot be done), and a redirect either redirects (where `canRedirect()` allows it)
 * or applies its `otherwise` — never silently nothing. Plus the round trip of the sample
 * organisation: redirect with a signed token, then /continue with a valid, forged, expired or
 * missing token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Compiled } from '../../compiler/pipeline';
import { continueEvent, signContinueToken } from '../../compiler/emulator/auth0-api';
import { defaultEvent } from '../../compiler/triggers';
import { deepMerge } from '../../compiler/emulator/events';
import { startSession, type ActionSession } from '../../compiler/emulator/run-action';
import { compileOrThrow, runCompiled, tempProject } from '../helpers/compiled';

/** Every `transaction.protocol` of Auth0's post-login v3 event type. */
const PROTOCOLS = [
  'oidc-basic-profile',
  'oidc-ciba',
  'oidc-ciba-web-link',
  'oidc-implicit-profile',
  'oauth2-device-code',
  'oauth2-resource-owner',
  'oauth2-resource-owner-jwt-bearer',
  'oauth2-password',
  'oauth2-webauthn',
  'oauth2-access-token',
  'oauth2-refresh-token',
  'oauth2-token-exchange',
  'oidc-hybrid-profile',
  'samlp',
  'wsfed',
  'wstrust-usernamemixed',
];
/** Where Auth0's RedirectAPI says canRedirect() is false (auth0-actions post-login v3 test api). */
const NO_REDIRECT = new Set(['oauth2-resource-owner', 'oauth2-refresh-token', 'oauth2-password', 'oauth2-webauthn']);

const PROJECT = `version: 1
claims_namespace: https://acme.example/
`;

/** The sample's subscription shape with the redirect first, as the issue reported it. */
const gate = (otherwise: string) => `version: 1
name: gate
owner: team-billing
trigger: post-login
access:
  - when: exists(client.metadata.required_subscription_tier) && user.app_metadata.subscription_tier != client.metadata.required_subscription_tier
    redirect:
      url: https://acme.example/upgrade
      token: { secret: UPGRADE_SECRET }
      ${otherwise}
  - when: exists(client.metadata.required_subscription_tier) && user.app_metadata.subscription_tier != client.metadata.required_subscription_tier
    deny: Your subscription tier does not permit access to this application.
continue:
  access:
    - when: continue.tier != client.metadata.required_subscription_tier
      deny: Still not upgraded.
`;

const kinds = `version: 1
name: kinds
owner: team-security
trigger: post-login
access:
  - when: user.app_metadata.kind == 'deny'
    deny: Denied.
  - when: user.app_metadata.kind == 'mfa'
    mfa: { provider: any, allow_remember_browser: false }
  - when: user.app_metadata.kind == 'redirect'
    redirect: { url: https://acme.example/page, otherwise: { deny: No page here. } }
  - when: user.app_metadata.kind == 'optional'
    redirect: { url: https://acme.example/profile, otherwise: continue }
  - when: user.app_metadata.kind == 'optional'
    deny: The later rule decides.
`;

let denyFirst: Compiled;
let continueFirst: Compiled;
let every: Compiled;
beforeAll(async () => {
  denyFirst = await compileOrThrow(tempProject({ 'mappings/mapc.yaml': PROJECT, 'mappings/gate.yaml': gate('') }) + '/mappings');
  continueFirst = await compileOrThrow(tempProject({ 'mappings/mapc.yaml': PROJECT, 'mappings/gate.yaml': gate('otherwise: continue') }) + '/mappings');
  every = await compileOrThrow(tempProject({ 'mappings/mapc.yaml': PROJECT, 'mappings/kinds.yaml': kinds }) + '/mappings');
});

const SECRETS = { UPGRADE_SECRET: 'upgrade-secret' };

describe('the fail-open event of the report', () => {
  // A free user, an app that requires premium, a refresh-token exchange.
  const event = {
    user: { app_metadata: { subscription_tier: 'free' } },
    client: { metadata: { required_subscription_tier: 'premium' } },
    transaction: { protocol: 'oauth2-refresh-token' },
  };

  it('is denied when the redirect rule denies otherwise (the default)', async () => {
    const out = await runCompiled(denyFirst, 'mapc-post-login', { event, secrets: SECRETS });
    expect(out.record.access).toEqual({ kind: 'deny', reason: 'This sign-in needs a step in your browser. Please sign in again from the application.' });
    expect(out.record.errors).toEqual([]);
  });

  it('is denied by the later rule when the redirect rule says otherwise: continue', async () => {
    const out = await runCompiled(continueFirst, 'mapc-post-login', { event, secrets: SECRETS });
    expect(out.record.access).toEqual({ kind: 'deny', reason: 'Your subscription tier does not permit access to this application.' });
    expect(out.record.errors).toEqual([]);
  });

  it('is redirected where Auth0 can redirect', async () => {
    const out = await runCompiled(denyFirst, 'mapc-post-login', { event: { ...event, transaction: { protocol: 'oidc-basic-profile' } }, secrets: SECRETS });
    expect(out.record.access.kind).toBe('redirect');
  });
});

describe.each(PROTOCOLS.flatMap((p) => [[p, 'login'], [p, 'none']]))('protocol %s, prompt=%s', (protocol, prompt) => {
  const can = !NO_REDIRECT.has(protocol) && prompt !== 'none';
  const run = (kind: string) =>
    runCompiled(every, 'mapc-post-login', {
      event: { user: { app_metadata: { kind } }, transaction: { protocol }, request: { query: { prompt } } },
    });

  it('a deny rule denies', async () => {
    const out = await run('deny');
    expect(out.record.access).toEqual({ kind: 'deny', reason: 'Denied.' });
    expect(out.record.errors).toEqual([]);
  });

  it('an MFA rule asks Auth0 for MFA with its options', async () => {
    const out = await run('mfa');
    expect(out.record.mfa).toEqual([{ provider: 'any', options: { allowRememberBrowser: false } }]);
    expect(out.record.errors).toEqual([]);
  });

  it(`a redirect rule ${can ? 'redirects' : 'denies with its otherwise message'}`, async () => {
    const out = await run('redirect');
    expect(out.record.access).toEqual(can ? expect.objectContaining({ kind: 'redirect' }) : { kind: 'deny', reason: 'No page here.' });
    expect(out.record.errors).toEqual([]);
  });

  it(`an optional page ${can ? 'redirects' : 'lets the later rule decide'}`, async () => {
    const out = await run('optional');
    expect(out.record.access).toEqual(can ? expect.objectContaining({ kind: 'redirect' }) : { kind: 'deny', reason: 'The later rule decides.' });
    expect(out.record.errors).toEqual([]);
  });
});

describe('the round trip of the sample upgrade page', () => {
  let sample: Compiled;
  let session: ActionSession;
  const secret = 'upgrade-secret';
  const trial = () =>
    deepMerge(defaultEvent('post-login'), {
      user: { user_id: 'auth0|1', created_at: '2024-01-01T00:00:00.000Z', app_metadata: { subscription_tier: 'trial', last_subscription_sync: new Date().toISOString() } },
    }) as Record<string, unknown>;

  beforeAll(async () => {
    sample = await compileOrThrow('mappings');
    const action = sample.program.actions.find((a) => a.name === 'mapc-post-login')!;
    session = await startSession({
      code: sample.code.get(action.name)!,
      trigger: 'post-login',
      systems: action.systems,
      secrets: { UPGRADE_TOKEN_SECRET: secret, RISK_API_KEY: 'r', CRM_API_KEY: 'c', BILLING_API_KEY: 'b', ORDERS_API_KEY: 'o', MARKETING_USER: 'u', MARKETING_PASSWORD: 'p' },
      scripts: { risk: Array(20).fill({ method: 'POST', path: '/score', body: { score: 0.1 } }), orders: Array(20).fill({ method: 'GET', body: { count: 1 } }) },
    });
  });
  afterAll(() => session.close());

  /** Logs in (must redirect), then comes back with `body` in the POST to /continue. */
  async function flow(answer: (state: string, user: string, host: string) => Record<string, unknown>) {
    const login = await session.run({ event: trial() });
    expect(login.record.access.kind).toBe('redirect');
    expect(login.record.errors).toEqual([]);
    const { state } = login.record.redirect!;
    const user = login.event['user'] as { user_id: string };
    const host = (login.event['request'] as { hostname: string }).hostname;
    const back = continueEvent(login.event, { state, body: answer(state, user.user_id, host) });
    const done = await session.run({ event: back, entrypoint: 'onContinuePostLogin' });
    expect(done.threw).toBeUndefined();
    expect(done.record.errors).toEqual([]);
    return done;
  }
  const signed = (payload: Record<string, unknown>, over: { secret?: string; expiresInSeconds?: number } = {}) => (state: string, sub: string, iss: string) => ({
    session_token: signContinueToken({ secret: over.secret ?? secret, payload, state, sub, iss, expiresInSeconds: over.expiresInSeconds ?? 300 }),
  });

  it('a valid token writes the new tier, sets the claim and passes the re-checked gate', async () => {
    const done = await flow(signed({ tier: 'premium' }));
    expect(done.record.access).toEqual({ kind: 'allow' });
    expect(done.record.appMetadataCalls).toEqual([['subscription_tier', 'premium']]);
    expect(done.record.idTokenClaims).toEqual({ 'https://acme.example/subscription_tier': 'premium' });
  });

  it('a valid token that says the user is still a trial is denied by the re-checked gate', async () => {
    const done = await flow(signed({ tier: 'trial' }));
    expect(done.record.access).toEqual({ kind: 'deny', reason: 'Your trial has ended. Upgrade to continue.' });
  });

  it.each([
    ['a forged token', signed({ tier: 'premium' }, { secret: 'guessed' })],
    ['an expired token', signed({ tier: 'premium' }, { expiresInSeconds: -60 })],
    ['no token', () => ({ tier: 'premium' })],
  ])('%s is denied, and nothing is written', async (_what, answer) => {
    const done = await flow(answer);
    expect(done.record.access).toEqual({ kind: 'deny', reason: 'We could not confirm your upgrade. Please sign in again.' });
    expect(done.record.appMetadataCalls).toEqual([]);
    expect(done.record.idTokenClaims).toEqual({});
  });
});
