import { afterEach, describe, expect, it } from 'vitest';
import { formatLog, log, logContext, MAX_LINE, redact } from '../../runtime/log';
import { clone, deepEqual, ownGet, setPath } from '../../runtime/path';
import { captureLogs } from './helpers';

describe('path', () => {
  it('setPath creates intermediates and refuses dangerous keys', () => {
    const o: Record<string, unknown> = { a: 'scalar' };
    expect(setPath(o, ['a', 'b', 'c'], 1)).toBe(true);
    expect(o).toEqual({ a: { b: { c: 1 } } });
    expect(setPath(o, ['__proto__', 'polluted'], true)).toBe(false);
    expect(setPath(o, ['a', 'constructor', 'prototype'], true)).toBe(false);
    expect(setPath(o, [], 1)).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(setPath(o, ['a', 'b', 'c'], null)).toBe(true);
    expect(o).toEqual({ a: { b: {} } });
  });

  it('setPath does not walk into inherited objects', () => {
    const o = Object.create({ inherited: { x: 1 } }) as Record<string, unknown>;
    setPath(o, ['inherited', 'y'], 2);
    expect(Object.getPrototypeOf(o).inherited).toEqual({ x: 1 });
    expect(o.inherited).toEqual({ y: 2 });
  });

  it('clone drops dangerous keys, functions and undefined', () => {
    const src = JSON.parse('{"a": [1, null, {"__proto__": {"p": 1}, "b": 2}], "constructor": 1}');
    src.f = () => 1;
    src.u = undefined;
    src.arr = [undefined];
    const c = clone(src) as Record<string, unknown>;
    expect(c).toEqual({ a: [1, null, { b: 2 }], arr: [null] });
    expect(Object.prototype.hasOwnProperty.call((c.a as unknown[])[2], '__proto__')).toBe(false);
    expect(clone(undefined)).toBeNull();
    expect(clone(Symbol('s'))).toBeNull();
    expect(clone(1n)).toBeNull();
  });

  it('deepEqual', () => {
    expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual({ a: 1, u: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual(null, undefined)).toBe(true);
    expect(deepEqual(null, 0)).toBe(false);
    expect(deepEqual([1], [1, 2])).toBe(false);
    expect(deepEqual([1], { 0: 1 })).toBe(false);
    expect(deepEqual({ a: 1 }, { b: 1 })).toBe(false);
    expect(deepEqual('1', 1)).toBe(false);
  });

  it('ownGet', () => {
    expect(ownGet({ a: 1 }, 'a')).toBe(1);
    expect(ownGet({}, 'toString')).toBeUndefined();
    expect(ownGet([1], '0')).toBeUndefined();
  });
});

describe('log', () => {
  let cap: ReturnType<typeof captureLogs> | undefined;
  afterEach(() => {
    cap?.restore();
    logContext.spec = undefined;
    logContext.step = undefined;
  });

  it('redacts e-mails, tokens, long keys and secrets', () => {
    expect(redact('user jane.doe+x@example.co.uk failed', [])).toBe('user <email> failed');
    expect(redact('Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature')).toBe('Bearer <token>');
    expect(redact('key sk_live_0123456789abcdefghijklmnop')).toBe('key <redacted>');
    expect(redact('a-very-long-kebab-case-spec-name-without-digits')).toBe('a-very-long-kebab-case-spec-name-without-digits');
    expect(redact('pw=hunter22 and hunter22', ['hunter22', 'ab'])).toBe('pw=<secret> and <secret>');
    expect(redact('crm-sync-v2-for-premium-customers-2024', [], false)).toBe('crm-sync-v2-for-premium-customers-2024');
  });

  it('formats compact JSON with known fields only', () => {
    const line = formatLog({ spec: 's', step: 'lookup:x', system: 'crm', status: 200, ms: 12.6, msg: 'ok', extra: 1 } as never);
    expect(line).toBe('{"mapc":1,"spec":"s","step":"lookup:x","system":"crm","status":200,"ms":13,"msg":"ok"}');
    expect(formatLog({ ms: Infinity })).toBe('{"mapc":1,"ms":0}');
  });

  it('never exceeds 256 characters, even with escapes', () => {
    const long = 'x'.repeat(500);
    const quotes = '"'.repeat(300);
    const ctl = '\u0001'.repeat(300);
    for (const e of [
      { spec: long, step: long, system: long, status: long, fn: long, msg: long },
      { spec: quotes, step: ctl, system: quotes, status: ctl, fn: quotes, msg: ctl },
    ]) {
      const line = formatLog(e);
      expect(line.length).toBeLessThanOrEqual(MAX_LINE);
      expect(() => JSON.parse(line)).not.toThrow();
    }
  });

  it('log writes one line with the context spec and step', () => {
    cap = captureLogs();
    logContext.spec = 'crm-sync';
    logContext.step = 'field:0';
    log({ fn: 'lower', msg: 'not text' });
    log({ spec: 'other', msg: 'jane@example.com' }, ['s3cret']);
    expect(cap.parsed()).toEqual([
      { mapc: 1, spec: 'crm-sync', step: 'field:0', fn: 'lower', msg: 'not text' },
      { mapc: 1, spec: 'other', step: 'field:0', msg: '<email>' },
    ]);
  });

  it('log never throws, even when console.log does', () => {
    const original = console.log;
    console.log = () => {
      throw new Error('sink down');
    };
    try {
      expect(() => log({ msg: 'x' })).not.toThrow();
    } finally {
      console.log = original;
    }
  });
});
