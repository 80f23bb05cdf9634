/**
 * Loads a bundled `code.js` (the exact bytes `mapc build` writes) the way Auth0's own test
 * loader does (`@auth0/actions`, src/_shared/_XK5Fidc.js `createLoader` / `ActionsRunner` /
 * `getHandlerFactory`; docs/testing.md "How the harness matches Auth0"):
 *
 * - The code is compiled once, as the body of a CommonJS function, with `node:vm`
 *   `compileFunction` in the main realm (Auth0's production runtime has one realm), under the
 *   file name `code.js`. A syntax error throws from `loadAction`.
 * - The module's top level runs lazily, on the first execution. When it throws, that same
 *   error is thrown again by every later execution (a module that fails at the top level
 *   must not start working on the second login).
 * - `execute(entrypoint, event, api)` picks the handler as Auth0's `getHandlerFactory` does:
 *   the exports must be an object, the entrypoint must be one of the trigger's entrypoints,
 *   and the export must be a native async function (`fn.constructor.name === 'AsyncFunction'`),
 *   else it throws Auth0's own messages.
 *
 * What differs from Auth0 on purpose: `fetch` and `Date` are supplied as the module's free
 * variables next to `module`, `exports`, `require` and `console`. Every request the Action makes
 * to a system's real base URL is sent to that system's stub on 127.0.0.1, a request to any
 * other host is refused (it never leaves the machine), and with `options.now` the module's
 * `Date` is frozen at that instant (see `frozenDate`). `require` serves Node built-ins only.
 */
import { builtinModules } from 'node:module';
import { compileFunction } from 'node:vm';
import { entrypointsOf, TRIGGERS, type TriggerId } from '../triggers';

export interface Route {
  /** The system's base URL as deployed (`https://crm.example.com/api`). */
  readonly base: string;
  /** Where its stub listens (`http://127.0.0.1:4321`). */
  readonly stub: string;
}

export interface LoadedAction {
  /**
   * The module's exports. Reading them runs the module's top level if no execution has yet
   * (and throws the top-level error, if any), so a test can inspect what the code exports.
   */
  readonly exports: Record<string, unknown>;
  /**
   * Runs one execution, as Auth0's loader `execute(entrypoint, event, api)`: initializes the
   * module on the first call, picks the handler (Auth0's checks and messages) and awaits it.
   * Rejects with the handler's error, the module's top-level error, or the loader's refusal.
   */
  execute(entrypoint: string | undefined, event: unknown, api: unknown): Promise<void>;
  /** The entrypoints `execute` accepts; the first is used when `entrypoint` is empty. */
  readonly entrypoints: readonly string[];
  /** Log lines the Action printed, in order, across every execution (module top level included). */
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
  /** The trigger: `execute` accepts its entrypoints only (compiler/triggers `entrypointsOf`). */
  readonly trigger?: TriggerId;
  /**
   * The entrypoints `execute` accepts, when not taken from `trigger`. Without both, every
   * entrypoint of every trigger mapc knows is accepted.
   */
  readonly entrypoints?: readonly string[];
  /**
   * A clock to run the module on instead of the real one (`clock.ts` VirtualClock): its `Date`,
   * `setTimeout` and `clearTimeout` replace the globals (and `now`).
   */
  readonly clock?: { readonly Date: DateConstructor; readonly setTimeout: unknown; readonly clearTimeout: unknown };
  /** A `fetch` to use instead of routing to the stubs (e.g. `clock.ts` hangingFetch). */
  readonly fetch?: typeof fetch;
  /**
   * Sends the requests routed to the stubs through this tracker (net-activity.ts
   * `NetActivity.fetch`), so a virtual clock knows when a request is in flight.
   */
  readonly net?: { fetch(url: string, init?: RequestInit): Promise<Response> };
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

/** Auth0's `isAction`: a native async function (an arrow returning a promise is not one). */
function isAction(fn: unknown): fn is (event: unknown, api: unknown) => Promise<unknown> {
  return !!fn && typeof fn === 'function' && !!fn.constructor && fn.constructor.name === 'AsyncFunction';
}

/** Auth0's `toError`: what a module that threw a non-Error is reported as. */
function toError(thrown: unknown): Error {
  if (!thrown) return new Error('Unknown error');
  if (!(thrown instanceof Error)) return new Error(String(thrown));
  return thrown;
}

/** The free variables of the module, in order (Auth0 passes the first four). */
const PARAMS = ['module', 'exports', 'require', 'console', 'fetch', 'Date', 'setTimeout', 'clearTimeout'] as const;

export function loadAction(code: string, routes: readonly Route[], options: LoadOptions = {}): LoadedAction {
  const entrypoints: readonly string[] =
    options.entrypoints ?? (options.trigger ? entrypointsOf(options.trigger) : Object.keys(TRIGGERS).flatMap((t) => entrypointsOf(t as TriggerId)));
  if (entrypoints.length === 0) throw new Error('The compiler must support at least one entrypoint.');
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
    return options.net ? options.net.fetch(target, init) : fetch(target, init);
  };
  const line = (...args: unknown[]) => logs.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  const captured = { log: line, info: line, warn: line, error: line, debug: line };
  const allowed = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const requireBuiltin = (id: string): unknown => {
    if (!allowed.has(id)) throw new Error(`generated code may only require Node built-ins, not '${id}'`);
    return require(id);
  };
  const clock = options.clock?.Date ?? (options.now === undefined ? Date : frozenDate(options.now));
  const timers = options.clock ?? { setTimeout, clearTimeout };
  const doFetch = options.fetch ?? routedFetch;

  // Compiled now (a syntax error throws here, as Auth0's loader rejects), run on first use.
  const initializer = compileFunction(code, [...PARAMS], { filename: 'code.js' });
  const mod: { exports: unknown } = { exports: {} };
  let initialized = false;
  let moduleError: Error | undefined;
  const initialize = (): void => {
    if (!initialized) {
      initialized = true;
      try {
        initializer.call(mod.exports, mod, mod.exports, requireBuiltin, captured, doFetch, clock, timers.setTimeout, timers.clearTimeout);
      } catch (err) {
        moduleError = toError(err);
      }
    }
    if (moduleError) throw moduleError;
  };
  // Auth0's getHandlerFactory(entrypoints)(exports, entrypoint).
  const handlerFor = (exports: unknown, entrypoint: string | undefined) => {
    if (typeof exports !== 'object' || exports === null) throw new Error('The Action must export an object.');
    let name = entrypoints[0]!;
    if (entrypoint) {
      if (!entrypoints.includes(entrypoint)) throw new Error('The Action can only be called with valid methods.');
      name = entrypoint;
    }
    const fn = (exports as Record<string, unknown>)[name];
    if (!isAction(fn)) {
      throw new Error(`Invalid function signature for the ${JSON.stringify(name)} handler. Use "exports.${name} = async function(event, api) { }" as the signature.`);
    }
    return fn;
  };

  return {
    get exports(): Record<string, unknown> {
      initialize();
      return mod.exports as Record<string, unknown>;
    },
    async execute(entrypoint, event, api) {
      initialize();
      const handler = handlerFor(mod.exports, entrypoint);
      await handler(event, api);
    },
    entrypoints,
    logs,
    refused,
    fetched,
  };
}
