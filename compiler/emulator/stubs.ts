/**
 * Stub systems: real HTTP servers on 127.0.0.1 (ephemeral ports) answering from a script.
 * Each incoming request takes the first unused scripted response whose method and path
 * match; a request nothing matches gets 404 and is recorded as unmatched.
 *
 * On a virtual clock (`StubOptions.setTimeout` and `activity`, as `mapc test` runs), a
 * `delay` is a timer of that clock, and the stub tells the clock's network tracker when an
 * answer waits on the clock (`delay`, `hang`) and when it is written (./net-activity.ts).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StubActivity } from './net-activity';

export interface ScriptedResponse {
  readonly method?: string;
  /** Path relative to the system's base URL, query excluded unless it contains `?`. */
  readonly path?: string;
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON-encoded unless `raw` is set. */
  readonly body?: unknown;
  /** Sent as is (to script invalid JSON). */
  readonly raw?: string;
  readonly delayMs?: number;
  /** Drop the connection instead of answering. */
  readonly reset?: boolean;
  /** Never answer (the caller's timeout must end it). */
  readonly hang?: boolean;
}

export interface RecordedRequest {
  readonly system: string;
  readonly method: string;
  /** Path relative to the system's base URL, with the query string. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON when the body is JSON, else the text, else undefined. */
  readonly body: unknown;
  readonly matched: boolean;
  /** The deployed base URL this request was addressed to (when the stubs were started with `bases`). */
  readonly base?: string;
}

export interface StubSystem {
  readonly name: string;
  /** `http://127.0.0.1:<port>` (the listener of the first base URL when there are several). */
  readonly url: string;
  /** The listener of each deployed base URL given in `bases` (empty without `bases`). */
  readonly urls: ReadonlyMap<string, string>;
  /** The listener of each oauth2 token URL's origin given in `tokens`. */
  readonly tokenUrls: ReadonlyMap<string, string>;
}

export interface StubOptions {
  /**
   * Per system, the deployed base URLs to tell apart (a routed system's routes): each gets a
   * listener of its own, all sharing the system's script, and every request records the base
   * it came through, so a test can check which route the Action chose.
   */
  readonly bases?: Readonly<Record<string, readonly string[]>>;
  /** The timer a `delay` waits on (default: the real `setTimeout`; `mapc test`: the case's virtual clock). */
  readonly setTimeout?: (fn: () => void, ms: number) => unknown;
  /** Told when an answer waits on the clock and when it is written (a virtual clock's network tracker). */
  readonly activity?: StubActivity;
  /**
   * Per system, its oauth2 token URLs: each URL's origin gets a listener of its own (recorded
   * with that origin as `base`, the URL's path as `path`), and a POST to a token path that no
   * scripted response answers gets `defaultTokenAnswer(system)`.
   */
  readonly tokens?: Readonly<Record<string, readonly string[]>>;
}

/** What a token endpoint answers when the test scripts none: a bearer token named after the system, for an hour. */
export function defaultTokenAnswer(system: string): { access_token: string; token_type: string; expires_in: number } {
  return { access_token: `mapc-test-token-${system}`, token_type: 'Bearer', expires_in: 3600 };
}

export interface Stubs {
  readonly systems: ReadonlyMap<string, StubSystem>;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts one server per system (per base URL, see `StubOptions`). Always `close()` them (sockets included). */
export async function startStubs(
  scripts: Readonly<Record<string, readonly ScriptedResponse[]>>,
  options: StubOptions = {},
): Promise<Stubs> {
  const requests: RecordedRequest[] = [];
  const servers: http.Server[] = [];
  const systems = new Map<string, StubSystem>();
  const sockets = new Set<import('node:net').Socket>();
  const later = options.setTimeout ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const activity = options.activity;
  for (const name of Object.keys(scripts).sort()) {
    const pending = [...(scripts[name] ?? [])];
    const used = new Set<number>();
    const tokenUrls = (options.tokens?.[name] ?? []).flatMap((u) => {
      try {
        return [new URL(u)];
      } catch {
        return [];
      }
    });
    const tokenPaths = new Set(tokenUrls.map((u) => u.pathname));
    const handler = (base: string | undefined) => (req: http.IncomingMessage, res: http.ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const url = req.url ?? '/';
        const pathOnly = url.split('?')[0]!;
        const index = pending.findIndex(
          (r, i) =>
            !used.has(i) &&
            (r.method === undefined || r.method.toUpperCase() === req.method) &&
            (r.path === undefined || r.path === (r.path.includes('?') ? url : pathOnly)),
        );
        // An oauth2 token request the script does not answer: the default token.
        const defaultToken = index < 0 && req.method === 'POST' && tokenPaths.has(pathOnly);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        // The tracker's exchange id: never recorded, never seen by a case.
        const exchange = activity ? headers[activity.header] : undefined;
        if (activity) delete headers[activity.header];
        if (exchange !== undefined) {
          activity!.received(exchange);
          res.on('finish', () => activity!.answered(exchange));
        }
        requests.push({
          system: name,
          method: req.method ?? 'GET',
          path: url,
          headers,
          body: parseBody(text),
          matched: index >= 0 || defaultToken,
          ...(base !== undefined ? { base } : {}),
        });
        if (defaultToken) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(defaultTokenAnswer(name)));
          return;
        }
        if (index < 0) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'no scripted response for this request' }));
          return;
        }
        used.add(index);
        const r = pending[index]!;
        const answer = () => {
          if (r.hang) return;
          if (r.reset) {
            req.socket.destroy();
            if (exchange !== undefined) activity!.answered(exchange);
            return;
          }
          const body = r.raw ?? (r.body === undefined ? '' : JSON.stringify(r.body));
          res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...(r.headers ?? {}) });
          res.end(body);
        };
        if (r.hang) {
          // Only the caller's timeout (a timer) ends this exchange.
          if (exchange !== undefined) activity!.waiting(exchange);
        } else if (r.delayMs) {
          if (exchange !== undefined) activity!.waiting(exchange);
          later(() => {
            if (exchange !== undefined) activity!.answering(exchange);
            answer();
          }, r.delayMs);
        } else answer();
      });
    };
    const listen = async (base: string | undefined): Promise<string> => {
      const server = http.createServer(handler(base));
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    const bases = [...new Set(options.bases?.[name] ?? [])];
    const urls = new Map<string, string>();
    for (const base of bases) urls.set(base, await listen(base));
    const url = bases.length > 0 ? urls.get(bases[0]!)! : await listen(undefined);
    const tokenListeners = new Map<string, string>();
    for (const origin of new Set(tokenUrls.map((u) => u.origin))) tokenListeners.set(origin, await listen(origin));
    systems.set(name, { name, url, urls, tokenUrls: tokenListeners });
  }
  return {
    systems,
    requests,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
