/**
 * A long-lived host for one bundled Action, for running it thousands of times: the code is
 * loaded once by the harness loader (compiler/emulator/load.ts, Auth0's rules: the module
 * initializes on the first run, its state is reused across executions, a top-level error or
 * a handler that is not a native async function fails every run), every system is served by
 * one real HTTP server on 127.0.0.1, and each run gets a fresh Auth0-like `api` (the cache
 * persists across runs, as the module does).
 * What each system answers is decided per run by a `Responder`, so a property test can
 * script the systems along with the event.
 *
 * Two transports (`HostOptions.transport`):
 * - `socket` (default): one real HTTP server on 127.0.0.1 and the real clock — for the tests
 *   about the network, and a smaller share of every fuzz;
 * - `memory`: the Action's `fetch` is answered in process (a WHATWG `Response` built from the
 *   same `Answer`, the way Node's HTTP server would have sent it) and the module runs on a
 *   virtual clock (compiler/emulator/clock.ts), so delays, drips, backoffs and timeouts cost no
 *   real time. The loader's routing (and its refusal of unknown hosts) is the same; only what
 *   happens after routing differs. This is what lets CI push 10,000 events per Action in
 *   seconds instead of minutes.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ActionIR } from '../../../compiler/ir/types';
import { createApi, type ApiRecord, type CacheRecord } from '../../../compiler/emulator/auth0-api';
import { VirtualClock } from '../../../compiler/emulator/clock';
import { loadAction, type LoadOptions, type Route } from '../../../compiler/emulator/load';
import { tokenUrls } from '../../../compiler/emulator/run-action';

/** One answer of a system. `raw` is sent as is; otherwise `body` is JSON-encoded. */
export interface Answer {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly raw?: string | Buffer;
  /** Never answer (the Action's timeout must end the request). */
  readonly hang?: boolean;
  /** Destroy the socket instead of answering. */
  readonly reset?: boolean;
  /** Answer after this many ms. */
  readonly delayMs?: number;
  /** Send `raw`/`body` in `drip.chunks` pieces, one every `drip.everyMs` ms. */
  readonly drip?: { readonly chunks: number; readonly everyMs: number };
}

export interface Seen {
  readonly system: string;
  readonly method: string;
  /** Path below the system's base URL, with the query. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The deployed base URL the Action addressed. */
  readonly base: string;
}

/** Decides the answer to one request. */
export type Responder = (req: Seen) => Answer;

export interface RunResult {
  readonly record: ApiRecord;
  /** Set when the handler threw or rejected. */
  readonly threw?: unknown;
  readonly logs: readonly string[];
  readonly requests: readonly Seen[];
  /** URLs the Action fetched that no system serves (refused, never sent). */
  readonly refused: readonly string[];
  /** Real milliseconds (socket transport) or virtual ones (memory transport). */
  readonly elapsedMs: number;
}

export interface HostOptions {
  /** `socket` (default): real HTTP on 127.0.0.1; `memory`: in-process answers on a virtual clock. */
  readonly transport?: 'socket' | 'memory';
}

export interface Host {
  readonly action: ActionIR;
  /**
   * Runs the handler once with `event` (secrets are added) while `responder` answers;
   * `entrypoint` picks the handler (default: the trigger's `onExecute…`).
   */
  run(event: Record<string, unknown>, responder: Responder, entrypoint?: string): Promise<RunResult>;
  close(): Promise<void>;
}

/** Every deployed base URL of the Action's systems (static URLs and routes), then their oauth2 token URLs (answered by the same responder). */
function baseUrls(action: ActionIR): [system: string, base: string][] {
  const out: [string, string][] = [];
  for (const s of action.systems) {
    const b = s.baseUrl;
    if (b.kind === 'static') out.push([s.name, b.url]);
    else if (b.kind === 'routed') for (const u of [...b.routes.map(([, url]) => url), ...(b.default ? [b.default] : [])]) out.push([s.name, u]);
  }
  for (const s of action.systems) for (const u of tokenUrls(s)) out.push([s.name, u]);
  return out;
}

/** What a request to `url` (a stub URL: `<origin>/<base index><path>`) looks like to the system. */
function seenOf(bases: readonly [string, string][], pathAndQuery: string, method: string, headers: Record<string, string>, body: string): Seen {
  // The first path segment is the index of the base URL the Action addressed.
  const m = /^\/(\d+)(\/.*|\?.*)?$/.exec(pathAndQuery);
  const entry = m ? bases[Number(m[1])] : undefined;
  return { system: entry?.[0] ?? '?', method, path: m?.[2] ?? '/', headers, body, base: entry?.[1] ?? '?' };
}

/** The responder's answer, or a 500 when it throws. */
function answerOf(responder: Responder, seen: Seen): Answer {
  try {
    return responder(seen);
  } catch {
    return { status: 500 };
  }
}

/** What the stub origin of the memory transport is called (never connected to). */
const MEMORY_ORIGIN = 'http://127.0.0.1:9';

/** Statuses whose responses carry no body (Node's server drops it; `Response` refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

const aborted = (): Error => Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });

/**
 * A `fetch` that answers in process: the request is recorded as the server would see it
 * (lower-cased header names), the `Answer` becomes a `Response` as Node's server would send it
 * (`content-type: application/json` unless set, `content-length` for a whole body, chunked for
 * a drip), and every wait is on `clock`. The request's signal aborts a pending answer or body.
 */
function memoryFetch(bases: readonly [string, string][], clock: VirtualClock, state: { responder: Responder; requests: Seen[] }) {
  return (url: string, init?: RequestInit): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const signal = init?.signal ?? undefined;
      if (signal?.aborted) return reject(aborted());
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
      const body = typeof init?.body === 'string' ? init.body : '';
      const seen = seenOf(bases, url.slice(MEMORY_ORIGIN.length), (init?.method ?? 'GET').toUpperCase(), headers, body);
      state.requests.push(seen);
      const a = answerOf(state.responder, seen);
      let settled = false;
      let timer: number | undefined;
      const onAbort = () => {
        if (timer !== undefined) clock.clearTimeout(timer);
        if (!settled) {
          settled = true;
          reject(aborted());
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const answer = () => {
        timer = undefined;
        if (settled) return;
        if (a.hang) return;
        settled = true;
        if (a.reset) return reject(new TypeError('fetch failed'));
        const status = a.status ?? 200;
        const text = a.raw ?? (a.body === undefined ? '' : JSON.stringify(a.body));
        const bytes = Buffer.from(text);
        const h = new Headers({ 'content-type': 'application/json', ...(a.headers ?? {}) });
        if (NULL_BODY.has(status)) return resolve(new Response(null, { status, headers: h }));
        if (!a.drip) {
          h.set('content-length', String(bytes.length));
          return resolve(new Response(bytes, { status, headers: h }));
        }
        const size = Math.max(1, Math.ceil(bytes.length / a.drip.chunks));
        const everyMs = a.drip.everyMs;
        let at = 0;
        let tick: number | undefined;
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            const next = () => {
              if (at >= bytes.length) return controller.close();
              controller.enqueue(new Uint8Array(bytes.subarray(at, at + size)));
              at += size;
              tick = clock.setTimeout(next, everyMs);
            };
            signal?.addEventListener('abort', () => {
              if (tick !== undefined) clock.clearTimeout(tick);
              try {
                controller.error(aborted());
              } catch {
                // already closed
              }
            });
            next();
          },
          cancel() {
            if (tick !== undefined) clock.clearTimeout(tick);
          },
        });
        resolve(new Response(stream, { status, headers: h }));
      };
      if (a.delayMs) timer = clock.setTimeout(answer, a.delayMs);
      else answer();
    });
}

/** Starts the server (or the in-memory systems) and loads `code`; `secrets` are put in every event. */
export async function startHost(action: ActionIR, code: string, secrets: Readonly<Record<string, string>>, options: HostOptions = {}): Promise<Host> {
  const bases = baseUrls(action);
  const state: { responder: Responder; requests: Seen[] } = { responder: () => ({ status: 404 }), requests: [] };
  let load: LoadOptions;
  let origin: string;
  let close: () => Promise<void>;
  let drive: <T>(p: Promise<T>) => Promise<T>;
  let now: () => number;
  if (options.transport === 'memory') {
    const clock = new VirtualClock(Date.now());
    origin = MEMORY_ORIGIN;
    load = {
      trigger: action.trigger,
      clock: { Date: clock.Date, setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout },
      net: { fetch: memoryFetch(bases, clock, state) },
    };
    close = async () => undefined;
    drive = (p) => {
      clock.sync(Date.now());
      return clock.drive(p);
    };
    now = () => clock.now();
  } else {
    const server = await startServer(bases, state);
    origin = server.origin;
    load = { trigger: action.trigger };
    close = server.close;
    drive = (p) => p;
    now = () => performance.now();
  }
  const routes: Route[] = bases.map(([, base], i) => ({ base, stub: `${origin}/${i}` }));
  const loaded = loadAction(code, routes, load);
  const cacheData = new Map<string, CacheRecord>();
  return {
    action,
    async run(event, r, entrypoint) {
      state.responder = r;
      state.requests = [];
      const requests = state.requests;
      const logsFrom = loaded.logs.length;
      const refusedFrom = loaded.refused.length;
      const e = { ...event, secrets: { ...secrets } };
      const chosen = entrypoint ?? loaded.entrypoints[0]!;
      const { api, record } = createApi(action.trigger, e, { entrypoint: chosen, cacheData });
      let threw: unknown;
      let failed = false;
      let t0 = 0;
      const execution = (async () => {
        t0 = now();
        await loaded.execute(chosen, e, api);
      })();
      try {
        await drive(execution);
      } catch (err) {
        failed = true;
        threw = err;
      }
      const elapsedMs = now() - t0;
      return {
        record,
        ...(failed ? { threw } : {}),
        logs: loaded.logs.slice(logsFrom),
        requests,
        refused: loaded.refused.slice(refusedFrom),
        elapsedMs,
      };
    },
    close,
  };
}

/** The socket transport: one HTTP server on 127.0.0.1 answering for every system. */
async function startServer(bases: readonly [string, string][], state: { responder: Responder; requests: Seen[] }): Promise<{ origin: string; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  // Node's 16 KB default would answer 431 to a request whose headers carry a huge user value:
  // a limit of the stub, not of the Action (the memory transport has none, and a real system's
  // limit is its own), so the stub takes headers of any size the fuzz makes.
  const server = http.createServer({ maxHeaderSize: 16 * 1024 * 1024 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const seen = seenOf(bases, req.url ?? '/', req.method ?? 'GET', headers, Buffer.concat(chunks).toString('utf8'));
      state.requests.push(seen);
      const a = answerOf(state.responder, seen);
      const answer = () => {
        if (a.hang) return;
        if (a.reset) return void req.socket.destroy();
        const body = a.raw ?? (a.body === undefined ? '' : JSON.stringify(a.body));
        res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...(a.headers ?? {}) });
        if (!a.drip) return void res.end(body);
        const buf = Buffer.from(body);
        const size = Math.max(1, Math.ceil(buf.length / a.drip.chunks));
        let at = 0;
        const tick = () => {
          if (res.destroyed) return;
          if (at >= buf.length) return void res.end();
          res.write(buf.subarray(at, at + size));
          at += size;
          setTimeout(tick, a.drip!.everyMs);
        };
        tick();
      };
      if (a.delayMs) setTimeout(answer, a.delayMs);
      else answer();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // Requests the Action does not wait for any more (timed out) must not keep the process busy.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
