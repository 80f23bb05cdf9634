/**
 * Walks every expression and template of a spec with the environment its position allows
 * (SPEC 2.4 roots):
 *
 * | position                                   | roots                                  |
 * |--------------------------------------------|----------------------------------------|
 * | lookup when/path/query/headers/body/idempotency_key | event + other lookups (cycles refused) |
 * | field from                                 | event + lookups + current              |
 * | field when                                 | event + lookups + value + current      |
 * | field transform                            | library functions over the value       |
 * | send when/path/query/headers/body/idempotency_key | event + lookups                  |
 * | send store                                 | event + lookups + response             |
 * | access when, redirect query, token payload | event + lookups                        |
 * | continue: field from / when                | event + continue (+ current, value)    |
 * | continue: access when                      | event + continue                       |
 * | system routing `by`                        | event only                             |
 */
import { compare } from '../order';
import type { Diagnostic } from '../diagnostics';
import type { AttributeType, Field, Project, RequestSpec, Spec, Value } from '../model';
import type { Span } from '../source';
import { EVENT_MODELS, eventModel, eventRoots, type TriggerId } from '../triggers';
import { checkExpr, checkTemplate, checkTransformStep, exprDiag, T, type Expr, type ExprEnv, type FunctionRegistry, type Type } from '../expr';
import { lookupFacts, PROTOTYPE_KEYS, reservedNames, SCOPE_NAMES, type LookupFacts } from './lookups';

/**
 * The environment of one position in a spec: the trigger's event fields, the given lookups
 * (JSON responses: `any`), and `extra` scope roots (`value`, `current`, `response`).
 * Scope names not in `extra` are explained when used; so are lookups listed in `hiddenLookups`.
 */
export function specEnv(
  trigger: TriggerId,
  functions: FunctionRegistry,
  lookups: readonly string[],
  extra: Readonly<Record<string, Type>>,
  context: string,
  hiddenLookups: Readonly<Record<string, string>> = {},
): ExprEnv {
  const roots: Record<string, Type> = { ...eventRoots(trigger) };
  // A lookup with a reserved name (MAPC0315, reported once at its declaration) reads as
  // `any`: its uses are ambiguous, and reporting each one would only repeat that error.
  // defineProperty: a lookup named `__proto__` (refused, MAPC0315) must stay an own key, not set the prototype.
  for (const l of lookups) Object.defineProperty(roots, l, { value: T.any, enumerable: true, writable: true, configurable: true });
  Object.assign(roots, extra);
  const unavailable: Record<string, string> = { ...hiddenLookups };
  for (const [k, why] of Object.entries(SCOPE_NAMES)) if (!(k in extra) && !lookups.includes(k)) unavailable[k] = why;
  return { roots, functions, trigger: eventModel(trigger), otherTriggers: EVENT_MODELS, context, unavailable };
}

/** One path around a cycle from its first member back to it, for the message. */
function cyclePath(comp: readonly string[], deps: ReadonlyMap<string, readonly string[]>): string[] {
  const start = comp[0]!;
  const inComp = new Set(comp);
  const prev = new Map<string, string>();
  const queue = [start];
  const seen = new Set<string>();
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of deps.get(v) ?? []) {
      if (!inComp.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let c: string | undefined = v; c !== undefined && c !== start; c = prev.get(c)) path.splice(1, 0, c);
        return [...path, start];
      }
      if (!seen.has(w)) {
        seen.add(w);
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

const ATTRIBUTE_TYPES: Readonly<Record<AttributeType, Type>> = {
  string: T.string,
  number: T.number,
  integer: T.number,
  boolean: T.boolean,
  array: T.array(T.any),
  object: T.dict(),
};

/** The type of `current` for a field: the registered attribute's type when there is one. */
function currentType(field: Field, project: Project): Type {
  const attr = project.attributes.find((a) => a.target.value === field.to.value);
  return attr ? ATTRIBUTE_TYPES[attr.type.value] : T.any;
}

class SpecChecker {
  readonly diagnostics: Diagnostic[] = [];
  private readonly trigger: TriggerId;
  private readonly lookups: string[];

  constructor(
    private readonly spec: Spec,
    private readonly project: Project,
    private readonly functions: FunctionRegistry,
    private readonly lookups_: LookupFacts,
    private readonly types?: Map<Expr, Type>,
  ) {
    this.trigger = spec.trigger.value;
    // Its own lookups, then the shared ones it reads (`uses:`).
    this.lookups = [...spec.lookups.map((l) => l.name.value), ...spec.uses.map((u) => u.name.value)];
  }

  env(extra: Record<string, Type>, context: string, hidden: Record<string, string> = {}): ExprEnv {
    return specEnv(this.trigger, this.functions, this.lookups, extra, context, hidden);
  }

  expr(e: Expr | undefined, env: ExprEnv): Type {
    if (!e) return T.any;
    const r = checkExpr(e, env);
    this.diagnostics.push(...r.diagnostics);
    this.types?.set(e, r.type);
    return r.type;
  }

  value(v: Value | undefined, env: ExprEnv): Type {
    if (!v) return T.any;
    switch (v.kind) {
      case 'expr':
        return this.expr(v.expr, env);
      case 'template': {
        const r = checkTemplate(v.template, env);
        this.diagnostics.push(...r.diagnostics);
        return T.string;
      }
      case 'literal':
        return T.any;
      case 'object':
        for (const e of v.entries) this.value(e.value, env);
        return T.dict();
      case 'array':
        for (const i of v.items) this.value(i, env);
        return T.array(T.any);
    }
  }

  request(r: RequestSpec, env: ExprEnv): void {
    this.expr(r.when, env);
    this.value({ kind: 'template', template: r.path, span: r.path.span }, env);
    for (const q of r.query) this.value(q.value, env);
    for (const h of r.headers) this.value(h.value, env);
    this.value(r.body, env);
    if (r.idempotencyKey) this.value({ kind: 'template', template: r.idempotencyKey, span: r.idempotencyKey.span }, env);
  }

  /** A field: `from` (with `current`), its transforms, then `when` (with `value`). */
  field(f: Field, env: (extra: Record<string, Type>, context: string) => ExprEnv): void {
    const current = currentType(f, this.project);
    let t = this.value(f.from, env({ current }, 'from:'));
    for (const step of f.transform) {
      const r = checkTransformStep(step, t, this.functions);
      this.diagnostics.push(...r.diagnostics);
      t = r.type;
    }
    this.expr(f.when, env({ value: t, current }, 'when:'));
  }

  run(): void {
    const spec = this.spec;
    const reserved = reservedNames(this.trigger);
    for (const l of spec.lookups) {
      const n = l.name.value;
      if (reserved.has(n)) {
        const what = Object.prototype.hasOwnProperty.call(eventRoots(this.trigger), n)
          ? `an event field of ${this.trigger}`
          : n === 'secrets' || PROTOTYPE_KEYS.includes(n)
            ? 'reserved'
            : 'a scope name';
        this.diagnostics.push(exprDiag('MAPC0315', l.name.span, `lookup name '${n}' is ${what}, so expressions could not read this lookup`, `rename it, e.g. '${n}_data'`));
      }
    }
    const own = new Set(spec.lookups.map((l) => l.name.value));
    for (const u of spec.uses) {
      const n = u.name.value;
      if (reserved.has(n)) {
        this.diagnostics.push(exprDiag('MAPC0315', u.name.span, `shared lookup name '${n}' is a root already, so expressions could not read this lookup`, `rename it, e.g. '${n}_data'`));
      } else if (own.has(n)) {
        const mine = spec.lookups.find((l) => l.name.value === n)!;
        this.diagnostics.push({
          ...exprDiag('MAPC0317', u.name.span, `'${n}' names both a lookup of this spec and a shared lookup (uses:)`, 'give the shared lookup another name'),
          related: [{ message: `lookup '${n}' is declared here`, span: mine.name.span }],
        });
      }
    }
    this.cycles();

    // A spec's own lookups run while the shared ones are fetched by their specs: they cannot read them.
    const whileFetching = Object.fromEntries(
      spec.uses.filter((u) => !own.has(u.name.value)).map((u) => [u.name.value, `the shared lookup (uses: ${u.from.value}) is fetched by its own spec while this spec's lookups run: read it in fields, access rules and sends`]),
    );
    const ownNames = spec.lookups.map((l) => l.name.value);
    for (const l of spec.lookups) this.request(l, specEnv(this.trigger, this.functions, ownNames, {}, `lookup '${l.name.value}'`, whileFetching));

    for (const f of spec.fields) this.field(f, (extra, context) => this.env(extra, `a field's ${context}`));

    for (const s of spec.sends) {
      this.request(s, this.env({}, 'a send'));
      const env = this.env({ response: T.any }, "a send's store:");
      for (const st of s.store) this.value(st.value, env);
    }

    for (const a of spec.access) {
      const env = this.env({}, "an access rule");
      this.expr(a.when, env);
      if (a.action.kind === 'redirect') {
        for (const q of a.action.query) this.value(q.value, env);
        for (const c of a.action.token?.payload ?? []) this.value(c.value, env);
      }
    }

    if (spec.continue) {
      // Lookups do not run again when the user comes back: only the event and the token.
      const hidden = Object.fromEntries(this.lookups.map((l) => [l, 'lookups run at login only, not again when the user comes back from the redirect']));
      const cont = { continue: T.dict() };
      const env = (extra: Record<string, Type>, context: string): ExprEnv =>
        specEnv(this.trigger, this.functions, [], { ...cont, ...extra }, context, hidden);
      for (const f of spec.continue.fields) this.field(f, (extra, context) => env(extra, `a continue: field's ${context}`));
      for (const a of spec.continue.access) this.expr(a.when, env({}, 'a continue: access rule'));
    }

    // Routing keys of the systems this spec calls: event data only (no lookup has run yet).
    const used = new Set([...spec.lookups, ...spec.sends].map((r) => r.system.value));
    const hidden = Object.fromEntries(this.lookups.map((l) => [l, "a system's routing key is computed from event data only; lookups have not run yet"]));
    for (const sys of this.project.systems) {
      if (!used.has(sys.name.value) || sys.baseUrl.kind !== 'routed') continue;
      const env = specEnv(this.trigger, this.functions, [], {}, `the routing key (by:) of system '${sys.name.value}'`, hidden);
      this.expr(sys.baseUrl.by, env);
    }
  }

  cycles(): void {
    const { cycles, deps } = this.lookups_;
    if (cycles.length === 0) return;
    const spans = new Map<string, Span>(this.spec.lookups.map((l) => [l.name.value, l.name.span]));
    for (const comp of cycles) {
      const path = cyclePath(comp, deps).join(' → ');
      const first = comp[0]!;
      const names = comp.map((n) => `'${n}'`);
      const message =
        comp.length === 1
          ? `lookup '${first}' reads itself`
          : `lookups ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} read each other (${path}), so none of them can run first`;
      const d = exprDiag('MAPC0314', spans.get(first)!, message, 'a lookup may read another lookup only if that one does not read it back');
      this.diagnostics.push({ ...d, related: comp.slice(1).map((n) => ({ message: `lookup '${n}' is declared here`, span: spans.get(n)! })) });
    }
  }
}

/**
 * Type-checks every expression and template of `spec` with the environment its position
 * allows (see the module comment), plus lookup naming and lookup cycles. Systems' routing
 * keys are checked for the systems this spec calls, against this spec's trigger. Never throws.
 */
export function checkSpecExpressions(
  spec: Spec,
  project: Project,
  functions: FunctionRegistry,
  lookups: LookupFacts = lookupFacts(spec),
  types?: Map<Expr, Type>,
): Diagnostic[] {
  const c = new SpecChecker(spec, project, functions, lookups, types);
  c.run();
  return c.diagnostics;
}

/**
 * `checkSpecExpressions` over all specs, without duplicates (a routed system used by two specs
 * of the same trigger would otherwise be reported twice), sorted by file and position.
 */
export function checkProjectExpressions(
  resolved: { readonly project: Project; readonly specs: readonly { readonly spec: Spec; readonly lookupDeps: LookupFacts['deps']; readonly lookupOrder: LookupFacts['order']; readonly lookupCycles: LookupFacts['cycles'] }[] },
  functions: FunctionRegistry,
  types?: Map<Expr, Type>,
): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const r of resolved.specs) {
    for (const d of checkSpecExpressions(r.spec, resolved.project, functions, { deps: r.lookupDeps, order: r.lookupOrder, cycles: r.lookupCycles }, types)) {
      const key = `${d.code}\0${d.span?.file.path}\0${d.span?.start}\0${d.span?.end}\0${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(d);
    }
  }
  return out.sort(
    (a, b) =>
      compare(a.span?.file.path ?? '', b.span?.file.path ?? '') || (a.span?.start ?? 0) - (b.span?.start ?? 0) || compare(a.code, b.code),
  );
}
