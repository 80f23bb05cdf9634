/**
 * A virtual clock for running generated Actions: `Date`, `setTimeout` and `clearTimeout` that
 * the loader hands to the module instead of the real ones, and a driver that runs a promise to
 * completion by jumping the clock to the next timer whenever nothing else can happen. A hang
 * then costs no real time: the Action's timeouts and deadline fire as soon as the run is idle,
 * at the virtual instant they are due, so tests can state how long a run took in Auth0's terms
 * (virtual milliseconds) without measuring the machine.
 *
 * "Nothing else can happen" means: no microtask, no ready macrotask, and no real I/O the caller
 * said is in flight (`busy()`). With a virtual `fetch` that never touches the network, the run
 * is idle whenever its promises wait only for timers; with real stub servers (`mapc test`),
 * ./net-activity.ts `NetActivity.busy` says when a request or a response is on the wire.
 */

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

export class VirtualClock {
  private nowMs: number;
  private seq = 0;
  private readonly timers = new Map<number, Timer>();

  constructor(startMs = Date.UTC(2024, 5, 1, 12)) {
    this.nowMs = startMs;
  }

  /** Virtual epoch milliseconds. */
  now(): number {
    return this.nowMs;
  }

  /**
   * Moves the clock forward to `ms` if it is behind (never back). A session calls it with the
   * real time before each execution, so an Action never sees a time earlier than the real one.
   */
  sync(ms: number): void {
    if (ms > this.nowMs) this.nowMs = ms;
  }

  /** Timers not yet fired. */
  pending(): number {
    return this.timers.size;
  }

  /** A `Date` whose "now" is the virtual clock. */
  readonly Date: DateConstructor = makeDate(() => this.nowMs);

  /** `setTimeout` on the virtual clock (extra arguments are passed on, like Node's). */
  readonly setTimeout = (fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): number => {
    const id = ++this.seq;
    const delay = Number.isFinite(ms) && (ms as number) > 0 ? (ms as number) : 0;
    this.timers.set(id, { id, at: this.nowMs + delay, seq: id, fn: () => fn(...args) });
    return id;
  };

  readonly clearTimeout = (id: unknown): void => {
    if (typeof id === 'number') this.timers.delete(id);
  };

  /** Fires the earliest timer (ties in the order they were set), moving the clock to it. False when none is left. */
  private fireNext(): boolean {
    let next: Timer | undefined;
    for (const t of this.timers.values()) if (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq)) next = t;
    if (!next) return false;
    this.timers.delete(next.id);
    if (next.at > this.nowMs) this.nowMs = next.at;
    next.fn();
    return true;
  }

  /**
   * Runs until `p` settles: lets every ready callback run (one real macrotask turn), and when
   * the run is idle (`busy()` false) fires the next virtual timer. Rejects when `p` can never
   * settle (idle, and no timer left), instead of hanging the test.
   */
  async drive<T>(p: Promise<T>, busy: () => boolean = () => false): Promise<T> {
    let settled = false;
    p.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      await new Promise<void>((r) => setImmediate(r));
      if (settled) return p;
      if (busy()) continue;
      if (!this.fireNext()) {
        throw new Error('the run waits for something that never happens (no timer is left on the virtual clock)');
      }
    }
  }
}

/** A Date class whose no-argument constructor and `now()` read `nowMs()`. */
function makeDate(nowMs: () => number): DateConstructor {
  const RealDate = Date;
  class VirtualDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(nowMs());
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return nowMs();
    }
  }
  return VirtualDate as unknown as DateConstructor;
}

/**
 * A `fetch` that never reaches the network and never answers: every call waits until its
 * signal aborts (the runtime's timeout or deadline), then rejects like a real aborted fetch.
 * `calls` records each URL. For tests about time (hanging systems), not about the network.
 */
export function hangingFetch(): { fetch: typeof fetch; calls: string[] } {
  const calls: string[] = [];
  const f = (input: unknown, init?: RequestInit): Promise<Response> => {
    calls.push(typeof input === 'string' ? input : String((input as { url?: string }).url ?? input));
    return new Promise<Response>((_, reject) => {
      const signal = init?.signal;
      const abort = () => reject(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }));
      if (signal?.aborted) abort();
      else signal?.addEventListener('abort', abort, { once: true });
    });
  };
  return { fetch: f as typeof fetch, calls };
}
