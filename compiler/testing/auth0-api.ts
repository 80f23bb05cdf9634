/**
 * An Auth0-faithful `api` object per trigger, for running generated Actions locally.
 * Built from Auth0's Actions reference (AUTH0-FACTS.md §2.3-2.4): only the methods a trigger
 * offers exist; `setCustomClaim('scope')` throws as Auth0 does; metadata writes are batched
 * into one profile update applied after the run; the cache enforces Auth0's limits; a
 * redirect is refused where `canRedirect()` is false. Checked against the reference
 * implementation in auth0/auth0-actions (src/post-login/v3/test/index.js): `canRedirect()`
 * reads `request.query.prompt` and the transaction protocol, `sendUserTo` sets each query
 * parameter on the URL (`URL.searchParams.set`), and the metadata setters throw when the
 * user's metadata is not an object.
 */
import type { TriggerId } from '../triggers';

export type AccessOutcome =
  | { readonly kind: 'allow' }
  | { readonly kind: 'deny'; readonly reason: string; readonly userMessage?: string; readonly code?: string }
  | {
      readonly kind: 'redirect';
      readonly url: string;
      readonly query: Record<string, unknown>;
      /** The URL the user is sent to, query included, as Auth0 builds it. */
      readonly href: string;
    }
  | { readonly kind: 'mfa'; readonly provider: string };

/** What an Action did through `api`, in call order where order matters. */
export interface ApiRecord {
  /** Every api call, as `path(args)` strings without values (for debugging output). */
  readonly calls: string[];
  readonly appMetadataCalls: [string, unknown][];
  readonly userMetadataCalls: [string, unknown][];
  readonly idTokenClaims: Record<string, unknown>;
  readonly accessTokenClaims: Record<string, unknown>;
  access: AccessOutcome;
  readonly mfa: { provider: string; options?: unknown }[];
  /** Errors Auth0 would have raised for the call (e.g. a redirect where none is possible). */
  readonly errors: string[];
}

/** Protocols that cannot redirect (auth0-actions NO_REDIRECT_PROTOCOLS). */
const NO_REDIRECT_PROTOCOLS = new Set(['oauth2-resource-owner', 'oauth2-refresh-token', 'oauth2-password', 'oauth2-webauthn']);
const CREDENTIALS_EXCHANGE_DENY_CODES = new Set(['invalid_scope', 'invalid_request', 'server_error']);
const MFA_PROVIDERS = new Set(['none', 'guardian', 'google-authenticator', 'duo', 'any']);
const CACHE = { maxEntries: 20, maxKeyBytes: 64, maxValueBytes: 4096, maxTtlMs: 86_400_000, defaultTtlMs: 15 * 60_000 };

export function createApi(trigger: TriggerId, event: any): { api: any; record: ApiRecord } {
  const record: ApiRecord = {
    calls: [],
    appMetadataCalls: [],
    userMetadataCalls: [],
    idTokenClaims: {},
    accessTokenClaims: {},
    access: { kind: 'allow' },
    mfa: [],
    errors: [],
  };
  const call = (name: string) => record.calls.push(name);
  const claimSetter = (into: Record<string, unknown>, name: string) => (key: string, value: unknown) => {
    call(`${name}.setCustomClaim`);
    if (key === 'scope') throw new Error('The "scope" claim cannot be set.');
    into[key] = value;
  };
  const metadataSetter = (into: [string, unknown][], name: string, field: string) => (key: string, value: unknown) => {
    call(`api.user.${name}`);
    const current = event?.user?.[field];
    // Auth0 refuses to merge into metadata that is not an object (e.g. from a custom DB).
    if (typeof current !== 'object' || current === null || Array.isArray(current)) {
      throw new Error(`Unexpected ${field} format. Must be a valid JSON object`);
    }
    if (typeof key !== 'string' || key === '') throw new TypeError(`${name}: key must be a non-empty string`);
    into.push([key, value]);
  };
  const cacheStore = new Map<string, { value: string; expires_at: number }>();
  const cache = {
    get(key: string) {
      call('api.cache.get');
      const hit = cacheStore.get(key);
      if (!hit || hit.expires_at <= Date.now()) return undefined;
      return { ...hit };
    },
    set(key: string, value: string, opts?: { ttl?: number; expires_at?: number }) {
      call('api.cache.set');
      if (Buffer.byteLength(String(key)) > CACHE.maxKeyBytes) return { type: 'error', code: 'CacheKeySizeExceeded' };
      if (typeof value !== 'string' || Buffer.byteLength(value) > CACHE.maxValueBytes) {
        return { type: 'error', code: 'CacheValueSizeExceeded' };
      }
      if (!cacheStore.has(key) && cacheStore.size >= CACHE.maxEntries) return { type: 'error', code: 'MaxSideEffectsExceeded' };
      const now = Date.now();
      const ttlAt = now + Math.min(opts?.ttl ?? CACHE.defaultTtlMs, CACHE.maxTtlMs);
      const expires_at = opts?.expires_at !== undefined ? Math.min(opts.expires_at, ttlAt) : ttlAt;
      if (expires_at <= now) return { type: 'error', code: 'ItemAlreadyExpired' };
      cacheStore.set(key, { value, expires_at });
      return { type: 'success', record: { value, expires_at } };
    },
    delete(key: string) {
      call('api.cache.delete');
      if (!cacheStore.delete(key)) return { type: 'error', code: 'CacheKeyDoesNotExist' };
      return { type: 'success' };
    },
  };
  const user = {
    setAppMetadata: metadataSetter(record.appMetadataCalls, 'setAppMetadata', 'app_metadata'),
    setUserMetadata: metadataSetter(record.userMetadataCalls, 'setUserMetadata', 'user_metadata'),
  };
  const canRedirect = (): boolean => {
    // As Auth0's RedirectAPI: `prompt=none` in the authorization request, or a protocol
    // without a browser, cannot redirect (a missing protocol can).
    if (event?.request?.query?.prompt === 'none') return false;
    return !NO_REDIRECT_PROTOCOLS.has(event?.transaction?.protocol ?? 'unknown-protocol');
  };
  const firstOutcome = (o: AccessOutcome) => {
    // Auth0 stops at the first deny; a later call does not change the outcome.
    if (record.access.kind === 'allow' || (record.access.kind === 'mfa' && o.kind !== 'mfa')) record.access = o;
  };

  switch (trigger) {
    case 'post-login':
      return {
        record,
        api: {
          access: {
            deny(reason: string) {
              call('api.access.deny');
              firstOutcome({ kind: 'deny', reason: String(reason) });
            },
          },
          user,
          idToken: { setCustomClaim: claimSetter(record.idTokenClaims, 'api.idToken') },
          accessToken: {
            setCustomClaim: claimSetter(record.accessTokenClaims, 'api.accessToken'),
            addScope: () => call('api.accessToken.addScope'),
            removeScope: () => call('api.accessToken.removeScope'),
          },
          multifactor: {
            enable(provider: string, options?: unknown) {
              call('api.multifactor.enable');
              if (!MFA_PROVIDERS.has(provider)) throw new Error(`Invalid MFA provider: ${provider}`);
              record.mfa.push({ provider, ...(options !== undefined ? { options } : {}) });
              firstOutcome({ kind: 'mfa', provider });
            },
          },
          redirect: {
            canRedirect,
            sendUserTo(url: string, opts?: { query?: Record<string, unknown> }) {
              call('api.redirect.sendUserTo');
              if (!canRedirect()) {
                record.errors.push('api.redirect.sendUserTo called where a redirect is not possible');
                throw new Error('Redirects are not supported for this transaction');
              }
              const href = new URL(url);
              for (const [k, v] of Object.entries(opts?.query ?? {})) href.searchParams.set(k, String(v));
              firstOutcome({ kind: 'redirect', url, query: { ...(opts?.query ?? {}) }, href: href.href });
            },
            encodeToken: () => 'encoded-token',
            validateToken: () => ({}),
          },
          validation: { error: () => call('api.validation.error') },
          cache,
        },
      };
    case 'pre-user-registration':
      return {
        record,
        api: {
          access: {
            deny(reason: string, userMessage?: string) {
              call('api.access.deny');
              firstOutcome({ kind: 'deny', reason: String(reason), ...(userMessage !== undefined ? { userMessage: String(userMessage) } : {}) });
            },
          },
          user,
          validation: { error: () => call('api.validation.error') },
          cache,
        },
      };
    case 'credentials-exchange':
      return {
        record,
        api: {
          access: {
            deny(code: string, reason?: string) {
              call('api.access.deny');
              if (!CREDENTIALS_EXCHANGE_DENY_CODES.has(code)) throw new Error(`Invalid deny code: ${code}`);
              firstOutcome({ kind: 'deny', code, reason: String(reason ?? '') });
            },
          },
          accessToken: { setCustomClaim: claimSetter(record.accessTokenClaims, 'api.accessToken') },
          cache,
        },
      };
    case 'post-user-registration':
    case 'post-change-password':
      return { record, api: { cache } };
  }
}

/**
 * The profile after Auth0 applies the batched metadata writes: each call replaces its
 * top-level key; `null` deletes it.
 */
export function applyMetadata(before: Record<string, unknown> | undefined, calls: readonly [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(before ?? {}) };
  for (const [k, v] of calls) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}
