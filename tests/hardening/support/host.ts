/**
 * A long-lived host for one bundled Action, for running it thousands of times: the code is
 * loaded once by the harness loader (compiler/emulator/load.ts, Auth0's rules: the module
 * initializes on the first run, its state is reused across executions, a top-level error or
 * a handler that is not a native async function fails every run), every system is served by
 * one real HTTP server on 127.0.0.1, and each run gets a fresh Auth0-like `api` (the cache
 * persists across runs, as the module does).
 * What each system answers is decided per run by a `Responder`, so a property test can
 * script the systems along with the event.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ActionIR } from '../../../compiler/ir/types';
import { createApi, type ApiRecord, type CacheRecord } from '../../../compiler/emulator/auth0-api';
import { loadAction, type Route } from '../../../compiler/emulator/load';

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
  readonly elapsedMs: number;
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

/** Every deployed base URL of the Action's systems (static URLs and routes). */
function baseUrls(action: ActionIR): [system: string, base: string][] {
  const out: [string, string][] = [];
  for (const s of action.systems) {
    const b = s.baseUrl;
    if (b.kind === 'static') out.push([s.name, b.url]);
    else if (b.kind === 'routed') for (const u of [...b.routes.map(([, url]) => url), ...(b.default ? [b.default] : [])]) out.push([s.name, u]);
  }
  return out;
}

/** Starts the server and loads `code`; `secrets` are put in every event. */
export async function startHost(action: ActionIR, code: string, secrets: Readonly<Record<string, string>>): Promise<Host> {
  let responder: Responder = () => ({ status: 404 });
  let requests: Seen[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const bases = baseUrls(action);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // The first path segment is the index of the base URL the Action addressed.
      const m = /^\/(\d+)(\/.*|\?.*)?$/.exec(req.url ?? '/');
      const entry = m ? bases[Number(m[1])] : undefined;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const seen: Seen = {
        system: entry?.[0] ?? '?',
        method: req.method ?? 'GET',
        path: m?.[2] ?? '/',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        base: entry?.[1] ?? '?',
      };
      requests.push(seen);
      let a: Answer;
      try {
        a = responder(seen);
      } catch {
        a = { status: 500 };
      }
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
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const routes: Route[] = bases.map(([, base], i) => ({ base, stub: `${origin}/${i}` }));
  const loaded = loadAction(code, routes, { trigger: action.trigger });
  const cacheData = new Map<string, CacheRecord>();
  return {
    action,
    async run(event, r, entrypoint) {
      responder = r;
      requests = [];
      const logsFrom = loaded.logs.length;
      const refusedFrom = loaded.refused.length;
      const e = { ...event, secrets: { ...secrets } };
      const chosen = entrypoint ?? loaded.entrypoints[0]!;
      const { api, record } = createApi(action.trigger, e, { entrypoint: chosen, cacheData });
      const t0 = performance.now();
      let threw: unknown;
      let failed = false;
      try {
        await loaded.execute(chosen, e, api);
      } catch (err) {
        failed = true;
        threw = err;
      }
      const elapsedMs = performance.now() - t0;
      return {
        record,
        ...(failed ? { threw } : {}),
        logs: loaded.logs.slice(logsFrom),
        requests,
        refused: loaded.refused.slice(refusedFrom),
        elapsedMs,
      };
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
