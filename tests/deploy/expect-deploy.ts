/**
 * What a correct import of mapc output looks like from the Management API's side, derived from
 * the program (IR) and the code files actually deployed, never from the tenant.yaml under test.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';
import type { ProgramIR } from '../../compiler/ir/types';
import type { Call, FakeManagementApi } from './fake-management-api';

/** The body a create must carry for each mapc Action, exactly. */
export interface ExpectedAction {
  readonly name: string;
  readonly code: string;
  readonly runtime: string;
  readonly dependencies: [];
  readonly secrets: { name: string; value: string }[];
  readonly supported_triggers: { id: string; version: string }[];
}

/** Expected create bodies, with code read from `<root>/actions/<name>/code.js` and secret values from `secrets`. */
export function expectedActions(program: ProgramIR, root: string, secrets: Record<string, string>): ExpectedAction[] {
  return program.actions.map((a) => ({
    name: a.name,
    code: fs.readFileSync(path.join(root, 'actions', a.name, 'code.js'), 'utf8'),
    runtime: a.runtime,
    dependencies: [],
    secrets: a.secrets.map((name) => {
      const value = secrets[name];
      if (value === undefined) throw new Error(`test setup: no value for secret ${name}`);
      return { name, value };
    }),
    supported_triggers: [{ id: a.trigger, version: a.triggerVersion }],
  }));
}

/** The PATCH body of each bound trigger, in the generated order. */
export function expectedBindings(program: ProgramIR): Map<string, unknown> {
  return new Map(
    program.bindings.map((b) => [
      b.trigger,
      { bindings: b.actions.map((name) => ({ ref: { type: 'action_name', value: name }, display_name: name })) },
    ]),
  );
}

/** A short label per call; consecutive repeats collapsed, so the phases of an import read as a list. */
export function phases(calls: readonly Call[]): string[] {
  const out: string[] = [];
  for (const c of calls) {
    const label = `${c.method} ${c.path.replace(/\/actions\/actions\/[^/]+/, '/actions/actions/{id}').replace(/\/triggers\/[^/]+\/bindings/, '/triggers/{trigger}/bindings')}`;
    if (out[out.length - 1] !== label) out.push(label);
  }
  return out;
}

/** Calls of one kind, e.g. `POST /api/v2/actions/actions`. */
export function callsOf(calls: readonly Call[], method: string, pattern: RegExp): Call[] {
  return calls.filter((c) => c.method === method && pattern.test(c.path));
}

/** Asserts a successful import into an empty tenant: creates, deploys, binds, and nothing else. */
export function expectFreshImport(
  api: FakeManagementApi,
  actions: readonly ExpectedAction[],
  bindings: ReadonlyMap<string, unknown>,
  calls: readonly Call[] = api.calls,
): void {
  expect(calls.every((c) => c.status < 400), JSON.stringify(calls.filter((c) => c.status >= 400))).toBe(true);
  expect(phases(calls)).toEqual([
    'POST /oauth/token',
    'GET /api/v2/actions/modules',
    'GET /api/v2/actions/actions',
    'POST /api/v2/actions/actions',
    'GET /api/v2/actions/actions',
    'POST /api/v2/actions/actions/{id}/deploy',
    'PATCH /api/v2/actions/triggers/{trigger}/bindings',
  ]);
  // Creates run in parallel (a pool of 3): compare as a set, each body exactly.
  const creates = callsOf(calls, 'POST', /^\/api\/v2\/actions\/actions$/).map((c) => c.body as { name: string });
  expect([...creates].sort(byName)).toEqual([...actions].sort(byName));
  // Each created Action deployed exactly once, and the tenant holds exactly these.
  const deployed = callsOf(calls, 'POST', /\/deploy$/).map((c) => api.tenant.actions.find((a) => c.path.includes(a.id))?.name);
  expect([...deployed].sort()).toEqual(actions.map((a) => a.name).sort());
  expectBindings(api, bindings, calls);
}

/** Asserts one PATCH per bound trigger with exactly the generated list, and the tenant's resulting bindings. */
export function expectBindings(api: FakeManagementApi, bindings: ReadonlyMap<string, unknown>, calls: readonly Call[]): void {
  const patches = callsOf(calls, 'PATCH', /\/bindings$/);
  const byTrigger = new Map(patches.map((c) => [c.path.split('/')[5]!, c.body]));
  expect(patches).toHaveLength(bindings.size);
  expect(byTrigger).toEqual(bindings);
  for (const [trigger, body] of bindings) {
    const names = (body as { bindings: { ref: { value: string } }[] }).bindings.map((b) => b.ref.value);
    expect(api.tenant.bindings.get(trigger)?.map((b) => b.actionName), trigger).toEqual(names);
  }
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
