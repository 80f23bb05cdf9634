/**
 * `mapc test` runs every case on a virtual clock (issue #16): the stub systems stay real HTTP
 * servers on 127.0.0.1, but a stub's `delay`/`hang`, the Action's per-attempt timeouts, retry
 * backoff and deadline wait on the case's virtual clock, which jumps to the next timer whenever
 * the run waits only for timers. A case then costs its CPU, not its timeout.
 *
 * What is asserted: the outcomes (pass/fail, the log lines with their `timeout`/`deadline`
 * statuses and attempts, the requests) are those of the real clock — run side by side here —
 * and the time the run took is read from the virtual clock (`virtualMs`, and the Action's own
 * `ms` log field, measured with its virtual `Date`): a 3 s deadline is 3000 virtual ms. No
 * assertion reads the wall clock.
 */
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTestCases, runCases, type CaseResult, type TestCase } from '../../compiler/emulator/cases';
import { runAction } from '../../compiler/emulator/run-action';
import { EXCHANGE_HEADER } from '../../compiler/emulator/net-activity';
import { defaultEvent } from '../../compiler/triggers';
import type { Compiled } from '../../compiler/pipeline';
import { compileOrThrow } from '../helpers/compiled';
import { mapc, tempDir } from './helpers';

/** `slow`: 2.5 s per attempt, one retry (GET), inside an Action deadline of 3 s. */
const PROJECT = `version: 1
claims_namespace: https://t.example/
defaults: { timeout: 2s, deadline: 3s, retries: 0, on_error: continue }
systems:
  slow:
    base_url: https://slow.example.com/api
    auth: { bearer: SLOW_KEY }
    timeout: 2500ms
    retries: 1
    owner: team-a
`;

const SPEC = `version: 1
name: tier
owner: team-a
trigger: post-login
lookups:
  info:
    system: slow
    method: GET
    path: /users/{{user.user_id}}
fields:
  - to: id_token.tier
    from: info.tier
    default: unknown
`;

const TESTS = `spec: tier
defaults:
  event: { user: { user_id: auth0|1 } }
cases:
  - name: a system that hangs past the 3 s deadline
    systems:
      slow: [{ method: GET, hang: true }, { method: GET, hang: true }]
    expect:
      id_token: { tier: unknown }
      requests:
        - { system: slow, method: GET, path: /users/auth0%7C1 }
        - { system: slow, method: GET, path: /users/auth0%7C1 }

  - name: an answer after 2 s, within the 2.5 s timeout
    systems:
      slow: [{ method: GET, delay: 2s, body: { tier: gold } }]
    expect:
      id_token: { tier: gold }
      requests: [{ system: slow, method: GET, path: /users/auth0%7C1 }]

  - name: an answer later than the timeout is retried, and the retry answers
    systems:
      slow: [{ method: GET, delay: 2600ms, body: { tier: late } }, { method: GET, body: { tier: silver } }]
    expect:
      id_token: { tier: silver }

  - name: with a frozen clock the timeouts still fire, the deadline does not
    now: 2024-06-01T12:00:00Z
    systems:
      slow: [{ method: GET, hang: true }, { method: GET, hang: true }]
    expect:
      id_token: { tier: unknown }
`;

const LINE = (status: number | string, ms: number, attempts = 1): string =>
  JSON.stringify({ mapc: 1, spec: 'tier', step: 'lookup:info', system: 'slow', status, ms, ...(attempts > 1 ? { msg: `attempts ${attempts}` } : {}) });

/** The parts of a result that must not depend on the clock: the `ms` of a log line is time, the rest is outcome. */
function outcome(r: CaseResult) {
  return {
    name: r.case.name,
    passed: r.passed,
    mismatches: r.mismatches,
    logs: r.logs.map((l) => l.replace(/"ms":\d+/, '"ms":_')),
    requests: r.requests.map((q) => ({ system: q.system, method: q.method, path: q.path, matched: q.matched, body: q.body })),
  };
}

let dir: string;
let compiled: Compiled;
let cases: TestCase[];

beforeAll(async () => {
  dir = tempDir({ 'mappings/mapc.yaml': PROJECT, 'mappings/tier.yaml': SPEC, 'mappings/tier.test.yaml': TESTS });
  compiled = await compileOrThrow(path.join(dir, 'mappings'), dir);
  const loaded = loadTestCases(compiled.loaded.testFiles, compiled.program, dir);
  expect(loaded.diagnostics).toEqual([]);
  cases = loaded.result;
  expect(cases).toHaveLength(4);
});

const run = (clock?: 'virtual' | 'real') =>
  runCases(cases, { code: compiled.code, claimsNamespace: 'https://t.example/', ...(clock ? { clock } : {}) });

describe('mapc test on the virtual clock', () => {
  it('a hang past the deadline and a 2 s delay end as on the real clock, taking virtual time', async () => {
    const [hang, delayed, retried, frozen] = await run();
    for (const r of [hang, delayed, retried, frozen]) expect(r!.mismatches).toEqual([]);

    // Attempt 1 times out at 2.5 s; the retry gets what is left of the 3 s deadline.
    expect(hang!.logs).toEqual([LINE('deadline', 3000, 2)]);
    expect(hang!.virtualMs).toBe(3000);

    // 2 s within a 2.5 s timeout: one attempt, answered at 2 s.
    expect(delayed!.logs).toEqual([LINE(200, 2000)]);
    expect(delayed!.virtualMs).toBe(2000);

    // 2.6 s is past the 2.5 s timeout: the first attempt times out, the retry (after a backoff) answers.
    expect(retried!.logs).toHaveLength(1);
    expect(retried!.logs[0]).toMatch(/^\{"mapc":1,"spec":"tier","step":"lookup:info","system":"slow","status":200,"ms":\d+,"msg":"attempts 2"\}$/);
    expect(retried!.virtualMs).toBeGreaterThan(2500);
    expect(retried!.virtualMs).toBeLessThan(3000);

    // `now:` freezes the Action's Date (its deadline never comes), but its timers are virtual:
    // two 2.5 s timeouts and a backoff passed on the case's clock, none in real time.
    expect(frozen!.logs).toEqual([LINE('timeout', 0, 2)]);
    expect(frozen!.virtualMs).toBeGreaterThan(5000);
  });

  it('gives every case the outcome the real clock gives (same statuses, attempts, requests, pass/fail)', async () => {
    const [virtual, real] = await Promise.all([run(), run('real')]);
    expect(real.every((r) => r.virtualMs === undefined)).toBe(true);
    expect(virtual.map(outcome)).toEqual(real.map(outcome));
    expect(real.every((r) => r.passed)).toBe(true);
  });

  it('runs the same cases through the CLI: every case passes', async () => {
    const r = await mapc(['test', '-p', 'mappings'], dir);
    expect(r.stderr).toBe('');
    expect(r.exit).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l !== '').at(-1)).toBe('4 passed, 0 failed');
  });

  it('the exchange header that pairs a request with its stub is never recorded', async () => {
    const action = compiled.program.actions[0]!;
    const out = await runAction({
      code: compiled.code.get(action.name)!,
      trigger: action.trigger,
      systems: action.systems,
      secrets: { SLOW_KEY: 'k' },
      scripts: { slow: [{ method: 'GET', delayMs: 1000, body: { tier: 'gold' } }] },
      event: defaultEvent('post-login'),
    });
    expect(out.threw).toBeUndefined();
    expect(out.record.idTokenClaims).toEqual({ 'https://t.example/tier': 'gold' });
    expect(out.virtualMs).toBe(1000);
    expect(out.requests).toHaveLength(1);
    expect(out.requests[0]!.headers['authorization']).toBe('Bearer k');
    expect(Object.keys(out.requests[0]!.headers)).not.toContain(EXCHANGE_HEADER);
  });

  it('a response that can never be read to its end (content-length longer than the body) times out, as on the real clock', async () => {
    const action = compiled.program.actions[0]!;
    const lying = { method: 'GET', headers: { 'content-length': '100' }, raw: '{"tier":"x"}' };
    const input = (clock: 'virtual' | 'real') => ({
      code: compiled.code.get(action.name)!,
      trigger: action.trigger,
      systems: action.systems,
      secrets: { SLOW_KEY: 'k' },
      scripts: { slow: [lying, lying] },
      event: defaultEvent('post-login'),
      clock,
    });
    const [virtual, real] = await Promise.all([runAction(input('virtual')), runAction(input('real'))]);
    const statuses = (logs: readonly string[]) => logs.map((l) => l.replace(/"ms":\d+/, '"ms":_'));
    expect(statuses(virtual.logs)).toEqual(statuses(real.logs));
    expect(virtual.logs).toEqual([LINE('deadline', 3000, 2)]);
    expect(virtual.record.idTokenClaims).toEqual(real.record.idTokenClaims);
  });
});
