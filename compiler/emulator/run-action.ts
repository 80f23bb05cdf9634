/**
 * Runs a generated Action the way Auth0 would: the bundled code loaded by Auth0's rules
 * (./load.ts: lazy module initialization, native async handlers only), an Auth0-like `event`
 * and `api` for its trigger (./events.ts, ./auth0-api.ts), and a stub server on 127.0.0.1 for
 * every system it calls. Used by `mapc test` and by the project's own tests.
 *
 * - `runAction(input)`: one execution on a fresh module with fresh stubs. `input.entrypoint`
 *   picks the handler (default: the trigger's `onExecute…`), so `onContinuePostLogin` can be
 *   run with an event made by `continueEvent`.
 * - `startSession(input)`: one loaded module and one set of stubs (and one `api.cache`) for
 *   several executions, e.g. `onExecutePostLogin`, then the page (`signContinueToken`), then
 *   `onContinuePostLogin` on `continueEvent(first.event, ...)`. Scripted responses are shared:
 *   each request takes the first unused one that matches, whichever execution sends it.
 *
 * Time (`SessionInput.clock`): by default a session runs on a virtual clock (./clock.ts). The
 * Action's `setTimeout`/`clearTimeout` (per-attempt timeouts, retry backoff) and its `Date`
 * (the deadline; frozen at `now` when given, as before) and the stubs' `delay` are that clock's,
 * and each execution is driven by `VirtualClock.drive`: when every pending thing waits on a
 * timer — no request or response on the wire (./net-activity.ts) — the clock jumps to the next
 * timer. The stubs stay real HTTP servers on 127.0.0.1; only the waiting is virtual, so a hang
 * costs no real time and the order of events is decided by the timers alone. `clock: 'real'`
 * runs on the real timers instead.
 */
import type { SystemIR } from '../ir';
import type { TriggerId } from '../triggers';
import { applyMetadata, createApi, type ApiRecord, type CacheRecord } from './auth0-api';
import { VirtualClock } from './clock';
import { frozenDate, loadAction, type LoadedAction, type Route } from './load';
import { NetActivity } from './net-activity';
import { startStubs, type RecordedRequest, type ScriptedResponse } from './stubs';

export interface SessionInput {
  /** The bundled code.js text. */
  readonly code: string;
  readonly trigger: TriggerId;
  /** The systems the Action calls (from the IR), to route their base URLs to stubs. */
  readonly systems: readonly SystemIR[];
  readonly secrets?: Readonly<Record<string, string>>;
  readonly scripts?: Readonly<Record<string, readonly ScriptedResponse[]>>;
  /** Epoch milliseconds the Action's clock (and the api's) is frozen at (default: the real clock; see load.ts). */
  readonly now?: number;
  /**
   * `virtual` (default): timeouts, backoff, the deadline and the stubs' delays run on a
   * virtual clock (see the file comment); `real`: on the real timers.
   */
  readonly clock?: 'virtual' | 'real';
}

/** One execution of a session. */
export interface RunStep {
  readonly event: Record<string, unknown>;
  /**
   * The handler to run: one of the trigger's entrypoints (load.ts `entrypointsOf`), default
   * its `onExecute…` handler. Also tells the api which handler it serves (`recordMethod`).
   */
  readonly entrypoint?: string;
}

export interface RunInput extends SessionInput, RunStep {}

export interface RunOutcome {
  readonly record: ApiRecord;
  /** `event.user.app_metadata` after Auth0 applies the batched writes. */
  readonly appMetadata: Record<string, unknown>;
  readonly userMetadata: Record<string, unknown>;
  /** Requests the stubs received during this execution. */
  readonly requests: readonly RecordedRequest[];
  /** What the Action logged during this execution. */
  readonly logs: readonly string[];
  /** Requests to URLs no system stub serves (refused, never sent). */
  readonly refused: readonly string[];
  /** Every URL the Action fetched, as deployed code would have (before routing to stubs). */
  readonly fetched: readonly string[];
  /**
   * Set when the execution failed — Auth0 would fail the flow: the handler threw or rejected,
   * the module's top level threw (on this and every later execution), the handler is not a
   * native async function, or the code does not compile.
   */
  readonly threw?: string;
  readonly elapsedMs: number;
  /** How long the execution took on the virtual clock (Auth0's time); undefined on the real clock. */
  readonly virtualMs?: number;
  /** The handler that ran. */
  readonly entrypoint: string;
  /** The event as the handler received it (a copy of the input with `secrets`; the api may have changed it). */
  readonly event: Record<string, unknown>;
}

export interface ActionSession {
  /** Runs one execution (never throws for a failing Action: see `RunOutcome.threw`). */
  run(step: RunStep): Promise<RunOutcome>;
  /** Stops the stub servers. */
  close(): Promise<void>;
  /** The session's virtual clock (undefined with `clock: 'real'`). */
  readonly clock?: VirtualClock;
}

/** Starts the stubs and loads the code; always `close()` the session. */
export async function startSession(input: SessionInput): Promise<ActionSession> {
  const scripts: Record<string, readonly ScriptedResponse[]> = {};
  for (const s of input.systems) scripts[s.name] = input.scripts?.[s.name] ?? [];
  // One listener per deployed base URL (a routed system has several), so each recorded
  // request names the base URL it was sent to: tests can check which route the Action chose.
  const bases: Record<string, string[]> = {};
  for (const s of input.systems) {
    const b = s.baseUrl;
    if (b.kind === 'static') bases[s.name] = [b.url];
    else if (b.kind === 'routed') bases[s.name] = [...b.routes.map(([, url]) => url), ...(b.default ? [b.default] : [])];
  }
  // Each oauth2 token URL (the system's auth, a route's) is served by the system's stub too.
  const tokens: Record<string, string[]> = {};
  for (const s of input.systems) tokens[s.name] = tokenUrls(s);
  const virtual = input.clock === 'real' ? undefined : new VirtualClock(Date.now());
  const net = virtual ? new NetActivity() : undefined;
  const stubs = await startStubs(scripts, { bases, tokens, ...(virtual && net ? { setTimeout: virtual.setTimeout, activity: net } : {}) });
  const secrets: Record<string, string> = { ...(input.secrets ?? {}) };
  const routes: Route[] = [];
  for (const s of input.systems) {
    const stub = stubs.systems.get(s.name)!.url;
    const b = s.baseUrl;
    if (b.kind === 'static') routes.push({ base: b.url, stub });
    else if (b.kind === 'routed') {
      for (const [base, listener] of stubs.systems.get(s.name)!.urls) routes.push({ base, stub: listener });
    } else {
      secrets[b.secret] = stub;
      routes.push({ base: stub, stub });
    }
  }
  // After every base URL: a base on the token URL's origin (`https://idp.example/api`) keeps its requests.
  for (const s of input.systems) for (const [base, stub] of stubs.systems.get(s.name)!.tokenUrls) routes.push({ base, stub });
  let loaded: LoadedAction | undefined;
  let loadError: string | undefined;
  try {
    loaded = loadAction(input.code, routes, {
      trigger: input.trigger,
      ...(input.now !== undefined ? { now: input.now } : {}),
      ...(virtual && net
        ? {
            // Frozen at `now` when given (the deadline does not advance, as on the real clock).
            clock: { Date: input.now === undefined ? virtual.Date : frozenDate(input.now), setTimeout: virtual.setTimeout, clearTimeout: virtual.clearTimeout },
            net,
          }
        : {}),
    });
  } catch (err) {
    loadError = describe(err);
  }
  // The api's clock (api.cache expiry, redirect tokens) is the Action's: frozen at `now`, else the virtual clock's.
  const clock = input.now !== undefined ? () => input.now! : virtual ? () => virtual.now() : undefined;
  const cacheData = new Map<string, CacheRecord>();

  return {
    async run(step) {
      const entrypoint = step.entrypoint ?? loaded?.entrypoints[0] ?? '';
      // A copy, as Auth0's test api clones its example event: the api may write to the event.
      const event: Record<string, unknown> = { ...copy(step.event), secrets: { ...secrets } };
      const { api, record } = createApi(input.trigger, event, { entrypoint, cacheData, ...(clock ? { now: clock } : {}) });
      const from = { requests: stubs.requests.length, logs: loaded?.logs.length ?? 0, refused: loaded?.refused.length ?? 0, fetched: loaded?.fetched.length ?? 0 };
      const started = performance.now();
      // Never earlier than the real time: an Action's `now()` is today, as on the real clock.
      virtual?.sync(Date.now());
      const virtualStart = virtual?.now() ?? 0;
      let threw = loadError;
      if (loaded) {
        try {
          const done = loaded.execute(entrypoint, event, api);
          await (virtual && net ? virtual.drive(done, () => net.busy()) : done);
        } catch (err) {
          threw = describe(err);
        }
      }
      const elapsedMs = performance.now() - started;
      const virtualMs = virtual ? virtual.now() - virtualStart : undefined;
      const user = (step.event['user'] ?? {}) as Record<string, any>;
      return {
        record,
        appMetadata: applyMetadata(user['app_metadata'], record.appMetadataCalls),
        userMetadata: applyMetadata(user['user_metadata'], record.userMetadataCalls),
        requests: stubs.requests.slice(from.requests),
        logs: loaded ? loaded.logs.slice(from.logs) : [],
        refused: loaded ? loaded.refused.slice(from.refused) : [],
        fetched: loaded ? loaded.fetched.slice(from.fetched) : [],
        ...(threw !== undefined ? { threw } : {}),
        elapsedMs,
        ...(virtualMs !== undefined ? { virtualMs } : {}),
        entrypoint,
        event,
      };
    },
    close: () => stubs.close(),
    ...(virtual ? { clock: virtual } : {}),
  };
}

/** Runs the Action once: a fresh module, fresh stubs, the given (or the default) handler. */
export async function runAction(input: RunInput): Promise<RunOutcome> {
  const session = await startSession(input);
  try {
    return await session.run(input.entrypoint !== undefined ? { event: input.event, entrypoint: input.entrypoint } : { event: input.event });
  } finally {
    await session.close();
  }
}

/** The oauth2 token URLs a system's requests may fetch a token from (its auth's, its routes'). */
export function tokenUrls(s: SystemIR): string[] {
  const auths = [s.auth, ...(s.baseUrl.kind === 'routed' ? (s.baseUrl.routeAuth ?? []).map(([, a]) => a) : [])];
  return [...new Set(auths.flatMap((a) => (a.kind === 'oauth2' ? [a.tokenUrl] : [])))];
}

/** A deep copy when the event can be cloned (plain data), else a shallow one. */
function copy(event: Record<string, unknown>): Record<string, unknown> {
  try {
    return structuredClone(event);
  } catch {
    return { ...event };
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
