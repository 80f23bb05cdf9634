/**
 * The write budget: never more than `count` requests in any window of `windowMs` as the server
 * sees them (Auth0 counts arrivals). A request holds one of `count` slots from the moment it
 * is sent until `windowMs` after its response came back; a request that arrives at the server
 * lies between the two, so `count + 1` arrivals within one window would need `count + 1` slots
 * at once. This is conservative by the response time (at 16/s with 100 ms responses a run
 * makes about 14.5 writes/s) and exact whatever the network's jitter. Bursts up to `count`
 * are allowed.
 *
 * `pauseUntil(t)` (a 429's `X-RateLimit-Reset` / `Retry-After`) holds every new request until
 * `t`, whatever the slots say.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * Slots run on the monotonic clock, to the fraction of a millisecond: `Date.now()` is whole
 * milliseconds, and rounding down the moment an answer came back could let the next request of
 * that slot leave a fraction of a millisecond inside the window.
 */
export const REAL_CLOCK: Clock = { now: () => performance.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** A rate as given on the command line: `16`, `16/s`, `200/min` (also `0.5`: one write per 2 s). */
export interface Rate {
  readonly count: number;
  readonly windowMs: number;
}

/** Parses `--rate`; null when it is not a positive rate. */
export function parseRate(text: string): Rate | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|second|m|min|minute))?\s*$/i.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  if (!(n > 0) || !Number.isFinite(n)) return null;
  const perMinute = m[2] !== undefined && /^m/i.test(m[2]);
  if (perMinute) return n >= 1 && Number.isInteger(n) ? { count: n, windowMs: 60_000 } : null;
  // A fractional per-second rate: one write per 1/n s.
  if (!Number.isInteger(n)) return n < 1 ? { count: 1, windowMs: Math.ceil(1000 / n) } : { count: Math.floor(n), windowMs: 1000 };
  return { count: n, windowMs: 1000 };
}

/** Writes per second the rate allows at most. */
export const perSecond = (r: Rate): number => (r.count * 1000) / r.windowMs;

export class SlidingWindow {
  /** When each slot is free again (epoch ms); Infinity while its request is in flight. */
  private readonly freeAt: number[];
  private paused = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly rate: Rate,
    private readonly clock: Clock = REAL_CLOCK,
  ) {
    this.freeAt = new Array<number>(rate.count).fill(0);
  }

  /** Holds new requests until `t` (epoch ms, as a 429's reset is given). */
  pauseUntil(t: number): void {
    this.paused = Math.max(this.paused, t);
  }

  /** Waits for a slot; call the returned `done()` when the response (or the failure) came back. */
  acquire(): Promise<() => void> {
    const turn = this.queue.then(() => this.take());
    // Acquirers go one after another, so slots are handed out in order.
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async take(): Promise<() => void> {
    for (;;) {
      const wall = Date.now();
      if (this.paused > wall) {
        await this.clock.sleep(this.paused - wall);
        continue;
      }
      const now = this.clock.now();
      let best = 0;
      for (let i = 1; i < this.freeAt.length; i++) if (this.freeAt[i]! < this.freeAt[best]!) best = i;
      const at = this.freeAt[best]!;
      if (at <= now) {
        this.freeAt[best] = Infinity;
        let released = false;
        return () => {
          if (released) return;
          released = true;
          this.freeAt[best] = this.clock.now() + this.rate.windowMs;
          this.wake?.();
        };
      }
      // Every slot busy: wait until the earliest frees, or a response frees one (no timer left behind).
      await new Promise<void>((r) => {
        const timer = setTimeout(r, at === Infinity ? 1000 : at - now);
        this.wake = () => {
          clearTimeout(timer);
          r();
        };
      });
      this.wake = undefined;
    }
  }

  private wake: (() => void) | undefined;
}
