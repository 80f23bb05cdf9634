/**
 * Test helpers for the runtime: real HTTP stub servers on 127.0.0.1 (ephemeral ports), a
 * fake Auth0 `api` that records calls, plan builders and a log capture.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { vi } from 'vitest';
import { createApi } from '../../compiler/emulator/auth0-api';
import type { TriggerId } from '../../compiler/triggers';
import type { ActionPlan, LookupPlan, SendPlan, SpecPlan, SystemPlan } from '../../runtime/plan';

export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string, n: number) => void;

export interface Stub {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

/** A server whose routes are `METHOD /path` (query ignored) → handler; `n` counts calls per route from 0. */
export async function stub(routes: Record<string, Handler>): Promise<Stub> {
  const seen: Seen[] = [];
  const counts = new Map<string, number>();
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const key = `${req.method} ${req.url!.split('?')[0]}`;
      const n = counts.get(key) ?? 0;
      counts.set(key, n + 1);
      const h = routes[key];
      if (!h) {
        res.statusCode = 404;
        res.end('{}');
        return;
      }
      h(req, res, body, n);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Responds with JSON. */
export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

/** Never responds. */
export const hang: Handler = () => undefined;

/**
 * The emulator's Auth0 api (compiler/emulator/auth0-api.ts: the one harness api, as `mapc test`
 * uses it) with every call recorded as `[group.method, ...args]`, for the engine's unit tests.
 * Only what those tests steer is replaced: `canRedirect` (default true), `encodeToken` (returns
 * `token:<payload JSON>`), `validateToken` (returns `opts.validated`, or throws it when it is an
 * Error); `throwOn: 'group.method'` makes that method throw after recording.
 */
export function fakeApi(
  opts: { canRedirect?: boolean; throwOn?: string; validated?: unknown; trigger?: TriggerId } = {},
  ev: Record<string, unknown> = event(),
) {
  const { api: real } = createApi(opts.trigger ?? 'post-login', ev);
  const calls: [string, ...unknown[]][] = [];
  const recorded =
    (name: string, fn: (...args: any[]) => unknown) =>
    (...args: unknown[]) => {
      if (opts.throwOn === name) throw new Error(`boom in ${name}`);
      calls.push([name, ...args]);
      return fn(...args);
    };
  const api: Record<string, Record<string, any>> = {};
  for (const [group, methods] of Object.entries(real as Record<string, Record<string, unknown>>)) {
    api[group] = {};
    for (const [name, f] of Object.entries(methods)) {
      api[group]![name] = typeof f === 'function' ? recorded(`${group}.${name}`, (f as (...a: unknown[]) => unknown).bind(methods)) : f;
    }
  }
  if (api['redirect']) {
    api['redirect']['canRedirect'] = () => opts.canRedirect ?? true;
    api['redirect']['encodeToken'] = recorded('redirect.encodeToken', (o: { payload: unknown }) => `token:${JSON.stringify(o.payload)}`);
    api['redirect']['validateToken'] = recorded('redirect.validateToken', () => {
      if (opts.validated instanceof Error) throw opts.validated;
      return opts.validated;
    });
  }
  return { api: api as any, calls };
}

/** Captures console.log lines (parsed) for the duration of a test. */
export function captureLogs() {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    lines.push(String(a[0]));
  });
  return {
    lines,
    parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    restore: () => spy.mockRestore(),
  };
}

export const system = (url: string, extra: Partial<SystemPlan> = {}): SystemPlan => ({
  baseUrl: () => url,
  auth: { kind: 'none' },
  ...extra,
});

export function lookup(name: string, p: string, extra: Partial<LookupPlan> = {}): LookupPlan {
  return {
    name,
    system: 'sys',
    method: 'GET',
    path: () => p,
    timeoutMs: 2000,
    retries: 0,
    onError: 'continue',
    after: [],
    ...extra,
  };
}

export function send(p: string, extra: Partial<SendPlan> = {}): SendPlan {
  return { system: 'sys', method: 'POST', path: () => p, timeoutMs: 2000, retries: 0, onError: 'continue', store: [], ...extra };
}

export function spec(name: string, extra: Partial<SpecPlan> = {}): SpecPlan {
  return { name, onError: 'continue', lookups: [], fields: [], access: [], sends: [], ...extra };
}

export function plan(specs: SpecPlan[], extra: Partial<ActionPlan> = {}): ActionPlan {
  return {
    action: 'mapc-post-login',
    trigger: 'post-login',
    deadlineMs: 5000,
    systems: {},
    specs,
    registry: {},
    maxResponseBytes: 1024 * 1024,
    ...extra,
  };
}

/** A post-login-like event. */
export function event(user: Record<string, unknown> = {}, secrets: Record<string, string> = {}) {
  return {
    user: { user_id: 'auth0|1', email: 'jane@example.com', app_metadata: {}, user_metadata: {}, identities: [], ...user },
    secrets,
    client: { client_id: 'c1', name: 'App', metadata: {} },
  };
}
