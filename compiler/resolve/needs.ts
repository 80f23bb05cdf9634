/**
 * Lazy lookups (issue: "only the branch taken is evaluated, so a lookup in the other branch is
 * not awaited for it"). A lookup that is read only inside branches — `if(c, lookup.x, ...)`, a
 * `case:` branch, the right side of `&&` / `||` — is *needed* only when one of those branches
 * is taken. When every such branch condition can be decided in the lookups phase (it reads the
 * event and the spec's other lookups, nothing else), the lookup gets a `needed` condition: the
 * disjunction, over its reads, of the conditions that lead to each read. The runtime evaluates
 * it when the lookup would start (after the lookups it reads have settled) and skips the call
 * when it is false, so the login does not wait for an answer nobody reads.
 *
 * The condition is built from the branch conditions themselves with `&&`, `||` and `!`, which
 * the emitter compiles exactly as it compiles the branches (`truthy` of the condition, short
 * circuits), so the lookup is fetched exactly when a branch reading it is evaluated. Whatever
 * cannot be decided that early keeps the lookup eager:
 * - a read outside any branch; a lookup another spec reads (`uses:`), or a spec whose lookups
 *   nothing reads (unchanged behaviour);
 * - a branch condition reading a scope name (`value`, `current`, `response`, `item` of an outer
 *   list function), a shared lookup (copied in after the lookups phase), the lookup itself,
 *   or the clock (an impure function: its answer may differ a moment later);
 * - a condition reading another lookup that (through the new waits too) would wait for this one.
 */
import { walkExpr, type BinaryExpr, type Expr, type FunctionRegistry, type UnaryExpr } from '../expr';
import type { Spec } from '../model';
import { specExprs } from '../model-walk';
import { eventRoots } from '../triggers';
import type { LookupFacts } from './lookups';
import { reservedNames, runOrder } from './lookups';

/** One lookup as the runtime starts it: after `after` (sorted), when `needed` holds (absent: always). */
export interface LookupRun {
  readonly name: string;
  readonly after: readonly string[];
  readonly needed?: Expr;
}

/** The conditions that lead to one read, all of which hold when it is evaluated (empty: always). */
type Gate = readonly Expr[];

/**
 * The lookups of `spec` in a run order, each with what it waits for and when it is needed.
 * `shared`: names of this spec's lookups other specs read (`uses:`), which stay eager.
 */
export function lookupRuns(spec: Spec, facts: LookupFacts, shared: ReadonlySet<string>, functions: FunctionRegistry): LookupRun[] {
  const reserved = reservedNames(spec.trigger.value);
  const own = new Set(spec.lookups.map((l) => l.name.value).filter((n) => !reserved.has(n)));
  const events = new Set(Object.keys(eventRoots(spec.trigger.value)));
  const gates = readGates(spec, own);

  // The condition each lookup is needed under, and the lookups that condition reads.
  const needed = new Map<string, { expr: Expr; reads: Set<string> }>();
  for (const name of own) {
    const sites = gates.get(name);
    if (shared.has(name) || !sites || sites.some((g) => g.length === 0)) continue;
    const decidable = sites.every((g) => g.every((c) => decidableEarly(c, name, own, events, functions)));
    if (!decidable) continue;
    const expr = sites.map((g) => g.reduce((a, b) => and(a, b))).reduce((a, b) => or(a, b));
    const reads = new Set<string>();
    for (const g of sites) for (const c of g) for (const r of freeRoots(c, functions)) if (own.has(r)) reads.add(r);
    needed.set(name, { expr, reads });
  }

  // Waits: what each lookup reads, plus what its condition reads. A lookup whose condition
  // would close a cycle stays eager; repeat until none does (each round drops at least one).
  const afterOf = (n: string): Set<string> => new Set([...(facts.deps.get(n) ?? []), ...(needed.get(n)?.reads ?? [])]);
  for (;;) {
    const cyclic = [...needed.keys()].find((n) => reaches(n, n, afterOf));
    if (cyclic === undefined) break;
    needed.delete(cyclic);
  }

  // The resolve phase's order with the new waits honoured (ties keep that order); lookups in a
  // reported cycle (MAPC0314) come last, as there: the build stops anyway.
  const order = runOrder(facts.order, afterOf, facts.cycles);
  return order.map((name) => {
    const need = needed.get(name);
    const after = need ? [...afterOf(name)].sort() : [...(facts.deps.get(name) ?? [])];
    return { name, after, ...(need ? { needed: need.expr } : {}) };
  });
}

/** Whether `from` reaches `to` through `next` in one or more steps. */
function reaches(from: string, to: string, next: (n: string) => Set<string>): boolean {
  const seen = new Set<string>();
  const stack = [...next(from)];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === to) return true;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...next(n));
  }
  return false;
}

/** Every read of each own lookup in the spec's expressions, with the branch conditions above it. */
function readGates(spec: Spec, own: ReadonlySet<string>): Map<string, Gate[]> {
  const out = new Map<string, Gate[]>();
  const visit = (e: Expr, gate: Gate): void => {
    switch (e.kind) {
      case 'root':
        if (own.has(e.name)) {
          const list = out.get(e.name);
          if (list) list.push(gate);
          else out.set(e.name, [gate]);
        }
        return;
      case 'member':
        visit(e.object, gate);
        return;
      case 'unary':
        visit(e.operand, gate);
        return;
      case 'binary':
        visit(e.left, gate);
        if (e.op === '&&') visit(e.right, [...gate, e.left]);
        else if (e.op === '||') visit(e.right, [...gate, not(e.left)]);
        else visit(e.right, gate);
        return;
      case 'call': {
        if (e.name === 'if' && e.args.length >= 2) {
          const [c, then, otherwise] = e.args;
          visit(c!, gate);
          visit(then!, [...gate, c!]);
          if (otherwise) visit(otherwise, [...gate, not(c!)]);
          return;
        }
        // A per-element argument runs once per element (or never, for an empty list): reads
        // there are gated like the call itself; conditions inside it that read `item` are not
        // decidable early (freeRoots sees the free `item`).
        for (const a of e.args) visit(a, gate);
        return;
      }
      default:
        return;
    }
  };
  for (const e of specExprs(spec)) visit(e, []);
  return out;
}

/**
 * Whether a branch condition can be evaluated when lookup `self` would start: it reads only
 * event roots and the spec's other lookups, and no impure (clock) function.
 */
function decidableEarly(c: Expr, self: string, own: ReadonlySet<string>, events: ReadonlySet<string>, functions: FunctionRegistry): boolean {
  let pure = true;
  walkExpr(c, (e) => {
    if (e.kind === 'invalid' || (e.kind === 'call' && functions[e.name]?.impure)) pure = false;
  });
  if (!pure) return false;
  return [...freeRoots(c, functions)].every((r) => r !== self && (events.has(r) || own.has(r)));
}

/** The root names an expression reads that it does not bind itself (`item` inside a per-element argument is bound). */
function freeRoots(e: Expr, functions: FunctionRegistry): Set<string> {
  const out = new Set<string>();
  const visit = (x: Expr, bound: boolean): void => {
    switch (x.kind) {
      case 'root':
        if (!(bound && x.name === 'item')) out.add(x.name);
        return;
      case 'member':
        visit(x.object, bound);
        return;
      case 'unary':
        visit(x.operand, bound);
        return;
      case 'binary':
        visit(x.left, bound);
        visit(x.right, bound);
        return;
      case 'call': {
        const at = functions[x.name]?.params.findIndex((p) => p.perElement === true) ?? -1;
        x.args.forEach((a, i) => visit(a, bound || i === at));
        return;
      }
      default:
        return;
    }
  };
  visit(e, false);
  return out;
}

function not(e: Expr): UnaryExpr {
  return { kind: 'unary', op: '!', operand: e, span: e.span };
}

function and(a: Expr, b: Expr): BinaryExpr {
  return { kind: 'binary', op: '&&', left: a, right: b, span: a.span };
}

function or(a: Expr, b: Expr): BinaryExpr {
  return { kind: 'binary', op: '||', left: a, right: b, span: a.span };
}
