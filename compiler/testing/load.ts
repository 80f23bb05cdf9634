/**
 * Loads a bundled `code.js` (the exact bytes `mapc build` writes) as a CommonJS module whose
 * `fetch` is routed to stub systems and whose `console` is captured. The code is not changed:
 * `fetch` and `console` are supplied as the module's free variables, so every request the
 * Action makes to a system's real base URL is sent to that system's stub on 127.0.0.1, and a
 * request to any other host is refused (never leaves the machine). With `options.now` the
 * module's `Date` is frozen at that instant (see `frozenDate`).
 */
import { builtinModules } from 'node:module';

export interface Route {
  /** The system's base URL as deployed (`https://crm.example.com/api`). */
  readonly base: string;
  /** Where its stub listens (`http://127.0.0.1:4321`). */
  readonly stub: string;
}

export interface LoadedAction {
  readonly exports: Record<string, unknown>;
  /** Log lines the Action printed, in order. */
  readonly logs: string[];
  /** Requests refused because no system stub serves their URL. */
  readonly refused: string[];
  /** Every URL the Action fetched, as it asked for it (before routing to a stub), in order. */
  readonly fetched: string[];
}

/** Rewrites `https://crm.example.com/api/contacts?x=1` to `http://127.0.0.1:4321/contacts?x=1`. */
export function routeUrl(url: string, routes: readonly Route[]): string | null {
  for (const r of routes) {
    const base = r.base.replace(/\/+$/, '');
    if (url === base || url.startsWith(base + '/') || url.startsWith(base + '?')) {
      return r.stub + (url.slice(base.length) || '/');
    }
  }
  return null;
}

export interface LoadOptions {
  /** Epoch milliseconds the Action's clock is frozen at (default: the real clock). */
  readonly now?: number;
}

/**
 * A `Date` whose "now" is always `atMs`: `now()` and `hours_since()` are reproducible. Timers
 * are real, so per-call timeouts still fire; the Action-wide deadline, measured with `Date`,
 * does not advance.
 */
export function frozenDate(atMs: number): DateConstructor {
  const RealDate = Date;
  class FrozenDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(atMs);
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return atMs;
    }
  }
  return FrozenDate as unknown as DateConstructor;
}

export function loadAction(code: string, routes: readonly Route[], options: LoadOptions = {}): LoadedAction {
  const logs: string[] = [];
  const refused: string[] = [];
  const fetched: string[] = [];
  const routedFetch = (input: unknown, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : String((input as Request).url);
    fetched.push(url);
    const target = routeUrl(url, routes);
    if (target === null || !target.startsWith('http://127.0.0.1:')) {
      refused.push(url);
      return Promise.reject(new TypeError('fetch failed (mapc test: no stub system serves this URL)'));
    }
    return fetch(target, init);
  };
  const line = (...args: unknown[]) => logs.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  const captured = { log: line, info: line, warn: line, error: line, debug: line };
  const module = { exports: {} as Record<string, unknown> };
  const allowed = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const requireBuiltin = (id: string): unknown => {
    if (!allowed.has(id)) throw new Error(`generated code may only require Node built-ins, not '${id}'`);
    return require(id);
  };
  const clock = options.now === undefined ? Date : frozenDate(options.now);
  const fn = new Function('exports', 'require', 'module', '__filename', '__dirname', 'fetch', 'console', 'Date', code);
  fn(module.exports, requireBuiltin, module, 'code.js', '.', routedFetch, captured, clock);
  return { exports: module.exports, logs, refused, fetched };
}
