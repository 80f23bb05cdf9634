/**
 * The engine: runs one Action's plan against Auth0's `event` and `api` (SPEC 3).
 *
 * Phases, across all specs of the Action: (1) lookups, concurrently, each after the lookups
 * it reads; (2) fields; (3) access rules, first match per spec; (4) sends, concurrently,
 * skipped after a deny; (5) writes, merged per top-level metadata key, only when changed,
 * and only within Auth0's size limits (./limits.ts: a write over them is skipped and logged).
 * Each spec is isolated: an unexpected exception skips the rest of that spec (its writes
 * included) and is logged; other specs run. Nothing escapes `run`.
 *
 * Lookups, access rules and sends are separate phase functions handed to `runPlan`: a
 * generated Action passes only the phases its plan uses, so the bundler drops the others
 * (and the HTTP client with lookups and sends). `run` passes all of them.
 */
import { get, path as readPath, text } from './expr';
import { request } from './http';
import { log, logContext, type LogEntry } from './log';
import { hasClientSecrets, refreshToken, tokenFor, type Token, type TokenCall } from './oauth';
import { CLAIMS_MAX_BYTES, jsonBytes, METADATA_MAX_BYTES, SAML_MAX_BYTES } from './limits';
import { clone, deepEqual, deeperThan, fitsRule, HEADER_NAME, isObject, isSafeKey, ownGet, ownProp, setPath } from './path';
import type {
  AccessPlan,
  ActionPlan,
  AttributeRule,
  AuthPlan,
  FieldPlan,
  Fn,
  LookupPlan,
  RedirectPlan,
  RequestPlan,
  Scope,
  SendPlan,
  SpecPlan,
  SystemPlan,
  Target,
} from './plan';
import { targetText } from './plan';

/** Used when a deny policy has no message. */
export const DEFAULT_DENY_MESSAGE = 'Access denied.';

/**
 * Deepest nesting of a value the Action writes (metadata or claim). Deeper values are
 * rejected and logged: Auth0 serialises them after the Action, where a stack overflow would
 * fail the login out of mapc's reach. Real profile data nests a handful of levels.
 */
export const MAX_WRITE_DEPTH = 64;

interface Write {
  readonly target: Target;
  readonly value: unknown;
}

/** One spec's state during a run (internal; exported for the phase functions' type). */
export interface SpecState {
  readonly spec: SpecPlan;
  readonly lookups: Record<string, unknown>;
  readonly scope: Scope;
  readonly writes: Write[];
  failed: boolean;
}

/** One run's state (internal; exported for the phase functions' type). */
export interface Ctx {
  readonly plan: ActionPlan;
  readonly event: any;
  readonly api: any;
  readonly deadlineAt: number;
  readonly secrets: readonly string[];
  denied: boolean;
  redirected: boolean;
}

const L = (ctx: Ctx, e: LogEntry): void => log(e, ctx.secrets);

const errText = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : typeof e);

/** Points function-library logs at the spec and step being evaluated (synchronous code only). */
function at(spec: string | undefined, step: string | undefined): void {
  logContext.spec = spec;
  logContext.step = step;
}

/** A phase run for one spec; may return a promise (lookups, sends). */
export type Phase = (ctx: Ctx, st: SpecState) => unknown;

/**
 * The optional phases of a run. An Action passes those its plan uses; a spec that has entries
 * for a missing phase fails (logged) instead of running them: a compiler bug, never silent.
 */
export interface Phases {
  readonly lookups?: Phase;
  readonly access?: Phase;
  readonly sends?: Phase;
}

const missing: Phase = () => {
  throw new Error('phase not bundled');
};

/** Lookups without `after` share this (no allocation per run). */
const NO_LOOKUPS: Record<string, unknown> = Object.freeze(Object.create(null));

/**
 * Runs the plan with every phase. Resolves when every phase is done; never rejects, never
 * throws: Auth0 must never see an exception from a generated Action.
 */
export function run(plan: ActionPlan, event: unknown, api: unknown): Promise<void> {
  return runPlan(plan, event, api, ALL_PHASES);
}

/**
 * `run` with only the given phases (see `Phases`); what generated Actions call. Phases a spec
 * has no entries for are skipped, and the synchronous ones (fields, access) are not awaited:
 * nothing runs between specs either way, since no other work of this run is pending then.
 */
export async function runPlan(plan: ActionPlan, event: unknown, api: unknown, phases: Phases): Promise<void> {
  let ctx: Ctx | undefined;
  try {
    ctx = newCtx(plan, event, api);
    const c = ctx;
    const states: SpecState[] = plan.specs.map((spec) => {
      let lookups = NO_LOOKUPS;
      if (spec.lookups.length > 0 || spec.uses) {
        lookups = Object.create(null) as Record<string, unknown>;
        for (const l of spec.lookups) lookups[l.name] = null;
        for (const u of spec.uses ?? []) lookups[u.name] = null;
      }
      return { spec, lookups, scope: { event, lookups }, writes: [], failed: false };
    });
    const lookups = startAll(c, states, 'lookups', phases.lookups ?? missing);
    if (lookups) await lookups;
    shareLookups(states);
    for (const st of states) if (st.spec.fields.length > 0) guardStart(c, st, 'fields', runFields);
    for (const st of states) if (!c.denied && st.spec.access.length > 0) guardStart(c, st, 'access', phases.access ?? missing);
    if (c.denied) {
      if (states.some((st) => st.spec.sends.length > 0)) L(c, { step: 'sends', status: 'skipped', msg: 'after deny' });
    } else {
      const sends = startAll(c, states, 'sends', phases.sends ?? missing);
      if (sends) await sends;
    }
    applyWrites(c, states);
  } catch (e) {
    // Only a bug in the engine itself gets here.
    log({ step: 'run', status: 'error', msg: errText(e) }, ctx?.secrets);
  } finally {
    at(undefined, undefined);
  }
}

/** Gives each spec the shared lookups it reads (`uses:`): the results its owner spec fetched, once. */
function shareLookups(states: readonly SpecState[]): void {
  for (const st of states) {
    for (const u of st.spec.uses ?? []) {
      const owner = states.find((o) => o.spec.name === u.spec);
      const v = owner ? ownGet(owner.lookups, u.lookup) : undefined;
      st.lookups[u.name] = v === undefined ? null : v;
    }
  }
}

function newCtx(plan: ActionPlan, event: unknown, api: unknown): Ctx {
  const secrets = isObject(event) && isObject(event.secrets) ? Object.values(event.secrets) : [];
  return {
    plan,
    event,
    api,
    deadlineAt: Date.now() + plan.deadlineMs,
    secrets: secrets.filter((s): s is string => typeof s === 'string'),
    denied: false,
    redirected: false,
  };
}

/**
 * Runs a phase for a spec that has not failed; an exception or a rejection fails the spec
 * (and denies under `on_error: deny`). The synchronous part runs at once; a promise comes
 * back (settling when the phase has, never rejecting) only if the phase returned one, so
 * synchronous phases (fields, access) and phases that start no request cost no promise.
 */
/**
 * Starts `phase` at once for every spec with `key` entries (their lookups, or their sends, run
 * concurrently with each other's); the promise of them all, or undefined when none started
 * (so a run without requests awaits nothing).
 */
function startAll(ctx: Ctx, states: readonly SpecState[], key: 'lookups' | 'sends', phase: Phase): Promise<unknown> | undefined {
  const running: Promise<void>[] = [];
  for (const st of states) {
    if (st.spec[key].length === 0) continue;
    const p = guardStart(ctx, st, key, phase);
    if (p) running.push(p);
  }
  return running.length > 0 ? Promise.all(running) : undefined;
}

function guardStart(ctx: Ctx, st: SpecState, step: string, phase: Phase): Promise<void> | undefined {
  if (st.failed) return undefined;
  let r: unknown;
  try {
    at(st.spec.name, step);
    r = phase(ctx, st);
  } catch (e) {
    failSpec(ctx, st, step, e);
    return undefined;
  }
  if (!(r instanceof Promise)) return undefined;
  return r.then(
    () => undefined,
    (e: unknown) => failSpec(ctx, st, step, e),
  );
}

function failSpec(ctx: Ctx, st: SpecState, step: string, e: unknown): void {
  if (st.failed) return;
  st.failed = true;
  L(ctx, { spec: st.spec.name, step, status: 'error', msg: errText(e) });
  // A spec has no message of its own: the user sees the default one (docs/language.md).
  if (st.spec.onError === 'deny') deny(ctx, st.spec.name, step, undefined);
}

// ---------------------------------------------------------------- lookups

/** The lookups phase: each lookup after those it reads, the others concurrently. */
export const lookupPhase: Phase = (ctx, st) => runLookups(ctx, st);

/** Stands for a lookup whose `when` did not hold: a dependent still starts one microtask later, as after any lookup. */
const SKIPPED: Promise<void> = Promise.resolve();

/** Undefined when no lookup of the spec started a request (nothing to wait for). */
function runLookups(ctx: Ctx, st: SpecState): Promise<unknown> | undefined {
  // Lookups arrive in dependency order, so every `after` name already has its promise.
  const settled = new Map<string, Promise<void>>();
  let started = false;
  for (const l of st.spec.lookups) {
    const deps = l.after.map((n) => settled.get(n)).filter((p): p is Promise<void> => p !== undefined);
    const step = `lookup:${l.name}`;
    const go = (): Promise<void> => startRequest(ctx, st, step, l.when, () => runLookup(ctx, st, l, step), l.needed) ?? SKIPPED;
    const p = deps.length === 0 ? go() : Promise.all(deps).then(go);
    if (p !== SKIPPED) started = true;
    settled.set(l.name, p);
  }
  return started ? Promise.all(settled.values()) : undefined;
}

/**
 * Starts a lookup or send of a spec that has not failed, when it is needed (a lazy lookup: a
 * branch reading it will be taken; else logged `not needed`) and its `when` holds; `go` makes
 * the request (its synchronous part runs at once). Undefined when nothing started; else a
 * promise that never rejects: an exception fails the spec.
 */
function startRequest(ctx: Ctx, st: SpecState, step: string, when: Fn | undefined, go: () => Promise<void>, needed?: Fn): Promise<void> | undefined {
  if (st.failed) return undefined;
  try {
    at(st.spec.name, step);
    if (needed && !needed(st.scope)) {
      L(ctx, { spec: st.spec.name, step, status: 'skipped', msg: 'not needed' });
      return undefined;
    }
    if (when && !when(st.scope)) return undefined;
  } catch (e) {
    failSpec(ctx, st, step, e);
    return undefined;
  }
  // `go` is an async function: whatever it throws arrives as a rejection.
  return go().then(undefined, (e: unknown) => failSpec(ctx, st, step, e));
}

async function runLookup(ctx: Ctx, st: SpecState, l: LookupPlan, step: string): Promise<void> {
  const r = await call(ctx, st, step, l, st.scope);
  if (r.ok) st.lookups[l.name] = r.data;
  else if (l.onError === 'deny') deny(ctx, st.spec.name, step, l.denyMessage);
}

// ---------------------------------------------------------------- requests


const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A header value `fetch` accepts. `fetch` refuses characters beyond Latin-1 and line breaks,
 * failing the whole request as a network error (and retrying it): a user whose name or id
 * has such a character would never get the call made. Such a value is sent percent-encoded as
 * UTF-8 instead (lone surrogates as U+FFFD).
 */
export function headerValue(t: string): string {
  return /[^\t\x20-\x7e\x80-\xff]/.test(t) ? encodeURIComponent(t.replace(LONE_SURROGATE, '\uFFFD')) : t;
}

function secret(ctx: Ctx, name: string): string | null {
  const v = isObject(ctx.event) ? ownProp(ctx.event.secrets, name) : undefined;
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * Base URL + path + query, or null when the base is not an http(s) URL. The path is appended
 * after the base URL's own path (a leading `/` is added), so it can never change the host.
 */
export function buildUrl(base: string, path: string, query: unknown): string | null {
  try {
    const b = new URL(base);
    if (b.protocol !== 'https:' && b.protocol !== 'http:') return null;
    const u = new URL(base.replace(/\/+$/, '') + (path === '' || path.startsWith('/') ? path : `/${path}`));
    if (isObject(query)) {
      for (const [k, v] of Object.entries(query)) {
        for (const item of Array.isArray(v) ? v : [v]) if (item != null) u.searchParams.append(k, text(item));
      }
    }
    return u.toString();
  } catch {
    return null;
  }
}

/** Request headers: the spec's (lower-cased names, null values skipped), then JSON and idempotency headers, then auth; null when a secret is missing. */
function buildHeaders(ctx: Ctx, a: AuthPlan, spec: unknown, hasBody: boolean, idem: string): Record<string, string> | null {
  const h: Record<string, string> = { accept: 'application/json' };
  if (isObject(spec)) {
    for (const [k, v] of Object.entries(spec)) {
      const t = text(v);
      if (v != null && HEADER_NAME.test(k) && !/[\r\n\0]/.test(t)) h[k.toLowerCase()] = headerValue(t);
    }
  }
  if (hasBody) h['content-type'] = 'application/json';
  if (idem !== '') h['idempotency-key'] = headerValue(idem);
  if (a.kind === 'bearer' || a.kind === 'header') {
    const v = secret(ctx, a.secret);
    if (v === null) return null;
    if (a.kind === 'bearer') h.authorization = `Bearer ${v}`;
    else h[a.header.toLowerCase()] = v;
  } else if (a.kind === 'basic') {
    const u = secret(ctx, a.userSecret);
    const p = secret(ctx, a.passwordSecret);
    if (u === null || p === null) return null;
    h.authorization = `Basic ${Buffer.from(`${u}:${p}`, 'utf8').toString('base64')}`;
  } else if (a.kind === 'oauth2') {
    // The token itself comes once the request is built (call()): from this run, api.cache or the token endpoint.
    if (!hasClientSecrets(ctx, a)) return null;
  }
  return h;
}

type CallResult = { ok: true; data: unknown } | { ok: false };

/** Builds and performs one lookup or send; logs one line with its outcome. Closures that throw propagate (a spec failure). */
async function call(ctx: Ctx, st: SpecState, step: string, r: RequestPlan, scope: Scope): Promise<CallResult> {
  at(st.spec.name, step);
  const spec = st.spec.name;
  const sys = ownProp(ctx.plan.systems, r.system) as SystemPlan | undefined;
  const fail = (status: string): CallResult => {
    L(ctx, { spec, step, system: r.system, status, ms: 0 });
    return { ok: false };
  };
  if (!sys) return fail('no_system');
  let auth = sys.auth;
  let base: unknown;
  if (sys.baseUrlSecret !== undefined) base = secret(ctx, sys.baseUrlSecret);
  else if (sys.routes) {
    // The route picks the base URL and, when it has its own, the credentials.
    const key = sys.routes.key(scope);
    const url = get(sys.routes.urls, key);
    base = url ?? sys.routes.default;
    if (url !== null) auth = (get(sys.routes.auth, key) as AuthPlan | null) ?? sys.auth;
  } else base = sys.baseUrl ? sys.baseUrl(scope) : null;
  const path = r.path(scope);
  const body = r.body ? r.body(scope) : undefined;
  const idem = r.idempotencyKey ? text(r.idempotencyKey(scope)) : '';
  if (typeof base !== 'string' || base === '') return fail('no_base_url');
  if (path == null) return fail('no_path');
  const url = buildUrl(base, path, r.query ? r.query(scope) : undefined);
  if (url === null) return fail('bad_url');
  const headers = buildHeaders(ctx, auth, r.headers ? r.headers(scope) : undefined, body !== undefined, idem);
  if (headers === null) return fail('no_secret');
  let encoded: string | undefined;
  try {
    encoded = body === undefined ? undefined : JSON.stringify(body);
  } catch {
    // A value nested too deep for JSON.stringify: the request cannot be made, like a missing path.
    return fail('bad_body');
  }
  let token: Token | null = null;
  const tc: TokenCall = { spec, step, system: r.system, timeoutMs: r.timeoutMs, retries: r.retries, maxBytes: ctx.plan.maxResponseBytes };
  if (auth.kind === 'oauth2') {
    token = await tokenFor(ctx, auth, tc);
    if (token === null) return fail('no_token');
    headers.authorization = `Bearer ${token.value}`;
  }
  const c = {
    method: r.method,
    url,
    headers,
    ...(encoded !== undefined ? { body: encoded } : {}),
    timeoutMs: r.timeoutMs,
    retries: r.retries,
    idempotent: r.method === 'GET' || r.method === 'PUT' || r.method === 'DELETE' || idem !== '',
    deadlineAt: ctx.deadlineAt,
    maxBytes: ctx.plan.maxResponseBytes,
  };
  let t0 = Date.now();
  let out = await request(c);
  if (auth.kind === 'oauth2' && token?.cached && out.status === 401) {
    // The cached token was refused (revoked, or the client changed): a new one, and this request once more.
    L(ctx, { spec, step, system: r.system, status: 401, ms: Date.now() - t0, msg: 'cached token refused' });
    token = await refreshToken(ctx, auth, tc);
    if (token === null) return fail('no_token');
    headers.authorization = `Bearer ${token.value}`;
    t0 = Date.now();
    out = await request(c);
  }
  L(ctx, {
    spec,
    step,
    system: r.system,
    status: out.status,
    ms: Date.now() - t0,
    ...(out.attempts > 1 ? { msg: `attempts ${out.attempts}` } : {}),
  });
  at(spec, step);
  return out.ok ? { ok: true, data: out.data } : { ok: false };
}

// ---------------------------------------------------------------- fields and writes

type ClaimTarget = Extract<Target, { claim: string }>;
type MetadataTarget = Extract<Target, { path: readonly string[] }>;
const isClaim = (t: Target): t is ClaimTarget => 'claim' in t;
const isMetadataTarget = (t: Target): t is MetadataTarget => 'path' in t;

/** Registry keys by target: targets are constants of the plan, so each key is built once. */
const registryKeys = new WeakMap<Target, string>();

function registryKey(t: Target): string {
  let k = registryKeys.get(t);
  if (k === undefined) {
    k = targetText(t);
    registryKeys.set(t, k);
  }
  return k;
}

/** The target's value before this run (only metadata has one). */
function currentOf(ctx: Ctx, t: Target): unknown {
  if (!isMetadataTarget(t)) return null;
  const user = isObject(ctx.event) ? ctx.event.user : null;
  return readPath(isObject(user) ? user[t.kind] : null, t.path);
}

/** What pre-user-registration `api.user.setUserId` accepts (auth0-actions' test api). */
const USER_ID = /^[a-zA-Z0-9@._+-]{1,255}$/;

/** A value Auth0's SAMLValue type allows as an attribute or a list item. */
const samlScalar = (v: unknown): boolean => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** Why a value cannot go to a scope, a SAML attribute or the user id (checked before queueing), or null. */
function outputProblem(t: Target, value: unknown): string | null {
  if (t.kind === 'scopes' && typeof value !== 'boolean') return `${targetText(t)} needs true (add) or false (remove)`;
  if (t.kind === 'user_id' && (typeof value !== 'string' || !USER_ID.test(value))) return 'user_id is not an id Auth0 accepts (1-255 letters, digits, . _ + -)';
  if (t.kind === 'saml' && !(samlScalar(value) || (Array.isArray(value) && value.every(samlScalar)))) return `SAML value must be scalars: ${targetText(t)}`;
  return null;
}

/** Queues a write unless the value is null (without `clear`), unchanged, or breaks the registry. */
function record(ctx: Ctx, st: SpecState, step: string, target: Target, value: unknown, clear: boolean, current: unknown): void {
  if (value == null && !clear) return;
  if (typeof value === 'object' && value !== null && deeperThan(value, MAX_WRITE_DEPTH)) {
    L(ctx, { spec: st.spec.name, step, status: 'rejected', msg: `${registryKey(target)} nested too deep` });
    return;
  }
  if (deepEqual(current, value)) return;
  const bad = outputProblem(target, value);
  if (bad !== null) {
    L(ctx, { spec: st.spec.name, step, status: 'rejected', msg: bad });
    return;
  }
  const rule = ownGet(ctx.plan.registry, registryKey(target)) as AttributeRule | undefined;
  if (value != null && rule && !fitsRule(rule, value)) {
    L(ctx, { spec: st.spec.name, step, status: 'rejected', msg: `${registryKey(target)} breaks ${rule.type}${rule.enum ? ' enum' : ''}` });
    return;
  }
  st.writes.push({ target, value: value == null ? null : clone(value) });
}

/** `field:<i>` step names, made once. */
const FIELD_STEPS: string[] = [];

function runFields(ctx: Ctx, st: SpecState): void {
  writeFields(ctx, st, st.spec.fields, FIELD_STEPS, 'field:');
}

/** Computes `fields` in `st.scope` and queues their writes; steps are `<prefix><i>`, cached in `steps`. */
function writeFields(ctx: Ctx, st: SpecState, fields: readonly FieldPlan[], steps: string[], prefix: string): void {
  const { name } = st.spec;
  const scope = st.scope;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const step = (steps[i] ??= `${prefix}${i}`);
    at(name, step);
    const current = currentOf(ctx, f.target);
    const v = f.value(scope);
    const value = v === undefined ? null : v;
    // The field scope: the spec's scope plus the value and the target's current value.
    if (f.when && !f.when({ ...scope, value, current })) continue;
    record(ctx, st, step, f.target, value, f.clear === true, current);
  }
}

/** Applies the queued writes: metadata merged per top-level key and set only when it changed; claims set. */
function applyWrites(ctx: Ctx, states: readonly SpecState[]): void {
  // Failed specs' writes are dropped (spec isolation).
  if (!states.some((st) => !st.failed && st.writes.length > 0)) return;
  const user = isObject(ctx.event) && isObject(ctx.event.user) ? ctx.event.user : {};
  const meta = new Map<string, { kind: string; top: string; original: unknown; value: unknown; spec: string }>();
  const claims: { kind: string; claim: string; value: unknown; spec: string }[] = [];
  // Scopes, SAML attributes and the user id, in spec and write order.
  const outputs: { target: Exclude<Target, ClaimTarget | MetadataTarget>; value: unknown; spec: string }[] = [];
  for (const st of states) {
    if (st.failed) continue;
    const spec = st.spec.name;
    for (const { target: t, value } of st.writes) {
      if (isClaim(t)) {
        claims.push({ kind: t.kind, claim: t.claim, value, spec });
        continue;
      }
      if (!isMetadataTarget(t)) {
        outputs.push({ target: t, value, spec });
        continue;
      }
      const [top, ...rest] = t.path;
      if (top === undefined || !isSafeKey(top) || !rest.every(isSafeKey)) {
        L(ctx, { spec, step: 'write', status: 'rejected', msg: 'unsafe key' });
        continue;
      }
      const key = `${t.kind}.${top}`;
      let e = meta.get(key);
      if (!e) {
        const original = ownGet(user[t.kind], top) ?? null;
        e = { kind: t.kind, top, original, value: clone(original), spec };
        meta.set(key, e);
      }
      if (rest.length === 0) e.value = value;
      else {
        if (!isObject(e.value)) e.value = {};
        setPath(e.value as Record<string, unknown>, rest, value);
      }
    }
  }
  at(undefined, 'write');
  // Per metadata kind and per token: the object as the calls made so far leave it (size limits).
  const built = new Map<string, Record<string, unknown>>();
  // Sorted for a deterministic call order.
  const entries = meta.size > 1 ? [...meta].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : meta;
  for (const [, e] of entries) {
    if (deepEqual(e.value, e.original)) continue;
    // Auth0 refuses to merge into metadata that is not an object (a custom database can return anything).
    const m = user[e.kind];
    if (m != null ? !isObject(m) : ctx.plan.trigger === 'post-login') {
      L(ctx, { spec: e.spec, step: 'write', status: 'rejected', msg: `${e.kind} is not an object` });
      continue;
    }
    const o = within(ctx, built, e.kind, m, e.top, e.value, METADATA_MAX_BYTES, e.spec, `${e.kind}.${e.top}`);
    if (o && apiCall(ctx, e.spec, 'write', 'user', e.kind === 'app_metadata' ? 'setAppMetadata' : 'setUserMetadata', [e.top, e.value])) {
      built.set(e.kind, o);
    }
  }
  for (const c of claims) {
    const o = within(ctx, built, c.kind, null, c.claim, c.value, CLAIMS_MAX_BYTES, c.spec, c.claim);
    if (o && apiCall(ctx, c.spec, 'write', c.kind === 'id_token' ? 'idToken' : 'accessToken', 'setCustomClaim', [c.claim, c.value])) {
      built.set(c.kind, o);
    }
  }
  for (const { target: t, value, spec } of outputs) {
    if (t.kind === 'scopes') apiCall(ctx, spec, 'write', 'accessToken', value === true ? 'addScope' : 'removeScope', [t.scope]);
    else if (t.kind === 'user_id') apiCall(ctx, spec, 'write', 'user', 'setUserId', [value]);
    else {
      const o = within(ctx, built, 'saml', null, t.attribute, value, SAML_MAX_BYTES, spec, targetText(t));
      if (o && apiCall(ctx, spec, 'write', 'samlResponse', 'setAttribute', [t.attribute, value])) built.set('saml', o);
    }
  }
}

/**
 * The object `kind` (a metadata kind, or a token's custom claims) would be with `key` set to
 * `value` (null removes it): `built`'s, else `start`'s (the user's metadata; claims start
 * empty). Undefined, and an `over_limit` line (target, size, limit; never the value), when
 * that is over `max` bytes (./limits.ts). The caller keeps it in `built` once the call is made.
 */
function within(
  ctx: Ctx,
  built: Map<string, Record<string, unknown>>,
  kind: string,
  start: unknown,
  key: string,
  value: unknown,
  max: number,
  spec: string,
  target: string,
): Record<string, unknown> | undefined {
  // No prototype: a key `__proto__` is an own property here, measured like any other.
  const o: Record<string, unknown> = Object.assign(Object.create(null), built.get(kind) ?? (isObject(start) ? start : null));
  if (value == null) delete o[key];
  else o[key] = value;
  const bytes = jsonBytes(o);
  if (bytes <= max) return o;
  L(ctx, { spec, step: 'write', status: 'over_limit', msg: target, bytes, limit: max });
  return undefined;
}

// ---------------------------------------------------------------- access

/** Calls `api[group][method](...args)`; a missing method or a throw is logged, never propagated. */
function apiCall(ctx: Ctx, spec: string, step: string, group: string, method: string, args: unknown[]): boolean {
  try {
    const o = ctx.api == null ? undefined : ctx.api[group];
    const f = o == null ? undefined : o[method];
    if (typeof f !== 'function') {
      L(ctx, { spec, step, status: 'unsupported', msg: `api.${group}.${method}` });
      return false;
    }
    f.apply(o, args);
    return true;
  } catch (e) {
    L(ctx, { spec, step, status: 'api_error', msg: `api.${group}.${method} ${errText(e)}` });
    return false;
  }
}

/** Denies once, in the trigger's calling style. Triggers that cannot deny only log. */
function deny(ctx: Ctx, spec: string, step: string, message: string | undefined): void {
  if (ctx.denied) return;
  const m = message ?? DEFAULT_DENY_MESSAGE;
  const t = ctx.plan.trigger;
  const args =
    t === 'post-login' ? [m] : t === 'pre-user-registration' ? [m, m] : t === 'credentials-exchange' ? ['invalid_request', m] : null;
  if (args === null) {
    L(ctx, { spec, step, status: 'unsupported', msg: `deny on ${t}` });
    return;
  }
  // Marked even if the api call fails: sends must not run after an intended deny.
  ctx.denied = true;
  L(ctx, { spec, step, status: 'deny' });
  apiCall(ctx, spec, step, 'access', 'deny', args);
}

/** The access phase: the spec's first matching rule denies, redirects or asks for MFA. */
export const accessPhase: Phase = (ctx, st) => runAccess(ctx, st, st.spec.access, 'access:', st.scope);

/**
 * The first rule of `rules` that holds takes effect. A redirect that cannot happen (Auth0's
 * `canRedirect()` is false, another redirect was chosen, its token cannot be made) denies with
 * its `otherwiseDeny` message, or, without one (`otherwise: continue`), lets later rules decide.
 */
function runAccess(ctx: Ctx, st: SpecState, rules: readonly AccessPlan[], prefix: string, scope: Scope): void {
  const spec = st.spec.name;
  for (const [i, a] of rules.entries()) {
    const step = `${prefix}${i}`;
    at(spec, step);
    if (!a.when(scope)) continue;
    if (a.deny !== undefined) deny(ctx, spec, step, a.deny);
    else if (a.redirect) {
      if (!redirect(ctx, st, step, a.redirect)) continue;
    } else if (a.validationError) {
      // Like a deny, it ends the flow: marked so that no send runs after it.
      if (!ctx.denied) {
        ctx.denied = true;
        L(ctx, { spec, step, status: 'validation_error' });
        apiCall(ctx, spec, step, 'validation', 'error', [a.validationError.code, a.validationError.message]);
      }
    } else if (a.mfa !== undefined) {
      L(ctx, { spec, step, status: 'mfa' });
      apiCall(ctx, spec, step, 'multifactor', 'enable', a.mfaOptions ? [a.mfa, { ...a.mfaOptions }] : [a.mfa]);
    }
    return;
  }
}

/** Auth0's `api.redirect.canRedirect()`; false when it is missing or throws. */
function canRedirect(ctx: Ctx): boolean {
  try {
    const rd = ctx.api == null ? undefined : ctx.api.redirect;
    return rd != null && typeof rd.canRedirect === 'function' && rd.canRedirect() === true;
  } catch {
    return false;
  }
}

/** Redirects, or applies the rule's `otherwise`. True when the rule took effect (redirected or denied). */
function redirect(ctx: Ctx, st: SpecState, step: string, r: RedirectPlan): boolean {
  const spec = st.spec.name;
  const cannot = (why: string): boolean => {
    L(ctx, { spec, step, status: 'skipped', msg: why });
    if (r.otherwiseDeny === undefined) return false;
    deny(ctx, spec, step, r.otherwiseDeny);
    return true;
  };
  if (ctx.redirected) return cannot('already redirecting');
  if (!canRedirect(ctx)) return cannot('cannot redirect');
  const q = r.query ? r.query(st.scope) : undefined;
  const query: Record<string, string> = {};
  if (isObject(q)) for (const [k, v] of Object.entries(q)) if (v != null && isSafeKey(k)) query[k] = text(v);
  if (r.token) {
    const t = r.token;
    const key = secret(ctx, t.secret);
    if (key === null) return cannot('no_secret');
    // Auth0's encodeToken puts user.user_id, request.hostname and request.ip in the token itself.
    const ev = ctx.event;
    const plain = (v: unknown): boolean => v === undefined || typeof v === 'string';
    if (!isObject(ev) || !isObject(ev.user) || !isObject(ev.request) || typeof ev.user.user_id !== 'string' || !plain(ev.request.hostname) || !plain(ev.request.ip)) {
      return cannot('no token');
    }
    const p = t.payload ? t.payload(st.scope) : undefined;
    const payload: Record<string, unknown> = {};
    if (isObject(p)) {
      for (const [k, v] of Object.entries(p)) {
        if (v == null || !isSafeKey(k)) continue;
        // Too deep to serialise: the claim is left out (as such a write is refused).
        if (typeof v === 'object' && deeperThan(v, MAX_WRITE_DEPTH)) L(ctx, { spec, step, status: 'rejected', msg: `token claim ${k} nested too deep` });
        else payload[k] = clone(v);
      }
    }
    let token: unknown;
    try {
      token = ctx.api.redirect.encodeToken({ secret: key, expiresInSeconds: t.expiresInSeconds, payload });
    } catch (e) {
      L(ctx, { spec, step, status: 'api_error', msg: `api.redirect.encodeToken ${errText(e)}` });
      return cannot('no token');
    }
    if (typeof token !== 'string' || token === '') return cannot('no token');
    query[t.parameter] = token;
  }
  L(ctx, { spec, step, status: 'redirect' });
  if (!apiCall(ctx, spec, step, 'redirect', 'sendUserTo', [r.url, { query }])) return cannot('not sent');
  ctx.redirected = true;
  return true;
}

// ---------------------------------------------------------------- continue

/**
 * `onContinuePostLogin`: the user is back from a redirect. Auth0 resumes the Action, not the
 * spec, so the spec is the only one that redirects, or the one whose /continue parameter
 * carries a token (the checker keeps them apart, MAPC0615). Its returned token is validated
 * first (`api.redirect.validateToken`); a missing or invalid one denies. Then the spec's
 * `continue:` fields run with `continue` holding the verified payload, then its access rules,
 * and the writes are applied. Never rejects, never throws.
 */
export async function runContinue(plan: ActionPlan, event: unknown, api: unknown): Promise<void> {
  let ctx: Ctx | undefined;
  try {
    ctx = newCtx(plan, event, api);
    const c = ctx;
    const resumable = plan.specs.filter((s) => s.resume !== undefined);
    const spec = chooseResumed(c, resumable);
    if (spec === undefined) {
      const first = resumable[0];
      L(c, { spec: first?.name, step: 'continue', status: 'invalid_token', msg: 'no token' });
      deny(c, first?.name, 'continue', first?.resume?.denyMessage);
      return;
    }
    const resume = spec.resume!;
    let payload: unknown = null;
    if (resume.token) {
      const key = secret(c, resume.token.secret);
      try {
        if (key === null) throw new Error('secret missing');
        payload = c.api.redirect.validateToken({ secret: key, tokenParameterName: resume.token.parameter });
      } catch (e) {
        L(c, { spec: spec.name, step: 'continue', status: 'invalid_token', msg: errText(e) });
        deny(c, spec.name, 'continue', resume.denyMessage);
        return;
      }
      if (!isObject(payload)) {
        L(c, { spec: spec.name, step: 'continue', status: 'invalid_token', msg: 'no payload' });
        deny(c, spec.name, 'continue', resume.denyMessage);
        return;
      }
    }
    const scope: Scope = { event, lookups: NO_LOOKUPS, continue: payload };
    const st: SpecState = { spec, lookups: NO_LOOKUPS, scope, writes: [], failed: false };
    if (resume.fields.length > 0) guardStart(c, st, 'continue', () => writeFields(c, st, resume.fields, CONTINUE_FIELD_STEPS, 'continue:field:'));
    if (resume.access.length > 0) guardStart(c, st, 'continue', () => runAccess(c, st, resume.access, 'continue:access:', scope));
    applyWrites(c, [st]);
  } catch (e) {
    log({ step: 'continue', status: 'error', msg: errText(e) }, ctx?.secrets);
  } finally {
    at(undefined, undefined);
  }
}

const CONTINUE_FIELD_STEPS: string[] = [];

/** The spec the user comes back from, or undefined when that cannot be told (deny). */
function chooseResumed(ctx: Ctx, resumable: readonly SpecPlan[]): SpecPlan | undefined {
  if (resumable.length === 1 && resumable[0]!.resume!.token === undefined) return resumable[0];
  const req = isObject(ctx.event) ? ctx.event.request : undefined;
  const has = (name: string): boolean => {
    for (const from of [ownProp(req, 'query'), ownProp(req, 'body')]) {
      const v = ownGet(from, name);
      if (typeof v === 'string' && v !== '') return true;
    }
    return false;
  };
  const found = resumable.filter((s) => s.resume!.token !== undefined && has(s.resume!.token.parameter));
  return found.length === 1 ? found[0] : undefined;
}

// ---------------------------------------------------------------- sends

/** The sends phase: the spec's sends, concurrently; their stores queue writes. */
export const sendPhase: Phase = (ctx, st) => runSends(ctx, st);

/** Every phase, as `run` uses them. */
const ALL_PHASES: Phases = { lookups: lookupPhase, access: accessPhase, sends: sendPhase };

/** Undefined when no send of the spec started a request. */
function runSends(ctx: Ctx, st: SpecState): Promise<unknown> | undefined {
  const started: Promise<void>[] = [];
  st.spec.sends.forEach((s, i) => {
    const step = `send:${i}`;
    const p = startRequest(ctx, st, step, s.when, () => runSend(ctx, st, s, step));
    if (p) started.push(p);
  });
  return started.length > 0 ? Promise.all(started) : undefined;
}

async function runSend(ctx: Ctx, st: SpecState, s: SendPlan, step: string): Promise<void> {
  const r = await call(ctx, st, step, s, st.scope);
  if (!r.ok) {
    if (s.onError === 'deny') deny(ctx, st.spec.name, step, s.denyMessage);
    return;
  }
  if (st.failed) return;
  const scope: Scope = { ...st.scope, response: r.data };
  for (const w of s.store) record(ctx, st, step, w.target, w.value(scope), false, currentOf(ctx, w.target));
}
