/**
 * Runs one generated Action once, the way Auth0 would: the bundled code, an Auth0-like
 * `event` and `api` for its trigger, and a stub server on 127.0.0.1 for every system it
 * calls. Used by `mapc test` and by the project's own tests.
 */
import type { SystemIR } from '../ir/types';
import type { TriggerId } from '../triggers';
import { TRIGGERS } from '../triggers';
import { applyMetadata, createApi, type ApiRecord } from './auth0-api';
import { loadAction, type Route } from './load';
import { startStubs, type RecordedRequest, type ScriptedResponse } from './stubs';

export interface RunInput {
  /** The bundled code.js text. */
  readonly code: string;
  readonly trigger: TriggerId;
  /** The systems the Action calls (from the IR), to route their base URLs to stubs. */
  readonly systems: readonly SystemIR[];
  readonly event: Record<string, unknown>;
  readonly secrets?: Readonly<Record<string, string>>;
  readonly scripts?: Readonly<Record<string, readonly ScriptedResponse[]>>;
  /** Epoch milliseconds the Action's clock is frozen at (default: the real clock; see load.ts). */
  readonly now?: number;
}

export interface RunOutcome {
  readonly record: ApiRecord;
  /** `event.user.app_metadata` after Auth0 applies the batched writes. */
  readonly appMetadata: Record<string, unknown>;
  readonly userMetadata: Record<string, unknown>;
  readonly requests: readonly RecordedRequest[];
  readonly logs: readonly string[];
  /** Requests to URLs no system stub serves (refused, never sent). */
  readonly refused: readonly string[];
  /** Every URL the Action fetched, as deployed code would have (before routing to stubs). */
  readonly fetched: readonly string[];
  /** Set when the handler threw or rejected — Auth0 would fail the flow. */
  readonly threw?: string;
  readonly elapsedMs: number;
}

export async function runAction(input: RunInput): Promise<RunOutcome> {
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
  const stubs = await startStubs(scripts, { bases });
  try {
    const secrets: Record<string, string> = { ...(input.secrets ?? {}) };
    const routes: Route[] = [];
    for (const s of input.systems) {
      const stub = stubs.systems.get(s.name)!.url;
      const b = s.baseUrl;
      if (b.kind === 'static') routes.push({ base: b.url, stub });
      else if (b.kind === 'routed') {
        const urls = stubs.systems.get(s.name)!.urls;
        for (const [base, listener] of urls) routes.push({ base, stub: listener });
      } else {
        secrets[b.secret] = stub;
        routes.push({ base: stub, stub });
      }
    }
    const event = { ...input.event, secrets };
    const loaded = loadAction(input.code, routes, input.now === undefined ? {} : { now: input.now });
    const handler = loaded.exports[TRIGGERS[input.trigger].handler];
    const { api, record } = createApi(input.trigger, event);
    const started = performance.now();
    let threw: string | undefined;
    try {
      if (typeof handler !== 'function') throw new Error(`code.js does not export ${TRIGGERS[input.trigger].handler}`);
      await handler(event, api);
    } catch (err) {
      threw = err instanceof Error ? err.message : String(err);
    }
    const elapsedMs = performance.now() - started;
    const user = (input.event['user'] ?? {}) as Record<string, any>;
    return {
      record,
      appMetadata: applyMetadata(user['app_metadata'], record.appMetadataCalls),
      userMetadata: applyMetadata(user['user_metadata'], record.userMetadataCalls),
      requests: [...stubs.requests],
      logs: loaded.logs,
      refused: loaded.refused,
      fetched: loaded.fetched,
      ...(threw !== undefined ? { threw } : {}),
      elapsedMs,
    };
  } finally {
    await stubs.close();
  }
}
