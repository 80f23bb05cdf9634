/**
 * The event fuzz itself (see tests/hardening/events.test.ts for what it checks).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Compiled } from '../../../compiler/pipeline';
import { defaultEvent } from '../../../compiler/triggers';
import { compileOrThrow } from '../../helpers/compiled';
import { hostileEvent } from './arbitraries';
import { recipe, type Recipe } from './answers';
import { EVENT_RUNS, fcParams, SOCKET_EVENT_RUNS } from './config';
import { tally } from './figures';
import { startHost, type Host } from './host';
import { violations, type AnswerClass } from './oracle';
import { leaks, SECRETS } from './pii';

const DEBUG = process.env['MAPC_FUZZ_DEBUG'] === '1';


/** Paths the sample specs read that the default events do not have (so they get values too). */
const EXTRA_PATHS = [
  ['user', 'app_metadata', 'crm_contact_id'],
  ['user', 'app_metadata', 'subscription_tier'],
  ['user', 'app_metadata', 'last_subscription_sync'],
  ['user', 'app_metadata', 'region'],
  ['user', 'app_metadata', 'roles'],
  ['user', 'app_metadata', 'crm_status'],
  ['user', 'user_metadata', 'marketing_consent'],
  ['user', 'user_metadata', 'beta_tester'],
  ['client', 'metadata', 'required_subscription_tier'],
  ['request', 'body', 'marketing_consent'],
  ['request', 'query', 'prompt'],
  ['user', 'identities'],
  ['user', 'identities', '0'],
  ['user', 'identities', '0', 'provider'],
  ['user', 'identities', '0', 'profileData', 'locale'],
];

/** Identities of the providers the samples read, so that their paths are reached too. */
const SOCIAL = [
  { provider: 'google-oauth2', user_id: 'g1', connection: 'google-oauth2', isSocial: true, profileData: { locale: 'en_us' } },
  { provider: 'facebook', user_id: 'f1', connection: 'facebook', isSocial: true, profileData: { custom_facebook_data: { a: 1 } } },
];

/** Registers the event fuzz of the sample Actions `names` (one test file per share, so CI's workers split it). */
export function eventFuzz(names: readonly string[]): void {
  let compiled: Compiled;
  beforeAll(async () => {
    compiled = await compileOrThrow('mappings');
  });

  describe('random events against every sample Action', () => {
    const hosts: Host[] = [];
    afterAll(async () => {
      await Promise.all(hosts.map((h) => h.close()));
    });

    const runs = [
      ['memory', EVENT_RUNS, 'in process'],
      ['socket', SOCKET_EVENT_RUNS, 'over HTTP on 127.0.0.1'],
    ] as const;
    for (const name of names)
    for (const [transport, count, how] of runs) {
      it(`${name}: ${count} events ${how}, no throw, only policy denies, registry-typed writes`, async () => {
        const action = compiled.program.actions.find((a) => a.name === name)!;
        expect(action).toBeDefined();
        const host = await startHost(action, compiled.code.get(name)!, SECRETS, { transport });
        hosts.push(host);
        const base = defaultEvent(action.trigger);
        const user = base['user'] as Record<string, unknown>;
        if (Array.isArray(user['identities'])) user['identities'] = [...user['identities'], ...SOCIAL];
        const systems = action.systems.map((s) => s.name);
        const answers = fc.record(Object.fromEntries(systems.map((s) => [s, recipe(1024 * 1024)])) as Record<string, fc.Arbitrary<Recipe>>);
        const found = new Set<string>();
        /** Run times in 10 ms buckets (the last is ≥ 90 ms), printed in survey mode. */
        const hist = new Array<number>(10).fill(0);
        const protoBefore = Object.getOwnPropertyNames(Object.prototype).join();

        await fc.assert(
          fc.asyncProperty(hostileEvent(base, EXTRA_PATHS), answers, async (event, recipes) => {
            const given = new Map<string, AnswerClass[]>();
            const r = await host.run(event, (req) => {
              const rec = recipes[req.system]!;
              given.set(req.system, [...(given.get(req.system) ?? []), rec.cls]);
              tally('faults.event-fuzz', rec.cls === 'failed' ? 1 : 0);
              return rec.answer;
            });
            tally(`events.${name}`);
            hist[Math.min(9, Math.floor(r.elapsedMs / 10))]!++;
            tally('requests.event-fuzz', r.requests.length);
            const bad = violations(action, event, r, given);
            for (const line of r.logs) for (const l of leaks(line)) bad.push(`log line leaks ${l}`);
            if (bad.length === 0) return;
            // MAPC_FUZZ_DEBUG=1 surveys: every kind of violation, instead of the first one shrunk.
            if (DEBUG) for (const b of bad) found.add(b.replace(/\d+/g, 'N').slice(0, 160));
            else throw new Error(bad.join('\n'));
          }),
          fcParams(count),
        );
        if (DEBUG) console.error(`${[...found].join('\n')}\nrun times by 10 ms: ${hist.join(' ')}`);
        expect(Object.getOwnPropertyNames(Object.prototype).join()).toBe(protoBefore);
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      }, 900_000);
    }
  });
}
