/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4) for a system's `auth: { oauth2 }`: the access
 * token a request sends as `Authorization: Bearer <token>`.
 *
 * - One token per run and cache key: every request of the run that needs it shares one
 *   promise, so concurrent lookups and sends make one token request (or one cache read).
 * - Kept in `api.cache` under the plan's `cacheKey` (≤ 64 bytes, a hash: no secret in it),
 *   the value the bare access token when it is at most 4096 bytes (else used uncached), for
 *   `expires_in` less a margin: min(60 s, 10 %) (capped at Auth0's 24 h; none without a
 *   positive `expires_in`). A missing `api.cache`, or one that throws or answers errors,
 *   only means a token request per run.
 * - The token request is a `request()` like any other: POST, form-encoded, client_secret_post,
 *   within the run's deadline and the calling request's timeout and retries, its answer
 *   capped at TOKEN_MAX_BYTES. It logs one line (`msg: token`); a failed one, or an answer
 *   without a usable bearer token (`bad_token`), makes the request fail with `no_token`.
 * - A 401 from the system with a cached token: `refreshToken` drops the cache entry and
 *   fetches a new token, once per run; the engine retries the request once with it.
 * - Neither the client secret nor the token is ever logged: the token joins the run's
 *   redaction list (`run.secrets`) as a second line of defence.
 */
import { request } from './http';
import { log } from './log';
import { isObject, ownProp } from './path';
import type { AuthPlan } from './plan';

export type OAuthPlan = Extract<AuthPlan, { kind: 'oauth2' }>;

/** What a token fetch needs of the run (the engine's `Ctx` is one). */
export interface TokenRun {
  readonly event: any;
  readonly api: any;
  readonly deadlineAt: number;
  readonly secrets: readonly string[];
}

/** The request that needs the token: where its log line goes, and its timeout and retries. */
export interface TokenCall {
  readonly spec: string;
  readonly step: string;
  readonly system: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly maxBytes: number;
}

export interface Token {
  readonly value: string;
  /** Read from `api.cache` (not fetched in this run): a 401 may mean it was revoked. */
  readonly cached: boolean;
}

/** Cap of a token endpoint's answer (a JWT access token is a few kB). */
export const TOKEN_MAX_BYTES = 64 * 1024;
/** Auth0's `api.cache` limits: value bytes, longest lifetime. */
export const CACHE_VALUE_MAX_BYTES = 4096;
export const CACHE_MAX_TTL_MS = 24 * 60 * 60 * 1000;
/** A token is dropped from the cache this long before it expires: min(60 s, 10 % of its life). */
export const TTL_MARGIN_MS = 60_000;

/** A bearer token as a header value: visible ASCII, no spaces (RFC 6750 b64token and a little more). */
const TOKEN_CHARS = /^[\x21-\x7e]+$/;

interface Pending {
  promise: Promise<Token | null>;
  refreshed: boolean;
}

/** Per run (the run's state object), the token of each cache key. */
const runs = new WeakMap<object, Map<string, Pending>>();

function secretOf(run: TokenRun, name: string): string | null {
  const v = isObject(run.event) ? ownProp(run.event.secrets, name) : undefined;
  return typeof v === 'string' && v !== '' ? v : null;
}

/** Whether both client secrets are set (else the request fails `no_secret` without a token request). */
export function hasClientSecrets(run: TokenRun, a: OAuthPlan): boolean {
  return secretOf(run, a.clientIdSecret) !== null && secretOf(run, a.clientSecretSecret) !== null;
}

/** The cache's three methods, or null when the api has none. */
function cacheOf(api: unknown): { get: Function; set: Function; delete: Function } | null {
  const c = isObject(api) ? api.cache : undefined;
  return isObject(c) && typeof c.get === 'function' && typeof c.set === 'function' && typeof c.delete === 'function' ? (c as any) : null;
}

function pendingOf(run: TokenRun): Map<string, Pending> {
  let m = runs.get(run);
  if (!m) runs.set(run, (m = new Map()));
  return m;
}

/** The run's token for `a` (shared by every request of the run); null when none could be had. */
export function tokenFor(run: TokenRun, a: OAuthPlan, c: TokenCall): Promise<Token | null> {
  const m = pendingOf(run);
  let p = m.get(a.cacheKey);
  if (!p) m.set(a.cacheKey, (p = { promise: cachedOrFetched(run, a, c), refreshed: false }));
  return p.promise;
}

/**
 * After the system refused `stale` (a cached token) with 401: drops the cache entry and
 * fetches a new token, once per run (requests that hit the same 401 share it); null when the
 * new one cannot be had.
 */
export function refreshToken(run: TokenRun, a: OAuthPlan, c: TokenCall): Promise<Token | null> {
  const p = pendingOf(run).get(a.cacheKey)!;
  if (!p.refreshed) {
    p.refreshed = true;
    const cache = cacheOf(run.api);
    try {
      cache?.delete(a.cacheKey);
    } catch {
      // The entry expires by itself.
    }
    p.promise = fetched(run, a, c, cache);
  }
  return p.promise;
}

async function cachedOrFetched(run: TokenRun, a: OAuthPlan, c: TokenCall): Promise<Token | null> {
  const cache = cacheOf(run.api);
  try {
    const hit = cache?.get(a.cacheKey);
    if (isObject(hit) && typeof hit.value === 'string' && TOKEN_CHARS.test(hit.value) && !(typeof hit.expires_at === 'number' && hit.expires_at <= Date.now())) {
      remember(run, hit.value);
      return { value: hit.value, cached: true };
    }
  } catch {
    // A cache that throws is an empty cache.
  }
  return fetched(run, a, c, cache);
}

/** The token's lifetime in the cache (ms), or 0: not cached. */
export function cacheTtl(expiresIn: unknown): number {
  const s = typeof expiresIn === 'string' && /^\d+$/.test(expiresIn) ? Number(expiresIn) : expiresIn;
  if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0) return 0;
  const life = Math.min(s * 1000, CACHE_MAX_TTL_MS);
  return Math.max(0, Math.floor(life - Math.min(TTL_MARGIN_MS, life / 10)));
}

/** A usable bearer token from the endpoint's JSON, or null. */
function accessToken(data: unknown): string | null {
  if (!isObject(data)) return null;
  const t = data.access_token;
  const type = data.token_type;
  if (typeof t !== 'string' || !TOKEN_CHARS.test(t)) return null;
  return type === undefined || (typeof type === 'string' && type.toLowerCase() === 'bearer') ? t : null;
}

function remember(run: TokenRun, token: string): void {
  if (!Object.isFrozen(run.secrets)) (run.secrets as string[]).push(token);
}

async function fetched(run: TokenRun, a: OAuthPlan, c: TokenCall, cache: ReturnType<typeof cacheOf>): Promise<Token | null> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: secretOf(run, a.clientIdSecret) ?? '',
    client_secret: secretOf(run, a.clientSecretSecret) ?? '',
  });
  if (a.audience !== undefined) form.set('audience', a.audience);
  if (a.scope !== undefined) form.set('scope', a.scope);
  const t0 = Date.now();
  const out = await request({
    method: 'POST',
    url: a.tokenUrl,
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    timeoutMs: c.timeoutMs,
    retries: c.retries,
    // Asking for a token twice has no effect beyond a second token.
    idempotent: true,
    deadlineAt: run.deadlineAt,
    maxBytes: Math.min(c.maxBytes, TOKEN_MAX_BYTES),
  });
  const data = out.ok ? out.data : null;
  const token = accessToken(data);
  if (token !== null) remember(run, token);
  log(
    {
      spec: c.spec,
      step: c.step,
      system: c.system,
      status: out.ok && token === null ? 'bad_token' : out.status,
      ms: Date.now() - t0,
      msg: out.attempts > 1 ? `token, attempts ${out.attempts}` : 'token',
    },
    run.secrets,
  );
  if (token === null) return null;
  // A token came from an object.
  const ttl = cacheTtl((data as Record<string, unknown>).expires_in);
  if (cache && ttl > 0 && token.length <= CACHE_VALUE_MAX_BYTES) {
    try {
      // An error answer (cache full, ...) only means a token request next run.
      cache.set(a.cacheKey, token, { ttl });
    } catch {
      // Likewise.
    }
  }
  return { value: token, cached: false };
}
