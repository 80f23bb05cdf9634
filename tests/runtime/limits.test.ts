/**
 * runtime/limits.ts: `jsonBytes` against `JSON.stringify`, the constants against the compiler's
 * LIMITS table, and the engine's write phase at and over Auth0's size limits.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../compiler/auth0';
import { run } from '../../runtime/engine';
import { CLAIMS_MAX_BYTES, jsonBytes, METADATA_MAX_BYTES } from '../../runtime/limits';
import { MAX_LINE } from '../../runtime/log';
import { clone } from '../../runtime/path';
import type { FieldPlan, Target } from '../../runtime/plan';
import { captureLogs, event, fakeApi, plan, spec } from './helpers';

const stringified = (v: unknown): number => Buffer.byteLength(JSON.stringify(v), 'utf8');

describe('jsonBytes', () => {
  it('is the UTF-8 size of JSON.stringify for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(jsonBytes(v)).toBe(stringified(v));
      }),
      { numRuns: 500, seed: 13 },
    );
  });

  it('counts strings as JSON escapes them: multi-byte, astral, lone surrogates, controls, quotes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 10 }), (s, k) => {
        expect(jsonBytes(s)).toBe(stringified(s));
        expect(jsonBytes({ [k]: [s, { [s]: k }] })).toBe(stringified({ [k]: [s, { [s]: k }] }));
      }),
      { numRuns: 500, seed: 13 },
    );
    for (const s of ['é', '😀', '\uD800', '\uDFFF', '\u2028', '"\\\n\t\0', '']) expect(jsonBytes(s), JSON.stringify(s)).toBe(stringified(s));
  });

  it('counts scalars and containers exactly', () => {
    const cases: unknown[] = [null, true, false, 0, -0, 1.5, -12, 1e21, 5e-7, 'x', [], {}, [[]], [{}, {}], { a: [] }, { a: 1, b: [1, 2, null] }];
    for (const v of cases) expect(jsonBytes(v), JSON.stringify(v)).toBe(stringified(v));
  });

  it('counts what is not JSON as clone() writes it: undefined and functions left out of objects, null elsewhere', () => {
    const fn = () => 1;
    const odd = { u: undefined, f: fn, s: Symbol('x'), n: NaN, i: -Infinity, b: 10n, a: [undefined, fn, Symbol('y'), NaN, 1n], ok: 1 };
    expect(jsonBytes(odd)).toBe(stringified(clone(odd)));
    expect(jsonBytes(odd)).toBe(stringified({ s: null, n: null, i: null, b: null, a: [null, null, null, null, null], ok: 1 }));
    // An array hole is null, as in JSON.
    // eslint-disable-next-line no-sparse-arrays
    expect(jsonBytes([1, , 2])).toBe(stringified([1, , 2]));
    expect(jsonBytes(undefined)).toBe(4);
  });

  it('counts own keys only, `__proto__` included, as JSON.stringify does', () => {
    const parsed = JSON.parse('{"__proto__": {"x": 1}, "constructor": 2}') as unknown;
    expect(jsonBytes(parsed)).toBe(stringified(parsed));
    const inherits = Object.create({ inherited: 'no' }) as Record<string, unknown>;
    inherits['own'] = 'yes';
    expect(jsonBytes(inherits)).toBe(stringified(inherits));
  });

  it('does not overflow the stack: 100,000 deep, or 300,000 elements', () => {
    let o: unknown = 'leaf';
    let a: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) {
      o = { a: o };
      a = [a];
    }
    expect(jsonBytes(o)).toBe(6 * 100_000 + 6);
    expect(jsonBytes(a)).toBe(2 * 100_000 + 6);
    const wide = new Array<number>(300_000).fill(7);
    expect(jsonBytes(wide)).toBe(stringified(wide));
  });
});

describe('limit constants', () => {
  it('equal the compiler LIMITS table (the runtime cannot import it)', () => {
    expect(METADATA_MAX_BYTES).toBe(LIMITS.metadataBytes);
    expect(METADATA_MAX_BYTES).toBe(32_768);
    expect(CLAIMS_MAX_BYTES).toBe(LIMITS.customClaimsBytes);
    expect(CLAIMS_MAX_BYTES).toBe(102_400);
    expect(MAX_LINE).toBe(LIMITS.logLineChars);
  });
});

describe('writes at and over the size limits', () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  const field = (target: Target, value: unknown, clear = false): FieldPlan => ({ target, value: () => value, ...(clear ? { clear: true } : {}) });
  const app = (...path: string[]): Target => ({ kind: 'app_metadata', path });
  const usr = (...path: string[]): Target => ({ kind: 'user_metadata', path });
  const idc = (claim: string): Target => ({ kind: 'id_token', claim });
  const atc = (claim: string): Target => ({ kind: 'access_token', claim });

  async function exec(fields: FieldPlan[], user: Record<string, unknown> = {}, opts: Parameters<typeof fakeApi>[0] = {}) {
    const ev = event(user);
    const { api, calls } = fakeApi(opts, ev);
    await expect(run(plan([spec('s', { fields })], opts.trigger ? { trigger: opts.trigger } : {}), ev, api)).resolves.toBeUndefined();
    return { calls, lines: logs.lines, over: logs.parsed().filter((l) => l['status'] === 'over_limit') };
  }

  /** A string that makes `{...base, [key]: it}` exactly `total` bytes of JSON. */
  const filler = (base: Record<string, unknown>, key: string, total: number): string => 'x'.repeat(total - stringified({ ...base, [key]: '' }));

  it('a metadata write exactly at 32 KB is made; one byte more is skipped and logged without the value', async () => {
    const existing = { tier: 'gold', prefs: { a: 1 } };
    const fits = filler(existing, 'bio', METADATA_MAX_BYTES);
    expect(stringified({ ...existing, bio: fits })).toBe(METADATA_MAX_BYTES);
    expect((await exec([field(app('bio'), fits)], { app_metadata: existing })).calls).toEqual([['user.setAppMetadata', 'bio', fits]]);
    expect(logs.lines).toEqual([]);

    const r = await exec([field(app('bio'), `${fits}y`)], { app_metadata: existing });
    expect(r.calls).toEqual([]);
    expect(r.over).toEqual([{ mapc: 1, spec: 's', step: 'write', status: 'over_limit', msg: 'app_metadata.bio', bytes: METADATA_MAX_BYTES + 1, limit: METADATA_MAX_BYTES }]);
    expect(r.lines.join('\n')).not.toContain('xxxxxxxx');
  });

  it('measures the object after the earlier calls of the run: a later write that no longer fits is skipped, the earlier kept', async () => {
    const half = 'h'.repeat(20_000);
    const r = await exec([field(app('a'), half), field(app('b'), half), field(app('c'), 'small')], { app_metadata: { keep: 1 } });
    // Calls go in key order: a fits, b would take it over, c still fits.
    expect(r.calls).toEqual([
      ['user.setAppMetadata', 'a', half],
      ['user.setAppMetadata', 'c', 'small'],
    ]);
    expect(r.over.map((l) => [l['msg'], l['bytes']])).toEqual([['app_metadata.b', stringified({ keep: 1, a: half, b: half })]]);
  });

  it('a nested write is measured as the merged top-level value it sends', async () => {
    const existing = { prefs: { big: 'p'.repeat(32_700) } };
    const r = await exec([field(app('prefs', 'more'), 'q'.repeat(100))], { app_metadata: existing });
    expect(r.calls).toEqual([]);
    expect(r.over[0]).toMatchObject({ msg: 'app_metadata.prefs', bytes: stringified({ prefs: { big: existing.prefs.big, more: 'q'.repeat(100) } }) });
  });

  it('a clear removes the key from the measure, and can bring metadata over the limit back under it', async () => {
    const existing = { old: 'o'.repeat(40_000), x: 1 };
    const r = await exec([field(app('old'), null, true), field(app('x'), 2)], { app_metadata: existing });
    expect(r.calls).toEqual([
      ['user.setAppMetadata', 'old', null],
      ['user.setAppMetadata', 'x', 2],
    ]);
    // Metadata that stays over the limit takes no write.
    const still = await exec([field(app('x'), 3)], { app_metadata: existing });
    expect(still.calls).toEqual([]);
    expect(still.over[0]).toMatchObject({ msg: 'app_metadata.x', bytes: stringified({ ...existing, x: 3 }) });
  });

  it('app_metadata and user_metadata have 32 KB each', async () => {
    const v = 'v'.repeat(30_000);
    const r = await exec([field(app('a'), v), field(usr('a'), v)]);
    expect(r.calls).toEqual([
      ['user.setAppMetadata', 'a', v],
      ['user.setUserMetadata', 'a', v],
    ]);
  });

  it('missing metadata (before registration) is measured as empty', async () => {
    const fits = 'x'.repeat(METADATA_MAX_BYTES - stringified({ bio: '' }));
    const ok = await exec([field(app('bio'), fits)], { app_metadata: undefined }, { trigger: 'pre-user-registration' });
    expect(ok.calls).toEqual([['user.setAppMetadata', 'bio', fits]]);
    const over = await exec([field(app('bio'), `${fits}!`)], { app_metadata: undefined }, { trigger: 'pre-user-registration' });
    expect(over.calls).toEqual([]);
  });

  it('a write whose api call fails does not count', async () => {
    const v = 'v'.repeat(20_000);
    // user.setAppMetadata throws: neither call is made, and the second is not measured against the first.
    const r = await exec([field(app('a'), v), field(app('b'), v)], {}, { throwOn: 'user.setAppMetadata' });
    expect(r.calls).toEqual([]);
    expect(r.over).toEqual([]);
    expect(logs.parsed().map((l) => l['status'])).toEqual(['api_error', 'api_error']);
  });

  it('claims: a running total per token, up to 100 KB of {name: value}', async () => {
    const name = 'https://acme.example/note';
    const fits = filler({}, name, CLAIMS_MAX_BYTES);
    expect(stringified({ [name]: fits })).toBe(CLAIMS_MAX_BYTES);
    expect((await exec([field(idc(name), fits)])).calls).toEqual([['idToken.setCustomClaim', name, fits]]);

    const r = await exec([field(idc(name), `${fits}y`), field(idc('https://acme.example/tier'), 'gold'), field(atc(name), fits)]);
    expect(r.calls).toEqual([
      ['idToken.setCustomClaim', 'https://acme.example/tier', 'gold'],
      // The access token has its own 100 KB.
      ['accessToken.setCustomClaim', name, fits],
    ]);
    expect(r.over).toEqual([{ mapc: 1, spec: 's', step: 'write', status: 'over_limit', msg: name, bytes: CLAIMS_MAX_BYTES + 1, limit: CLAIMS_MAX_BYTES }]);
  });

  it('claims: the total includes the claims set before; one that no longer fits is skipped, later small ones are set', async () => {
    const big = 'b'.repeat(60_000);
    const r = await exec([field(idc('https://a.example/one'), big), field(idc('https://a.example/two'), big), field(idc('https://a.example/three'), 3)]);
    expect(r.calls.map((c) => c[1])).toEqual(['https://a.example/one', 'https://a.example/three']);
    expect(r.over.map((l) => l['msg'])).toEqual(['https://a.example/two']);
  });

  it('a claim named __proto__ is measured like any other name', async () => {
    const r = await exec([field(idc('__proto__'), 'p'.repeat(CLAIMS_MAX_BYTES))]);
    expect(r.calls).toEqual([]);
    expect(r.over[0]).toMatchObject({ msg: '__proto__', bytes: stringified(JSON.parse(`{"__proto__":${JSON.stringify('p'.repeat(CLAIMS_MAX_BYTES))}}`)) });
  });
});
