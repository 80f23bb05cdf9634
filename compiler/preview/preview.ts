/**
 * `mapc preview`: the built Actions run offline over exported users (Auth0's export format,
 * NDJSON), and what would happen, counted: per target how many users get a write and which
 * values (the most frequent, nulls, registry rejections), per access rule how many users are
 * denied, redirected or sent to MFA, per system its calls and failures.
 *
 * Each user is one execution of each selected Action as `mapc build` bundled it, loaded by the
 * emulator's Auth0 loader with the emulator's `api`, over an event whose `user` is the profile
 * and whose other fields are the trigger's default event (docs/preview.md). The systems are
 * answered from a table of recorded responses (`--systems`, or the `*.test.yaml` stubs): no
 * request leaves the process. Secrets are placeholders (`preview-<NAME>`).
 */
import { createApi, applyMetadata, loadAction, type LoadedAction, type ScriptedResponse } from '../emulator';
import type { ActionIR, TargetIR } from '../ir';
import { defaultEvent } from '../triggers';

/** How many distinct values per target are counted (values beyond them count as `other`). */
export const MAX_DISTINCT = 1000;

export interface TargetStats {
  readonly target: string;
  readonly spec: string;
  writes: number;
  nulls: number;
  rejected: number;
  /** Value (JSON text) → users, for at most MAX_DISTINCT values. */
  readonly values: Map<string, number>;
  other: number;
}

export interface AccessStats {
  readonly spec: string;
  /** The rule's index in the spec's `access:` list. */
  readonly rule: number;
  readonly kind: string;
  users: number;
}

export interface SystemStats {
  readonly system: string;
  calls: number;
  failures: number;
  /** Requests no recorded response answered (a 404 to the Action). */
  unanswered: number;
}

/** What the Actions did to one user: the strongest access outcome, and each target written (value as JSON text, null for a null write). */
export interface UserOutcome {
  readonly access: 'allow' | 'mfa' | 'redirect' | 'deny' | 'fail';
  readonly writes: ReadonlyMap<string, string | null>;
}

const RANK: Record<UserOutcome['access'], number> = { allow: 0, mfa: 1, redirect: 2, deny: 3, fail: 4 };

export interface PreviewResult {
  users: number;
  /** Lines that are not users. */
  errors: number;
  /** Executions that threw (Auth0 would fail the login). */
  threw: number;
  readonly actions: readonly string[];
  readonly targets: TargetStats[];
  readonly access: AccessStats[];
  readonly systems: SystemStats[];
}

/** Recorded responses per system; `loose`: a response recorded for another path still answers (the test stubs name their test users). */
export interface Responses {
  readonly bySystem: Readonly<Record<string, readonly ScriptedResponse[]>>;
  readonly loose: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function getPath(v: unknown, path: readonly string[]): unknown {
  let cur = v;
  for (const k of path) {
    if (!isObject(cur) || !Object.prototype.hasOwnProperty.call(cur, k)) return null;
    cur = cur[k];
  }
  return cur ?? null;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const targetName = (t: TargetIR): string =>
  t.kind === 'app_metadata' || t.kind === 'user_metadata' ? `${t.kind}.${t.path.join('.')}` : 'claim' in t ? `${t.kind}.${t.claim}` : t.kind === 'scopes' ? `scopes.${t.scope}` : t.kind === 'saml' ? `saml.${t.attribute}` : 'user_id';

interface Loaded {
  readonly action: ActionIR;
  readonly pool: LoadedAction[];
  readonly waiting: ((a: LoadedAction) => void)[];
  readonly targets: { target: TargetIR; stats: TargetStats }[];
  readonly secrets: Record<string, string>;
}

export class Previewer {
  readonly result: PreviewResult;
  private readonly loaded: Loaded[] = [];
  private readonly systemStats = new Map<string, SystemStats>();
  private readonly accessStats = new Map<string, AccessStats>();

  /** `specs`: report only these specs (their Actions still run whole, as in Auth0). */
  constructor(actions: readonly ActionIR[], code: ReadonlyMap<string, string>, responses: Responses, concurrency: number, specs?: ReadonlySet<string>) {
    this.result = { users: 0, errors: 0, threw: 0, actions: actions.map((a) => a.name), targets: [], access: [], systems: [] };
    for (const action of actions) {
      const secrets: Record<string, string> = {};
      for (const s of action.secrets) secrets[s] = `preview-${s}`;
      const bases: { base: string; system: string }[] = [];
      const tokens = new Set<string>();
      for (const s of action.systems) {
        const b = s.baseUrl;
        if (b.kind === 'static') bases.push({ base: b.url, system: s.name });
        else if (b.kind === 'routed') for (const url of [...b.routes.map(([, u]) => u), ...(b.default ? [b.default] : [])]) bases.push({ base: url, system: s.name });
        else {
          const url = `https://${s.name.replace(/[^a-z0-9-]/gi, '-')}.preview.mapc.invalid`;
          secrets[b.secret] = url;
          bases.push({ base: url, system: s.name });
        }
        for (const a of [s.auth, ...(b.kind === 'routed' ? (b.routeAuth ?? []).map(([, x]) => x) : [])]) if (a.kind === 'oauth2') tokens.add(a.tokenUrl);
        if (!this.systemStats.has(s.name)) this.systemStats.set(s.name, { system: s.name, calls: 0, failures: 0, unanswered: 0 });
      }
      const fetchFn = this.tableFetch(bases, tokens, responses);
      const pool = Array.from({ length: Math.max(1, concurrency) }, () => loadAction(code.get(action.name)!, [], { trigger: action.trigger, fetch: fetchFn }));
      const targets: { target: TargetIR; stats: TargetStats }[] = [];
      for (const spec of action.specs) {
        if (specs && !specs.has(spec.name)) continue;
        const written = [...spec.fields.map((f) => f.target), ...spec.sends.flatMap((s) => s.store.map((w) => w.target))];
        for (const target of written) {
          const stats: TargetStats = { target: targetName(target), spec: spec.name, writes: 0, nulls: 0, rejected: 0, values: new Map(), other: 0 };
          targets.push({ target, stats });
          this.result.targets.push(stats);
        }
      }
      this.loaded.push({ action, pool, waiting: [], targets, secrets });
    }
    this.specs = specs;
  }

  private readonly specs: ReadonlySet<string> | undefined;

  /** Runs every selected Action over one user and counts what happened; what happened to this user. Never rejects. */
  async add(user: Record<string, unknown>): Promise<UserOutcome> {
    this.result.users++;
    const each = await Promise.all(this.loaded.map((l) => this.runOne(l, user)));
    const writes = new Map<string, string | null>();
    let access: UserOutcome['access'] = 'allow';
    for (const o of each) {
      for (const [k, v] of o.writes) writes.set(k, v);
      if (RANK[o.access] > RANK[access]) access = o.access;
    }
    return { access, writes };
  }

  private async runOne(l: Loaded, user: Record<string, unknown>): Promise<UserOutcome> {
    const writes = new Map<string, string | null>();
    let access: UserOutcome['access'] = 'allow';
    const instance = l.pool.pop() ?? (await new Promise<LoadedAction>((r) => l.waiting.push(r)));
    try {
      const app = isObject(user['app_metadata']) ? user['app_metadata'] : {};
      const usr = isObject(user['user_metadata']) ? user['user_metadata'] : {};
      const event: Record<string, unknown> = { ...defaultEvent(l.action.trigger), user: { ...user, app_metadata: app, user_metadata: usr }, secrets: { ...l.secrets } };
      instance.logs.length = 0;
      const { api, record } = createApi(l.action.trigger, event, { entrypoint: instance.entrypoints[0]! });
      try {
        await instance.execute(instance.entrypoints[0], event, api);
      } catch {
        this.result.threw++;
        access = 'fail';
      }
      if (access !== 'fail') access = record.access.kind === 'deny' || record.access.kind === 'redirect' ? record.access.kind : record.mfa.length > 0 ? 'mfa' : 'allow';
      const rejected = new Set<string>();
      for (const line of instance.logs) this.countLog(line, rejected);
      instance.logs.length = 0;
      const after = { app_metadata: applyMetadata(app, record.appMetadataCalls), user_metadata: applyMetadata(usr, record.userMetadataCalls) };
      const setTops = { app_metadata: new Set(record.appMetadataCalls.map(([k]) => k)), user_metadata: new Set(record.userMetadataCalls.map(([k]) => k)) };
      for (const { target, stats } of l.targets) {
        if (rejected.has(stats.target)) stats.rejected++;
        let wrote = false;
        let value: unknown = null;
        if (target.kind === 'app_metadata' || target.kind === 'user_metadata') {
          if (!setTops[target.kind].has(target.path[0]!)) continue;
          const before = getPath(target.kind === 'app_metadata' ? app : usr, target.path);
          value = getPath(after[target.kind], target.path);
          wrote = !same(before, value);
        } else if ('claim' in target) {
          const claims = target.kind === 'id_token' ? record.idTokenClaims : record.accessTokenClaims;
          wrote = Object.prototype.hasOwnProperty.call(claims, target.claim);
          value = wrote ? claims[target.claim] : null;
        }
        if (!wrote) continue;
        stats.writes++;
        if (value === null || value === undefined) {
          stats.nulls++;
          writes.set(stats.target, null);
          continue;
        }
        const key = JSON.stringify(value);
        writes.set(stats.target, key);
        const n = stats.values.get(key);
        if (n !== undefined) stats.values.set(key, n + 1);
        else if (stats.values.size < MAX_DISTINCT) stats.values.set(key, 1);
        else stats.other++;
      }
    } finally {
      const next = l.waiting.shift();
      if (next) next(instance);
      else l.pool.push(instance);
    }
    return { access, writes };
  }

  /** Counts one log line of a run: requests per system, access outcomes per rule, registry rejections. */
  private countLog(line: string, rejected: Set<string>): void {
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const step = typeof e['step'] === 'string' ? e['step'] : '';
    const status = e['status'];
    const spec = typeof e['spec'] === 'string' ? e['spec'] : '';
    if (typeof e['system'] === 'string' && (step.startsWith('lookup:') || step.startsWith('send:')) && e['msg'] !== 'cached token refused') {
      const s = this.systemStats.get(e['system']);
      if (s) {
        s.calls++;
        if (!(typeof status === 'number' && status >= 200 && status <= 299)) s.failures++;
      }
    }
    if (status === 'rejected' && typeof e['msg'] === 'string') rejected.add(e['msg'].split(' ')[0]!);
    const m = /^access:(\d+)$/.exec(step);
    if (m && (status === 'deny' || status === 'redirect' || status === 'mfa' || status === 'validation_error') && (!this.specs || this.specs.has(spec))) {
      const key = `${spec}\0${m[1]}`;
      let a = this.accessStats.get(key);
      if (!a) {
        a = { spec, rule: Number(m[1]), kind: status, users: 0 };
        this.accessStats.set(key, a);
        this.result.access.push(a);
      }
      a.users++;
    }
  }

  /** A `fetch` answering the systems' URLs from the recorded responses; nothing leaves the process. */
  private tableFetch(bases: readonly { base: string; system: string }[], tokens: ReadonlySet<string>, responses: Responses): typeof fetch {
    // Responses by path, per system (a recording of every user's path is looked up, not scanned).
    const indexes = new Map<string, { byPath: Map<string, ScriptedResponse[]>; queries: boolean }>();
    const indexOf = (system: string, list: readonly ScriptedResponse[]) => {
      let ix = indexes.get(system);
      if (!ix) {
        ix = { byPath: new Map(), queries: list.some((r) => r.path?.includes('?') === true) };
        for (const r of list) if (r.path !== undefined) (ix.byPath.get(r.path) ?? ix.byPath.set(r.path, []).get(r.path)!).push(r);
        indexes.set(system, ix);
      }
      return ix;
    };
    return (async (input: unknown, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : String((input as { url?: string }).url ?? input);
      const method = (init?.method ?? 'GET').toUpperCase();
      if (tokens.has(url.split('?')[0]!)) return json(200, { access_token: 'preview-token', token_type: 'Bearer', expires_in: 3600 });
      const hit = bases.find((b) => url === b.base.replace(/\/+$/, '') || url.startsWith(b.base.replace(/\/+$/, '') + '/') || url.startsWith(b.base.replace(/\/+$/, '') + '?'));
      if (!hit) throw new TypeError('fetch failed (mapc preview: no system has this URL)');
      const rel = url.slice(hit.base.replace(/\/+$/, '').length) || '/';
      const list = responses.bySystem[hit.system] ?? [];
      const okMethod = (r: ScriptedResponse) => r.method === undefined || r.method.toUpperCase() === method;
      const table = indexOf(hit.system, list);
      const relPath = rel.includes('?') && !table.queries ? rel.slice(0, rel.indexOf('?')) : rel;
      const r =
        table.byPath.get(relPath)?.find(okMethod) ??
        list.find((x) => okMethod(x) && x.path === undefined) ??
        (responses.loose ? list.find(okMethod) : undefined);
      if (!r) {
        this.systemStats.get(hit.system)!.unanswered++;
        return json(404, { error: 'mapc preview: no recorded response' });
      }
      if (r.reset || r.hang) throw new TypeError('fetch failed (mapc preview: recorded as a dropped connection)');
      const body = r.raw ?? (r.body === undefined ? '' : JSON.stringify(r.body));
      return new Response(body, { status: r.status ?? 200, headers: { 'content-type': 'application/json', ...(r.headers ?? {}) } });
    }) as typeof fetch;
  }

  /** The results, sorted for determinism (targets and rules in spec order as declared, systems by name). */
  finish(): PreviewResult {
    this.result.systems.push(...[...this.systemStats.values()].sort((a, b) => (a.system < b.system ? -1 : a.system > b.system ? 1 : 0)));
    this.result.access.sort((a, b) => (a.spec < b.spec ? -1 : a.spec > b.spec ? 1 : a.rule - b.rule));
    return this.result;
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** The `n` most frequent values of a target, most frequent first (ties by value text, for determinism). */
export function topValues(s: TargetStats, n = 5): { value: string; users: number }[] {
  return [...s.values]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, n)
    .map(([value, users]) => ({ value, users }));
}
