/**
 * One module per trigger (compiler/triggers/<id>.ts): each is complete, and what the runtime
 * does on its own (it is a leaf and cannot read the module) agrees with it — how it denies.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../runtime/engine';
import { defaultEvent, entrypointsOf, eventRoots, TRIGGER_IDS, TRIGGERS } from '../../compiler/triggers';
import { captureLogs, fakeApi, plan, spec } from '../runtime/helpers';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

describe.each(TRIGGER_IDS)('%s', (id) => {
  const t = TRIGGERS[id];

  it('is one complete module: handler first among its entrypoints, an event model, a default event that fits it, api groups', () => {
    expect(t.id).toBe(id);
    expect(entrypointsOf(id)[0]).toBe(t.handler);
    const roots = Object.keys(eventRoots(id));
    expect(roots.length).toBeGreaterThan(2);
    const event = defaultEvent(id);
    // Every field of the default event is a root of the model (secrets are not a root by design).
    expect(Object.keys(event).filter((k) => k !== 'secrets' && !roots.includes(k))).toEqual([]);
    expect(defaultEvent(id)).not.toBe(event);
  });

  it(`denies the way the runtime calls api.access.deny (${t.deny ?? 'cannot deny'})`, async () => {
    const { api, calls } = fakeApi({ trigger: id }, defaultEvent(id));
    await run(plan([spec('gate', { access: [{ when: () => true, deny: 'No.' }] })], { trigger: id }), defaultEvent(id), api);
    const denies = calls.filter((c) => c[0] === 'access.deny');
    if (t.deny === 'reason') expect(denies).toEqual([['access.deny', 'No.']]);
    else if (t.deny === 'reason-user-message') expect(denies).toEqual([['access.deny', 'No.', 'No.']]);
    else if (t.deny === 'code-reason') expect(denies).toEqual([['access.deny', 'invalid_request', 'No.']]);
    else {
      expect(denies).toEqual([]);
      expect(logs.parsed().some((e) => e['status'] === 'unsupported')).toBe(true);
    }
  });
});
