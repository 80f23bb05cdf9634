/**
 * An Auth0-faithful `api` object per trigger, for running generated Actions locally.
 *
 * Each trigger's api has the methods of Auth0's test api (`@auth0/actions`,
 * src/<trigger>/<version>/test/index.js) that mapc can use, with the same checks, the same
 * error messages and the same return values (most methods return `api`, so calls chain):
 *
 * - post-login v3: access.deny, accessToken.setCustomClaim/addScope/removeScope,
 *   authentication.recordMethod, cache, idToken.setCustomClaim, multifactor.enable,
 *   redirect.canRedirect/sendUserTo/encodeToken/validateToken, transaction.setMetadata,
 *   user.setAppMetadata/setUserMetadata, validation.error;
 * - pre-user-registration v2: access.deny(reason, userMessage), cache,
 *   user.setAppMetadata/setUserMetadata/setUserId, validation.error;
 * - credentials-exchange v2: access.deny(code, reason), accessToken.setCustomClaim, cache;
 * - post-user-registration v2, post-change-password v2: cache.
 *
 * Everything the Action did is written to the `ApiRecord`. A call that throws is also
 * recorded in `record.errors` (the runtime catches api errors, so a test looks there to
 * assert "no api call Auth0 would reject"); so is a call Auth0's test api accepts but Auth0
 * itself would fail the login for (a redirect where none is possible, a second redirect,
 * `recordMethod` outside `onContinuePostLogin` ...). The redirect tokens are real HS256 JWTs
 * (`node:crypto`), verified on `validateToken` as Auth0's server does. Metadata writes are
 * batched as in Auth0 and applied after the run (`applyMetadata`). Every difference from
 * Auth0 is listed in docs/testing.md ("How the harness matches Auth0").
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { TRIGGERS, type ApiKit, type TriggerId } from '../triggers';

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

/** A redirect the Action asked for with `api.redirect.sendUserTo`. */
export interface RedirectRecord {
  readonly url: string;
  readonly query: Record<string, unknown>;
  /** The URL with the query parameters set (`URL.searchParams.set`), as the Action built it. */
  readonly href: string;
  /** The opaque `state` Auth0 adds to the redirect; the page sends it back to /continue. */
  readonly state: string;
  /** Where the browser actually goes: `href` with Auth0's `state` parameter. */
  readonly location: string;
}

export interface MfaRecord {
  readonly provider: string;
  /** What Auth0 forwards: present when the Action passed options. */
  readonly options?: { readonly allowRememberBrowser?: unknown; readonly providerOptions?: unknown };
}

/** One record in `api.cache`. */
export interface CacheRecord {
  readonly value: string;
  readonly expires_at: number;
}

/** What an Action did through `api`, in call order where order matters. */
export interface ApiRecord {
  /** Every api call, as `path` strings without values (for debugging output). */
  readonly calls: string[];
  readonly appMetadataCalls: [string, unknown][];
  readonly userMetadataCalls: [string, unknown][];
  readonly idTokenClaims: Record<string, unknown>;
  readonly accessTokenClaims: Record<string, unknown>;
  /** The outcome: the first deny (or validation error) wins; a deny or redirect replaces MFA. */
  access: AccessOutcome;
  readonly mfa: MfaRecord[];
  /** Calls Auth0 refuses (they threw) or would fail the flow for, as `api.x.y: message`. */
  readonly errors: string[];
  /** post-login access-token scope changes; the last call per scope wins (Auth0's ModifyScope). */
  readonly scopes: { readonly added: string[]; readonly removed: string[] };
  /** `api.validation.error(code, message)` calls that passed Auth0's checks. */
  readonly validationErrors: { readonly code: string; readonly message: string }[];
  /** `api.samlResponse.setAttribute` calls, the last per attribute (null removes it). */
  readonly samlAttributes: Record<string, unknown>;
  /** The id set with pre-user-registration `api.user.setUserId` (the last call wins). */
  userId?: string;
  /** URLs recorded with `api.authentication.recordMethod`. */
  readonly recordedMethods: string[];
  /** The first redirect asked for (later ones are errors). */
  redirect?: RedirectRecord;
  /** The payload of every token `api.redirect.encodeToken` signed. */
  readonly encodedTokens: Record<string, unknown>[];
  /** Why `validateToken` refused a token (its answer to a forged, expired or replayed token). */
  readonly invalidTokens: string[];
  /** `api.transaction.setMetadata(key, value)` calls, in order. */
  readonly transactionMetadataCalls: [string, unknown][];
}

export interface ApiOptions {
  /**
   * The handler this api is passed to (default: the trigger's `onExecute…` handler).
   * post-login's `recordMethod` is allowed in `onContinuePostLogin` only.
   */
  readonly entrypoint?: string;
  /** The clock (epoch ms) of the cache and the redirect tokens; the run's frozen clock, if any. */
  readonly now?: () => number;
  /** The cache's storage, to share one cache between executions (default: a fresh one). */
  readonly cacheData?: Map<string, CacheRecord>;
}

/** Protocols that cannot redirect (auth0-actions post-login v3 NO_REDIRECT_PROTOCOLS). */
const NO_REDIRECT_PROTOCOLS = ['oauth2-resource-owner', 'oauth2-refresh-token', 'oauth2-password', 'oauth2-webauthn'];
const CREDENTIALS_EXCHANGE_DENY_CODES = ['invalid_scope', 'invalid_request', 'server_error'];
const DEFAULT_SESSION_TOKEN_EXP = 15 * 60;
const DEFAULT_SESSION_TOKEN_PARAM = 'session_token';
/** CacheAPIImpl / canSetNewCacheRecord (src/_shared/_XK5Fidc.js). */
export const CACHE_LIMITS = {
  maxKeyBytes: 64,
  maxValueBytes: 4096,
  /** "A little bit of padding for the serialization overhead" over 16 KiB. */
  maxTotalBytes: 16 * 1024 + 256,
  defaultTtlMs: 15 * 60 * 1000,
  /** Not in CacheAPIImpl: Auth0's documented limit of 20 entries per trigger (limitations.mdx). */
  maxEntries: 20,
} as const;
/** helpers.accessToken (src/_shared/DvTaCl9e.js). */
const MAX_SCOPE_LENGTH = 280;
const MAX_SCOPE_COUNT = 1000;
/** Transaction metadata limits (limitations.mdx; not checked by Auth0's test api). */
const TX_METADATA = { maxKeyChars: 64, maxValueBytes: 8 * 1024, maxTotalBytes: 16 * 1024 };

const isObject = (v: unknown): v is Record<string, unknown> => v != null && typeof v === 'object' && !Array.isArray(v);
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

// ---------------------------------------------------------------------------------------
// Auth0's input codecs (ajv schemas in src/_shared/DvTaCl9e.js and Db5gBOLD.js), as messages.

/** ajv's ucs2length: the length in code points. */
function codePoints(s: string): number {
  return [...s].length;
}

/** One ajv error: instance path and message. */
type CodecError = [path: string, message: string];

/** A string property with ajv's maxLength/minLength/pattern keywords, in ajv's order. */
function stringProp(name: string, value: unknown, rules: { max?: number; min?: number; pattern?: RegExp }, out: CodecError[]): void {
  const path = `/${name}`;
  if (typeof value !== 'string') {
    out.push([path, 'must be string']);
    return;
  }
  if (rules.max !== undefined && codePoints(value) > rules.max) out.push([path, `must NOT have more than ${rules.max} characters`]);
  if (rules.min !== undefined && codePoints(value) < rules.min) out.push([path, `must NOT have fewer than ${rules.min} characters`]);
  if (rules.pattern && !rules.pattern.test(value)) out.push([path, `must match pattern "${rules.pattern.source}"`]);
}

/** Auth0's `validate(codec, data, prefix)`: throws `prefix: errorCode must ...; errorMessage must ...`. */
function throwCodecErrors(errors: readonly CodecError[], prefix?: string): void {
  if (errors.length === 0) return;
  const byPath = new Map<string, string>();
  for (const [path, msg] of errors) {
    const had = byPath.get(path);
    byPath.set(path, had === undefined ? `${path.split('/').pop()} ${msg}` : `${had}, ${msg}`);
  }
  throw new Error(`${prefix ? `${prefix}: ` : ''}${[...byPath.values()].join('; ')}`);
}

/** PostLogin/PreUserRegistrationValidationErrorInput: both strings of at most 100 characters. */
function checkValidationError(errorCode: unknown, errorMessage: unknown, prefix?: string): void {
  const out: CodecError[] = [];
  if (errorCode === undefined) out.push(['', "must have required property 'errorCode'"]);
  if (errorMessage === undefined) out.push(['', "must have required property 'errorMessage'"]);
  if (errorCode !== undefined) stringProp('errorCode', errorCode, { max: 100 }, out);
  if (errorMessage !== undefined) stringProp('errorMessage', errorMessage, { max: 100 }, out);
  throwCodecErrors(out, prefix);
}

/** The user_id pattern of PreUserRegistrationSetUserIdInput. */
export const USER_ID_PATTERN = /^[a-zA-Z0-9@._+-]{1,255}$/u;

function checkUserId(userId: unknown): void {
  const out: CodecError[] = [];
  if (userId === undefined) out.push(['', "must have required property 'user_id'"]);
  else stringProp('user_id', userId, { max: 255, min: 1, pattern: USER_ID_PATTERN }, out);
  throwCodecErrors(out, 'Invalid setUserId arguments');
}

/** helpers.accessToken.addScope/removeScope: the trimmed scope, or a throw with Auth0's message. */
function checkScope(scope: unknown): string {
  if (typeof scope !== 'string') throw new TypeError('The value for the scope must be a string.');
  const trimmed = scope.trim();
  if (trimmed.length === 0) throw new Error('The value for the scope is required.');
  if (trimmed.length > MAX_SCOPE_LENGTH) throw new Error(`The value for the scope exceeds the allowed maximum of ${MAX_SCOPE_LENGTH} characters.`);
  if (/\s/.test(trimmed)) throw new Error('The value for the scope must not have whitespace.');
  return trimmed;
}

// ---------------------------------------------------------------------------------------
// Redirect tokens: HS256 JWTs

function b64urlJson(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

/** Signs `payload` as an HS256 JWT (`header.payload.signature`, base64url). */
export function signHs256(payload: Readonly<Record<string, unknown>>, secret: string): string {
  const signing = `${b64urlJson({ alg: 'HS256', typ: 'JWT' })}.${b64urlJson(payload)}`;
  return `${signing}.${createHmac('sha256', secret).update(signing).digest('base64url')}`;
}

export interface TokenCheck {
  readonly secret: unknown;
  readonly state: unknown;
  readonly sub: unknown;
  readonly iss: unknown;
  /** Epoch ms. */
  readonly now: number;
}

/**
 * Verifies a session token as Auth0's server does for `validateToken`: HS256 signature with
 * the secret, `exp` in the future, and `state`, `sub`, `iss` equal to what is expected.
 */
export function verifyHs256(token: unknown, check: TokenCheck): { valid: true; payload: Record<string, unknown> } | { valid: false; reason: string } {
  if (typeof token !== 'string') return { valid: false, reason: 'the token is not a string' };
  const parts = token.split('.');
  if (parts.length !== 3) return { valid: false, reason: 'the token is not a JWT' };
  const [h, p, s] = parts as [string, string, string];
  let header: unknown;
  let payload: unknown;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    return { valid: false, reason: 'the token is not a JWT' };
  }
  if (!isObject(header) || !isObject(payload)) return { valid: false, reason: 'the token is not a JWT' };
  if (header['alg'] !== 'HS256') return { valid: false, reason: `unsupported algorithm ${JSON.stringify(header['alg'])}` };
  if (typeof check.secret !== 'string' || check.secret === '') return { valid: false, reason: 'no secret to verify the signature with' };
  const want = createHmac('sha256', check.secret).update(`${h}.${p}`).digest();
  const got = Buffer.from(s, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return { valid: false, reason: 'invalid signature' };
  const exp = payload['exp'];
  if (typeof exp !== 'number') return { valid: false, reason: 'the token has no expiry (exp)' };
  if (exp * 1000 <= check.now) return { valid: false, reason: 'the token has expired' };
  if (typeof payload['state'] !== 'string' || payload['state'] !== check.state) return { valid: false, reason: 'the state does not match' };
  if (payload['sub'] !== check.sub) return { valid: false, reason: 'the subject (sub) is not the user of this login' };
  if (payload['iss'] !== check.iss) return { valid: false, reason: 'the issuer (iss) is not the hostname of this login' };
  return { valid: true, payload };
}

export interface ContinueTokenOptions {
  readonly secret: string;
  /** Claims of the token (the page's answer). `state`, `sub`, `iss`, `iat` and `exp` below win. */
  readonly payload?: Readonly<Record<string, unknown>>;
  /** The `state` Auth0 sent to the page (`record.redirect.state`). */
  readonly state: string;
  /** The user (`event.user.user_id`). */
  readonly sub?: string;
  /** The login's hostname (`event.request.hostname`). */
  readonly iss?: string;
  /** Default 900 (15 minutes); negative for an expired token. */
  readonly expiresInSeconds?: number;
  /** Epoch ms the token is issued at (default: now). */
  readonly now?: number;
}

/**
 * Plays the external page of a redirect: the session token it sends back to Auth0's
 * `/continue` endpoint, which `api.redirect.validateToken` in `onContinuePostLogin` verifies.
 */
export function signContinueToken(o: ContinueTokenOptions): string {
  const iat = Math.floor((o.now ?? Date.now()) / 1000);
  return signHs256(
    {
      ...(o.payload ?? {}),
      iat,
      ...(o.sub !== undefined ? { sub: o.sub } : {}),
      ...(o.iss !== undefined ? { iss: o.iss } : {}),
      state: o.state,
      exp: iat + (o.expiresInSeconds ?? DEFAULT_SESSION_TOKEN_EXP),
    },
    o.secret,
  );
}

export interface ContinueOptions {
  /** The `state` of the redirect (`record.redirect.state`). */
  readonly state: string;
  /** Query parameters of the request to /continue (the token, e.g. `{ session_token }`). */
  readonly query?: Readonly<Record<string, unknown>>;
  /** A form body (the page POSTs to /continue): `state` then goes in the body too. */
  readonly body?: Readonly<Record<string, unknown>>;
}

/**
 * The event `onContinuePostLogin` receives after the page sends the user back to /continue:
 * the same user, client, transaction ... (a deep copy), and a NEW `event.request` (Auth0
 * "issues a new event.request object anytime an Action trigger is suspended and then
 * resumed") for the request to /continue: GET with `state` in the query, or — with `body` —
 * POST with `state` in the form body. The ip, hostname, geo and user agent stay the user's.
 */
export function continueEvent(loginEvent: Readonly<Record<string, unknown>>, o: ContinueOptions): Record<string, unknown> {
  const event = structuredClone(loginEvent) as Record<string, unknown>;
  const old = isObject(event['request']) ? event['request'] : {};
  const { query: _query, body: _body, method: _method, ...kept } = old;
  const post = o.body !== undefined;
  event['request'] = {
    ...kept,
    method: post ? 'POST' : 'GET',
    query: post ? { ...(o.query ?? {}) } : { ...(o.query ?? {}), state: o.state },
    body: post ? { ...o.body, state: o.state } : {},
  };
  return event;
}

// ---------------------------------------------------------------------------------------
// The api

/** `validateToken`'s refusal of a token: Auth0 throws it, and an Action is expected to handle it. */
class InvalidToken extends Error {}

/** Auth0's test api: SAML attributes of one run, together, at most 100 KiB (AUTH0-FACTS.md §9). */
const SAML_ATTRIBUTES_MAX_BYTES = 100 * 1024;

export function createApi(trigger: TriggerId, event: any, options: ApiOptions = {}): { api: any; record: ApiRecord } {
  const record: ApiRecord = {
    calls: [],
    appMetadataCalls: [],
    userMetadataCalls: [],
    idTokenClaims: {},
    accessTokenClaims: {},
    access: { kind: 'allow' },
    mfa: [],
    errors: [],
    scopes: { added: [], removed: [] },
    validationErrors: [],
    samlAttributes: {},
    recordedMethods: [],
    encodedTokens: [],
    transactionMetadataCalls: [],
    invalidTokens: [],
  };
  const now = options.now ?? (() => Date.now());
  const api: Record<string, unknown> = {};

  /**
   * Wraps one api method: records the call, and records any throw in `errors` before rethrowing
   * — except `validateToken` refusing a token, which is its answer, not a call Auth0 rejects
   * (recorded in `invalidTokens`).
   */
  function method<A extends unknown[], R>(path: string, fn: (...args: A) => R): (...args: A) => R {
    return (...args: A): R => {
      record.calls.push(path);
      try {
        return fn(...args);
      } catch (err) {
        if (err instanceof InvalidToken) record.invalidTokens.push(err.message);
        else record.errors.push(`${path}: ${message(err)}`);
        throw err;
      }
    };
  }
  const firstOutcome = (o: AccessOutcome): void => {
    // Auth0 stops at the first deny; a later call does not change the outcome.
    if (record.access.kind === 'allow' || (record.access.kind === 'mfa' && o.kind !== 'mfa')) record.access = o;
  };

  // ------------------------------------------------------------------ shared pieces

  const cacheData = options.cacheData ?? new Map<string, CacheRecord>();
  const cache = {
    get: method('api.cache.get', (key: string): CacheRecord | undefined => {
      const hit = cacheData.get(key);
      if (!hit) return undefined;
      if (hit.expires_at < now()) return undefined;
      return hit;
    }),
    set: method('api.cache.set', (key: string, value: string, opts?: { ttl?: number; expires_at?: number }) => {
      // canSetNewCacheRecord: Buffer.byteLength throws for a key or value that is not a string.
      const keySize = Buffer.byteLength(key, 'utf-8');
      const valueSize = Buffer.byteLength(value, 'utf-8');
      if (keySize > CACHE_LIMITS.maxKeyBytes) return { type: 'error', code: 'CacheKeySizeExceeded' };
      if (valueSize > CACHE_LIMITS.maxValueBytes) return { type: 'error', code: 'CacheValueSizeExceeded' };
      // getCacheSize: every key and value, the one being replaced included.
      let all = '';
      for (const k of cacheData.keys()) all += k;
      for (const r of cacheData.values()) all += r.value;
      if (Buffer.byteLength(all, 'utf-8') + keySize + valueSize > CACHE_LIMITS.maxTotalBytes) return { type: 'error', code: 'CacheSizeExceeded' };
      const at = now();
      let expiresAt: number | undefined;
      const ttl = opts?.ttl;
      if (ttl !== undefined) {
        if (!isFiniteNumber(ttl)) return { type: 'error', code: 'InvalidExpiry' };
        expiresAt = at + Math.floor(ttl);
      }
      const expires = opts?.expires_at;
      if (expires !== undefined) {
        if (!isFiniteNumber(expires)) return { type: 'error', code: 'InvalidExpiry' };
        expiresAt = expiresAt !== undefined ? Math.min(expiresAt, Math.floor(expires)) : Math.floor(expires);
      }
      if (expiresAt === undefined) expiresAt = at + CACHE_LIMITS.defaultTtlMs;
      if (expiresAt <= at) return { type: 'error', code: 'ItemAlreadyExpired' };
      if (!Number.isSafeInteger(expiresAt)) return { type: 'error', code: 'InvalidExpiry' };
      // Where Auth0's cache writer would refuse: the documented 20 entries per trigger.
      if (!cacheData.has(key) && cacheData.size >= CACHE_LIMITS.maxEntries) return { type: 'error', code: 'MaxSideEffectsExceeded' };
      const stored: CacheRecord = { value, expires_at: expiresAt };
      cacheData.set(key, stored);
      return { type: 'success', record: stored };
    }),
    delete: method('api.cache.delete', (key: string) => {
      if (!cacheData.get(key)) return { type: 'error', code: 'CacheKeyDoesNotExist' };
      if (!cacheData.delete(key)) return { type: 'error', code: 'FailedToDeleteCacheRecord' };
      return { type: 'success' };
    }),
  };

  const claimSetter = (path: string, into: Record<string, unknown>, refuseScope: boolean) =>
    method(path, (key: string, value: unknown) => {
      // helpers.customClaim.assertSettableCustomClaim (RESERVED_CUSTOM_CLAIMS = ['scope']).
      if (refuseScope && key === 'scope') throw new Error(`The ${JSON.stringify(key)} claim cannot be set.`);
      into[key] = value;
      return api;
    });

  const validation = (prefix: string | undefined) => ({
    error: method('api.validation.error', (errorCode: string, errorMessage: string) => {
      checkValidationError(errorCode, errorMessage, prefix);
      record.validationErrors.push({ code: errorCode, message: errorMessage });
      // Auth0 ends the flow with this error, as a deny would.
      firstOutcome({ kind: 'deny', reason: errorMessage, code: errorCode });
      return api;
    }),
  });

  // ------------------------------------------------------------------ post-login

  const canRedirect = (): boolean => {
    // RedirectAPIImpl.canRedirect: `prompt=none` in the authorization request, or a protocol
    // without a browser, cannot redirect (a missing protocol can).
    const query = event?.request?.query ?? {};
    if (query.prompt === 'none') return false;
    return !NO_REDIRECT_PROTOCOLS.includes((event.transaction && event.transaction.protocol) || 'unknown-protocol');
  };
  const whyNoRedirect = (): string =>
    event?.request?.query?.prompt === 'none' ? 'the request has prompt=none' : `protocol ${String(event?.transaction?.protocol)} cannot show a page`;

  const scopeChanges = new Map<string, 'add' | 'remove'>();
  const modifyScope = (scope: string, op: 'add' | 'remove'): void => {
    scopeChanges.set(scope, op);
    record.scopes.added.length = 0;
    record.scopes.removed.length = 0;
    for (const [s, o] of scopeChanges) (o === 'add' ? record.scopes.added : record.scopes.removed).push(s);
    // helpers.accessToken.modifyScope, which Auth0's server side applies (the test stub does not).
    if (record.scopes.added.length > MAX_SCOPE_COUNT) {
      record.errors.push(`api.accessToken.addScope: The number of scopes exceeds the allowed maximum of ${MAX_SCOPE_COUNT}.`);
    }
  };

  const txMetadata: Record<string, unknown> = isObject(event?.transaction?.metadata) ? { ...event.transaction.metadata } : {};

  const postLoginUser = {
    setAppMetadata: method('api.user.setAppMetadata', (key: string, value: unknown) => {
      // Auth0 refuses to merge into metadata that is not an object (e.g. from a custom DB).
      if (!isObject(event.user.app_metadata)) throw new Error('Unexpected app_metadata format. Must be a valid JSON object');
      record.appMetadataCalls.push([key, value]);
      return api;
    }),
    setUserMetadata: method('api.user.setUserMetadata', (key: string, value: unknown) => {
      if (!isObject(event.user.user_metadata)) throw new Error('Unexpected user_metadata format. Must be a valid JSON object.');
      record.userMetadataCalls.push([key, value]);
      return api;
    }),
  };

  const redirect = {
    canRedirect: method('api.redirect.canRedirect', canRedirect),
    sendUserTo: method('api.redirect.sendUserTo', (baseUrl: string, urlOptions?: { query?: Record<string, unknown> }) => {
      const url = new URL(baseUrl);
      const query = urlOptions?.query;
      if (query) for (const param in query) url.searchParams.set(param, query[param] as string);
      const href = url.href;
      if (!canRedirect()) {
        record.errors.push(`api.redirect.sendUserTo: Auth0 fails the login: interaction_required / redirect not possible (${whyNoRedirect()})`);
      }
      if (record.redirect !== undefined) {
        record.errors.push('api.redirect.sendUserTo: a second redirect in one execution (Auth0 sends the user to one page)');
        return api;
      }
      const state = createHash('sha256')
        .update(JSON.stringify([event?.transaction?.id ?? null, event?.user?.user_id ?? null, href]))
        .digest('base64url')
        .slice(0, 32);
      const location = new URL(href);
      location.searchParams.set('state', state);
      record.redirect = { url: baseUrl, query: { ...(query ?? {}) }, href, state, location: location.href };
      firstOutcome({ kind: 'redirect', url: baseUrl, query: { ...(query ?? {}) }, href });
      return api;
    }),
    encodeToken: method('api.redirect.encodeToken', (opts: { secret: string; expiresInSeconds?: number; payload?: Record<string, unknown> }) => {
      const iat = Math.floor(now() / 1000);
      const payload: Record<string, unknown> = {
        iat,
        iss: event.request.hostname,
        sub: event.user.user_id,
        exp: iat + (opts.expiresInSeconds ?? DEFAULT_SESSION_TOKEN_EXP),
        ip: event.request.ip,
        ...opts.payload,
      };
      record.encodedTokens.push(payload);
      if (typeof opts.secret !== 'string' || opts.secret === '') {
        // Auth0's test stub returns '' here; its server cannot sign without a secret.
        record.errors.push('api.redirect.encodeToken: no secret to sign the token with');
        return '';
      }
      return signHs256(payload, opts.secret);
    }),
    validateToken: method('api.redirect.validateToken', (opts: { secret: string; tokenParameterName?: string }) => {
      opts.tokenParameterName ||= DEFAULT_SESSION_TOKEN_PARAM;
      const request = event.request;
      const params: Record<string, unknown> = { ...((request && request.query) || {}), ...((request && request.body) || {}) };
      const token = params[opts.tokenParameterName];
      if (!token) {
        throw new Error(`There is no parameter called '${opts.tokenParameterName}' available in either the POST body or query string.`);
      }
      const checked = verifyHs256(token, { secret: opts.secret, state: params['state'], sub: event.user.user_id, iss: event.request.hostname, now: now() });
      if (!checked.valid) throw new InvalidToken(`The session token is invalid: ${checked.reason}`);
      return checked.payload;
    }),
  };

  const kit: ApiKit = {
    cache,
    access: (style) => ({
      deny: method('api.access.deny', (first: string, second?: string) => {
        if (style === 'reason') firstOutcome({ kind: 'deny', reason: String(first) });
        else if (style === 'reason-user-message') {
          firstOutcome({ kind: 'deny', reason: String(first), ...(second !== undefined ? { userMessage: String(second) } : {}) });
        } else {
          // Auth0's test api forwards the code unchecked; its types allow these three only.
          if (!CREDENTIALS_EXCHANGE_DENY_CODES.includes(first)) {
            record.errors.push(`api.access.deny: ${JSON.stringify(first)} is not one of Auth0's codes (${CREDENTIALS_EXCHANGE_DENY_CODES.join(', ')})`);
          }
          firstOutcome({ kind: 'deny', code: String(first), reason: String(second ?? '') });
        }
        return api;
      }),
    }),
    user: (o) =>
      o.storedMetadataMustBeObject
        ? postLoginUser
        : {
            setAppMetadata: method('api.user.setAppMetadata', (key: string, value: unknown) => {
              record.appMetadataCalls.push([key, value]);
              return api;
            }),
            setUserMetadata: method('api.user.setUserMetadata', (key: string, value: unknown) => {
              record.userMetadataCalls.push([key, value]);
              return api;
            }),
            ...(o.setUserId
              ? {
                  setUserId: method('api.user.setUserId', (userId: string) => {
                    checkUserId(userId);
                    record.userId = userId;
                    return api;
                  }),
                }
              : {}),
          },
    idToken: () => ({ setCustomClaim: claimSetter('api.idToken.setCustomClaim', record.idTokenClaims, true) }),
    accessToken: (o) => ({
      setCustomClaim: claimSetter('api.accessToken.setCustomClaim', record.accessTokenClaims, o.refuseScope),
      ...(o.scopes
        ? {
            addScope: method('api.accessToken.addScope', (scope: string): void => modifyScope(checkScope(scope), 'add')),
            removeScope: method('api.accessToken.removeScope', (scope: string): void => modifyScope(checkScope(scope), 'remove')),
          }
        : {}),
    }),
    multifactor: () => ({
      enable: method('api.multifactor.enable', (provider: string, opts?: { allowRememberBrowser?: unknown; providerOptions?: unknown }) => {
        // Auth0 forwards the provider unchecked (the providers exist only in its type definitions).
        record.mfa.push({
          provider,
          ...(opts !== undefined ? { options: { allowRememberBrowser: opts?.allowRememberBrowser, providerOptions: opts?.providerOptions } } : {}),
        });
        firstOutcome({ kind: 'mfa', provider });
        return api;
      }),
    }),
    redirect: () => redirect,
    transaction: () => ({
      setMetadata: method('api.transaction.setMetadata', (key: string, value: unknown): void => {
        record.transactionMetadataCalls.push([key, value]);
        for (const problem of txMetadataProblems(key, value, txMetadata)) record.errors.push(`api.transaction.setMetadata: ${problem}`);
        if (value === null) delete txMetadata[key];
        else txMetadata[key] = value;
        // "updated in real-time in the event.transaction.metadata object".
        if (!event.transaction) event.transaction = {};
        event.transaction.metadata = { ...txMetadata };
      }),
    }),
    authentication: () => ({
      recordMethod: method('api.authentication.recordMethod', (providerUrl: string) => {
        record.recordedMethods.push(providerUrl);
        if ((options.entrypoint ?? 'onExecutePostLogin') !== 'onContinuePostLogin') {
          record.errors.push('api.authentication.recordMethod: Auth0 allows it only in onContinuePostLogin');
        }
        if (!isHttpUrl(providerUrl)) record.errors.push('api.authentication.recordMethod: the method must be an http: or https: URL');
        return api;
      }),
    }),
    validation: (prefix) => validation(prefix),
    samlResponse: () => ({
      setAttribute: method('api.samlResponse.setAttribute', (attribute: string, value: unknown) => {
        // The SAMLValue type: a scalar, null (removes the attribute) or a list of scalars.
        const scalar = (v: unknown): boolean => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
        if (typeof attribute !== 'string' || attribute === '') throw new Error('Invalid SAML attribute name');
        if (!(value === null || scalar(value) || (Array.isArray(value) && value.every(scalar)))) throw new Error('Invalid SAML attribute value');
        if (value === null) delete record.samlAttributes[attribute];
        else record.samlAttributes[attribute] = value;
        if (Buffer.byteLength(JSON.stringify(record.samlAttributes), 'utf8') > SAML_ATTRIBUTES_MAX_BYTES) record.errors.push('api.samlResponse.setAttribute: the SAML attributes exceed 100 KiB');
        return api;
      }),
    }),
  };
  // The trigger module (compiler/triggers/<id>.ts) says which groups its api has.
  Object.assign(api, TRIGGERS[trigger].api(kit));
  return { api, record };
}

function isFiniteNumber(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

function isHttpUrl(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Auth0's documented transaction metadata limits (limitations.mdx), as problems. */
function txMetadataProblems(key: unknown, value: unknown, current: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  if (typeof key !== 'string') return ['the key must be a string'];
  if (key.length > TX_METADATA.maxKeyChars) out.push(`the key is longer than ${TX_METADATA.maxKeyChars} characters`);
  if (value === null) return out;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') out.push('the value must be a string, number or boolean');
  else if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) out.push('the value is an unsafe integer');
  else if (Buffer.byteLength(String(value)) > TX_METADATA.maxValueBytes) out.push(`the value is larger than ${TX_METADATA.maxValueBytes} bytes`);
  const total = Buffer.byteLength(JSON.stringify({ ...current, [key]: value }));
  if (total > TX_METADATA.maxTotalBytes) out.push(`the metadata is larger than ${TX_METADATA.maxTotalBytes} bytes`);
  return out;
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
