/**
 * Trust (SPEC 4, issue #13): which values the end user can choose. Deciding access, routing or
 * an authorization claim on such a value lets a user grant themselves rights. Trust is a
 * property of the value a whole expression can carry, not of the paths written in its text:
 *
 * - **Sources.** What each trigger's event model marks `userEditable` (`user.user_metadata`,
 *   `request.query` and `body`, the User-Agent and Accept-Language headers, the authorize
 *   parameters `transaction.login_hint`, `requested_scopes`, `acr_values`, `ui_locales`,
 *   `prompt`, `state`, and on pre-user-registration the whole sign-up profile); `user.email`
 *   unless the same condition requires `user.email_verified` (anyone can sign up with someone
 *   else's address); a whole object that holds any of these (`user`, `request`).
 * - **Propagation.** Through operators and function calls (a call carries every argument's
 *   trust); a member access after a call narrows a whole object to the member
 *   (`coalesce(user).app_metadata.tier` is trusted, `coalesce(user).user_metadata.role` is
 *   not); a list function (`map_each`, `filter`, `any`, `all`, `find`, `pluck`, `[*]`) carries
 *   the trust of its list, and its per-element argument's reads are never narrowed (they
 *   choose the elements); a lookup's or send's response is untrusted when its path, query, headers or body
 *   use untrusted data (the user chooses the record); an `app_metadata` target written from
 *   untrusted data (its value or the field's `when`) is untrusted wherever it is read, by any
 *   spec on any trigger, and so is `current` of it — to a fixpoint, so chains of writes and
 *   lookups are followed.
 * - **Sinks** (the check rules): access rules (MAPC0601), authorization-like claims
 *   (MAPC0602), a routed system's `by` (MAPC0603). Each diagnostic names the chain. One
 *   exception: a pre-user-registration access rule may decide on the sign-up's own profile
 *   (TrustScope.signupProfile).
 *
 * The resolve phase computes the write and request facts once; `untrusted()` answers per
 * expression.
 */
import { templateExprs, type Expr, type PathRead } from '../expr';
import type { RequestSpec, Send, Spec, Value } from '../model';
import { valueExprs } from '../model-walk';
import { lineCol, type Span } from '../source';
import { overlap, type Target } from '../targets';
import { EDITABLE_SEGMENTS, isUserEditablePath, TRIGGER_IDS, USER_EDITABLE_PATHS, type TriggerId } from '../triggers';
import type { Write } from './writes';
import { SIGNATURES } from '../../runtime/signatures';

/** The argument that decides what comes out, by function: a list function's per-element argument (`filter(list, predicate)`: 1), `if`'s condition (0). */
const DECIDING: ReadonlyMap<string, number> = new Map(
  Object.entries(SIGNATURES)
    .map(([name, sig]) => [name, sig.params.findIndex((p) => p.perElement === true || p.decides === true)] as const)
    .filter(([, i]) => i >= 0),
);

/** A place that explains a taint: a write or a lookup it came through. */
export interface TaintLink {
  readonly message: string;
  readonly span: Span;
}

/** An untrusted read: the path (as far as it is known) and where, why, and the chain it came through. */
export interface Taint extends PathRead {
  /** Why the user can choose it, after the path in messages: "which the user can edit". */
  readonly why: string;
  /** The writes and requests it came through, the nearest first. */
  readonly chain: readonly TaintLink[];
}

/** Where an expression is evaluated. */
export interface TrustScope {
  /** Absent for what serves every trigger (a system's routing key). */
  readonly trigger?: TriggerId;
  /** The spec whose lookups the expression may read. */
  readonly spec?: Spec;
  /** The condition deciding together with the expression (it may require `user.email_verified`). */
  readonly guard?: Expr;
  /**
   * A pre-user-registration access rule deciding on the sign-up itself: there the profile the
   * request sent (`user.email`, `user.name`...) is what the account will be created with, so a
   * rule such as "no sign-ups from blocked.example" may read it (the user can only avoid the
   * deny by signing up with other data, which is then the data stored). `user_metadata`, the
   * request and everything computed elsewhere stay untrusted.
   */
  readonly signupProfile?: boolean;
  /** `response` in a send's `store`. */
  readonly send?: Send;
  /** `current`: the target being written. */
  readonly target?: Target;
  /** `value` in a field's `when`: the field's computed value. */
  readonly value?: Value;
}

/** `user.user_metadata.tier` from a path read (for messages). */
export function pathText(p: PathRead): string {
  let s = p.root;
  for (const k of p.keys) s += typeof k === 'number' ? `[${k}]` : `.${k}`;
  return s;
}

/** `user.user_metadata.tier, which the user can edit` (for messages). */
export function taintText(t: Taint): string {
  return `${pathText(t)}, ${t.why}`;
}

type Key = string | number;
type Candidate = { readonly path: readonly Key[]; readonly span: Span } | { readonly taint: Taint };

/** `mappings/x.yaml:12` */
function at(span: Span): string {
  return `${span.file.path}:${lineCol(span.file, span.start).line}`;
}

/** Whether `guard` requires `user.email_verified` (a conjunct `user.email_verified` or `== true`). */
function requiresVerifiedEmail(guard: Expr | undefined): boolean {
  if (!guard) return false;
  const isVerified = (e: Expr) => e.kind === 'member' && e.key === 'email_verified' && e.object.kind === 'root' && e.object.name === 'user';
  const conjuncts = (e: Expr): Expr[] => (e.kind === 'binary' && e.op === '&&' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e]);
  return conjuncts(guard).some(
    (c) =>
      isVerified(c) ||
      (c.kind === 'binary' &&
        c.op === '==' &&
        ((isVerified(c.left) && c.right.kind === 'literal' && c.right.value === true) ||
          (isVerified(c.right) && c.left.kind === 'literal' && c.left.value === true))),
  );
}

/** The root and keys of a plain path (`user.app_metadata.tier`), or null after a call. */
function plainPath(e: Expr): { root: string; keys: Key[] } | null {
  const keys: Key[] = [];
  let cur = e;
  while (cur.kind === 'member') {
    keys.unshift(cur.key);
    cur = cur.object;
  }
  return cur.kind === 'root' ? { root: cur.name, keys } : null;
}

/** The expressions of a request that choose what it fetches: path, query, headers, body (not `when`). */
function selectorExprs(r: RequestSpec): Expr[] {
  const out: Expr[] = [...templateExprs(r.path)];
  for (const q of r.query) out.push(...valueExprs(q.value));
  for (const h of r.headers) out.push(...valueExprs(h.value));
  if (r.body) out.push(...valueExprs(r.body));
  return out;
}

/** The trust facts of a project: tainted writes and requests, to a fixpoint. */
export class TrustAnalysis {
  /** `app_metadata` writes whose value the user can choose, with the read that makes it so. */
  private readonly taintedWrites = new Map<Write, Taint>();
  private readonly requests = new Map<RequestSpec, Taint | null>();
  private readonly visiting = new Set<RequestSpec>();
  /** After the fixpoint: the taint of writes that are not tainted app_metadata writes (claims, user_metadata). */
  private readonly otherWrites = new Map<Write, Taint | null>();
  /** `taintedWrites` by the first key of the target ('' for the whole object), in taint order. */
  private readonly byTop = new Map<string, [Write, Taint][]>();
  private settled = false;
  /** Specs by name: a shared lookup (`uses:`) is its own spec's lookup. */
  private readonly specsByName: ReadonlyMap<string, Spec>;

  constructor(writes: readonly Write[], specs: readonly Spec[] = []) {
    this.specsByName = new Map(specs.map((s) => [s.name.value, s]));
    const candidates = writes.filter((w) => w.target?.kind === 'app_metadata');
    for (;;) {
      let changed = false;
      for (const w of candidates) {
        if (this.taintedWrites.has(w)) continue;
        const t = this.computeWriteTaint(w);
        if (t) {
          this.taintedWrites.set(w, t);
          const top = w.target && 'path' in w.target ? (w.target.path[0] ?? '') : '';
          const list = this.byTop.get(top);
          if (list) list.push([w, t]);
          else this.byTop.set(top, [[w, t]]);
          changed = true;
        }
      }
      if (!changed) break;
      // A newly tainted target can taint the requests that read it.
      this.requests.clear();
    }
    this.settled = true;
  }

  /** The untrusted reads of the value `expr` carries in `scope`, in source order (empty: trusted). */
  untrusted(expr: Expr, scope: TrustScope): Taint[] {
    const out: Taint[] = [];
    for (const c of this.candidates(expr, scope)) {
      const t = 'taint' in c ? c.taint : this.classify(c.path, c.span, scope);
      if (t) out.push(t);
    }
    return out;
  }

  /** The first untrusted read of the data `w` writes (its value, its field's `when`), or null; computed once per write after the fixpoint. */
  writeTaint(w: Write): Taint | null {
    const tainted = this.taintedWrites.get(w);
    if (tainted) return tainted;
    if (this.settled) {
      let known = this.otherWrites.get(w);
      if (known === undefined) this.otherWrites.set(w, (known = this.computeWriteTaint(w)));
      return known;
    }
    return this.computeWriteTaint(w);
  }

  private computeWriteTaint(w: Write): Taint | null {
    const trigger = w.spec.trigger.value;
    if (w.source.kind === 'store') {
      const scope: TrustScope = { trigger, spec: w.spec, send: w.source.send };
      for (const e of valueExprs(w.source.value)) {
        const t = this.untrusted(e, scope)[0];
        if (t) return t;
      }
      return null;
    }
    const f = w.source.field;
    const scope: TrustScope = { trigger, spec: w.spec, value: f.from, ...(f.when ? { guard: f.when } : {}), ...(w.target ? { target: w.target } : {}) };
    for (const e of [...valueExprs(f.from), ...(f.when ? [f.when] : [])]) {
      const t = this.untrusted(e, scope)[0];
      if (t) return t;
    }
    return null;
  }

  /** The first untrusted read among a request's selectors, or null (cycles count as trusted: they are reported elsewhere). */
  requestTaint(r: RequestSpec, spec: Spec): Taint | null {
    const known = this.requests.get(r);
    if (known !== undefined) return known;
    if (this.visiting.has(r)) return null;
    this.visiting.add(r);
    let found: Taint | null = null;
    const scope: TrustScope = { trigger: spec.trigger.value, spec, ...(r.when ? { guard: r.when } : {}) };
    for (const e of selectorExprs(r)) {
      found = this.untrusted(e, scope)[0] ?? null;
      if (found) break;
    }
    this.visiting.delete(r);
    this.requests.set(r, found);
    return found;
  }

  private candidates(e: Expr, scope: TrustScope): Candidate[] {
    switch (e.kind) {
      case 'root':
      case 'member': {
        const p = plainPath(e);
        if (p) return this.rootCandidates(p.root, p.keys, e.span, scope);
        // Member access after a call: a whole object narrows to the member; other taint stays.
        const m = e as Extract<Expr, { kind: 'member' }>;
        return this.candidates(m.object, scope).map((c) => ('taint' in c ? c : { path: [...c.path, m.key], span: e.span }));
      }
      case 'call': {
        // A per-element argument (`find(list, pred)`) decides which elements come out: its
        // reads are classified here, so a member access after the call cannot narrow them away
        // (`find(l, contains(to_string(user), item)).x` carries user.user_metadata). Reads of
        // `item` are the list's, which the list argument carries. The condition of `if()`
        // decides which branch comes out the same way (`if(to_string(user) == 'x', client,
        // client).metadata` carries user.user_metadata).
        const each = DECIDING.get(e.name) ?? -1;
        return e.args.flatMap((a, i) => (i === each ? this.decided(a, scope) : this.candidates(a, scope)));
      }
      case 'unary':
        return this.candidates(e.operand, scope);
      case 'binary':
        return [...this.candidates(e.left, scope), ...this.candidates(e.right, scope)];
      default:
        return [];
    }
  }

  /** The candidates of `e` with every path classified now: taints only, never narrowed later. */
  private decided(e: Expr, scope: TrustScope): Candidate[] {
    const out: Candidate[] = [];
    for (const c of this.candidates(e, scope)) {
      const t = 'taint' in c ? c.taint : this.classify(c.path, c.span, scope);
      if (t) out.push({ taint: t });
    }
    return out;
  }

  private rootCandidates(root: string, keys: readonly Key[], span: Span, scope: TrustScope): Candidate[] {
    const read: PathRead = { root, keys, span };
    const lookup = scope.spec?.lookups.find((l) => l.name.value === root);
    if (lookup) {
      const sel = this.requestTaint(lookup, scope.spec!);
      if (!sel) return [];
      return [{ taint: this.viaRequest(read, `lookup '${root}'`, lookup.name.span, sel) }];
    }
    const use = scope.spec?.uses.find((u) => u.name.value === root);
    if (use) {
      // A shared lookup carries the trust of the request its own spec makes.
      const owner = this.specsByName.get(use.spec);
      const shared = owner?.lookups.find((l) => l.name.value === use.lookup);
      const sel = owner && shared ? this.requestTaint(shared, owner) : null;
      if (!sel) return [];
      return [{ taint: this.viaRequest(read, `lookup '${use.from.value}'`, shared!.name.span, sel) }];
    }
    if (root === 'response' && scope.send) {
      const sel = this.requestTaint(scope.send, scope.spec!);
      if (!sel) return [];
      return [{ taint: this.viaRequest(read, 'this send', scope.send.system.span, sel) }];
    }
    if (root === 'current' && scope.target && 'path' in scope.target) return [{ path: ['user', scope.target.kind, ...scope.target.path, ...keys], span }];
    if (root === 'value' && scope.value) {
      const { value, ...outer } = scope;
      return valueExprs(value).flatMap((e) => this.candidates(e, outer));
    }
    if (root === 'continue') return []; // the payload of a token the page signed
    return [{ path: [root, ...keys], span }];
  }

  private viaRequest(read: PathRead, what: string, span: Span, sel: Taint): Taint {
    return {
      ...read,
      why: `which ${what} fetches by a key the user chooses (${taintText(sel)})`,
      chain: [{ message: `${what} fetches by ${pathText(sel)}`, span: sel.span }, ...sel.chain],
    };
  }

  /** Whether the event path `path` is untrusted in `scope`: why, or null. */
  private classify(path: readonly Key[], span: Span, scope: TrustScope): Taint | null {
    const [root, ...keys] = path as [string, ...Key[]];
    const read: PathRead = { root: String(root), keys, span };
    const triggers = scope.trigger === undefined ? TRIGGER_IDS : [scope.trigger];
    // 1. Data the user edits, or a whole object holding some.
    const ownProfile = scope.signupProfile === true && read.root === 'user' && keys.length > 0 && keys[0] !== 'user_metadata';
    for (const t of triggers) {
      if (isUserEditablePath(t, read.root, keys) && !ownProfile) return { ...read, why: 'which the user can edit', chain: [] };
    }
    for (const t of triggers) {
      const i = EDITABLE_SEGMENTS[t].findIndex((parts) => parts.length > path.length && path.every((s, k) => parts[k] === String(s)));
      if (i >= 0) return { ...read, why: `which holds ${USER_EDITABLE_PATHS[t][i]!}, which the user can edit`, chain: [] };
    }
    if (read.root !== 'user') return null;
    // 2. An address anyone can sign up with, unless the condition requires it verified.
    if (keys[0] === 'email' && !ownProfile && triggers.some((t) => t !== 'credentials-exchange') && !requiresVerifiedEmail(scope.guard)) {
      return { ...read, why: 'an address the user may not have verified (the condition does not require user.email_verified)', chain: [] };
    }
    // 3. An app_metadata target written from data the user chooses.
    if (keys.length > 0 && keys[0] !== 'app_metadata') return null;
    const readPath: string[] = [];
    for (const k of keys.slice(1)) {
      if (typeof k !== 'string') break;
      readPath.push(k);
    }
    if (this.taintedWrites.size === 0) return null;
    const readTarget: Target = { kind: 'app_metadata', path: readPath };
    // Only writes under the same first key (or of the whole object) can overlap the read.
    const candidates = readPath.length === 0 ? this.taintedWrites : [...(this.byTop.get('') ?? []), ...(this.byTop.get(readPath[0]!) ?? [])];
    for (const [w, src] of candidates) {
      if (!w.target || !overlap(w.target, readTarget)) continue;
      return {
        ...read,
        why: `which ${at(w.text.span)} writes from ${taintText(src)}`,
        chain: [{ message: `${w.text.value} is written here from ${pathText(src)}`, span: w.text.span }, ...src.chain],
      };
    }
    return null;
  }
}
