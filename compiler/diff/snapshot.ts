/**
 * A snapshot: one built project flattened into reviewable items, each keyed by what it IS
 * (a spec by name, a field by target, a lookup by name, a send by method+system+path, an
 * access rule by position+kind, a system by name, an attribute by target), never by file
 * path, so that moving a spec to another file changes nothing. Values are resolved (the IR's
 * effective timeouts and policies) and printed as source text.
 */
import { systemHosts, systemSecrets } from '../systems';
import type { Compiled } from '../pipeline';
import type { AccessIR, FieldIR, RequestIR, SpecIR } from '../ir';
import type { Auth, Spec, System } from '../model';
import { targetKey } from '../ir';
import type { TriggerId } from '../triggers';
import { entriesText, exprText, literalText, templateText, transformsText, valueText } from './print';

/** What an item is. The order here is the order of the report. */
export const ITEM_KINDS = ['project', 'system', 'attribute', 'spec', 'lookup', 'field', 'access', 'send'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** A property value: strings are source text, numbers are milliseconds or counts. */
export type PropValue = string | number | boolean | readonly string[];
export type Props = Readonly<Record<string, PropValue>>;

export interface Item {
  readonly kind: ItemKind;
  /** Identity inside its spec (or the project): `app_metadata.x`, `subscription`, `#1 deny`, ... */
  readonly key: string;
  /** The spec that holds it (spec-scoped kinds only; for `spec` itself, its name). */
  readonly spec?: string;
  /** That spec's trigger. */
  readonly trigger?: TriggerId;
  /** Absent properties are not set. Compared by value. */
  readonly props: Props;
}

export interface ActionSize {
  readonly name: string;
  readonly trigger: TriggerId;
  /** Bytes of the bundled code.js. */
  readonly bytes: number;
}

export interface Snapshot {
  /** By `itemId`. */
  readonly items: ReadonlyMap<string, Item>;
  readonly actions: ReadonlyMap<string, ActionSize>;
}

/** The identity of an item across both sides. */
export function itemId(kind: ItemKind, spec: string | undefined, key: string): string {
  return `${kind}\u0000${spec ?? ''}\u0000${key}`;
}

/** A project with nothing in it (the base of a pull request that adds `mappings/`). */
export function emptySnapshot(): Snapshot {
  return { items: new Map(), actions: new Map() };
}

/** Drops undefined values so that "not set" is one thing. */
function clean(p: Record<string, PropValue | undefined>): Props {
  const out: Record<string, PropValue> = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined) out[k] = v;
  return out;
}

function requestProps(r: RequestIR, owner: string, description: string | undefined): Record<string, PropValue | undefined> {
  return {
    system: r.system,
    method: r.method,
    path: templateText(r.path),
    query: entriesText(r.query),
    headers: entriesText(r.headers),
    body: r.body ? valueText(r.body) : undefined,
    when: r.when ? exprText(r.when) : undefined,
    timeout: r.timeoutMs,
    retries: r.retries,
    on_error: r.onError,
    deny_message: r.denyMessage,
    idempotency_key: r.idempotencyKey ? templateText(r.idempotencyKey) : undefined,
    owner,
    description,
  };
}

function authText(a: Auth): string {
  return a.kind === 'none'
    ? 'none'
    : a.kind === 'bearer'
      ? `{ bearer: ${a.secret.value} }`
      : a.kind === 'header'
        ? `{ header: ${a.header.value}, secret: ${a.secret.value} }`
        : a.kind === 'basic'
          ? `{ basic: { user_secret: ${a.userSecret.value}, password_secret: ${a.passwordSecret.value} } }`
          : `{ oauth2: { token_url: ${a.tokenUrl.value}, client_id_secret: ${a.clientIdSecret.value}, client_secret_secret: ${a.clientSecretSecret.value}${a.audience ? `, audience: ${a.audience.value}` : ''}${a.scope ? `, scope: ${a.scope.value}` : ''} } }`;
}

function systemProps(s: System): Props {
  const b = s.baseUrl;
  const baseUrl =
    b.kind === 'static'
      ? b.url.value
      : b.kind === 'secret'
        ? `{ secret: ${b.secret.value} }`
        : `{ by: ${exprText(b.by)}, routes: { ${b.routes.map((r) => `${r.key}: ${r.auth ? `{ url: ${r.url.value}, auth: ${authText(r.auth)} }` : r.url.value}`).join(', ')} }${b.default ? `, default: ${b.default.value}` : ''} }`;
  return clean({
    base_url: baseUrl,
    hosts: systemHosts(s),
    auth: authText(s.auth),
    secrets: sortedUnique(systemSecrets(s).map((x) => x.value)),
    timeout: s.timeoutMs?.value,
    retries: s.retries?.value,
    owner: s.owner?.value,
  });
}


function sortedUnique(xs: readonly string[]): string[] {
  // Sorted for determinism.
  return [...new Set(xs)].sort();
}

/** Adds `item` under a key unique in its scope (`key`, then `key #2`, ...). */
function put(items: Map<string, Item>, item: Item): void {
  let key = item.key;
  for (let n = 2; items.has(itemId(item.kind, item.spec, key)); n++) key = `${item.key} #${n}`;
  items.set(itemId(item.kind, item.spec, key), { ...item, key });
}

function addSpec(items: Map<string, Item>, ir: SpecIR, model: Spec, trigger: TriggerId, action: string): void {
  const spec = ir.name;
  const at = { spec, trigger };
  put(items, {
    kind: 'spec',
    key: spec,
    ...at,
    props: clean({
      owner: ir.owner,
      trigger,
      action: model.action ? action : undefined,
      deadline: model.deadlineMs?.value,
      on_error: ir.onError,
      uses: ir.uses && ir.uses.length > 0 ? ir.uses.map((u) => `${u.name} = ${u.spec}.${u.lookup}`) : undefined,
      description: ir.description?.trim(),
    }),
  });
  for (const l of ir.lookups) {
    put(items, { kind: 'lookup', key: l.name, ...at, props: clean(requestProps(l, l.owner ?? ir.owner, l.description?.trim())) });
  }
  addFields(items, ir.fields, at, '');
  addAccess(items, ir.access, at, ir.owner, '');
  if (ir.resume) {
    addFields(items, ir.resume.fields, at, 'continue ');
    addAccess(items, ir.resume.access, at, ir.owner, 'continue ');
  }
  for (const s of ir.sends) {
    const store = s.store.map((st) => `${targetKey(st.target)} ← ${valueText(st.value)}`);
    put(items, {
      kind: 'send',
      key: `${s.method} ${s.system} ${templateText(s.path)}`,
      ...at,
      props: clean({
        ...requestProps(s, s.owner, s.description?.trim()),
        store: store.length > 0 ? store : undefined,
      }),
    });
  }
}

type At = { readonly spec: string; readonly trigger: TriggerId };

/** Fields keyed by their target as written (`id_token.tier`), `prefix` marking the continue phase. */
function addFields(items: Map<string, Item>, fields: readonly FieldIR[], at: At, prefix: string): void {
  for (const f of fields) {
    // The target as written (`id_token.tier`): the claims namespace is a project property.
    const key = prefix + (f.to?.value ?? targetKey(f.target));
    put(items, {
      kind: 'field',
      key,
      ...at,
      props: clean({
        from: valueText(f.value),
        transform: transformsText(f.transforms),
        when: f.when ? exprText(f.when) : undefined,
        default: f.default !== undefined ? literalText(f.default) : undefined,
        clear: f.clear ? true : undefined,
        owner: f.owner,
        description: f.description?.trim(),
      }),
    });
  }
}

/** Access rules keyed by position and kind (`#2 redirect`), `prefix` marking the continue phase. */
function addAccess(items: Map<string, Item>, access: readonly AccessIR[], at: At, owner: string, prefix: string): void {
  access.forEach((a, i) => {
    const act = a.action;
    const token = act.kind === 'redirect' ? act.token : undefined;
    put(items, {
      kind: 'access',
      key: `${prefix}#${i + 1} ${act.kind}`,
      ...at,
      props: clean({
        when: exprText(a.when),
        deny: act.kind === 'deny' ? act.message : undefined,
        redirect: act.kind === 'redirect' ? act.url : undefined,
        query: act.kind === 'redirect' ? entriesText(act.query) : undefined,
        otherwise: act.kind === 'redirect' ? (act.otherwise.kind === 'deny' ? `deny: ${act.otherwise.message}` : 'continue') : undefined,
        token: token ? `signed with ${token.secret}, valid ${token.expiresInSeconds}s, as ${token.parameter}` : undefined,
        token_payload: token && token.payload.length > 0 ? entriesText(token.payload) : undefined,
        mfa: act.kind === 'mfa' ? act.provider : undefined,
        validation_error: act.kind === 'validation_error' ? `${act.code}: ${act.message}` : undefined,
        allow_remember_browser: act.kind === 'mfa' ? act.allowRememberBrowser : undefined,
        owner: a.owner ?? owner,
        description: a.description?.trim(),
      }),
    });
  });
}

/** Flattens a compiled project. */
export function buildSnapshot(compiled: Compiled): Snapshot {
  const items = new Map<string, Item>();
  const { project, specs } = compiled.loaded;
  const d = project.defaults;
  put(items, {
    kind: 'project',
    key: 'mapc.yaml',
    props: clean({
      claims_namespace: project.claimsNamespace?.value,
      runtime: project.runtime.value,
      timeout: d.timeoutMs.value,
      deadline: d.deadlineMs.value,
      retries: d.retries.value,
      on_error: d.onError.value,
    }),
  });
  // Systems as declared (not only those an Action uses): a new host is news even before use.
  for (const sys of project.systems) {
    put(items, { kind: 'system', key: sys.name.value, props: systemProps(sys) });
  }
  for (const attr of project.attributes) {
    put(items, {
      kind: 'attribute',
      key: attr.target.value,
      props: clean({
        owner: attr.owner.value,
        type: attr.type.value,
        enum: attr.enum ? literalText(attr.enum.value) : undefined,
        description: attr.description?.trim(),
      }),
    });
  }
  const models = new Map(specs.map((s) => [s.name.value, s]));
  const actions = new Map<string, ActionSize>();
  for (const action of compiled.program.actions) {
    for (const ir of action.specs) {
      const model = models.get(ir.name);
      if (model) addSpec(items, ir, model, action.trigger, action.name);
    }
    const code = compiled.code.get(action.name) ?? '';
    actions.set(action.name, { name: action.name, trigger: action.trigger, bytes: Buffer.byteLength(code, 'utf8') });
  }
  return { items, actions };
}

