/**
 * The memory transport of support/host.ts (in-process answers on a virtual clock, which
 * carries most of the event fuzz) must be indistinguishable, to the Action, from real HTTP on
 * 127.0.0.1: for every kind of answer a system can give, and for random events with random
 * answers, both transports must produce the same api record, the same log lines (durations
 * aside) and the same requests.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Compiled } from '../../compiler/pipeline';
import { defaultEvent } from '../../compiler/triggers';
import { compileOrThrow } from '../helpers/compiled';
import { hostileEvent } from './support/arbitraries';
import { recipe, type Recipe } from './support/answers';
import { fcParams } from './support/config';
import { startHost, type Answer, type Host, type RunResult } from './support/host';
import { SECRETS } from './support/pii';

const ACTIONS = ['mapc-post-login', 'mapc-pre-user-registration', 'mapc-post-user-registration'];

/** Every kind of answer, slow ones included (they cost real time on the socket transport only). */
const KINDS: [string, Answer][] = [
  ['json', { status: 200, body: { id: 'c-1', tier: 'premium', status: 'ACTIVE', count: 3, score: 0.4, data: { a: 1 } } }],
  ['204', { status: 204 }],
  ['empty 200', { status: 200, raw: '' }],
  ['404', { status: 404, body: { error: 'x' } }],
  ['503', { status: 503 }],
  ['429', { status: 429, headers: { 'retry-after': '0' } }],
  ['redirect', { status: 302, headers: { location: 'https://evil.example/steal' }, body: { id: 'from-redirect' } }],
  ['invalid json', { status: 200, raw: '{"id":' }],
  ['html', { status: 200, headers: { 'content-type': 'text/html' }, raw: '<!doctype html><p>x</p>' }],
  ['too large', { status: 200, raw: `{"id":"${'x'.repeat(1024 * 1024)}"}` }],
  ['reset', { reset: true }],
  ['delayed', { status: 200, body: { id: 'late', tier: 'basic' }, delayMs: 30 }],
  ['dripped', { status: 200, body: { id: 'drip', tier: 'basic' }, drip: { chunks: 4, everyMs: 5 } }],
  ['hang', { hang: true }],
];

/** What the two transports must agree on. */
function observed(r: RunResult): unknown {
  // now() is the real clock on one transport and the virtual one (synced to it) on the other.
  const untimed = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'TIME');
  return {
    record: JSON.parse(untimed(JSON.stringify(r.record))) as unknown,
    threw: r.threw === undefined ? null : String(r.threw),
    // Durations are real milliseconds on one transport and virtual ones on the other.
    // (Concurrent requests finish in any order on real sockets.)
    logs: r.logs.map((l) => untimed(l).replace(/"(ms|elapsed_ms|duration_ms)":\d+/g, '"$1":0')).sort(),
    // Concurrent requests reach a real server in any order.
    requests: r.requests
      .map((q) => JSON.stringify([q.system, q.method, q.path, q.body, q.headers['authorization'] ?? null, q.headers['content-type'] ?? null, q.base]))
      .sort(),
    refused: r.refused,
  };
}

let compiled: Compiled;
const hosts: Host[] = [];
const pairs = new Map<string, { memory: Host; socket: Host }>();
beforeAll(async () => {
  compiled = await compileOrThrow('mappings');
  for (const name of ACTIONS) {
    const action = compiled.program.actions.find((a) => a.name === name)!;
    const code = compiled.code.get(name)!;
    const memory = await startHost(action, code, SECRETS, { transport: 'memory' });
    const socket = await startHost(action, code, SECRETS, { transport: 'socket' });
    hosts.push(memory, socket);
    pairs.set(name, { memory, socket });
  }
});
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
});

/** The sample Actions that call systems (pre-user-registration calls none). */
const CALLING = ['mapc-post-login', 'mapc-post-user-registration'];

describe('the memory transport answers as real HTTP does', () => {
  for (const name of CALLING) {
    it(`${name}: every kind of answer, from every system`, async () => {
      const { memory, socket } = pairs.get(name)!;
      const event = defaultEvent(memory.action.trigger);
      let requests = 0;
      for (const [kind, answer] of KINDS) {
        const viaMemory = await memory.run(event, () => answer);
        const viaSocket = await socket.run(event, () => answer);
        requests += viaSocket.requests.length;
        expect([kind, observed(viaMemory)]).toEqual([kind, observed(viaSocket)]);
      }
      // The sample Actions call their systems: the comparison is about something.
      expect(requests).toBeGreaterThan(KINDS.length);
    }, 120_000);
  }

  for (const name of ACTIONS) {
    it(`${name}: random events and fast answers`, async () => {
      const { memory, socket } = pairs.get(name)!;
      const systems = memory.action.systems.map((s) => s.name);
      const answers = fc.record(Object.fromEntries(systems.map((s) => [s, recipe(64 * 1024)])) as Record<string, fc.Arbitrary<Recipe>>);
      await fc.assert(
        fc.asyncProperty(hostileEvent(defaultEvent(memory.action.trigger), []), answers, async (event, recipes) => {
          const viaMemory = await memory.run(event, (req) => recipes[req.system]!.answer);
          const viaSocket = await socket.run(event, (req) => recipes[req.system]!.answer);
          expect(observed(viaMemory)).toEqual(observed(viaSocket));
        }),
        fcParams(150),
      );
    }, 300_000);
  }
});
