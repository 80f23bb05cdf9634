/**
 * `runPlan` with only some phases (what generated Actions call, so the bundler can drop the
 * others), the fast paths that skip phases and promises, and `prop`, the helper compiled
 * paths use per segment, against `get`, whose meaning it must keep exactly.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import path from 'node:path';
import { accessPhase, lookupPhase, run, runPlan, sendPhase } from '../../runtime/engine';
import { get, prop } from '../../runtime/expr';
import { clone, deepEqual } from '../../runtime/path';
import type { ActionPlan } from '../../runtime/plan';
import { captureLogs, event, fakeApi, json, lookup, plan, send, spec, stub, system, type Stub } from './helpers';

let server: Stub | undefined;
let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(async () => {
  logs.restore();
  await server?.close();
  server = undefined;
});

const field = (name: string, value: unknown) => ({ target: { kind: 'app_metadata' as const, path: [name] }, value: () => value });

describe('runPlan with some phases', () => {
  it('runs fields and writes with no phase at all', async () => {
    const { api, calls } = fakeApi();
    await expect(runPlan(plan([spec('a', { fields: [field('x', 1)] })]), event(), api, {})).resolves.toBeUndefined();
    expect(calls).toEqual([['user.setAppMetadata', 'x', 1]]);
    expect(logs.lines).toEqual([]);
  });

  it('fails a spec whose phase was not handed over (logged), and runs the other specs', async () => {
    const p = plan([
      spec('needs-access', { fields: [field('a', 1)], access: [{ when: () => true, deny: 'no' }] }),
      spec('fine', { fields: [field('b', 2)] }),
    ]);
    const { api, calls } = fakeApi();
    await runPlan(p, event(), api, {});
    // The failed spec's writes are dropped, as for any spec failure; nothing is denied.
    expect(calls).toEqual([['user.setAppMetadata', 'b', 2]]);
    expect(logs.parsed()).toEqual([{ mapc: 1, spec: 'needs-access', step: 'access', status: 'error', msg: 'Error: phase not bundled' }]);
  });

  it('fails a spec with lookups or sends when those phases are missing, before any request', async () => {
    const p = plan([spec('l', { lookups: [lookup('x', '/x')] }), spec('s', { sends: [send('/y')] })], { systems: { sys: system('http://127.0.0.1:9') } });
    const { api } = fakeApi();
    await runPlan(p, event(), api, { access: accessPhase });
    expect(logs.parsed().map((e) => [e['spec'], e['step'], e['msg']])).toEqual([
      ['l', 'lookups', 'Error: phase not bundled'],
      ['s', 'sends', 'Error: phase not bundled'],
    ]);
  });

  it('gives the same calls and logs as run when handed the phases the plan uses', async () => {
    server = await stub({ 'GET /sub': json(200, { tier: 'gold' }), 'POST /hook': json(200, { id: 7 }) });
    const p: ActionPlan = plan(
      [
        spec('a', {
          lookups: [lookup('sub', '/sub')],
          fields: [{ target: { kind: 'app_metadata', path: ['tier'] }, value: (s) => get(s.lookups['sub'], 'tier') }],
          access: [{ when: () => true, mfa: 'any' }],
          sends: [send('/hook', { store: [{ target: { kind: 'app_metadata', path: ['hook_id'] }, value: (s) => get(s.response, 'id') }] })],
        }),
      ],
      { systems: { sys: system(server.url) } },
    );
    const one = fakeApi();
    await run(p, event(), one.api);
    const fromRun = logs.parsed().map(({ ms: _ms, ...e }) => e);
    logs.lines.length = 0;
    const two = fakeApi();
    await runPlan(p, event(), two.api, { lookups: lookupPhase, access: accessPhase, sends: sendPhase });
    expect(two.calls).toEqual(one.calls);
    expect(two.calls).toEqual([
      ['multifactor.enable', 'any'],
      ['user.setAppMetadata', 'hook_id', 7],
      ['user.setAppMetadata', 'tier', 'gold'],
    ]);
    expect(logs.parsed().map(({ ms: _ms, ...e }) => e)).toEqual(fromRun);
  });

  it('still fails a spec whose lookup `when` throws, and lets a dependent lookup see null', async () => {
    server = await stub({ 'GET /b': json(200, { v: 1 }) });
    const p = plan(
      [
        spec('bad', { lookups: [lookup('x', '/x', { when: () => { throw new TypeError('when'); } })], fields: [field('bad', 1)] }),
        spec('dep', {
          lookups: [lookup('a', '/a', { when: () => false }), lookup('b', '/b', { after: ['a'], when: (s) => s.lookups['a'] === null })],
          fields: [{ target: { kind: 'app_metadata', path: ['b'] }, value: (s) => get(s.lookups['b'], 'v') }],
        }),
      ],
      { systems: { sys: system(server.url) } },
    );
    const { api, calls } = fakeApi();
    await run(p, event(), api);
    expect(calls).toEqual([['user.setAppMetadata', 'b', 1]]);
    expect(logs.parsed().map(({ ms: _ms, ...e }) => e)).toEqual([
      { mapc: 1, spec: 'bad', step: 'lookup:x', status: 'error', msg: 'TypeError: when' },
      { mapc: 1, spec: 'dep', step: 'lookup:b', system: 'sys', status: 200 },
    ]);
  });

  it('returns a settled promise even when nothing is asynchronous (no request started)', async () => {
    const p = plan([spec('a', { lookups: [lookup('x', '/x', { when: () => false })], sends: [send('/y', { when: () => false })], fields: [field('z', 'v')] })]);
    const { api, calls } = fakeApi();
    const r = run(p, event(), api);
    expect(r).toBeInstanceOf(Promise);
    await expect(r).resolves.toBeUndefined();
    expect(calls).toEqual([['user.setAppMetadata', 'z', 'v']]);
  });
});

describe('bundling a plan without requests', () => {
  it('leaves out the lookups, sends and the HTTP client', async () => {
    const runtime = path.resolve(__dirname, '../../runtime');
    const bundle = async (phases: string) => {
      const out = await build({
        stdin: {
          contents: `import { runPlan, lookupPhase, accessPhase, sendPhase } from ${JSON.stringify(runtime + '/index')};
            const plan = { action: 'a', trigger: 'post-login', deadlineMs: 1, systems: {}, registry: {}, maxResponseBytes: 1, specs: [] };
            const phases = ${phases};
            exports.onExecutePostLogin = (event, api) => runPlan(plan, event, api, phases);`,
          resolveDir: runtime,
          loader: 'js',
        },
        bundle: true,
        write: false,
        platform: 'node',
        format: 'cjs',
        minify: true,
        logLevel: 'silent',
      });
      return out.outputFiles[0]!.text;
    };
    const none = await bundle('{}');
    const all = await bundle('{ lookups: lookupPhase, access: accessPhase, sends: sendPhase }');
    expect(none).not.toContain('fetch(');
    expect(none).not.toContain('sendUserTo');
    expect(all).toContain('fetch(');
    expect(all).toContain('sendUserTo');
    expect(none.length).toBeLessThan(all.length - 5000);
  });
});

describe('prop (compiled path segments)', () => {
  class WithGetter {
    own = 'own';
    get inherited(): string {
      return 'from the prototype';
    }
  }
  const arr = Object.assign([1, 2], { named: 'x' });
  const holders: unknown[] = [
    { a: 1, b: null, c: undefined, d: { e: 2 }, toString: 'own toString', own: 0, named: false },
    JSON.parse('{"__proto__": {"polluted": true}, "a": "json"}'),
    Object.assign(Object.create(null), { a: 'null proto', inherited: 1 }),
    Object.create({ a: 'inherited', inherited: 'inherited' }),
    new WithGetter(),
    arr,
    ['x', 'y'],
    'string',
    42,
    true,
    null,
    undefined,
    () => 1,
    new Date(0),
  ];
  const keys = ['a', 'b', 'c', 'd', 'toString', 'valueOf', 'hasOwnProperty', 'own', 'inherited', 'named', 'length', 'polluted', 'missing', 'getTime', 'name'];

  it('reads exactly what get reads, for every holder and plain key', () => {
    let hits = 0;
    holders.forEach((h, i) => {
      for (const k of keys) {
        expect(prop(h, k), `holder ${i} . ${k}`).toBe(get(h, k));
        if (prop(h, k) !== null) hits++;
      }
    });
    // Own properties are found (a, d, toString, own, ...): the comparison is not all nulls.
    expect(hits).toBe(9);
  });

  it('never returns an inherited member', () => {
    const o = new WithGetter();
    expect(prop(o, 'inherited')).toBeNull();
    expect(prop({}, 'toString')).toBeNull();
    expect(prop(Object.create({ a: 1 }), 'a')).toBeNull();
    expect(prop('abc', 'length')).toBeNull();
    expect(prop([1, 2], 'length')).toBeNull();
  });
});

describe('fast paths of clone and deepEqual', () => {
  it('treat scalars as the general case does', () => {
    const scalars = [null, undefined, 0, -0, 1, NaN, '', 'a', true, false];
    for (const a of scalars) {
      for (const b of scalars) {
        const same = a === b || (a == null && b == null);
        expect(deepEqual(a, b), `${String(a)} ${String(b)}`).toBe(same);
      }
      expect(deepEqual(a, {})).toBe(false);
      expect(deepEqual([], a)).toBe(false);
    }
    expect(clone(undefined)).toBeNull();
    expect(clone(() => 1)).toBeNull();
    expect(clone(Symbol('s'))).toBeNull();
    expect(clone(5n)).toBeNull();
    expect(clone('x')).toBe('x');
    expect(clone(null)).toBeNull();
  });
});
