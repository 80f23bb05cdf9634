/**
 * Found by the event fuzz: a value nested a few thousand levels deep (user-editable metadata
 * can be) overflowed the stack in the runtime's recursive `clone`/`deepEqual` and in
 * `JSON.stringify` of a request body. The spec failed with an "unexpected exception" (a deny
 * under `on_error: deny`), and a deep original under a nested metadata target failed the
 * whole write phase. Now: `clone`/`deepEqual` are iterative, a body that cannot be encoded is
 * a request failure (`bad_body`, handled by the request's policy), and a write nested deeper
 * than MAX_WRITE_DEPTH is rejected and logged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Compiled } from '../../../compiler/pipeline';
import { MAX_WRITE_DEPTH } from '../../../runtime/engine';
import { clone, deepEqual, deeperThan } from '../../../runtime/path';
import { runCompiled } from '../../helpers/compiled';
import { deep } from '../support/arbitraries';
import { buildSpec, parsedLogs, SINK_SECRETS } from '../support/project';

const SPEC = `version: 1
name: deep
owner: team-a
trigger: post-login
fields:
  - to: app_metadata.copy
    from: user.user_metadata.deep
  - to: app_metadata.nest.inner
    from: "'x'"
sends:
  - system: sink
    method: POST
    path: /deep
    body: { v: user.user_metadata.deep }
    on_error: deny
    deny_message: Sink unavailable.
`;

let compiled: Compiled;
beforeAll(async () => {
  compiled = await buildSpec(SPEC);
});

const run = (deepValue: unknown, nest: unknown = { keep: 1 }) =>
  runCompiled(compiled, 'mapc-post-login', {
    secrets: SINK_SECRETS,
    event: { user: { user_metadata: { deep: deepValue }, app_metadata: { nest } } },
    scripts: { sink: [{ method: 'POST', path: '/deep', body: {} }] },
  });

describe('a value nested 100,000 deep', () => {
  it('clone, deepEqual and deeperThan do not overflow the stack', () => {
    const v = deep(100_000);
    expect(deepEqual(clone(v), v)).toBe(true);
    expect(deepEqual(clone(v), deep(100_000, false, 'other'))).toBe(false);
    expect(deeperThan(v, 64)).toBe(true);
    expect(deeperThan(deep(64), 64)).toBe(false);
    expect(deeperThan(deep(65), 64)).toBe(true);
  });

  it('makes the send fail by its policy, rejects the write, and measures the 600 KB original without overflowing', async () => {
    const out = await run(deep(100_000), deep(100_000));
    expect(out.threw).toBeUndefined();
    const logs = parsedLogs(out.logs);
    expect(logs.filter((l) => l['status'] === 'error')).toEqual([]);
    expect(logs).toContainEqual(expect.objectContaining({ spec: 'deep', step: 'send:0', system: 'sink', status: 'bad_body' }));
    expect(logs).toContainEqual(
      expect.objectContaining({ spec: 'deep', step: 'field:0', status: 'rejected', msg: 'app_metadata.copy nested too deep' }),
    );
    expect(out.requests).toEqual([]);
    expect(out.record.access).toEqual({ kind: 'deny', reason: 'Sink unavailable.' });
    // The nested target merges into the 600 KB original of `nest`: over Auth0's 32 KB, so the
    // call is not made (runtime/limits.ts), and measuring it did not overflow the stack.
    expect(logs).toContainEqual(expect.objectContaining({ spec: 'deep', step: 'write', status: 'over_limit', msg: 'app_metadata.nest', limit: 32_768 }));
    expect(out.record.appMetadataCalls).toEqual([]);
  });

  it('still merges the nested target into a deep original that fits the limit', async () => {
    const original = deep(4_000);
    const out = await run(deep(100_000), original);
    expect(out.threw).toBeUndefined();
    // The fields of a denied login are still written (SPEC 3: writes are applied after access).
    const nest = out.record.appMetadataCalls.find(([k]) => k === 'nest')![1] as Record<string, unknown>;
    expect(nest['inner']).toBe('x');
    expect(deepEqual(nest['a'], (original as Record<string, unknown>)['a'])).toBe(true);
    expect(out.record.appMetadataCalls.map(([k]) => k)).toEqual(['nest']);
  });

  it(`a value ${MAX_WRITE_DEPTH} deep is still written and sent`, async () => {
    const out = await run(deep(MAX_WRITE_DEPTH));
    expect(out.threw).toBeUndefined();
    expect(out.record.access).toEqual({ kind: 'allow' });
    expect(out.requests).toHaveLength(1);
    expect(out.requests[0]!.body).toEqual({ v: deep(MAX_WRITE_DEPTH) });
    expect(out.appMetadata['copy']).toEqual(deep(MAX_WRITE_DEPTH));
    expect(out.appMetadata['nest']).toEqual({ keep: 1, inner: 'x' });
  });
});
