/**
 * The hand-written baselines in bench/baseline/ must do exactly what the specs they are
 * benchmarked against do, or the benchmark compares different work. Each case runs the
 * Action mapc generates and the baseline on the same event against the same scripted stub
 * systems on 127.0.0.1 (compiler/emulator/run-action.ts), and asserts the same resulting
 * profile, claims, access outcome and requests. Metadata *calls* may differ (the baseline
 * writes unchanged values: that difference is what bench table 5 counts), so the profile
 * after Auth0 applies the calls is compared, plus the exact calls where the test says so.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, type Compiled } from '../../compiler/pipeline';
import { formatText } from '../../compiler/diagnostics/format';
import { defaultEvent } from '../../compiler/triggers';
import { deepMerge } from '../../compiler/emulator/events';
import { runAction, type RunOutcome } from '../../compiler/emulator/run-action';
import type { ScriptedResponse } from '../../compiler/emulator/stubs';
import { writeLatencyProject, writeSampleSubset } from '../../bench/lib/projects';

const REPO = path.resolve(__dirname, '..', '..');
const USER = 'auth0|5f7c8ec7c33c6c004bbafe82';
const ENC = encodeURIComponent(USER);
const NS = 'https://acme.example/';
/** A fixed clock so that hours_since/days_since agree; both Actions see the same start. */
const NOW = Date.parse('2025-03-01T12:00:00.000Z');
const SUB = `/users/${ENC}/subscription`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function build(write: (dir: string) => string): Promise<Compiled> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-bench-test-'));
  dirs.push(dir);
  const project = write(dir);
  const { result, diagnostics } = await compile({ projectDir: project, cwd: dir });
  if (!result) throw new Error(formatText(diagnostics, { color: false, frames: false }));
  return result;
}

const baseline = (name: string) => fs.readFileSync(path.join(REPO, 'bench', 'baseline', name), 'utf8');

interface Case {
  readonly event?: unknown;
  readonly scripts?: Record<string, readonly ScriptedResponse[]>;
  readonly secrets: Record<string, string>;
}

async function both(compiled: Compiled, hand: string, c: Case): Promise<[RunOutcome, RunOutcome]> {
  const action = compiled.program.actions.find((a) => a.trigger === 'post-login')!;
  const run = (code: string) =>
    runAction({
      code,
      trigger: 'post-login',
      systems: action.systems,
      event: deepMerge(defaultEvent('post-login'), c.event ?? {}) as Record<string, unknown>,
      secrets: c.secrets,
      scripts: c.scripts ?? {},
      now: NOW,
    });
  return [await run(compiled.code.get(action.name)!), await run(hand)];
}

/** What must be equal. `now()` differs by the milliseconds between the two runs: replaced by a marker when within 10 s of NOW. */
function observable(o: RunOutcome) {
  const stamp = (m: Record<string, unknown>) => {
    const v = m['last_subscription_sync'];
    if (typeof v !== 'string') return m;
    const near = Math.abs(Date.parse(v) - NOW) < 10_000 && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v);
    return { ...m, last_subscription_sync: near ? '<now>' : v };
  };
  return {
    threw: o.threw,
    refused: o.refused,
    appMetadata: stamp(o.appMetadata),
    userMetadata: o.userMetadata,
    idToken: o.record.idTokenClaims,
    accessToken: o.record.accessTokenClaims,
    // A redirect token's signature and times change with the clock; its claims must agree.
    access: o.record.access.kind === 'redirect' ? { ...o.record.access, href: o.record.access.href.replace(/session_token=[\w.-]+/, 'session_token=<token>') } : o.record.access,
    tokens: o.record.encodedTokens.map(({ iat: _iat, exp, ...claims }) => ({ ...claims, valid: Number(exp) - Number(_iat) })),
    errors: o.record.errors,
    requests: o.requests.map((r) => ({
      system: r.system,
      method: r.method,
      path: r.path,
      body: r.body,
      accept: r.headers['accept'],
      auth: r.headers['authorization'] ?? r.headers['x-api-key'],
    })),
  };
}

describe('bench/baseline/sample-post-login.js = subscription-enrichment + token-claims + social-profile', () => {
  let compiled: Compiled;
  const hand = baseline('sample-post-login.js');
  const secrets = { BILLING_API_KEY: 'billing-secret', UPGRADE_TOKEN_SECRET: 'upgrade-secret' };
  beforeAll(async () => {
    compiled = await build(writeSampleSubset);
  });

  const billing = (r: Omit<ScriptedResponse, 'method' | 'path'>) => ({ billing: [{ method: 'GET', path: SUB, ...r }] });
  const fresh = { last_subscription_sync: '2025-03-01T06:00:00.000Z', subscription_tier: 'standard', subscription_status: 'active' };
  const cases: Record<string, Case & { check?: (gen: RunOutcome) => void }> = {
    'new user: the lookup runs and enriches': {
      secrets,
      scripts: billing({ body: { tier: 'Premium', status: 'ACTIVE' } }),
      check: (gen) => {
        expect(gen.appMetadata).toMatchObject({ subscription_tier: 'premium', subscription_status: 'active' });
        expect(gen.record.idTokenClaims).toEqual({ [`${NS}subscription_tier`]: 'premium', [`${NS}beta_tester`]: false });
        expect(gen.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${SUB}`]);
      },
    },
    'fresh sync: no request, claims from the profile': {
      secrets,
      event: { user: { app_metadata: fresh } },
      check: (gen) => {
        expect(gen.requests).toEqual([]);
        expect(gen.record.idTokenClaims[`${NS}subscription_tier`]).toBe('standard');
      },
    },
    'stale sync: the lookup runs again': {
      secrets,
      event: { user: { app_metadata: { ...fresh, last_subscription_sync: '2025-02-27T12:00:00.000Z' } } },
      scripts: billing({ body: { tier: 'standard', status: 'past_due' } }),
      check: (gen) => expect(gen.appMetadata['subscription_status']).toBe('past_due'),
    },
    'billing answers 500: lookup is null, the claim falls back to the profile': {
      secrets,
      event: { user: { app_metadata: { subscription_tier: null } } },
      scripts: billing({ status: 500, body: { error: 'down' } }),
      check: (gen) => expect(gen.record.idTokenClaims[`${NS}subscription_tier`]).toBe('standard'),
    },
    'billing hangs: timed out after 1 s': { secrets, scripts: billing({ hang: true }) },
    'billing answers invalid JSON': { secrets, scripts: billing({ raw: '{nope' }) },
    'billing answers 204': { secrets, scripts: billing({ status: 204 }) },
    'tier outside the registry enum: not stored, but claimed': {
      secrets,
      scripts: billing({ body: { tier: 'GOLD', status: 'active' } }),
      check: (gen) => {
        expect(gen.appMetadata['subscription_tier']).toBeUndefined();
        expect(gen.record.idTokenClaims[`${NS}subscription_tier`]).toBe('gold');
      },
    },
    'social identities: locale normalised, Facebook data copied': {
      secrets,
      event: {
        user: {
          app_metadata: fresh,
          identities: [
            { provider: 'google-oauth2', user_id: 'g1', connection: 'google-oauth2', isSocial: true, profileData: { locale: ' en_us ' } },
            { provider: 'facebook', user_id: 'f1', connection: 'facebook', isSocial: true, profileData: { custom_facebook_data: { likes: ['x'], n: 2 } } },
          ],
        },
      },
      check: (gen) => {
        expect(gen.userMetadata).toEqual({ preferred_locale: 'en-US' });
        expect(gen.appMetadata['facebook_custom_data']).toEqual({ likes: ['x'], n: 2 });
      },
    },
    'social identities unchanged: same profile (the baseline rewrites it)': {
      secrets,
      event: {
        user: {
          app_metadata: { ...fresh, facebook_custom_data: { n: 1 } },
          user_metadata: { preferred_locale: 'de-DE' },
          identities: [
            { provider: 'google-oauth2', user_id: 'g1', connection: 'google-oauth2', isSocial: true, profileData: { locale: 'de_de' } },
            { provider: 'facebook', user_id: 'f1', connection: 'facebook', isSocial: true, profileData: { custom_facebook_data: { n: 1 } } },
          ],
        },
      },
      check: (gen) => {
        expect(gen.record.appMetadataCalls).toEqual([]);
        expect(gen.record.userMetadataCalls).toEqual([]);
      },
    },
    'invalid Google locale: nothing written': {
      secrets,
      event: { user: { app_metadata: fresh, identities: [{ provider: 'google-oauth2', user_id: 'g', profileData: { locale: 'not a locale!' } }] } },
    },
    'roles and beta flag': {
      secrets,
      event: { user: { app_metadata: { ...fresh, roles: ['admin', 'editor'] }, user_metadata: { beta_tester: ' Yes ' } } },
      check: (gen) => {
        expect(gen.record.accessTokenClaims).toEqual({ [`${NS}roles`]: ['admin', 'editor'] });
        expect(gen.record.idTokenClaims[`${NS}beta_tester`]).toBe(true);
      },
    },
    'roles not an array, beta flag not a boolean': {
      secrets,
      event: { user: { app_metadata: { ...fresh, roles: 'admin' }, user_metadata: { beta_tester: 'maybe' } } },
      check: (gen) => expect(gen.record.accessTokenClaims).toEqual({}),
    },
    'app requires premium, user is standard: denied': {
      secrets,
      event: { user: { app_metadata: fresh }, client: { metadata: { required_subscription_tier: 'premium' } } },
      check: (gen) => expect(gen.record.access.kind).toBe('deny'),
    },
    'app requires premium, billing says premium: allowed': {
      secrets,
      event: { client: { metadata: { required_subscription_tier: 'premium' } } },
      scripts: billing({ body: { tier: 'premium', status: 'active' } }),
      check: (gen) => expect(gen.record.access).toEqual({ kind: 'allow' }),
    },
    'trial older than 30 days: sent to the upgrade page': {
      secrets,
      event: { user: { app_metadata: { ...fresh, subscription_tier: 'trial' }, created_at: '2025-01-01T00:00:00.000Z' } },
      check: (gen) => expect(gen.record.access.kind).toBe('redirect'),
    },
    'trial older than 30 days with prompt=none: cannot redirect, so denied': {
      secrets,
      event: {
        user: { app_metadata: { ...fresh, subscription_tier: 'trial' }, created_at: '2025-01-01T00:00:00.000Z' },
        request: { query: { prompt: 'none' } },
      },
      check: (gen) => expect(gen.record.access).toEqual({ kind: 'deny', reason: 'Your trial has ended. Sign in again in your browser to upgrade.' }),
    },
  };

  for (const [name, c] of Object.entries(cases)) {
    it(name, async () => {
      const [gen, hand_] = await both(compiled, hand, c);
      expect(observable(hand_)).toEqual(observable(gen));
      c.check?.(gen);
    });
  }

  // The minimal baseline the CPU and cold-start benchmarks use: the same outcome on every
  // case above, and exactly the same api calls (metadata calls included, as a multiset).
  describe('bench/baseline/minimal-post-login.js: the same outcome and the same api calls', () => {
    const minimal = baseline('minimal-post-login.js');
    const calls = (o: RunOutcome) => ({
      calls: [...o.record.calls].sort(),
      app: o.record.appMetadataCalls.map(([k, v]) => `${k}=${k === 'last_subscription_sync' ? '<now>' : JSON.stringify(v)}`).sort(),
      user: o.record.userMetadataCalls.map(([k, v]) => `${k}=${JSON.stringify(v)}`).sort(),
    });
    for (const [name, c] of Object.entries(cases)) {
      it(name, async () => {
        const [gen, min] = await both(compiled, minimal, c);
        expect(observable(min)).toEqual(observable(gen));
        expect(calls(min)).toEqual(calls(gen));
      });
    }
  });
});

describe('bench/baseline/latency-K.js = K independent lookups', () => {
  for (const k of [1, 2, 4, 8]) {
    it(`K = ${k}: same requests and writes, one failing system included`, async () => {
      const compiled = await build((dir) => writeLatencyProject(dir, k));
      const hand = baseline(`latency-${k}.js`);
      const scripts: Record<string, ScriptedResponse[]> = {};
      for (let i = 1; i <= k; i++) {
        // The last system fails (when there are two or more): its field is not written.
        const fails = k > 1 && i === k;
        scripts[`svc${i}`] = [{ method: 'GET', path: `/profiles/${ENC}`, ...(fails ? { status: 503 } : { body: { value: `v${i}` } }) }];
      }
      const c: Case = { secrets: { SVC_API_KEY: 'svc-key' }, scripts, event: { user: { app_metadata: { r1: 'v1' } } } };
      const [gen, hand_] = await both(compiled, hand, c);
      expect(observable(hand_)).toEqual(observable(gen));
      const expected: Record<string, string> = {};
      for (let i = 1; i <= (k > 1 ? k - 1 : k); i++) expected[`r${i}`] = `v${i}`;
      expect(gen.appMetadata).toEqual(expected);
      expect(gen.requests.map((r) => `${r.system} ${r.path} ${r.headers['authorization']}`).sort()).toEqual(
        Array.from({ length: k }, (_, j) => `svc${j + 1} /profiles/${ENC} Bearer svc-key`).sort(),
      );
      // r1 is unchanged: mapc does not write it, the baseline does.
      expect(gen.record.appMetadataCalls.map(([key]) => key)).not.toContain('r1');
      expect(hand_.record.appMetadataCalls.map(([key]) => key)).toContain('r1');
    });
  }
});
