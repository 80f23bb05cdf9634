/**
 * The resolve phase (after parse, before check): binds what the model's text means, once —
 * the way graphql-js and TypeScript bind names once and every later pass reads the result.
 *
 * - each spec's Action (`action:`, else `mapc-<trigger>`) and the Actions with their specs and
 *   deadline;
 * - each write's target, parsed (`app_metadata.a.b`, `id_token.tier`) and with the claim's full
 *   name (claims namespace applied), or why it is not a target;
 * - each spec's lookup dependencies, run order and cycles.
 *
 * Check rules, lowering, emit and diff read these facts; none derives them again. The phase
 * reports nothing: the check phase turns what is wrong into diagnostics.
 */
import type { Attribute, LoadedProject, Project, Spec, System } from '../model';
import { actionDeadline, actionNameOf, functionSecrets, tokenSecrets } from '../model-walk';
import { compare } from '../order';
import { systemSecrets } from '../systems';
import { isTarget, parseTarget, type Target, type TargetProblem } from '../targets';
import type { Located } from '../source';
import type { TriggerId } from '../triggers';
import type { Diagnostic } from '../diagnostics';
import { defaultFunctions, type Expr, type FunctionRegistry, type PathRead, type Type } from '../expr';
import { checkProjectExpressions } from './expressions';
import { TrustAnalysis, type Taint, type TrustScope } from './trust';
import { lookupFacts } from './lookups';
import { lookupRuns, type LookupRun } from './needs';
import { writesOf, type Write } from './writes';

export type { Write } from './writes';
export { checkProjectExpressions, checkSpecExpressions, specEnv } from './expressions';
export { pathText, taintText, type Taint, type TaintLink, type TrustScope } from './trust';
export type { LookupRun } from './needs';
export { lookupDependencies, lookupFacts, lookupOrder, PROTOTYPE_KEYS, reservedNames, SCOPE_NAMES, type LookupFacts } from './lookups';

export interface ResolvedSpec {
  readonly spec: Spec;
  /** The Action the spec compiles into. */
  readonly action: string;
  /** Its writes: fields, then sends' stores, then `continue:` fields, each in file order. */
  readonly writes: readonly Write[];
  /** Lookup name → the lookups it reads, sorted. */
  readonly lookupDeps: ReadonlyMap<string, readonly string[]>;
  /** Every lookup once: each after those it reads (ties in file order), cyclic ones last. */
  readonly lookupOrder: readonly string[];
  /** Lookups that read each other (each in file order). */
  readonly lookupCycles: readonly (readonly string[])[];
  /**
   * The lookups as the runtime starts them (compiler/resolve/needs.ts): `lookupOrder` with the
   * waits of lazy lookups added, each with when it is needed (a lookup read only in branches).
   */
  readonly lookupRuns: readonly LookupRun[];
}

export interface ResolvedAction {
  readonly name: string;
  readonly trigger: TriggerId;
  /** In loaded (file path) order. */
  readonly specs: readonly ResolvedSpec[];
  /** The first `deadline:` of its specs, else the project's. */
  readonly deadline: Located<number>;
  /** The systems its specs call (declared ones, in declaration order). */
  readonly systems: readonly System[];
  /** Every secret name it reads (its systems', its redirect tokens', its hmac_sha256 calls'), sorted and unique. */
  readonly secrets: readonly string[];
}

/** A registry key (`attributes:`), parsed. */
export interface ResolvedAttribute {
  readonly attr: Attribute;
  /** Null when the key is not a metadata target (`problem` says why when it does not parse). */
  readonly target: Extract<Target, { readonly path: readonly string[] }> | null;
  readonly problem?: TargetProblem;
}

export interface ResolvedProject {
  readonly loaded: LoadedProject;
  readonly project: Project;
  /** In loaded (file path) order. */
  readonly specs: readonly ResolvedSpec[];
  /** In order of their first spec. */
  readonly actions: readonly ResolvedAction[];
  /** Every write of every spec, in spec order. */
  readonly writes: readonly Write[];
  /** The attribute registry, in file order. */
  readonly attributes: readonly ResolvedAttribute[];
  /** The facts of one spec of this project. */
  of(spec: Spec): ResolvedSpec;
  /** The inferred type of every expression the type checker saw (a top-level expression, by node). */
  readonly types: ReadonlyMap<Expr, Type>;
  /** What the type checker found wrong in the expressions (the check phase reports it). */
  readonly expressionDiagnostics: readonly Diagnostic[];
  /**
   * The trust of the value an expression carries where it is evaluated (compiler/resolve/trust.ts):
   * the untrusted reads, each with why and the chain of writes and requests it came through
   * (empty: trusted).
   */
  untrusted(expr: Expr, scope: TrustScope): readonly Taint[];
  /** The first untrusted read of what a write stores (its value, its field's `when`), or null. */
  writeTaint(w: Write): Taint | null;
}

/** Resolves a parsed project. Pure; never throws for user mistakes. */
export function resolve(loaded: LoadedProject, functions: FunctionRegistry = defaultFunctions()): ResolvedProject {
  const ns = loaded.project.claimsNamespace?.value;
  // Lookups other specs read (`uses:`): fetched for them too, so never lazy.
  const shared = new Set(loaded.specs.flatMap((s) => s.uses.map((u) => `${u.spec}\u0000${u.lookup}`)));
  const specs: ResolvedSpec[] = loaded.specs.map((spec) => {
    const facts = lookupFacts(spec);
    const mine = new Set(spec.lookups.map((l) => l.name.value).filter((n) => shared.has(`${spec.name.value}\u0000${n}`)));
    return {
      spec,
      action: actionNameOf(spec),
      writes: writesOf(spec, ns),
      lookupDeps: facts.deps,
      lookupOrder: facts.order,
      lookupCycles: facts.cycles,
      lookupRuns: lookupRuns(spec, facts, mine, functions),
    };
  });
  const bySpec = new Map(specs.map((r) => [r.spec, r]));
  const groups = new Map<string, ResolvedSpec[]>();
  for (const r of specs) {
    const list = groups.get(r.action);
    if (list) list.push(r);
    else groups.set(r.action, [r]);
  }
  const actions: ResolvedAction[] = [...groups].map(([name, members]) => {
    const called = new Set(members.flatMap((m) => [...m.spec.lookups, ...m.spec.sends].map((r) => r.system.value)));
    const systems = loaded.project.systems.filter((s) => called.has(s.name.value));
    const secrets = new Set(
      [...systems.flatMap((s) => systemSecrets(s)), ...members.flatMap((m) => [...tokenSecrets(m.spec), ...functionSecrets(m.spec, functions)])].map((s) => s.value),
    );
    return {
      name,
      trigger: members[0]!.spec.trigger.value,
      specs: members,
      deadline: actionDeadline(
        members.map((m) => m.spec),
        loaded.project,
      ),
      systems,
      secrets: [...secrets].sort(compare),
    };
  });
  const attributes: ResolvedAttribute[] = loaded.project.attributes.map((attr) => {
    const parsed = parseTarget(attr.target.value);
    if (!isTarget(parsed)) return { attr, target: null, problem: parsed };
    return { attr, target: 'path' in parsed ? parsed : null };
  });
  const types = new Map<Expr, Type>();
  const expressionDiagnostics = checkProjectExpressions({ project: loaded.project, specs }, functions, types);
  const allWrites = specs.flatMap((s) => s.writes);
  const trust = new TrustAnalysis(allWrites, loaded.specs);
  return {
    loaded,
    project: loaded.project,
    specs,
    types,
    expressionDiagnostics,
    untrusted: (expr, scope) => trust.untrusted(expr, scope),
    writeTaint: (w) => trust.writeTaint(w),
    actions,
    writes: allWrites,
    attributes,
    of: (spec) => {
      const r = bySpec.get(spec);
      if (!r) throw new Error(`mapc bug: spec '${spec.name.value}' is not part of this project`);
      return r;
    },
  };
}
