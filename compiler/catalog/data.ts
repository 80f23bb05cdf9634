/**
 * The catalog's data, from a compiled project: the resolved model (writes, their owners, the
 * trust analysis), the IR (effective timeouts, retries and policies, bindings) and the bundled
 * code (sizes). Nothing here re-reads YAML. Everything is sorted or kept in a stated order, so
 * the same project gives the same data (and the same pages).
 *
 * The lineage graph is built here too, as plain nodes and edges: sources (event fields,
 * lookups of systems, a redirect's returned token) → computations (a field's functions,
 * transforms and default) → targets (metadata keys, claims) → where they are read (tokens,
 * access rules, sends, routing). A metadata target read back by another expression is one
 * node, so chains across specs and triggers show.
 */
import type { Compiled } from '../pipeline';
import type { Expr, Template } from '../expr';
import { exprText, templateExprs, templateText } from '../expr';
import type { AccessRule, Field, RequestSpec, Spec, System, Value } from '../model';
import { valueExprs } from '../model-walk';
import { compare } from '../order';
import { lineCol, type Span } from '../source';
import { systemHosts, systemSecrets } from '../systems';
import { taintText, type Write } from '../resolve';
import type { ActionIR, LookupIR, RequestIR, SendIR, SpecIR } from '../ir';
import { lowerValue } from '../ir';
import { literalText, transformsText, valueText } from '../diff';
import { TRIGGER_IDS, type TriggerId } from '../triggers';
import { LIMITS } from '../auth0';
import { SIGNATURES } from '../../runtime/signatures';

/** How a source feeds a value: as the value, as a fallback (a later argument of `coalesce`), or as a condition (`when`). */
export type Role = 'value' | 'fallback' | 'condition';

export type NodeKind = 'event' | 'system' | 'lookup' | 'computed' | 'transform' | 'attribute' | 'token' | 'access' | 'send' | 'routing';

export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
  /** The full text (a tooltip). */
  readonly title: string;
  /** The page it links to, relative to the catalog root. */
  readonly href?: string;
  /** Owners and systems it belongs to directly (the filters start from these). */
  readonly owners: readonly string[];
  readonly systems: readonly string[];
  /** The triggers whose specs it belongs to (none for event fields and systems). */
  readonly triggers: readonly string[];
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly role: Role;
}

export interface Graph {
  /** Sorted by id. */
  readonly nodes: readonly GraphNode[];
  /** Sorted by from, to, role; no duplicates. */
  readonly edges: readonly GraphEdge[];
}

/** One source of a written value, as the attribute page lists it. */
export interface SourceInfo {
  readonly role: Role;
  readonly kind: 'event' | 'lookup' | 'attribute' | 'token' | 'response' | 'computed';
  /** `user.email`, `lookup subscription`, `app_metadata.tier`, `now()`. */
  readonly text: string;
  /** For a lookup: `billing GET /users/{{user.user_id}}/subscription`. */
  readonly detail?: string;
  readonly href?: string;
  readonly node: string;
}

export interface WriterInfo {
  readonly spec: string;
  readonly owner: string;
  readonly trigger: TriggerId;
  readonly action: string;
  /** `login`, or `continue` (after a redirect). */
  readonly phase: 'login' | 'continue';
  /** `field`, or `store` of a send (the text of the send). */
  readonly via: string;
  readonly from: string;
  readonly transforms?: string;
  readonly default?: string;
  readonly when?: string;
  readonly sources: readonly SourceInfo[];
  /** The user-editable data the written value can carry, with the chain it came through; null: trusted. */
  readonly untrusted: { readonly text: string; readonly chain: readonly string[] } | null;
  /** `mappings/x.yaml:12` */
  readonly at: string;
  /** The computation node, or the first source when there is none. */
  readonly node: string;
}

export interface ReaderInfo {
  readonly spec?: string;
  readonly trigger?: TriggerId;
  readonly owner: string;
  /** What reads it: `access rule #1 (deny)`, `field id_token.x`, `lookup orders (request)`, `routing of orders`. */
  readonly where: string;
  readonly kind: 'access' | 'field' | 'lookup' | 'send' | 'routing' | 'token';
  readonly expr: string;
  readonly href: string;
}

export interface AttributeInfo {
  /** `app_metadata.subscription_tier`, `id_token.subscription_tier` (as written, without the namespace). */
  readonly key: string;
  readonly slug: string;
  /** `app_metadata`, `user_metadata`, `id_token`, `access_token`, `scopes`, `saml`, `user_id`. */
  readonly kind: string;
  /** A claim's full name (namespace applied). */
  readonly claim?: string;
  readonly registry?: { readonly owner: string; readonly type: string; readonly enum?: string; readonly description?: string };
  /** The registry's owner, else the writers' owners. */
  readonly owners: readonly string[];
  readonly writers: readonly WriterInfo[];
  readonly readers: readonly ReaderInfo[];
  /** Whether its value can carry user-editable data, and why. */
  readonly trust: { readonly userEditable: boolean; readonly why: readonly string[] };
  readonly node: string;
}

export interface RequestInfo {
  readonly spec: string;
  readonly owner: string;
  readonly trigger: TriggerId;
  /** `lookup subscription` or `send POST /contacts`. */
  readonly what: string;
  readonly method: string;
  readonly path: string;
  readonly when?: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly onError: string;
  readonly denyMessage?: string;
  readonly idempotencyKey?: string;
  readonly stores: readonly string[];
}

export interface SystemInfo {
  readonly name: string;
  readonly slug: string;
  readonly owner?: string;
  readonly baseUrl: string;
  readonly hosts: readonly string[];
  readonly auth: string;
  /** Names only: a secret's value is never known to the compiler. */
  readonly secrets: readonly string[];
  /** As declared, else the project default. */
  readonly timeoutMs: number;
  readonly retries: number;
  readonly routingBy?: string;
  readonly requests: readonly RequestInfo[];
}

export interface ActionInfo {
  readonly name: string;
  readonly external: boolean;
  readonly deadlineMs?: number;
  /** Of the trigger's 20 s. */
  readonly deadlineShare?: number;
  readonly bytes?: number;
  readonly sizeShare?: number;
  readonly specs: readonly { readonly name: string; readonly owner: string }[];
  readonly systems: readonly string[];
  readonly secrets: readonly string[];
}

export interface TriggerInfo {
  readonly id: TriggerId;
  /** In binding order (execution order). */
  readonly actions: readonly ActionInfo[];
  readonly deadlineMs: number;
}

export interface SpecInfo {
  readonly name: string;
  readonly slug: string;
  readonly owner: string;
  readonly trigger: TriggerId;
  readonly action: string;
  readonly file: string;
  readonly description?: string;
  readonly onError: string;
  readonly lookups: readonly RequestInfo[];
  readonly sends: readonly RequestInfo[];
  readonly fields: readonly { readonly to: string; readonly slug: string; readonly from: string; readonly transforms?: string; readonly default?: string; readonly when?: string; readonly owner: string; readonly phase: 'login' | 'continue'; readonly description?: string }[];
  readonly access: readonly { readonly phase: 'login' | 'continue'; readonly when: string; readonly action: string; readonly owner: string; readonly description?: string }[];
  readonly uses: readonly string[];
}

export interface OwnerInfo {
  readonly name: string;
  readonly slug: string;
  /** Registry attributes it owns. */
  readonly owns: readonly string[];
  readonly systems: readonly string[];
  readonly specs: readonly string[];
  /** The `mapc owners` lines for this team: paths relative to the repository root. */
  readonly codeowners: readonly string[];
  /** Targets written by its specs or entries. */
  readonly writes: readonly string[];
  /** Systems its specs call. */
  readonly calls: readonly string[];
}

export interface CatalogData {
  readonly claimsNamespace?: string;
  /** Sorted by key. */
  readonly attributes: readonly AttributeInfo[];
  /** In declaration order. */
  readonly systems: readonly SystemInfo[];
  /** In trigger order (every trigger). */
  readonly triggers: readonly TriggerInfo[];
  /** Sorted by name. */
  readonly specs: readonly SpecInfo[];
  /** Sorted by name. */
  readonly owners: readonly OwnerInfo[];
  readonly graph: Graph;
}

export interface CatalogOptions {
  /** The `mapc owners` block for the project (compiler/diff `renderCodeowners`), parsed into the owners pages. */
  readonly codeowners?: string;
}

/**
 * A file name for any key: letters, digits, `_`, `.` and `-` stay; every other character
 * (and `=`) becomes `=` and its code point in hex, so two keys never share a name.
 */
export function slug(key: string): string {
  let out = '';
  for (const ch of key) out += /[A-Za-z0-9_.-]/.test(ch) ? ch : `=${ch.codePointAt(0)!.toString(16)}`;
  // A name starting with `.` would be hidden; `..` never arises (targets have no empty segments).
  return out.startsWith('.') ? `=2e${out.slice(1)}` : out;
}

export const href = {
  attribute: (key: string) => `attributes/${slug(key)}.html`,
  system: (name: string) => `systems/${slug(name)}.html`,
  trigger: (id: string) => `triggers/${slug(id)}.html`,
  owner: (name: string) => `owners/${slug(name)}.html`,
  spec: (name: string) => `specs/${slug(name)}.html`,
};

const READS_EVENT: ReadonlySet<string> = new Set(
  Object.entries(SIGNATURES)
    .filter(([, sig]) => sig.readsEvent !== undefined)
    .map(([name]) => name),
);

/** Functions whose later arguments are used only when the first is null. */
const FALLBACK_FUNCTIONS: ReadonlySet<string> = new Set(['coalesce', 'default']);

/** Roots that are not data read from outside the expression. */
const LOCAL_ROOTS: ReadonlySet<string> = new Set(['value', 'current', 'item']);

const sortedUnique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort(compare);

/** A read found in an expression: a root path, or a member chain after an event function (`identity('x').a`). */
interface RawRead {
  readonly root?: string;
  readonly keys: readonly (string | number)[];
  readonly text: string;
  readonly role: Role;
}

function chainText(root: string, keys: readonly (string | number)[]): string {
  let s = root;
  for (const k of keys) s += typeof k === 'number' ? `[${k}]` : `.${k}`;
  return s;
}

/** The reads of `e` with the role each plays. */
function readsOf(e: Expr, role: Role, out: RawRead[] = []): RawRead[] {
  switch (e.kind) {
    case 'root':
    case 'member': {
      const keys: (string | number)[] = [];
      let cur: Expr = e;
      while (cur.kind === 'member') {
        keys.unshift(cur.key);
        cur = cur.object;
      }
      if (cur.kind === 'root') out.push({ root: cur.name, keys, text: chainText(cur.name, keys), role });
      else if (cur.kind === 'call' && READS_EVENT.has(cur.name)) out.push({ keys: [], text: exprText(e), role });
      else readsOf(cur, role, out);
      return out;
    }
    case 'call':
      if (READS_EVENT.has(e.name)) {
        out.push({ keys: [], text: exprText(e), role });
        return out;
      }
      e.args.forEach((a, i) => readsOf(a, i > 0 && FALLBACK_FUNCTIONS.has(e.name) && role === 'value' ? 'fallback' : role, out));
      return out;
    case 'unary':
      return readsOf(e.operand, role, out);
    case 'binary':
      readsOf(e.left, role, out);
      readsOf(e.right, role, out);
      return out;
    default:
      return out;
  }
}

function functionNames(e: Expr, out: string[] = []): string[] {
  if (e.kind === 'call') {
    if (!out.includes(e.name)) out.push(e.wildcard ? 'map_each' : e.name);
    e.args.forEach((a) => functionNames(a, out));
  } else if (e.kind === 'member') functionNames(e.object, out);
  else if (e.kind === 'unary') functionNames(e.operand, out);
  else if (e.kind === 'binary') {
    if (!out.includes(e.op)) out.push(e.op);
    functionNames(e.left, out);
    functionNames(e.right, out);
  }
  return out;
}

function at(span: Span): string {
  return `${span.file.path}:${lineCol(span.file, span.start).line}`;
}

/** A model value in the one text `mapc diff` prints values in. */
function modelValueText(v: Value): string {
  return valueText(lowerValue(v));
}

function authText(s: System): string {
  const a = s.auth;
  switch (a.kind) {
    case 'none':
      return 'none';
    case 'bearer':
      return 'bearer token';
    case 'header':
      return `API key in header ${a.header.value}`;
    case 'basic':
      return 'HTTP basic';
    case 'oauth2':
      return `OAuth 2.0 client credentials (token from ${a.tokenUrl.value})`;
  }
}

function baseUrlText(s: System): string {
  const b = s.baseUrl;
  if (b.kind === 'static') return b.url.value;
  if (b.kind === 'secret') return `from secret ${b.secret.value}`;
  return `routed by ${exprText(b.by)}: ${b.routes.map((r) => `${r.key} → ${r.url.value}`).join(', ')}${b.default ? `; default ${b.default.value}` : ''}`;
}

/** The attribute key of a written target, as written (a claim without the namespace). */
function keyOf(w: Write): string | null {
  return w.target === null ? null : w.text.value;
}

class GraphBuilder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();

  node(n: Omit<GraphNode, 'triggers'> & { readonly triggers?: readonly string[] }): string {
    const had = this.nodes.get(n.id);
    const triggers = n.triggers ?? [];
    if (had) this.nodes.set(n.id, { ...had, owners: sortedUnique([...had.owners, ...n.owners]), systems: sortedUnique([...had.systems, ...n.systems]), triggers: sortedUnique([...had.triggers, ...triggers]) });
    else this.nodes.set(n.id, { ...n, owners: sortedUnique(n.owners), systems: sortedUnique(n.systems), triggers: sortedUnique(triggers) });
    return n.id;
  }

  edge(from: string, to: string, role: Role): void {
    if (from === to) return;
    const id = `${from}\u0000${to}\u0000${role}`;
    this.edges.set(id, { from, to, role });
  }

  graph(): Graph {
    const nodes = [...this.nodes.values()].sort((a, b) => compare(a.id, b.id));
    // A value edge wins over a fallback or condition edge between the same two nodes.
    const rank: Record<Role, number> = { value: 0, fallback: 1, condition: 2 };
    const best = new Map<string, GraphEdge>();
    for (const e of this.edges.values()) {
      const k = `${e.from}\u0000${e.to}`;
      const had = best.get(k);
      if (!had || rank[e.role] < rank[had.role]) best.set(k, e);
    }
    const edges = [...best.values()].sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to));
    // A source that feeds nothing drawn (a lookup's request inputs only) is left out; every attribute stays.
    const linked = new Set(edges.flatMap((e) => [e.from, e.to]));
    return { nodes: nodes.filter((n) => n.kind === 'attribute' || linked.has(n.id)), edges };
  }
}

/** Builds the catalog's data. Pure; the compiled project has no errors. */
export function catalogData(compiled: Compiled, opts: CatalogOptions = {}): CatalogData {
  const { loaded, resolved, program } = compiled;
  const project = loaded.project;
  const ns = project.claimsNamespace?.value;
  const g = new GraphBuilder();
  const irSpecs = new Map<string, { spec: SpecIR; action: ActionIR }>();
  for (const action of program.actions) for (const s of action.specs) irSpecs.set(s.name, { spec: s, action });
  const specsByName = new Map(loaded.specs.map((s) => [s.name.value, s]));
  const systemsByName = new Map(project.systems.map((s) => [s.name.value, s]));

  // Every attribute key: the registry's, and every target written.
  const registry = new Map(project.attributes.map((a) => [a.target.value, a]));
  const keys = new Set<string>(registry.keys());
  for (const w of resolved.writes) {
    const k = keyOf(w);
    if (k !== null) keys.add(k);
  }
  const attrNode = (key: string): string => {
    const reg = registry.get(key);
    const written = resolved.writes.filter((w) => keyOf(w) === key);
    const writerOwners = written.map((w) => w.owner);
    return g.node({ id: `attribute:${key}`, kind: 'attribute', label: key, title: key, href: href.attribute(key), owners: reg ? [reg.owner.value, ...writerOwners] : writerOwners, systems: [], triggers: written.map((w) => w.spec.trigger.value) });
  };
  /** The attribute a metadata read hits: the longest registered or written key the path starts with, else a key under the path. */
  const attributeOfRead = (root: string | undefined, readKeys: readonly (string | number)[]): string | null => {
    if (root !== 'user' || (readKeys[0] !== 'app_metadata' && readKeys[0] !== 'user_metadata')) return null;
    const text = readKeys.join('.');
    let best: string | null = null;
    for (const k of keys) {
      if ((text === k || text.startsWith(`${k}.`)) && (best === null || k.length > best.length)) best = k;
    }
    return best;
  };

  const systemNode = (name: string): string => {
    const sys = systemsByName.get(name);
    return g.node({ id: `system:${name}`, kind: 'system', label: `system ${name}`, title: `system ${name}${sys ? ` (${systemHosts(sys).join(', ') || baseUrlText(sys)})` : ''}`, href: href.system(name), owners: sys?.owner ? [sys.owner.value] : [], systems: [name] });
  };
  const lookupNode = (specName: string, lookupName: string): { id: string; detail: string } | null => {
    const spec = specsByName.get(specName);
    const l = spec?.lookups.find((x) => x.name.value === lookupName);
    if (!spec || !l) return null;
    const detail = `${l.system.value} ${l.method.value} ${templateText(l.path)}`;
    const id = g.node({
      id: `lookup:${specName}.${lookupName}`,
      kind: 'lookup',
      label: `lookup ${lookupName}`,
      title: `lookup ${lookupName} of ${specName}: ${detail}`,
      href: href.spec(specName),
      owners: [l.owner?.value ?? spec.owner.value],
      systems: [l.system.value],
      triggers: [spec.trigger.value],
    });
    g.edge(systemNode(l.system.value), id, 'value');
    return { id, detail };
  };
  const sendNodeId = (spec: Spec, i: number): string => {
    const s = spec.sends[i]!;
    const text = `${s.method.value} ${s.system.value} ${templateText(s.path)}`;
    return g.node({ id: `send:${spec.name.value}#${i + 1}`, kind: 'send', label: `send ${text}`, title: `send of ${spec.name.value}: ${text}`, href: href.spec(spec.name.value), owners: [s.owner?.value ?? spec.owner.value], systems: [s.system.value], triggers: [spec.trigger.value] });
  };

  /** The sources of reads in one spec's scope (lookups, `uses:`, `response` of a send, `continue`). */
  const sourcesOf = (reads: readonly RawRead[], spec: Spec | undefined, send?: number): SourceInfo[] => {
    const out: SourceInfo[] = [];
    for (const r of reads) {
      if (r.root !== undefined && LOCAL_ROOTS.has(r.root)) continue;
      if (r.root === undefined) {
        out.push({ role: r.role, kind: 'event', text: r.text, node: g.node({ id: `event:${r.text}`, kind: 'event', label: r.text, title: `${r.text} (event)`, owners: [], systems: [] }) });
        continue;
      }
      const lookup = spec?.lookups.find((l) => l.name.value === r.root);
      const used = spec?.uses.find((u) => u.name.value === r.root);
      if (spec && (lookup || used)) {
        const n = lookupNode(used ? used.spec : spec.name.value, used ? used.lookup : r.root);
        if (n) {
          out.push({ role: r.role, kind: 'lookup', text: `lookup ${used ? `${used.spec}.${used.lookup}` : r.root}`, detail: `${r.text} from ${n.detail}`, href: href.spec(used ? used.spec : spec.name.value), node: n.id });
          continue;
        }
      }
      if (r.root === 'response' && spec && send !== undefined) {
        out.push({ role: r.role, kind: 'response', text: r.text, detail: 'the response of the send', node: sendNodeId(spec, send) });
        continue;
      }
      if (r.root === 'continue') {
        out.push({ role: r.role, kind: 'token', text: r.text, detail: 'the token the redirect page sends back', node: g.node({ id: `event:${r.text}`, kind: 'event', label: r.text, title: `${r.text} (the verified token returned to /continue)`, owners: [], systems: [] }) });
        continue;
      }
      const attr = attributeOfRead(r.root, r.keys);
      if (attr !== null) {
        out.push({ role: r.role, kind: 'attribute', text: r.text, href: href.attribute(attr), node: attrNode(attr) });
        continue;
      }
      out.push({ role: r.role, kind: 'event', text: r.text, node: g.node({ id: `event:${r.text}`, kind: 'event', label: r.text, title: `${r.text} (event)`, owners: [], systems: [] }) });
    }
    // One entry per source and role, in reading order.
    const seen = new Set<string>();
    return out.filter((s) => {
      const k = `${s.node}\u0000${s.role}\u0000${s.text}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  };

  const valueReads = (v: Value, role: Role): RawRead[] => valueExprs(v).flatMap((e) => readsOf(e, role));
  const templateReads = (t: Template, role: Role): RawRead[] => templateExprs(t).flatMap((e) => readsOf(e, role));

  // Writers.
  const writers = new Map<string, WriterInfo[]>();
  resolved.writes.forEach((w) => {
    const key = keyOf(w);
    if (key === null) return;
    const spec = w.spec;
    const specName = spec.name.value;
    const ir = irSpecs.get(specName);
    const target = attrNode(key);
    const field: Field | undefined = w.source.kind === 'field' ? w.source.field : undefined;
    const value: Value = field ? field.from : (w.source as { value: Value }).value;
    const sendIndex = w.source.kind === 'store' ? spec.sends.indexOf(w.source.send) : undefined;
    const sources = sourcesOf([...valueReads(value, 'value'), ...(field?.when ? readsOf(field.when, 'condition') : [])], spec, sendIndex);
    const transforms = field && field.transform.length > 0 ? field.transform.map((t) => (t.args.length === 0 && !t.namedArgs?.length ? t.name.value : `${t.name.value}(…)`)).join(', ') : undefined;
    const irTransforms = ir ? [...ir.spec.fields, ...(ir.spec.resume?.fields ?? [])].find((f) => f.to === w.text) : undefined;
    const def = field?.default !== undefined ? literalText(field.default.value) : undefined;
    // Functions that read the event (`identity('x')`) are the source, not a computation.
    const fns = value.kind === 'expr' ? functionNames(value.expr).filter((f) => !READS_EVENT.has(f)) : value.kind === 'template' ? ['template'] : [];
    const valueSources = sources.filter((s) => s.role !== 'condition');
    // A computation node when the value is more than one source passed through.
    const computes = fns.length > 0 || transforms !== undefined || def !== undefined || valueSources.length !== 1 || value.kind !== 'expr';
    let node = target;
    const owners = [w.owner];
    const systems = sources.flatMap((s) => g.nodes.get(s.node)?.systems ?? []);
    if (computes) {
      const parts = [fns.join(' · '), transforms ? `${fns.length > 0 ? '| ' : ''}${transforms}` : '', def !== undefined ? `?? ${def}` : ''].filter((p) => p !== '');
      const label = parts.length > 0 ? parts.join(' ') : value.kind === 'literal' ? modelValueText(value) : 'value';
      node = g.node({
        id: `transform:${specName}:${w.phase}:${key}:${at(w.text.span)}`,
        kind: 'transform',
        label,
        title: `${specName} → ${key}: ${modelValueText(value)}${transforms ? ` | ${transforms}` : ''}${def !== undefined ? ` (default ${def})` : ''}`,
        href: href.spec(specName),
        owners,
        systems,
        triggers: [spec.trigger.value],
      });
      g.edge(node, target, 'value');
    }
    for (const s of sources) g.edge(s.node, node, s.role);
    if (!computes && valueSources.length === 0) node = target;
    const taint = resolved.writeTaint(w);
    const list = writers.get(key) ?? [];
    list.push({
      spec: specName,
      owner: w.owner,
      trigger: spec.trigger.value,
      action: ir?.action.name ?? '',
      phase: w.phase,
      via: w.source.kind === 'field' ? 'field' : `store of send ${w.source.send.method.value} ${w.source.send.system.value} ${templateText(w.source.send.path)}`,
      from: modelValueText(value),
      ...(transforms !== undefined ? { transforms: irTransforms ? (transformsText(irTransforms.transforms) ?? transforms) : transforms } : {}),
      ...(def !== undefined ? { default: def } : {}),
      ...(field?.when ? { when: exprText(field.when) } : {}),
      sources,
      untrusted: taint ? { text: taintText(taint), chain: taint.chain.map((c) => `${c.message} (${at(c.span)})`) } : null,
      at: at(w.text.span),
      node,
    });
    writers.set(key, list);
  });

  // Readers: every expression that reads a metadata attribute, and the sinks of the graph.
  const readers = new Map<string, ReaderInfo[]>();
  const addReader = (key: string, r: ReaderInfo) => {
    const list = readers.get(key) ?? [];
    if (!list.some((x) => x.where === r.where && x.spec === r.spec && x.expr === r.expr)) list.push(r);
    readers.set(key, list);
  };
  /** Records what `reads` feed into `sink` (a graph node), and attribute readers. */
  const feed = (reads: readonly RawRead[], spec: Spec | undefined, sink: string | null, reader: Omit<ReaderInfo, 'expr'>, expr: string, send?: number) => {
    const sources = sourcesOf(reads, spec, send);
    for (const s of sources) {
      if (sink !== null) g.edge(s.node, sink, s.role);
      if (s.kind === 'attribute') addReader(s.node.slice('attribute:'.length), { ...reader, expr });
    }
  };
  for (const spec of loaded.specs) {
    const name = spec.name.value;
    const base = { spec: name, trigger: spec.trigger.value };
    const requestReads = (r: RequestSpec): RawRead[] => [
      ...templateReads(r.path, 'value'),
      ...(r.idempotencyKey ? templateReads(r.idempotencyKey, 'value') : []),
      ...r.query.flatMap((q) => valueReads(q.value, 'value')),
      ...r.headers.flatMap((h) => valueReads(h.value, 'value')),
      ...(r.body ? valueReads(r.body, 'value') : []),
      ...(r.when ? readsOf(r.when, 'condition') : []),
    ];
    for (const l of spec.lookups) {
      // A lookup's inputs choose the record; they are listed as readers, not drawn (the graph
      // shows what the response feeds).
      feed(requestReads(l), spec, null, { ...base, owner: l.owner?.value ?? spec.owner.value, where: `lookup ${l.name.value} (request)`, kind: 'lookup', href: href.spec(name) }, `${l.method.value} ${templateText(l.path)}${l.when ? ` when ${exprText(l.when)}` : ''}`);
    }
    const fieldReaders = (fields: readonly Field[], phase: string) => {
      for (const f of fields) {
        const reads = [...valueReads(f.from, 'value'), ...(f.when ? readsOf(f.when, 'condition') : [])];
        for (const s of sourcesOf(reads, spec)) {
          if (s.kind === 'attribute') addReader(s.node.slice('attribute:'.length), { ...base, owner: f.owner?.value ?? spec.owner.value, where: `${phase}field ${f.to.value}`, kind: 'field', href: href.attribute(f.to.value), expr: modelValueText(f.from) });
        }
      }
    };
    fieldReaders(spec.fields, '');
    fieldReaders(spec.continue?.fields ?? [], 'continue ');
    spec.sends.forEach((s, i) => {
      const node = sendNodeId(spec, i);
      feed(requestReads(s), spec, node, { ...base, owner: s.owner?.value ?? spec.owner.value, where: `send ${s.method.value} ${s.system.value} ${templateText(s.path)}`, kind: 'send', href: href.spec(name) }, s.body ? modelValueText(s.body) : templateText(s.path));
    });
    const accessRules = (rules: readonly AccessRule[], phase: string) => {
      rules.forEach((a, i) => {
        const act = a.action.kind;
        const node = g.node({
          id: `access:${name}:${phase}${i + 1}`,
          kind: 'access',
          label: `${phase}access #${i + 1} ${act} (${name})`,
          title: `${name}: ${phase}access rule #${i + 1}, ${act} when ${exprText(a.when)}`,
          href: href.spec(name),
          owners: [a.owner?.value ?? spec.owner.value],
          systems: [],
          triggers: [spec.trigger.value],
        });
        const reads = [...readsOf(a.when, 'condition')];
        if (a.action.kind === 'redirect') {
          for (const q of a.action.query) reads.push(...valueReads(q.value, 'value'));
          for (const c of a.action.token?.payload ?? []) reads.push(...valueReads(c.value, 'value'));
        }
        feed(reads, spec, node, { ...base, owner: a.owner?.value ?? spec.owner.value, where: `${phase}access rule #${i + 1} (${act})`, kind: 'access', href: href.spec(name) }, exprText(a.when));
      });
    };
    accessRules(spec.access, '');
    accessRules(spec.continue?.access ?? [], 'continue ');
  }
  for (const sys of project.systems) {
    if (sys.baseUrl.kind !== 'routed') continue;
    const node = g.node({ id: `routing:${sys.name.value}`, kind: 'routing', label: `routing of ${sys.name.value}`, title: `the host of ${sys.name.value} is chosen by ${exprText(sys.baseUrl.by)}`, href: href.system(sys.name.value), owners: sys.owner ? [sys.owner.value] : [], systems: [sys.name.value] });
    g.edge(node, systemNode(sys.name.value), 'value');
    feed(readsOf(sys.baseUrl.by, 'value'), undefined, node, { owner: sys.owner?.value ?? '', where: `routing of ${sys.name.value}`, kind: 'routing', href: href.system(sys.name.value) }, exprText(sys.baseUrl.by));
  }

  // Attributes.
  const tokenLabel: Record<string, string> = { id_token: 'ID token', access_token: 'access token', scopes: 'access token scopes', saml: 'SAML response', user_id: 'user id of the sign-up' };
  const attributes: AttributeInfo[] = [...keys].sort(compare).map((key) => {
    const reg = registry.get(key);
    const node = attrNode(key);
    const kind = key.split('.')[0]!;
    const ws = writers.get(key) ?? [];
    const rs = [...(readers.get(key) ?? [])];
    const claim = kind === 'id_token' || kind === 'access_token' ? `${ns ?? ''}${key.slice(kind.length + 1)}` : undefined;
    if (kind in tokenLabel && kind !== 'app_metadata') {
      const sink = g.node({ id: `token:${kind}`, kind: 'token', label: tokenLabel[kind]!, title: tokenLabel[kind]!, owners: [], systems: [] });
      g.edge(node, sink, 'value');
      rs.push({ owner: '', where: claim ? `${tokenLabel[kind]} claim ${claim}` : tokenLabel[kind]!, kind: 'token', expr: key, href: 'lineage.html' });
    }
    const why: string[] = [];
    if (kind === 'user_metadata') why.push('user_metadata can be changed by the user (for example through the Management API with the update:current_user_metadata scope)');
    for (const w of ws) if (w.untrusted) why.push(`written by ${w.spec} from ${w.untrusted.text}`);
    const owners = reg ? [reg.owner.value] : sortedUnique(ws.map((w) => w.owner));
    return {
      key,
      slug: slug(key),
      kind,
      ...(claim !== undefined ? { claim } : {}),
      ...(reg
        ? { registry: { owner: reg.owner.value, type: reg.type.value, ...(reg.enum ? { enum: reg.enum.value.map((v) => literalText(v)).join(', ') } : {}), ...(reg.description ? { description: reg.description } : {}) } }
        : {}),
      owners,
      writers: ws,
      readers: rs.sort((a, b) => compare(a.kind, b.kind) || compare(a.spec ?? '', b.spec ?? '') || compare(a.where, b.where)),
      trust: { userEditable: why.length > 0, why },
      node,
    };
  });

  // Systems, with every request that calls them (effective values from the IR).
  const requestInfo = (spec: Spec, r: RequestSpec, ir: RequestIR | undefined, what: string, stores: readonly string[]): RequestInfo => ({
    spec: spec.name.value,
    owner: r.owner?.value ?? spec.owner.value,
    trigger: spec.trigger.value,
    what,
    method: r.method.value,
    path: templateText(r.path),
    ...(r.when ? { when: exprText(r.when) } : {}),
    timeoutMs: ir?.timeoutMs ?? r.timeoutMs?.value ?? project.defaults.timeoutMs.value,
    retries: ir?.retries ?? r.retries?.value ?? project.defaults.retries.value,
    onError: ir?.onError ?? r.onError?.value ?? spec.onError?.value ?? project.defaults.onError.value,
    ...(ir?.denyMessage !== undefined ? { denyMessage: ir.denyMessage } : {}),
    ...(r.idempotencyKey ? { idempotencyKey: templateText(r.idempotencyKey) } : {}),
    stores,
  });
  const specInfos: SpecInfo[] = [];
  const requestsBySystem = new Map<string, RequestInfo[]>();
  for (const spec of [...loaded.specs].sort((a, b) => compare(a.name.value, b.name.value))) {
    const ir = irSpecs.get(spec.name.value);
    const lookups = spec.lookups.map((l) => requestInfo(spec, l, ir?.spec.lookups.find((x: LookupIR) => x.name === l.name.value), `lookup ${l.name.value}`, []));
    const sends = spec.sends.map((s, i) =>
      requestInfo(spec, s, ir?.spec.sends[i] as SendIR | undefined, `send ${s.method.value} ${templateText(s.path)}`, s.store.map((st) => `${st.target.value} ← ${modelValueText(st.value)}`)),
    );
    spec.lookups.forEach((l, i) => requestsBySystem.set(l.system.value, [...(requestsBySystem.get(l.system.value) ?? []), lookups[i]!]));
    spec.sends.forEach((s, i) => requestsBySystem.set(s.system.value, [...(requestsBySystem.get(s.system.value) ?? []), sends[i]!]));
    const fieldRows = (fields: readonly Field[], phase: 'login' | 'continue') =>
      fields.map((f) => ({
        to: f.to.value,
        slug: slug(f.to.value),
        from: modelValueText(f.from),
        ...(f.transform.length > 0 ? { transforms: f.transform.map((t) => t.name.value).join(', ') } : {}),
        ...(f.default !== undefined ? { default: literalText(f.default.value) } : {}),
        ...(f.when ? { when: exprText(f.when) } : {}),
        owner: f.owner?.value ?? spec.owner.value,
        phase,
        ...(f.description ? { description: f.description.trim() } : {}),
      }));
    const accessRows = (rules: readonly AccessRule[], phase: 'login' | 'continue') =>
      rules.map((a) => {
        const act = a.action;
        const text =
          act.kind === 'deny'
            ? `deny: ${act.message.value}`
            : act.kind === 'redirect'
              ? `redirect to ${act.url.value}${act.otherwise.kind === 'continue' ? ' (otherwise continue)' : ` (otherwise deny${act.otherwise.message ? `: ${act.otherwise.message.value}` : ''})`}`
              : act.kind === 'mfa'
                ? `MFA: ${act.provider.value}`
                : `validation error ${act.code.value}: ${act.message.value}`;
        return { phase, when: exprText(a.when), action: text, owner: a.owner?.value ?? spec.owner.value, ...(a.description ? { description: a.description.trim() } : {}) };
      });
    specInfos.push({
      name: spec.name.value,
      slug: slug(spec.name.value),
      owner: spec.owner.value,
      trigger: spec.trigger.value,
      action: ir?.action.name ?? '',
      file: spec.file.path.split('\\').join('/'),
      ...(spec.description ? { description: spec.description.trim() } : {}),
      onError: ir?.spec.onError ?? spec.onError?.value ?? project.defaults.onError.value,
      lookups,
      sends,
      fields: [...fieldRows(spec.fields, 'login'), ...fieldRows(spec.continue?.fields ?? [], 'continue')],
      access: [...accessRows(spec.access, 'login'), ...accessRows(spec.continue?.access ?? [], 'continue')],
      uses: spec.uses.map((u) => `${u.name.value} = ${u.spec}.${u.lookup}`),
    });
  }
  const systems: SystemInfo[] = project.systems.map((s) => ({
    name: s.name.value,
    slug: slug(s.name.value),
    ...(s.owner ? { owner: s.owner.value } : {}),
    baseUrl: baseUrlText(s),
    hosts: systemHosts(s),
    auth: authText(s),
    secrets: sortedUnique(systemSecrets(s).map((x) => x.value)),
    timeoutMs: s.timeoutMs?.value ?? project.defaults.timeoutMs.value,
    retries: s.retries?.value ?? project.defaults.retries.value,
    ...(s.baseUrl.kind === 'routed' ? { routingBy: exprText(s.baseUrl.by) } : {}),
    requests: requestsBySystem.get(s.name.value) ?? [],
  }));

  // Triggers: the bindings in execution order, with each mapc Action's deadline and size.
  const actionsByName = new Map(program.actions.map((a) => [a.name, a]));
  const triggers: TriggerInfo[] = TRIGGER_IDS.map((id) => {
    const names = program.bindings.find((b) => b.trigger === id)?.actions ?? [];
    const actions: ActionInfo[] = names.map((name) => {
      const a = actionsByName.get(name);
      if (!a) return { name, external: true, specs: [], systems: [], secrets: [] };
      const bytes = Buffer.byteLength(compiled.code.get(name) ?? '', 'utf8');
      return {
        name,
        external: false,
        deadlineMs: a.deadlineMs,
        deadlineShare: a.deadlineMs / LIMITS.flowMs,
        bytes,
        sizeShare: bytes / LIMITS.actionBytes,
        specs: a.specs.map((s) => ({ name: s.name, owner: s.owner })),
        systems: a.systems.map((s) => s.name),
        secrets: [...a.secrets],
      };
    });
    return { id, actions, deadlineMs: actions.reduce((n, a) => n + (a.deadlineMs ?? 0), 0) };
  });

  // Owners: every team named anywhere, with its `mapc owners` lines.
  const codeowners = new Map<string, string[]>();
  for (const line of (opts.codeowners ?? '').split('\n')) {
    const m = /^(\S(?:\\ |\S)*)\s+(\S+)$/.exec(line);
    if (!m || line.startsWith('#')) continue;
    const team = m[2]!.replace(/^@(?:[^/]+\/)?/, '');
    codeowners.set(team, [...(codeowners.get(team) ?? []), m[1]!.replace(/\\ /g, ' ')]);
  }
  const teams = new Set<string>();
  for (const a of project.attributes) teams.add(a.owner.value);
  for (const s of project.systems) if (s.owner) teams.add(s.owner.value);
  for (const s of loaded.specs) teams.add(s.owner.value);
  for (const w of resolved.writes) teams.add(w.owner);
  for (const t of codeowners.keys()) teams.add(t);
  const owners: OwnerInfo[] = [...teams].sort(compare).map((team) => ({
    name: team,
    slug: slug(team),
    owns: project.attributes.filter((a) => a.owner.value === team).map((a) => a.target.value).sort(compare),
    systems: project.systems.filter((s) => s.owner?.value === team).map((s) => s.name.value),
    specs: loaded.specs.filter((s) => s.owner.value === team).map((s) => s.name.value).sort(compare),
    codeowners: codeowners.get(team) ?? [],
    writes: sortedUnique(resolved.writes.filter((w) => w.owner === team || w.spec.owner.value === team).flatMap((w) => (keyOf(w) === null ? [] : [keyOf(w)!]))),
    calls: sortedUnique(loaded.specs.filter((s) => s.owner.value === team).flatMap((s) => [...s.lookups, ...s.sends].map((r) => r.system.value))),
  }));

  return {
    ...(ns !== undefined ? { claimsNamespace: ns } : {}),
    attributes,
    systems,
    triggers,
    specs: specInfos,
    owners,
    graph: g.graph(),
  };
}

/** The nodes connected to `start` (everything upstream and everything downstream), and the edges between them. */
export function lineageOf(graph: Graph, start: readonly string[]): Graph {
  const up = new Map<string, string[]>();
  const down = new Map<string, string[]>();
  for (const e of graph.edges) {
    down.set(e.from, [...(down.get(e.from) ?? []), e.to]);
    up.set(e.to, [...(up.get(e.to) ?? []), e.from]);
  }
  const keep = new Set<string>(start);
  for (const dir of [up, down]) {
    const queue = [...start];
    const seen = new Set<string>(start);
    while (queue.length > 0) {
      const n = queue.shift()!;
      for (const m of dir.get(n) ?? []) {
        if (seen.has(m)) continue;
        seen.add(m);
        keep.add(m);
        queue.push(m);
      }
    }
  }
  return { nodes: graph.nodes.filter((n) => keep.has(n.id)), edges: graph.edges.filter((e) => keep.has(e.from) && keep.has(e.to)) };
}

