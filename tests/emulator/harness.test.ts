/**
 * The pieces under `mapc test`: the test-file model (defaults, secrets, clock), selection,
 * ordered concurrent running, the Auth0-faithful api details (checked against auth0-actions'
 * reference api), the frozen clock and the per-route stub listeners.
 */
import { describe, expect, it } from 'vitest';
import { compile, type Compiled } from '../../compiler/pipeline';
import { createApi } from '../../compiler/emulator/auth0-api';
import { loadTestCases, parseNow, runCases, selectCases, summaryLine, title, type TestCase } from '../../compiler/emulator/cases';
import { defaultEvent } from '../../compiler/triggers';
import { accessOf, compareExpectation, requestUrl } from '../../compiler/emulator/expect';
import { frozenDate, loadAction } from '../../compiler/emulator/load';
import { startStubs, type RecordedRequest } from '../../compiler/emulator/stubs';
import { PROJECT, lookupSpec, tempDir } from './helpers';

async function compiled(files: Record<string, string>): Promise<{ dir: string; result: Compiled }> {
  const dir = tempDir(files);
  const { result, diagnostics } = await compile({ projectDir: 'mappings', cwd: dir });
  if (!result) throw new Error(JSON.stringify(diagnostics.map((d) => d.message)));
  return { dir, result };
}

const TEST_FILE = `spec: tier
defaults:
  now: 2024-06-01T12:00:00Z
  event: { user: { user_id: u1, app_metadata: { a: 1 } } }
  secrets: { SVC_KEY: from-defaults }
  systems:
    svc: [{ method: GET, body: { tier: gold } }]
cases:
  - name: one
    expect: { id_token: { tier: gold } }
  - name: two
    event: { user: { app_metadata: { b: 2 } } }
    secrets: { SVC_KEY: from-case }
    systems:
      svc: [{ method: GET, status: 500, delay: 30ms }]
    expect: { id_token: { tier: unknown } }
  - name: Three
    now: 2020-01-01
    systems:
      svc: [{ method: GET, hang: true }]
    expect: { id_token: { tier: unknown } }
`;

describe('test-file model', () => {
  it('merges the defaults into every case; a case script replaces the default one per system', async () => {
    const { dir, result } = await compiled({
      'mappings/mapc.yaml': PROJECT,
      'mappings/tier.yaml': lookupSpec('continue'),
      'mappings/tier.test.yaml': TEST_FILE,
    });
    const { result: cases, diagnostics } = loadTestCases(result.loaded.testFiles, result.program, dir);
    expect(diagnostics).toEqual([]);
    expect(cases.map((c) => [c.name, c.location])).toEqual([
      ['one', 'mappings/tier.test.yaml:9:5'],
      ['two', 'mappings/tier.test.yaml:11:5'],
      ['Three', 'mappings/tier.test.yaml:17:5'],
    ]);
    const [one, two, three] = cases as [TestCase, TestCase, TestCase];
    expect(one.action.name).toBe('mapc-post-login');
    expect((one.event['user'] as Record<string, unknown>)['app_metadata']).toEqual({ a: 1 });
    expect((two.event['user'] as Record<string, unknown>)['app_metadata']).toEqual({ a: 1, b: 2 });
    // The rest of the realistic default event is still there.
    expect((two.event['user'] as Record<string, unknown>)['email']).toBe((defaultEvent('post-login')['user'] as Record<string, unknown>)['email']);
    expect(one.secrets).toEqual({ SVC_KEY: 'from-defaults' });
    expect(two.secrets).toEqual({ SVC_KEY: 'from-case' });
    expect(one.scripts).toEqual({ svc: [{ method: 'GET', body: { tier: 'gold' } }] });
    expect(two.scripts).toEqual({ svc: [{ method: 'GET', status: 500, delayMs: 30 }] });
    expect(one.now).toBe(Date.UTC(2024, 5, 1, 12));
    expect(three.now).toBe(Date.UTC(2020, 0, 1));
  });

  it('gives every secret of the Action a test value unless the file sets one', async () => {
    const { dir, result } = await compiled({
      'mappings/mapc.yaml': PROJECT,
      'mappings/tier.yaml': lookupSpec('continue'),
      'mappings/tier.test.yaml': 'spec: tier\ncases:\n  - name: a\n',
    });
    const { result: cases } = loadTestCases(result.loaded.testFiles, result.program, dir);
    expect(cases[0]!.secrets).toEqual({ SVC_KEY: 'test-SVC_KEY' });
    expect(cases[0]!.now).toBeUndefined();
  });

  it('parses the clock start: ISO date-times, UTC without a zone, and refuses dates that do not exist', () => {
    expect(parseNow('2024-06-01T12:00:00Z')).toBe(Date.UTC(2024, 5, 1, 12));
    expect(parseNow('2024-06-01T12:00:00.250Z')).toBe(Date.UTC(2024, 5, 1, 12, 0, 0, 250));
    expect(parseNow('2024-06-01T14:00:00+02:00')).toBe(Date.UTC(2024, 5, 1, 12));
    expect(parseNow('2024-06-01T14:00+0200')).toBe(Date.UTC(2024, 5, 1, 12));
    expect(parseNow('2024-06-01 12:00')).toBe(Date.UTC(2024, 5, 1, 12));
    expect(parseNow('2024-06-01')).toBe(Date.UTC(2024, 5, 1));
    expect(parseNow('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseNow('2023-02-29')).toBeNull();
    expect(parseNow('2024-04-31T00:00:00Z')).toBeNull();
    expect(parseNow('2024-06-01T24:00:00Z')).toBeNull();
    expect(parseNow('yesterday')).toBeNull();
  });

  it('selects by spec name, case name or title, ignoring case', () => {
    const c = (spec: string, name: string) => ({ spec, name }) as TestCase;
    const cases = [c('risk-check', 'a low score is allowed'), c('order-summary', 'EU route'), c('risk-check', 'hang')];
    expect(selectCases(cases, undefined)).toHaveLength(3);
    expect(selectCases(cases, 'RISK').map((x) => x.name)).toEqual(['a low score is allowed', 'hang']);
    expect(selectCases(cases, 'eu route').map(title)).toEqual(['order-summary › EU route']);
    expect(selectCases(cases, 'check › hang').map(title)).toEqual(['risk-check › hang']);
    expect(selectCases(cases, 'nothing')).toEqual([]);
  });
});

describe('running cases', () => {
  it('runs concurrently but reports in case order, with or without a callback', async () => {
    const { dir, result } = await compiled({
      'mappings/mapc.yaml': PROJECT,
      'mappings/tier.yaml': lookupSpec('continue'),
      'mappings/tier.test.yaml': TEST_FILE,
    });
    const { result: cases } = loadTestCases(result.loaded.testFiles, result.program, dir);
    const seen: string[] = [];
    const results = await runCases(cases, {
      code: result.code,
      claimsNamespace: 'https://t.example/',
      concurrency: 3,
      onResult: (r) => seen.push(r.case.name),
    });
    expect(seen).toEqual(['one', 'two', 'Three']);
    expect(results.map((r) => [r.case.name, r.passed, r.mismatches])).toEqual([
      ['one', true, []],
      ['two', true, []],
      ['Three', true, []],
    ]);
    expect(summaryLine(results)).toBe('3 passed, 0 failed');
    // Regression: without a callback the ordered flush must still advance (it once looped forever).
    const silent = await runCases(cases.slice(0, 2), { code: result.code, claimsNamespace: 'https://t.example/' });
    expect(silent.map((r) => r.passed)).toEqual([true, true]);
    // The secret reached the request, and the defaults' tier answered case one.
    expect(results[0]!.requests.map((q) => [q.method, requestUrl(q), q.headers['authorization']])).toEqual([
      ['GET', 'https://svc.example.com/api/users/u1', 'Bearer from-defaults'],
    ]);
    expect(results[1]!.requests[0]!.headers['authorization']).toBe('Bearer from-case');
  }, 30_000);
});

describe('Auth0-faithful api (auth0-actions post-login v3 reference)', () => {
  const event = (over: Record<string, unknown>) => ({ ...defaultEvent('post-login'), ...over });

  it('canRedirect reads request.query.prompt and the protocol', () => {
    const can = (e: Record<string, unknown>) => (createApi('post-login', e).api as { redirect: { canRedirect(): boolean } }).redirect.canRedirect();
    expect(can(event({}))).toBe(true);
    expect(can(event({ request: { query: { prompt: 'none' } } }))).toBe(false);
    // transaction.prompt is a list in Auth0's event; the reference api does not read it.
    expect(can(event({ transaction: { protocol: 'oidc-basic-profile', prompt: ['none'] } }))).toBe(true);
    expect(can(event({ transaction: { protocol: 'oauth2-refresh-token' } }))).toBe(false);
    expect(can(event({ transaction: { protocol: 'oauth2-resource-owner' } }))).toBe(false);
    expect(can(event({ transaction: undefined }))).toBe(true);
  });

  it('sendUserTo sets each query parameter on the URL, as Auth0 builds the redirect', () => {
    const { api, record } = createApi('post-login', event({}));
    api.redirect.sendUserTo('https://acme.example/upgrade?from=login', { query: { plan: 'premium', from: 'action' } });
    expect(accessOf(record)).toEqual({ redirect: 'https://acme.example/upgrade?from=action&plan=premium' });
  });

  it('records a redirect where none is possible as an error (Auth0 fails the login), without throwing', () => {
    const { api, record } = createApi('post-login', event({ transaction: { protocol: 'oauth2-password' } }));
    expect(api.redirect.sendUserTo('https://acme.example/x')).toBe(api);
    expect(record.errors).toEqual([
      'api.redirect.sendUserTo: Auth0 fails the login: interaction_required / redirect not possible (protocol oauth2-password cannot show a page)',
    ]);
  });

  it('metadata setters throw when the stored metadata is not an object', () => {
    const bad = createApi('post-login', event({ user: { user_id: 'u', app_metadata: 'legacy', user_metadata: {} } }));
    expect(() => bad.api.user.setAppMetadata('a', 1)).toThrow('Unexpected app_metadata format. Must be a valid JSON object');
    bad.api.user.setUserMetadata('b', 2);
    expect(bad.record.userMetadataCalls).toEqual([['b', 2]]);
  });
});

describe('frozen clock', () => {
  it("freezes Date inside the Action's module only", () => {
    const at = Date.UTC(2024, 5, 1, 12);
    const FrozenDate = frozenDate(at);
    expect(FrozenDate.now()).toBe(at);
    expect(new FrozenDate().toISOString()).toBe('2024-06-01T12:00:00.000Z');
    expect(new FrozenDate('2020-01-01T00:00:00Z').getTime()).toBe(Date.UTC(2020, 0, 1));
    expect(FrozenDate.parse('2020-01-01T00:00:00Z')).toBe(Date.UTC(2020, 0, 1));
    const loaded = loadAction('exports.now = () => [Date.now(), new Date().toISOString()];', [], { now: at });
    expect((loaded.exports['now'] as () => unknown)()).toEqual([at, '2024-06-01T12:00:00.000Z']);
    expect(Date.now()).toBeGreaterThan(at);
  });
});

describe('stub listeners per route', () => {
  it('records the base URL each request was addressed to', async () => {
    const stubs = await startStubs(
      { orders: [{ method: 'GET', body: { n: 1 } }, { method: 'GET', body: { n: 2 } }] },
      { bases: { orders: ['https://eu.orders.example', 'https://us.orders.example'] } },
    );
    try {
      const urls = stubs.systems.get('orders')!.urls;
      expect([...urls.keys()]).toEqual(['https://eu.orders.example', 'https://us.orders.example']);
      const a = await fetch(urls.get('https://us.orders.example')! + '/x?y=1');
      expect(await a.json()).toEqual({ n: 1 });
      const b = await fetch(urls.get('https://eu.orders.example')! + '/x');
      expect(await b.json()).toEqual({ n: 2 });
      expect(stubs.requests.map(requestUrl)).toEqual(['https://us.orders.example/x?y=1', 'https://eu.orders.example/x']);
    } finally {
      await stubs.close();
    }
  });

  it('url and no_requests expectations', () => {
    const req = (system: string, base: string | undefined, p: string): RecordedRequest => ({
      system,
      method: 'GET',
      path: p,
      headers: {},
      body: undefined,
      matched: true,
      ...(base ? { base } : {}),
    });
    const observed = {
      record: createApi('post-login', defaultEvent('post-login')).record,
      appMetadata: {},
      userMetadata: {},
      requests: [req('orders', 'https://eu.orders.example/', '/x'), req('crm', undefined, '/c')],
    };
    expect(compareExpectation({ requests: [{ system: 'orders', url: 'https://eu.orders.example/x' }], no_requests: ['billing'] }, observed, '')).toEqual([]);
    expect(compareExpectation({ requests: [{ system: 'orders', url: 'https://us.orders.example/x' }], no_requests: ['crm'] }, observed, '')).toEqual([
      { what: 'requests to orders #1 url', expected: 'https://us.orders.example/x', actual: 'https://eu.orders.example/x' },
      { what: 'requests to crm', expected: [], actual: ['GET /c'] },
    ]);
  });
});

