/**
 * Failing systems (issue #8), over real sockets on 127.0.0.1: hang, connection reset, a slow
 * drip of bytes past the timeout, 5xx, 429 with Retry-After, redirects to another host, invalid
 * and oversized JSON, the wrong content type, a lookup taking the whole deadline. Each is
 * handled by its policy — `continue`: the lookup is null and the login goes on; `deny`: the
 * login is denied with the declared message — retried only where SPEC 3 allows, and the
 * Action finishes within its deadline (asserted as a generous budget; the measured overrun
 * is reported in docs/reliability.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Compiled } from '../../compiler/pipeline';
import { defaultEvent } from '../../compiler/triggers';
import { compileOrThrow, tempProject } from '../helpers/compiled';
import { reportFigures, tally } from './support/figures';
import { startHost, type Answer, type Host } from './support/host';
import { parsedLogs, SINK_SECRETS } from './support/project';

reportFigures('systems');

const TIMEOUT_MS = 400;
const DEADLINE_MS = 1200;

const projectYaml = `version: 1
defaults: { timeout: ${TIMEOUT_MS}ms, deadline: ${DEADLINE_MS}ms, retries: 1 }
systems:
  sink:
    base_url: https://sink.example.com/api
    auth: { bearer: SINK_KEY }
`;

/** One lookup `l` (method, policy) feeding a field, and one POST send without idempotency key. */
const spec = (name: string, onError: 'continue' | 'deny', method = 'GET') => `version: 1
name: ${name}
owner: team-a
trigger: post-login
action: ${name}
lookups:
  l:
    system: sink
    method: ${method}
    path: /l
    on_error: ${onError}
    ${onError === 'deny' ? 'deny_message: Sink is down.' : ''}
fields:
  - to: app_metadata.${name}
    from: l.id
`;

/** A lookup taking the whole deadline, one that reads it, and a send after them. */
const deadlineSpec = `version: 1
name: whole-deadline
owner: team-a
trigger: post-login
action: whole-deadline
lookups:
  slow:
    system: sink
    method: GET
    path: /slow
    timeout: ${DEADLINE_MS}ms
    retries: 0
  after:
    system: sink
    method: GET
    path: /after
    when: "!exists(slow)"
fields:
  - to: app_metadata.whole-deadline
    from: coalesce(after.id, slow.id)
sends:
  - system: sink
    method: PUT
    path: /s
    body: { x: "'y'" }
`;

let compiled: Compiled;
const hosts = new Map<string, Host>();
let maxOverrunMs = 0;

beforeAll(async () => {
  const dir = tempProject({
    'mappings/mapc.yaml': projectYaml,
    'mappings/get-continue.yaml': spec('get-continue', 'continue'),
    'mappings/get-deny.yaml': spec('get-deny', 'deny'),
    'mappings/post-continue.yaml': spec('post-continue', 'continue', 'POST'),
    'mappings/whole-deadline.yaml': deadlineSpec,
  });
  compiled = await compileOrThrow('mappings', dir);
  for (const a of compiled.program.actions) hosts.set(a.name, await startHost(a, compiled.code.get(a.name)!, SINK_SECRETS));
});
afterAll(async () => {
  await Promise.all([...hosts.values()].map((h) => h.close()));
  console.log(`failing systems: largest time past the deadline ${Math.round(maxOverrunMs)} ms`);
  tally('systems.max-overrun-ms', Math.round(maxOverrunMs));
});

/** Runs `action` with every request answered by `answer` (or by `answers[i]` for the i-th request). */
async function run(action: string, answer: Answer | ((i: number) => Answer)) {
  const host = hosts.get(action)!;
  let i = 0;
  const r = await host.run(defaultEvent('post-login'), () => {
    tally('faults.injected');
    return typeof answer === 'function' ? answer(i++) : answer;
  });
  expect(r.threw).toBeUndefined();
  expect(r.refused).toEqual([]);
  // Measured for docs/reliability.md, not asserted: tests never assert on wall-clock time
  // (a hang past the deadline would fail through the test's own timeout and the log statuses).
  maxOverrunMs = Math.max(maxOverrunMs, r.elapsedMs - DEADLINE_MS);
  const logs = parsedLogs(r.logs);
  expect(logs.filter((l) => l['status'] === 'error')).toEqual([]);
  return { ...r, parsed: logs, statuses: logs.filter((l) => l['step'] === 'lookup:l' && 'system' in l).map((l) => l['status']) };
}

/** Under `continue` the lookup is null: nothing written, login allowed. Under `deny`: the declared message. */
async function bothPolicies(answer: Answer | ((i: number) => Answer), status: string | number, requests: number) {
  const c = await run('get-continue', answer);
  expect(c.statuses).toEqual([status]);
  expect(c.requests).toHaveLength(requests);
  expect(c.record.appMetadataCalls).toEqual([]);
  expect(c.record.access).toEqual({ kind: 'allow' });
  const d = await run('get-deny', answer);
  expect(d.statuses).toEqual([status]);
  expect(d.record.access).toEqual({ kind: 'deny', reason: 'Sink is down.' });
  expect(d.parsed.at(-1)).toEqual({ mapc: 1, spec: 'get-deny', step: 'lookup:l', status: 'deny' });
  return { c, d };
}

const DRIP = { status: 200, raw: JSON.stringify({ id: 'x'.repeat(50) }), drip: { chunks: 20, everyMs: 100 } } satisfies Answer;

describe('failing systems, each handled by its policy within the deadline', () => {
  it('the baseline: a healthy system is read and written', async () => {
    const r = await run('get-continue', { status: 200, body: { id: 'A1' } });
    expect(r.statuses).toEqual([200]);
    expect(r.record.appMetadataCalls).toEqual([['get-continue', 'A1']]);
  });

  it('hang: timeout, retried once (GET), then the policy', async () => {
    const { c } = await bothPolicies({ hang: true }, 'timeout', 2);
    expect(c.parsed[0]!['msg']).toBe('attempts 2');
  });

  it('connection reset: network error, retried once, then the policy', async () => {
    await bothPolicies({ reset: true }, 'network', 2);
  });

  it('a slow drip of bytes past the timeout: timeout, then the policy', async () => {
    // Each attempt was cut at the timeout ('timeout' status), not when the drip ended.
    await bothPolicies(DRIP, 'timeout', 2);
  });

  it('5xx: retried once (GET), then the policy', async () => {
    await bothPolicies({ status: 503 }, 503, 2);
  });

  it('5xx on a POST without idempotency key: not retried', async () => {
    const r = await run('post-continue', { status: 500 });
    expect(r.statuses).toEqual([500]);
    expect(r.requests).toHaveLength(1);
  });

  it('5xx then success: the retry is used', async () => {
    const r = await run('get-continue', (i) => (i === 0 ? { status: 502 } : { status: 200, body: { id: 'A2' } }));
    expect(r.statuses).toEqual([200]);
    expect(r.requests).toHaveLength(2);
    expect(r.record.appMetadataCalls).toEqual([['get-continue', 'A2']]);
  });

  it('429 with a Retry-After that fits the deadline: waits, retries, succeeds', async () => {
    const r = await run('get-continue', (i) => (i === 0 ? { status: 429, headers: { 'retry-after': '0' } } : { status: 200, body: { id: 'A3' } }));
    expect(r.requests).toHaveLength(2);
    expect(r.record.appMetadataCalls).toEqual([['get-continue', 'A3']]);
  });

  it('429 with a Retry-After past the deadline: no retry, the policy at once', async () => {
    // One request only: the 30 s wait was not attempted.
    await bothPolicies({ status: 429, headers: { 'retry-after': '30' } }, 429, 1);
  });

  it('3xx to another host: not followed, the policy', async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      const { c } = await bothPolicies({ status, headers: { location: 'https://evil.example/steal' }, body: { id: 'E' } }, status, 1);
      expect(c.requests.map((q) => q.path)).toEqual(['/l']);
    }
  });

  it('invalid JSON: the policy, no retry', async () => {
    for (const raw of ['{"id":', '<html>', 'nul', '\u0000', '{"a":1}{"b":2}']) await bothPolicies({ status: 200, raw }, 'invalid_json', 1);
  });

  it('JSON over the response cap (declared or streamed): too_large, the policy', async () => {
    const huge = JSON.stringify({ id: 'x'.repeat(1024 * 1024 + 10) });
    await bothPolicies({ status: 200, raw: huge }, 'too_large', 1);
    await bothPolicies({ status: 200, raw: huge, drip: { chunks: 50, everyMs: 1 } }, 'too_large', 1);
  });

  it('the wrong content type: HTML is invalid JSON; JSON labelled text/plain is read', async () => {
    await bothPolicies({ status: 200, headers: { 'content-type': 'text/html' }, raw: '<!doctype html><p>Maintenance</p>' }, 'invalid_json', 1);
    const r = await run('get-continue', { status: 200, headers: { 'content-type': 'text/plain' }, raw: '{"id":"T1"}' });
    expect(r.record.appMetadataCalls).toEqual([['get-continue', 'T1']]);
  });

  it('a lookup taking the whole deadline: it times out at the deadline, later calls are not made', async () => {
    const r = await run('whole-deadline', (i) => (i === 0 ? { hang: true } : { status: 200, body: { id: 'late' } }));
    const byStep = Object.fromEntries(r.parsed.map((l) => [l['step'], l['status']]));
    // Its timeout equals the deadline: whichever timer the clock reads first names it.
    expect(['deadline', 'timeout']).toContain(byStep['lookup:slow']);
    expect(byStep).toEqual({ 'lookup:slow': byStep['lookup:slow'], 'lookup:after': 'deadline', 'send:0': 'deadline' });
    expect(r.requests.map((q) => q.path)).toEqual(['/slow']);
    expect(r.record.appMetadataCalls).toEqual([]);
  });
});
