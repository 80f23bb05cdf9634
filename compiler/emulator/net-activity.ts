/**
 * The real network I/O a virtual clock must wait for (`mapc test`: the stub systems are real
 * HTTP servers on 127.0.0.1, but their `delay`/`hang` and the Action's timers are virtual).
 *
 * `VirtualClock.drive` may jump to the next timer only when nothing else can happen. While a
 * request is on its way to a stub, or a response on its way back, something real is happening
 * and the clock must not move (else a timeout could fire before an answer that is already on
 * the wire). So every request the Action sends through `fetch` is an *exchange*, tracked from
 * both ends:
 *
 * - the client (this file's `fetch`): open from the call until the fetch rejects, the request's
 *   signal aborts, or the response body has been read to its end or cancelled;
 * - the stub (stubs.ts, told through `StubActivity`): an exchange whose answer waits on the
 *   clock (`delay`) or never comes (`hang`) is *parked*: it waits for a timer, not for I/O.
 *   The stub recognises the exchange by a request header (`EXCHANGE_HEADER`), which it removes
 *   before recording the request, so no case and no report ever sees it.
 *
 * `busy()` is true while some exchange is open and not parked. A safety net for an exchange
 * that can never finish by I/O alone (a scripted `content-length` longer than the body, a
 * status the client waits past): after `STALL_MS` of real time and `STALL_TURNS` checks without
 * progress it no longer counts as busy, so its timeout fires as it would in real time. No
 * sample or cookbook case gets there; it only keeps a broken script from spinning forever.
 */

/** The request header that names an exchange (removed by the stub before recording). */
export const EXCHANGE_HEADER = 'x-mapc-exchange';

/** What stubs.ts tells about the exchanges it serves. */
export interface StubActivity {
  /** The request header carrying the exchange id. */
  readonly header: string;
  /** The stub has the whole request. */
  received(id: string): void;
  /** The answer waits on the clock (`delay`) or never comes (`hang`). */
  waiting(id: string): void;
  /** The answer is being written now (a `delay` has passed). */
  answering(id: string): void;
  /** The answer has been handed to the socket, or the connection was dropped. */
  answered(id: string): void;
}

/** Real milliseconds without progress after which an open exchange stops counting as busy. */
export const STALL_MS = 1000;
/** ... and as many `busy()` checks after that (a stalled process still gets to poll its sockets first). */
export const STALL_TURNS = 50;

interface Exchange {
  parked: boolean;
  /** performance.now() of the last progress. */
  last: number;
  /** busy() checks since STALL_MS passed without progress. */
  stalledChecks: number;
}

export class NetActivity implements StubActivity {
  readonly header = EXCHANGE_HEADER;
  private seq = 0;
  private readonly open = new Map<string, Exchange>();
  /** Exchanges that stopped counting as busy by the safety net (for tests and diagnosis). */
  stalled = 0;

  /** True while a request or a response is in flight (see the file comment). */
  busy(): boolean {
    const now = performance.now();
    let busy = false;
    for (const x of this.open.values()) {
      if (x.parked) continue;
      if (now - x.last < STALL_MS) return true;
      if (x.stalledChecks < STALL_TURNS) {
        x.stalledChecks++;
        if (x.stalledChecks === STALL_TURNS) this.stalled++;
        else busy = true;
      }
    }
    return busy;
  }

  /** Open exchanges (parked ones included). */
  pending(): number {
    return this.open.size;
  }

  /** The real `fetch`, as one tracked exchange. */
  fetch(url: string, init?: RequestInit): Promise<Response> {
    const id = String(++this.seq);
    const x: Exchange = { parked: false, last: performance.now(), stalledChecks: 0 };
    this.open.set(id, x);
    const done = (): void => {
      this.open.delete(id);
    };
    const signal = init?.signal;
    if (signal) {
      if (signal.aborted) done();
      else signal.addEventListener('abort', done, { once: true });
    }
    let sent: Promise<Response>;
    try {
      sent = fetch(url, { ...init, headers: withHeader(init?.headers, this.header, id) });
    } catch (err) {
      done();
      return Promise.reject(err);
    }
    return sent.then(
      (res) => this.track(res, id, done),
      (err: unknown) => {
        done();
        throw err;
      },
    );
  }

  received(id: string): void {
    this.touch(id);
  }

  waiting(id: string): void {
    const x = this.open.get(id);
    if (x) x.parked = true;
  }

  answering(id: string): void {
    const x = this.open.get(id);
    if (x) x.parked = false;
    this.touch(id);
  }

  answered(id: string): void {
    this.touch(id);
  }

  private touch(id: string): void {
    const x = this.open.get(id);
    if (x) {
      x.last = performance.now();
      x.stalledChecks = 0;
    }
  }

  /**
   * The response with a body that ends the exchange when it has been read to its end (it is
   * read eagerly, so the exchange ends when the bytes have arrived), errors or is cancelled.
   * Status, status text, headers, url, type and `redirected` are the original's.
   */
  private track(res: Response, id: string, done: () => void): Response {
    this.touch(id);
    const source = res.body;
    // A null-body status (204, 304) or a HEAD: nothing more arrives. (A status the Response
    // constructor refuses cannot come from fetch; it is passed on untracked all the same.)
    if (source === null || res.status < 200 || res.status > 599) {
      done();
      return res;
    }
    const reader = source.getReader();
    const body = new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          try {
            const chunk = await reader.read();
            this.touch(id);
            if (chunk.done) {
              done();
              controller.close();
            } else controller.enqueue(chunk.value);
          } catch (err) {
            done();
            try {
              controller.error(err);
            } catch {
              // Already cancelled by the reader of the response.
            }
          }
        },
        cancel: (reason) => {
          done();
          return reader.cancel(reason);
        },
      },
      { highWaterMark: Number.POSITIVE_INFINITY },
    );
    const out = new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    Object.defineProperties(out, {
      url: { value: res.url },
      type: { value: res.type },
      redirected: { value: res.redirected },
    });
    return out;
  }
}

/** `headers` plus one header, in the same form (object, list or Headers) as given. */
function withHeader(headers: HeadersInit | undefined, name: string, value: string): HeadersInit {
  if (headers === undefined) return { [name]: value };
  if (headers instanceof Headers) {
    const h = new Headers(headers);
    h.set(name, value);
    return h;
  }
  if (Array.isArray(headers)) return [...headers, [name, value]];
  return { ...(headers as Record<string, string>), [name]: value };
}
