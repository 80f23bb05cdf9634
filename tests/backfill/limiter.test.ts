/**
 * The write budget of `mapc backfill` (compiler/backfill/limiter.ts) and the 429 wait
 * (management.ts `retryWaitMs`), in-process. The window test simulates a network whose
 * requests arrive at the server at any moment between sending and the answer, and checks the
 * arrivals, never how long the test took.
 */
import { describe, expect, it } from 'vitest';
import { parseRate, perSecond, retryWaitMs, SlidingWindow } from '../../compiler/backfill';
import { maxInWindow } from './fixture';

describe('parseRate', () => {
  it('reads writes per second, fractions and per-minute budgets', () => {
    expect(parseRate('16')).toEqual({ count: 16, windowMs: 1000 });
    expect(parseRate('16/s')).toEqual({ count: 16, windowMs: 1000 });
    expect(parseRate('200/min')).toEqual({ count: 200, windowMs: 60_000 });
    expect(parseRate('0.5')).toEqual({ count: 1, windowMs: 2000 });
    expect(parseRate('2.5')).toEqual({ count: 2, windowMs: 1000 });
    expect(perSecond(parseRate('200/min')!)).toBeCloseTo(3.33, 2);
    for (const bad of ['0', '-1', 'fast', '', '1.5/min', '16/h']) expect(parseRate(bad), bad).toBeNull();
  });
});

describe('retryWaitMs', () => {
  const now = 1_700_000_000_000;
  it('prefers X-RateLimit-Reset (epoch seconds), then Retry-After (seconds or a date)', () => {
    expect(retryWaitMs({ 'x-ratelimit-reset': String(now / 1000 + 3), 'retry-after': '10' }, now)).toBe(3000);
    expect(retryWaitMs({ 'retry-after': '2' }, now)).toBe(2000);
    expect(retryWaitMs({ 'retry-after': new Date(now + 5000).toUTCString() }, now)).toBe(5000);
    expect(retryWaitMs({}, now)).toBeNull();
    // A reset in the past waits nothing; one far away (a skewed clock) is capped.
    expect(retryWaitMs({ 'x-ratelimit-reset': String(now / 1000 - 5) }, now)).toBe(0);
    expect(retryWaitMs({ 'x-ratelimit-reset': String(now / 1000 + 86_400) }, now)).toBe(120_000);
  });
});

describe('SlidingWindow', () => {
  it('never lets more than `count` requests arrive within one window, whenever each arrives between sending and its answer', async () => {
    const w = new SlidingWindow({ count: 5, windowMs: 200 });
    const arrivals: number[] = [];
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const done = await w.acquire();
        const latency = (i * 7) % 30;
        const arriveAfter = (i * 13) % (latency + 1);
        setTimeout(() => arrivals.push(performance.now()), arriveAfter);
        await new Promise((r) => setTimeout(r, latency));
        done();
      }),
    );
    expect(arrivals.length).toBe(40);
    expect(maxInWindow(arrivals, 200)).toBeLessThanOrEqual(5);
    // Bursts up to the budget are allowed: the first five go at once.
    expect(maxInWindow(arrivals, 200)).toBe(5);
  });

  it('holds every request until a pause (a 429) is over', async () => {
    const w = new SlidingWindow({ count: 100, windowMs: 1000 });
    const until = Date.now() + 150;
    w.pauseUntil(until);
    const done = await w.acquire();
    expect(Date.now()).toBeGreaterThanOrEqual(until);
    done();
  });
});
