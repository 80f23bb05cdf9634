/**
 * Checked expressions, templates and values → JavaScript over a `Scope` (runtime/plan.ts).
 * Everything compiles to calls of total runtime helpers (`path`, `eq`, `truthy`, `fn_x`...),
 * so a compiled expression never throws and a missing value is null.
 */
import type { Expr, Template } from '../expr';
import type { ValueIR } from '../ir';
import { Code, Name, js, join, literal, prop as member } from '../codegen';
import { SIGNATURES } from '../../runtime/signatures';

/** Library functions whose runtime implementation takes the event first (`fn_identity(event, provider)`): those that read an event field themselves. */
export const EVENT_FUNCTIONS: ReadonlySet<string> = new Set(
  Object.entries(SIGNATURES)
    .filter(([, sig]) => sig.readsEvent !== undefined)
    .map(([name]) => name),
);

/** Scope roots that are not event fields (SPEC 2.4). */
const SCOPE_ROOTS: ReadonlySet<string> = new Set(['value', 'current', 'response', 'continue']);

/** What an expression is compiled against; collects the runtime helpers the code uses. */
export class ExprContext {
  /**
   * `lookups`: names of the spec's lookups (a root with such a name reads `s.lookups`);
   * `inEach`: compiling a per-element argument, where the root `item` is the closure's parameter.
   */
  constructor(
    readonly lookups: ReadonlySet<string> = new Set(),
    private readonly used: Set<RuntimeExport> = new Set(),
    readonly inEach = false,
  ) {}

  /** The same helper registry with another spec's lookups in scope (one import list per module). */
  withLookups(lookups: ReadonlySet<string>): ExprContext {
    return new ExprContext(lookups, this.used, this.inEach);
  }

  /** The same context inside a per-element closure `(item) => ...`. */
  withItem(): ExprContext {
    return new ExprContext(this.lookups, this.used, true);
  }

  /**
   * A runtime export by name, recorded for the import list. The name is typed as an export of
   * runtime/index.ts, so generated code can only call what the runtime exports.
   */
  helper(name: RuntimeExport): Name {
    const n = new Name(name);
    this.used.add(name);
    return n;
  }

  /** Every helper used so far, sorted (deterministic import list). */
  helpers(): RuntimeExport[] {
    return [...this.used].sort();
  }
}

/** What generated code may import: the runtime's exports (runtime/index.ts). */
export type RuntimeExport = keyof typeof import('../../runtime/index');

/** The closure parameter: the Scope. */
export const S = new Name('s');

/** The parameter of a per-element closure (`filter(list, (item) => ...)`): the element. */
export const ITEM = new Name('item');

/** Per-element parameter index of each list function (SIGNATURES: `perElement`). */
const PER_ELEMENT: ReadonlyMap<string, number> = new Map(
  Object.entries(SIGNATURES)
    .map(([name, sig]) => [name, sig.params.findIndex((p) => p.perElement === true)] as const)
    .filter(([, i]) => i >= 0),
);

/** `(s) => body`, parenthesising an object-literal body. */
export function closure(body: Code): Code {
  return body.toString().startsWith('{') ? js`(${S}) => (${body})` : js`(${S}) => ${body}`;
}

/** An expression as a JavaScript expression over `s`. */
export function compileExpr(e: Expr, ctx: ExprContext): Code {
  switch (e.kind) {
    case 'literal':
      return literal(e.value);
    case 'root':
    case 'member':
      return compileAccess(e, ctx);
    case 'call':
      if (e.name === 'if' && e.args.length >= 2) {
        // Lazy: only the branch taken is computed (SIGNATURES.if).
        const otherwise = e.args[2] ? compileExpr(e.args[2], ctx) : literal(null);
        return js`(${compileCondition(e.args[0]!, ctx)} ? ${compileExpr(e.args[1]!, ctx)} : ${otherwise})`;
      }
      if (PER_ELEMENT.has(e.name)) {
        // The per-element argument becomes a closure over the element; a predicate yields a boolean.
        const at = PER_ELEMENT.get(e.name)!;
        const predicate = SIGNATURES[e.name]!.params[at]!.type === 'boolean';
        const args = e.args.map((a, i) => {
          if (i !== at) return compileExpr(a, ctx);
          const inner = ctx.withItem();
          const body = predicate ? compileCondition(a, inner) : compileExpr(a, inner);
          return body.toString().startsWith('{') ? js`(${ITEM}) => (${body})` : js`(${ITEM}) => ${body}`;
        });
        return compileCall(e.name, args, ctx);
      }
      return compileCall(e.name, e.args.map((a) => compileExpr(a, ctx)), ctx);
    case 'unary':
      return js`!${compileCondition(e.operand, ctx)}`;
    case 'binary': {
      if (e.op === '&&' || e.op === '||') {
        const op = e.op === '&&' ? js`&&` : js`||`;
        return js`(${compileCondition(e.left, ctx)} ${op} ${compileCondition(e.right, ctx)})`;
      }
      const fn = ctx.helper(COMPARISONS[e.op]);
      return js`${fn}(${compileExpr(e.left, ctx)}, ${compileExpr(e.right, ctx)})`;
    }
    case 'invalid':
      // The parse phase reported it and the build stopped before lowering.
      throw new Error('emit: invalid expression reached code generation');
  }
}

const COMPARISONS = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' } as const;

/** An expression in a boolean position: operators already yield booleans, anything else goes through `truthy`. */
export function compileCondition(e: Expr, ctx: ExprContext): Code {
  if (e.kind === 'unary' || e.kind === 'binary') return compileExpr(e, ctx);
  return js`${ctx.helper('truthy')}(${compileExpr(e, ctx)})`;
}

/** A library call with already-compiled arguments (also used for transforms). */
export function compileCall(name: string, args: readonly Code[], ctx: ExprContext): Code {
  // Library functions are `fn_<name>` exports (a test keeps SIGNATURES and the exports in step).
  const fn = ctx.helper(`fn_${name}` as RuntimeExport);
  const all = EVENT_FUNCTIONS.has(name) ? [js`${S}.event`, ...args] : args;
  return js`${fn}(${join(all)})`;
}

/**
 * A root with its member chain, read null-safely. The holders the engine makes are read
 * directly: the lookups object (`s.lookups.name`: null-prototype, every lookup name an own
 * property, null until the lookup succeeds) and the scope (`s.value`, `s.current`,
 * `s.response`: a plain object holding at most those own properties besides `event` and
 * `lookups`); `?? null` turns a missing one into null. Everything else is data from outside and goes through a total helper per
 * segment: `prop` for a plain string key, `get` for the others (indexes, dangerous names).
 */
function compileAccess(e: Expr, ctx: ExprContext): Code {
  const keys: (string | number)[] = [];
  let cur: Expr = e;
  while (cur.kind === 'member') {
    keys.unshift(cur.key);
    cur = cur.object;
  }
  if (cur.kind !== 'root') {
    // Member access after a call: `identity('x').profileData.locale`.
    return readKeys(compileExpr(cur, ctx), keys, ctx);
  }
  const root = cur.name;
  // The element of the enclosing list function (the checker allows `item` nowhere else).
  if (root === 'item' && ctx.inEach) return keys.length === 0 ? ITEM : readKeys(ITEM, keys, ctx);
  if (ctx.lookups.has(root)) {
    // `get` refuses the dangerous names; any other name is an own property of the lookups object.
    if (DANGEROUS.has(root)) return readKeys(js`${ctx.helper('get')}(${S}.lookups, ${root})`, keys, ctx);
    const base = member(js`${S}.lookups`, root);
    return keys.length === 0 ? js`(${base} ?? null)` : readKeys(base, keys, ctx);
  }
  // Missing (outside the place the root belongs to) reads as null; `prop` and `get` do that themselves.
  if (SCOPE_ROOTS.has(root)) return keys.length === 0 ? js`(${member(S, root)} ?? null)` : readKeys(member(S, root), keys, ctx);
  return readKeys(js`${S}.event`, [root, ...keys], ctx);
}

/** Reads `keys` one after the other from `base`: `prop(prop(base, "a"), "b")`, `get(..., 0)`. */
function readKeys(base: Code, keys: readonly (string | number)[], ctx: ExprContext): Code {
  let out = base;
  for (const k of keys) out = typeof k === 'string' && isPlainKey(k) ? js`${ctx.helper('prop')}(${out}, ${k})` : js`${ctx.helper('get')}(${out}, ${k})`;
  return out;
}

const INDEX = /^(0|[1-9]\d*)$/;
const DANGEROUS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A key `prop()` reads as `get()` would: not an array index (arrays are read by index), not dangerous. */
function isPlainKey(k: string): boolean {
  return !INDEX.test(k) && !DANGEROUS.has(k);
}

/** A string template: `tpl([...parts])` (null interpolations render as ''). */
export function compileTemplate(t: Template, ctx: ExprContext): Code {
  const parts = t.parts.map((p) => (p.kind === 'text' ? literal(p.text) : compileExpr(p.expr, ctx)));
  return js`${ctx.helper('tpl')}([${join(parts)}])`;
}

/**
 * A request path: `urlPath([text, value, text, ..., text])`. Odd indexes are values (each
 * URL-encoded by the runtime), so text and values strictly alternate, padded with ''.
 */
export function compileUrlPath(t: Template, ctx: ExprContext): Code {
  const parts: Code[] = [];
  let text = '';
  for (const p of t.parts) {
    if (p.kind === 'text') {
      // Adjacent text parts merge: an empty value between them would void the whole path.
      text += p.text;
      continue;
    }
    parts.push(literal(text), compileExpr(p.expr, ctx));
    text = '';
  }
  parts.push(literal(text));
  return js`${ctx.helper('urlPath')}([${join(parts)}])`;
}

/** A value position (SPEC 2.3) as an expression over `s`. */
export function compileValue(v: ValueIR, ctx: ExprContext): Code {
  switch (v.kind) {
    case 'expr':
      return compileExpr(v.expr, ctx);
    case 'literal':
      return literal(v.value);
    case 'template':
      return compileTemplate(v.template, ctx);
    case 'object':
      return compileEntries(v.entries, ctx);
    case 'array':
      return js`[${join(v.items.map((i) => compileValue(i, ctx)))}]`;
  }
}

/** Ordered key/value pairs as a safe object: `obj([["k", v], ...])` (no prototype tricks). */
export function compileEntries(entries: readonly (readonly [string, ValueIR])[], ctx: ExprContext): Code {
  const pairs = entries.map(([k, v]) => js`[${k}, ${compileValue(v, ctx)}]`);
  return js`${ctx.helper('obj')}([${join(pairs)}])`;
}
