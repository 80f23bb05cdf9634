/**
 * The redirect round trip in the engine (SPEC 8): a redirect that cannot happen applies its
 * `otherwise`; a redirect token is encoded with the secret and sent under its parameter; the
 * continue handler (`runContinue`) validates the returned token before anything else, denies
 * without one, then runs the spec's continue fields and access rules.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runContinue, run } from '../../runtime/engine';
import { path } from '../../runtime/expr';
import type { ResumePlan, SpecPlan } from '../../runtime/plan';
import { captureLogs, event, fakeApi, plan, spec } from './helpers';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

const upgrade = (extra: Partial<SpecPlan> = {}): SpecPlan =>
  spec('upgrade', {
    access: [
      {
        when: () => true,
        redirect: {
          url: 'https://acme.example/upgrade',
          query: () => ({ plan: 'premium' }),
          otherwiseDeny: 'Upgrade in the browser.',
          token: { secret: 'UPGRADE_SECRET', expiresInSeconds: 600, payload: (s) => ({ tier: path(s.event, ['user', 'app_metadata', 'tier']), none: null }), parameter: 'session_token' },
        },
      },
    ],
    resume: {
      token: { secret: 'UPGRADE_SECRET', parameter: 'session_token' },
      denyMessage: 'Could not verify.',
      fields: [{ target: { kind: 'app_metadata', path: ['tier'] }, value: (s) => path(s.continue, ['tier']) }],
      access: [{ when: (s) => path(s.continue, ['tier']) !== 'premium', deny: 'Still a trial.' }],
    },
    ...extra,
  });

const withSecret = (user: Record<string, unknown> = {}, request: Record<string, unknown> = {}) => ({
  ...event({ app_metadata: { tier: 'trial' }, ...user }, { UPGRADE_SECRET: 's3cret' }),
  request,
});

describe('redirect with a token', () => {
  it('encodes the payload with the secret and sends the token under its parameter', async () => {
    const { api, calls } = fakeApi();
    await run(plan([upgrade()]), withSecret(), api);
    expect(calls).toEqual([
      ['redirect.encodeToken', { secret: 's3cret', expiresInSeconds: 600, payload: { tier: 'trial' } }],
      ['redirect.sendUserTo', 'https://acme.example/upgrade', { query: { plan: 'premium', session_token: 'token:{"tier":"trial"}' } }],
    ]);
  });

  it('applies otherwise when the secret is missing, when encodeToken throws or returns nothing, and when sendUserTo throws', async () => {
    const noSecret = fakeApi();
    await run(plan([upgrade()]), { ...withSecret(), secrets: {} }, noSecret.api);
    expect(noSecret.calls).toEqual([['access.deny', 'Upgrade in the browser.']]);

    const throws = fakeApi({ throwOn: 'redirect.encodeToken' });
    await run(plan([upgrade()]), withSecret(), throws.api);
    expect(throws.calls).toEqual([['access.deny', 'Upgrade in the browser.']]);

    const empty = fakeApi();
    empty.api.redirect.encodeToken = () => '';
    await run(plan([upgrade()]), withSecret(), empty.api);
    expect(empty.calls).toEqual([['access.deny', 'Upgrade in the browser.']]);

    const refused = fakeApi({ throwOn: 'redirect.sendUserTo' });
    await run(plan([upgrade()]), withSecret(), refused.api);
    expect(refused.calls.map((c) => c[0])).toEqual(['redirect.encodeToken', 'access.deny']);
    const statuses = logs.parsed().map((e) => `${e['status']}${e['msg'] ? ` ${e['msg']}` : ''}`);
    expect(statuses).toContain('skipped no_secret');
    expect(statuses).toContain('skipped no token');
    expect(statuses).toContain('skipped not sent');
  });

  it('makes no token without a usable user and request (Auth0 puts user_id, hostname and ip in it), and leaves out claims too deep to serialise', async () => {
    for (const broken of [{ user: 'x' }, { request: 'x' }, { user: { user_id: 7 } }, { request: { ip: {} } }]) {
      const { api, calls } = fakeApi();
      await run(plan([upgrade()]), { ...withSecret(), ...broken }, api);
      expect(calls).toEqual([['access.deny', 'Upgrade in the browser.']]);
    }
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = { deep };
    const { api, calls } = fakeApi();
    await run(plan([upgrade()]), withSecret({ app_metadata: { tier: deep } }), api);
    expect(calls[0]).toEqual(['redirect.encodeToken', { secret: 's3cret', expiresInSeconds: 600, payload: {} }]);
    expect(logs.parsed().some((e) => e['msg'] === 'token claim tier nested too deep')).toBe(true);
  });

  it('passes MFA options when the rule has them', async () => {
    const { api, calls } = fakeApi();
    await run(plan([spec('m', { access: [{ when: () => true, mfa: 'any', mfaOptions: { allowRememberBrowser: true } }] })]), event(), api);
    expect(calls).toEqual([['multifactor.enable', 'any', { allowRememberBrowser: true }]]);
  });
});

describe('runContinue', () => {
  const back = (query: Record<string, unknown>) => withSecret({}, { query, body: {} });

  it('validates the token first, then writes the continue fields and checks the continue access rules', async () => {
    const ok = fakeApi({ validated: { tier: 'premium', sub: 'auth0|1' } });
    await runContinue(plan([upgrade()]), back({ session_token: 'abc', state: 'xyz' }), ok.api);
    expect(ok.calls).toEqual([
      ['redirect.validateToken', { secret: 's3cret', tokenParameterName: 'session_token' }],
      ['user.setAppMetadata', 'tier', 'premium'],
    ]);

    const trial = fakeApi({ validated: { tier: 'trial' } });
    await runContinue(plan([upgrade()]), back({ session_token: 'abc' }), trial.api);
    expect(trial.calls.map((c) => c[0])).toEqual(['redirect.validateToken', 'access.deny']);
  });

  it('denies without calling validateToken when no parameter carries a token', async () => {
    const { api, calls } = fakeApi({ validated: { tier: 'premium' } });
    await runContinue(plan([upgrade()]), back({ state: 'xyz', session_token: '' }), api);
    expect(calls).toEqual([['access.deny', 'Could not verify.']]);
  });

  it('denies when the token is invalid, the secret is missing, or the payload is not an object', async () => {
    const invalid = fakeApi({ validated: new Error('The session token is invalid: bad signature') });
    await runContinue(plan([upgrade()]), back({ session_token: 'forged' }), invalid.api);
    expect(invalid.calls.map((c) => c[0])).toEqual(['redirect.validateToken', 'access.deny']);

    const noSecret = fakeApi({ validated: { tier: 'premium' } });
    await runContinue(plan([upgrade()]), { ...back({ session_token: 'abc' }), secrets: {} }, noSecret.api);
    expect(noSecret.calls).toEqual([['access.deny', 'Could not verify.']]);

    const notObject = fakeApi({ validated: 'premium' });
    await runContinue(plan([upgrade()]), back({ session_token: 'abc' }), notObject.api);
    expect(notObject.calls.map((c) => c[0])).toEqual(['redirect.validateToken', 'access.deny']);
    expect(logs.parsed().filter((e) => e['status'] === 'invalid_token').map((e) => e['msg'])).toEqual([
      'Error: The session token is invalid: bad signature',
      'Error: secret missing',
      'no payload',
    ]);
  });

  it('tells several redirecting specs apart by the parameter that carries the token', async () => {
    const other: SpecPlan = spec('consent', {
      resume: {
        token: { secret: 'UPGRADE_SECRET', parameter: 'consent_token' },
        denyMessage: 'Consent not verified.',
        fields: [{ target: { kind: 'app_metadata', path: ['consent'] }, value: (s) => path(s.continue, ['accepted']) }],
        access: [],
      },
    });
    const { api, calls } = fakeApi({ validated: { accepted: true } });
    await runContinue(plan([upgrade(), other]), { ...back({}), request: { query: {}, body: { consent_token: 't' } } }, api);
    expect(calls).toEqual([
      ['redirect.validateToken', { secret: 's3cret', tokenParameterName: 'consent_token' }],
      ['user.setAppMetadata', 'consent', true],
    ]);
    // Both parameters present: ambiguous, so it denies.
    const both = fakeApi({ validated: { accepted: true } });
    await runContinue(plan([upgrade(), other]), back({ session_token: 'a', consent_token: 'b' }), both.api);
    expect(both.calls).toEqual([['access.deny', 'Could not verify.']]);
  });

  it('runs a tokenless spec (the only one that redirects) on the event as it comes back', async () => {
    const resume: ResumePlan = {
      denyMessage: 'x',
      fields: [],
      access: [{ when: (s) => path(s.event, ['user', 'app_metadata', 'terms']) !== 2, deny: 'Accept the terms.' }],
    };
    const p = plan([spec('terms', { resume })]);
    const pending = fakeApi();
    await runContinue(p, withSecret({ app_metadata: {} }), pending.api);
    expect(pending.calls).toEqual([['access.deny', 'Accept the terms.']]);
    const done = fakeApi();
    await runContinue(p, withSecret({ app_metadata: { terms: 2 } }), done.api);
    expect(done.calls).toEqual([]);
  });

  it('isolates a failing continue field and never throws', async () => {
    const broken = upgrade({
      onError: 'deny',
      resume: {
        token: { secret: 'UPGRADE_SECRET', parameter: 'session_token' },
        denyMessage: 'Could not verify.',
        fields: [{ target: { kind: 'app_metadata', path: ['tier'] }, value: () => { throw new Error('boom'); } }],
        access: [],
      },
    });
    const { api, calls } = fakeApi({ validated: { tier: 'premium' } });
    await expect(runContinue(plan([broken]), back({ session_token: 'abc' }), api)).resolves.toBeUndefined();
    expect(calls.map((c) => c[0])).toEqual(['redirect.validateToken', 'access.deny']);
    await expect(runContinue(plan([broken]), null, null)).resolves.toBeUndefined();
  });
});
