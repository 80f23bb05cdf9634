/**
 * Expectations of `mapc test` cases and how they are matched (documented in docs/testing.md):
 * - `app_metadata`, `user_metadata`: subset match against the profile after Auth0 applies the
 *   batched writes — every listed key must deep-equal; `key: null` means "must be absent";
 *   unlisted keys are not checked.
 * - `id_token`, `access_token`: subset match on the custom claims set, by claim name without
 *   the claims namespace (`subscription_tier`, not `https://acme.example/subscription_tier`);
 *   `name: null` means "not set".
 * - `access`: exact: `allow`, `mfa`, `{ deny: "message" }`, `{ redirect: "url" }` (the URL with
 *   its query, as Auth0 builds it from `sendUserTo(url, { query })`, without the parameter that
 *   carries a signed token: its value changes with the clock). With `continue:`, the decision
 *   of the whole flow (what onContinuePostLogin decided).
 *   `{ validation_error: { code, message } }` for api.validation.error.
 * - `scopes`: per scope named, `added`, `removed` or null (neither) — the access token's scope
 *   changes (the last call per scope wins, as Auth0's).
 * - `saml`: subset match on the SAML attributes set (`name: null` means not set).
 * - `user_id`: the id pre-user-registration set with setUserId (null: none).
 * - `redirect_token`: subset match on the claims of the token the redirect sent.
 * - `requests`: for each system named in the list, the requests it received must be exactly
 *   these, in order (method, path and url exact; `headers` and `body` are subset matches).
 *   `requests: []` means no system received anything.
 * - `no_requests`: each system listed received no request at all.
 */
import type { ApiRecord } from './auth0-api';
import type { RecordedRequest } from './stubs';

export interface ExpectedRequest {
  readonly system: string;
  readonly method?: string;
  readonly path?: string;
  /** The full URL as deployed code addressed it (the routed base URL, path and query). */
  readonly url?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export type ExpectedAccess =
  | 'allow'
  | 'mfa'
  | { readonly deny: string }
  | { readonly redirect: string }
  | { readonly validation_error: { readonly code: string; readonly message: string } };

export interface Expectation {
  readonly app_metadata?: Readonly<Record<string, unknown>>;
  readonly user_metadata?: Readonly<Record<string, unknown>>;
  readonly id_token?: Readonly<Record<string, unknown>>;
  readonly access_token?: Readonly<Record<string, unknown>>;
  readonly access?: ExpectedAccess;
  readonly redirect_token?: Readonly<Record<string, unknown>>;
  /** Scope → `added`, `removed` or null (neither). */
  readonly scopes?: Readonly<Record<string, 'added' | 'removed' | null>>;
  readonly saml?: Readonly<Record<string, unknown>>;
  readonly user_id?: string | null;
  readonly requests?: readonly ExpectedRequest[];
  /** Systems that must receive no request. */
  readonly no_requests?: readonly string[];
}

export interface Observed {
  readonly record: ApiRecord;
  readonly appMetadata: Record<string, unknown>;
  readonly userMetadata: Record<string, unknown>;
  readonly requests: readonly RecordedRequest[];
  /** Query parameters of a redirect that carry a signed token (left out of `access: { redirect }`). */
  readonly tokenParameters?: readonly string[];
}

/** One failed expectation: what, expected, actual. */
export interface Mismatch {
  readonly what: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

export function compareExpectation(expect: Expectation, observed: Observed, claimsNamespace: string): Mismatch[] {
  const out: Mismatch[] = [];
  subset('app_metadata', expect.app_metadata, observed.appMetadata, out);
  subset('user_metadata', expect.user_metadata, observed.userMetadata, out);
  subset('id_token', expect.id_token, stripNamespace(observed.record.idTokenClaims, claimsNamespace), out);
  subset('access_token', expect.access_token, stripNamespace(observed.record.accessTokenClaims, claimsNamespace), out);
  if (expect.access !== undefined) {
    const actual = accessOf(observed.record, observed.tokenParameters);
    if (!deepEqual(expect.access, actual)) out.push({ what: 'access', expected: expect.access, actual });
  }
  for (const [scope, want] of Object.entries(expect.scopes ?? {})) {
    const got = observed.record.scopes.added.includes(scope) ? 'added' : observed.record.scopes.removed.includes(scope) ? 'removed' : null;
    if (got !== want) out.push({ what: `scopes.${scope}`, expected: want, actual: got ?? '(not changed)' });
  }
  subset('saml', expect.saml, observed.record.samlAttributes, out);
  if (expect.user_id !== undefined && (observed.record.userId ?? null) !== expect.user_id) {
    out.push({ what: 'user_id', expected: expect.user_id, actual: observed.record.userId ?? '(not set)' });
  }
  if (expect.redirect_token !== undefined) {
    const sent = observed.record.encodedTokens[observed.record.encodedTokens.length - 1];
    if (sent === undefined) out.push({ what: 'redirect_token', expected: expect.redirect_token, actual: '(no token sent)' });
    else subset('redirect_token', expect.redirect_token, sent, out);
  }
  if (expect.requests !== undefined) compareRequests(expect.requests, observed.requests, out);
  for (const system of expect.no_requests ?? []) {
    const got = observed.requests.filter((r) => r.system === system);
    if (got.length > 0) out.push({ what: `requests to ${system}`, expected: [], actual: got.map((r) => `${r.method} ${r.path}`) });
  }
  return out;
}

/** The outcome in the same words a test file uses; `tokenParameters` are left out of a redirect URL. */
export function accessOf(record: ApiRecord, tokenParameters: readonly string[] = []): ExpectedAccess {
  const a = record.access;
  switch (a.kind) {
    case 'allow':
      return 'allow';
    case 'mfa':
      return 'mfa';
    case 'deny': {
      const v = record.validationErrors[0];
      if (v !== undefined && a.code === v.code && a.reason === v.message) return { validation_error: { code: v.code, message: v.message } };
      return { deny: a.userMessage ?? a.reason };
    }
    case 'redirect': {
      if (tokenParameters.length === 0) return { redirect: a.href };
      const url = new URL(a.href);
      for (const p of tokenParameters) url.searchParams.delete(p);
      return { redirect: url.href };
    }
  }
}

function subset(what: string, expected: Readonly<Record<string, unknown>> | undefined, actual: Record<string, unknown>, out: Mismatch[]): void {
  if (expected === undefined) return;
  for (const key of Object.keys(expected)) {
    const want = expected[key];
    const has = Object.prototype.hasOwnProperty.call(actual, key);
    const got = has ? actual[key] : undefined;
    if (want === null ? has && got !== null : !has || !deepEqual(want, got)) {
      out.push({ what: `${what}.${key}`, expected: want, actual: has ? got : '(not set)' });
    }
  }
}

function stripNamespace(claims: Record<string, unknown>, ns: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(claims)) out[ns && k.startsWith(ns) ? k.slice(ns.length) : k] = v;
  return out;
}

function compareRequests(expected: readonly ExpectedRequest[], received: readonly RecordedRequest[], out: Mismatch[]): void {
  const show = (r: RecordedRequest) => `${r.method} ${r.path}`;
  if (expected.length === 0) {
    if (received.length > 0) out.push({ what: 'requests', expected: [], actual: received.map((r) => `${r.system}: ${show(r)}`) });
    return;
  }
  const systems = [...new Set(expected.map((e) => e.system))];
  for (const system of systems) {
    const want = expected.filter((e) => e.system === system);
    const got = received.filter((r) => r.system === system);
    if (want.length !== got.length) {
      out.push({
        what: `requests to ${system}`,
        expected: want.map((w) => `${w.method ?? '*'} ${w.path ?? '*'}`),
        actual: got.map(show),
      });
      continue;
    }
    want.forEach((w, i) => {
      const r = got[i]!;
      const label = `requests to ${system} #${i + 1}`;
      if (w.method !== undefined && w.method.toUpperCase() !== r.method) out.push({ what: `${label} method`, expected: w.method, actual: r.method });
      if (w.path !== undefined && w.path !== r.path) out.push({ what: `${label} path`, expected: w.path, actual: r.path });
      if (w.url !== undefined && w.url !== requestUrl(r)) out.push({ what: `${label} url`, expected: w.url, actual: requestUrl(r) });
      if (w.headers) {
        for (const [k, v] of Object.entries(w.headers)) {
          const got = r.headers[k.toLowerCase()];
          if (got !== v) out.push({ what: `${label} header ${k}`, expected: v, actual: got ?? '(not sent)' });
        }
      }
      if (w.body !== undefined && !subsetDeep(w.body, r.body)) out.push({ what: `${label} body`, expected: w.body, actual: r.body });
    });
  }
}

/** The URL deployed code addressed: the base URL the request came through, then its path. */
export function requestUrl(r: RecordedRequest): string {
  return r.base === undefined ? r.path : r.base.replace(/\/+$/, '') + r.path;
}

/** `want` is contained in `got`: objects by listed keys (recursively), everything else equal. */
export function subsetDeep(want: unknown, got: unknown): boolean {
  if (isObject(want) && isObject(got)) {
    return Object.keys(want).every((k) => Object.prototype.hasOwnProperty.call(got, k) && subsetDeep(want[k], got[k]));
  }
  return deepEqual(want, got);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A readable two-line diff of one mismatch. */
export function formatMismatch(m: Mismatch): string {
  return `    ${m.what}\n      expected: ${JSON.stringify(m.expected)}\n      actual:   ${JSON.stringify(m.actual)}`;
}
