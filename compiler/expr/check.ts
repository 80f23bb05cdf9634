/**
 * The expression type checker (SPEC 2.4, 2.5, 4): roots, paths, functions, arity, argument
 * types, literal and regular-expression parameters, comparisons. Types are implicitly
 * nullable and `any` is compatible with everything, so only what is certainly wrong is
 * reported. Every diagnostic points at the smallest span that explains it (the unknown key,
 * the function name, the argument).
 */
import { SECRET_NAME } from '../auth0';
import type { Diagnostic } from '../diagnostics';
import type { Span } from '../source';
import { SIGNATURES, type Param, type ParamType, type ResultType, type Signature } from '../../runtime/signatures';
import type { CallExpr, Expr, MemberExpr, RootExpr, Template } from './ast';
import { didYouMean, exprDiag, FUNCTION_LIBRARY_DOCS, functionHint } from './diag';
import { lookupFunction, type FunctionRegistry } from './functions';
import { literalProblem } from './literals';
import { exprText, keyText } from './print';
import { regexProblem } from './redos';
import { T, typeAt, type Type } from './types';

/** What an expression may read, and where it is (for messages). */
export interface ExprEnv {
  /** Root name → type: event fields of the trigger, lookups (`T.any`), `value`/`current`/`response` where allowed. */
  readonly roots: Readonly<Record<string, Type>>;
  readonly functions: FunctionRegistry;
  /** The spec's trigger's event: lets the checker say "not provided by this trigger" instead of "unknown". */
  readonly trigger?: EventModel;
  /** The other triggers' events, for "it exists on post-login" hints. */
  readonly otherTriggers?: readonly EventModel[];
  /** Where the expression is, in words: "a field's when:". */
  readonly context: string;
  /** Names that are roots elsewhere but not here → why (e.g. `response`: "only inside a send's store:"). */
  readonly unavailable?: Readonly<Record<string, string>>;
}

/**
 * A trigger's event as the checker sees it: its roots and why it lacks common data. The
 * trigger modules (compiler/triggers) supply these; the expression language knows no trigger.
 */
export interface EventModel {
  readonly id: string;
  readonly roots: Readonly<Record<string, Type>>;
  /** The hint when a field is missing and no name is close ("a machine-to-machine flow: there is no user"). */
  readonly note?: string;
}

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** A type in words, for messages. */
export function typeText(t: Type): string {
  switch (t.kind) {
    case 'array':
      return t.of.kind === 'any' ? 'array' : `array of ${typeText(t.of)}s`;
    case 'object':
      return 'object';
    default:
      return t.kind;
  }
}

/** "a string", "an integer", "an array of strings". */
export function withArticle(word: string): string {
  return `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
}

/**
 * `context: reason`, without doubling the colon of contexts that end with one ("a field's
 * from:" + "it exists ..." → "a field's from: it exists ...").
 */
export function withReason(context: string, reason: string): string {
  return context.endsWith(':') ? `${context} ${reason}` : `${context}: ${reason}`;
}

/** Whether a value of type `t` may be passed where `p` is expected (null and any always may). */
export function accepts(p: ParamType, t: Type): boolean {
  if (t.kind === 'any' || t.kind === 'null' || p === 'any') return true;
  switch (p) {
    case 'string':
    case 'regex':
      return t.kind === 'string';
    case 'number':
    case 'integer':
      return t.kind === 'number';
    case 'boolean':
      return t.kind === 'boolean';
    case 'scalar':
      return t.kind === 'string' || t.kind === 'number' || t.kind === 'boolean';
    case 'array':
      return t.kind === 'array';
    case 'object':
      return t.kind === 'object';
  }
}

/** The type of a literal JavaScript value (YAML literal arguments of transforms). */
export function valueType(v: unknown): Type {
  if (v === null || v === undefined) return T.null;
  if (typeof v === 'string') return T.string;
  if (typeof v === 'number') return T.number;
  if (typeof v === 'boolean') return T.boolean;
  if (Array.isArray(v)) return T.array(T.any);
  return T.dict();
}

/** Result type of a call from the signature and the argument types. */
export function resultType(r: ResultType, args: readonly Type[], eventValue: Type = T.any): Type {
  switch (r) {
    case 'string':
    case 'regex':
      return T.string;
    case 'number':
    case 'integer':
      return T.number;
    case 'boolean':
      return T.boolean;
    case 'scalar':
    case 'any':
      return T.any;
    case 'array':
      return T.array(T.any);
    case 'object':
      return T.dict();
    case 'array<string>':
      return T.array(T.string);
    case 'each':
      // map_each: an array of what the per-element expression gives.
      return T.array(args[1] ?? T.any);
    case 'flatten': {
      const a = args[0];
      return T.array(a && a.kind === 'array' && a.of.kind === 'array' ? a.of.of : T.any);
    }
    case 'pluck':
      // The checker narrows it by the literal key (Checker.call); elsewhere nothing is known.
      return T.array(T.any);
    case 'identity':
      // An entry of the event list the function reads (user.identities).
      return eventValue.kind === 'array' ? eventValue.of : T.any;
    case 'arg0':
      return args[0] ?? T.any;
    case 'element0': {
      const a = args[0];
      return a && a.kind === 'array' ? a.of : T.any;
    }
    case 'branches':
      // `if(condition, then, else)`: what either branch gives; a missing else is null.
      return resultType('common', args.length >= 3 ? args.slice(1) : [...args.slice(1), T.null]);
    case 'common': {
      const known = args.filter((a) => a.kind !== 'any' && a.kind !== 'null');
      if (known.length === 0) return args.length > 0 && args.every((a) => a.kind === 'null') ? T.null : T.any;
      const first = known[0]!;
      const scalar = (k: string): boolean => k === 'string' || k === 'number' || k === 'boolean';
      if (scalar(first.kind) && known.every((a) => a.kind === first.kind) && known.length === args.filter((a) => a.kind !== 'null').length) return first;
      return T.any;
    }
  }
}

/** What the arguments of an `if` made of a `case:` branch are called in the YAML. */
const CASE_PARAMS = ['when', 'then', 'else'];

/** Valid argument counts of a signature. */
function arity(sig: Signature): { min: number; max: number } {
  const min = sig.params.filter((p) => !p.optional).length;
  return { min, max: sig.variadic ? Infinity : sig.params.length };
}

function arityText(sig: Signature): string {
  const { min, max } = arity(sig);
  const n = (k: number): string => `${k} argument${k === 1 ? '' : 's'}`;
  if (max === Infinity) return `at least ${n(min)}`;
  if (min === max) return n(min);
  return `${min} to ${n(max)}`;
}

/** One parameter as signatures show it: `end`, `[end]`, or with `typed` `[end: integer]`. */
function paramText(p: { readonly name: string; readonly type: ParamType; readonly optional?: boolean }, typed: boolean): string {
  const t = typed ? `${p.name}: ${p.type === 'regex' ? 'regular expression' : p.type}` : p.name;
  return p.optional ? `[${t}]` : t;
}

/** `substring(text: string, start: integer, [end: integer])` (the hint of argument errors), or untyped `substring(text, start, [end])`. */
function callSignature(name: string, sig: Signature, typed = true): string {
  return `${name}(${sig.params.map((p) => paramText(p, typed)).join(', ')}${sig.variadic ? ', ...' : ''})`;
}

/** `truncate: value, max` (a transform step's arguments after the value), typed or not. */
function transformSignature(name: string, sig: Signature, typed: boolean): string {
  return `${name}: value${sig.params.slice(1).map((p) => `, ${paramText(p, typed)}`).join('')}${sig.variadic ? ', ...' : ''}`;
}

function isKnownScalar(t: Type): boolean {
  return t.kind === 'string' || t.kind === 'number' || t.kind === 'boolean';
}

/** The per-element list functions (their signature has a `perElement` parameter), for messages. */
const PER_ELEMENT_TEXT = 'map_each, filter, any, all and find';

/** Where the root `item` is bound: inside the per-element argument of a list function. */
interface ItemScope {
  /** The enclosing call (`filter`, or `map_each` written as `[*]`). */
  readonly call: CallExpr;
  /** The element type of its list. */
  readonly type: Type;
}

/** `'filter'`, or `'[*]'` for a path over every element. */
function listCallText(c: CallExpr): string {
  return c.wildcard ? "'[*]'" : `'${c.name}'`;
}

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  /** Set while checking a per-element argument: what `item` is. */
  private item: ItemScope | undefined;
  constructor(private readonly env: ExprEnv) {}

  check(e: Expr): Type {
    switch (e.kind) {
      case 'literal':
        return e.value === null ? T.null : typeof e.value === 'string' ? T.string : typeof e.value === 'number' ? T.number : T.boolean;
      case 'invalid':
        return T.any;
      case 'root':
      case 'member':
        return this.path(e);
      case 'call':
        return this.call(e);
      case 'unary':
        this.check(e.operand);
        return T.boolean;
      case 'binary': {
        const l = this.check(e.left);
        const r = this.check(e.right);
        if (e.op === '&&' || e.op === '||') return T.boolean;
        if (e.op === '==' || e.op === '!=') {
          if (isKnownScalar(l) && isKnownScalar(r) && l.kind !== r.kind) {
            this.diagnostics.push(
              exprDiag('MAPC0312', e.span, `'${e.op}' compares ${withArticle(typeText(l))} with ${withArticle(typeText(r))}: comparison is strict, so it is always ${e.op === '==' ? 'false' : 'true'}`, `convert one side, e.g. to_string(...) or to_number(...)`),
            );
          }
          return T.boolean;
        }
        const ordered = (t: Type): boolean => t.kind === 'any' || t.kind === 'null' || t.kind === 'string' || t.kind === 'number';
        if (!ordered(l) || !ordered(r) || (l.kind !== r.kind && l.kind !== 'any' && r.kind !== 'any' && l.kind !== 'null' && r.kind !== 'null')) {
          this.diagnostics.push(
            exprDiag('MAPC0311', e.span, `'${e.op}' cannot compare ${withArticle(typeText(l))} with ${withArticle(typeText(r))}`, 'order numbers with numbers and strings with strings; convert with to_number(...) or to_string(...)'),
          );
        }
        return T.boolean;
      }
    }
  }

  /** A root and its member chain, checked iteratively from the root outwards. */
  private path(e: RootExpr | MemberExpr): Type {
    const chain: MemberExpr[] = [];
    let base: Expr = e;
    while (base.kind === 'member') {
      chain.unshift(base);
      base = base.object;
    }
    let t: Type;
    let rootName: string | undefined;
    if (base.kind === 'root') {
      rootName = base.name;
      const rt = this.root(base, chain);
      if (!rt) return T.any;
      t = rt;
    } else {
      t = this.check(base);
    }
    let text = base.kind === 'root' ? base.name : exprText(base);
    const keys: (string | number)[] = [];
    for (const m of chain) {
      const next = this.member(t, m, text, rootName, keys);
      if (!next) return T.any;
      t = next;
      keys.push(m.key);
      text += keyText(m.key);
    }
    return t;
  }

  private fullText(base: RootExpr, chain: readonly MemberExpr[]): string {
    return chain.length ? exprText(chain[chain.length - 1]!) : base.name;
  }

  private root(r: RootExpr, chain: readonly MemberExpr[]): Type | undefined {
    const env = this.env;
    if (r.name === 'item' && this.item) return this.item.type;
    if (has(env.roots, r.name)) return env.roots[r.name];
    if (r.name === 'item') {
      this.diagnostics.push(
        exprDiag(
          'MAPC0304',
          r.span,
          `'${this.fullText(r, chain)}': 'item' is not a root in ${withReason(env.context, `it is the element only inside the per-element argument of ${PER_ELEMENT_TEXT}`)}`,
          `e.g. any(user.app_metadata.roles, item == 'admin'), or user.identities[*].provider for a field of every element`,
        ),
      );
      return undefined;
    }
    const full = this.fullText(r, chain);
    const hint = didYouMean(r.name, Object.keys(env.roots));
    if (r.name === 'secrets') {
      const first = chain[0]?.key;
      const secret = typeof first === 'string' && SECRET_NAME.test(first) ? first : 'CRM_API_KEY';
      this.diagnostics.push(
        exprDiag(
          'MAPC0304',
          r.span,
          `'${full}': secrets cannot be read in expressions`,
          `a secret flows only into a system's auth: in mapc.yaml, e.g. auth: { bearer: ${secret} } or auth: { header: X-Api-Key, secret: ${secret} }`,
        ),
      );
      return undefined;
    }
    if (env.unavailable && has(env.unavailable, r.name)) {
      this.diagnostics.push(exprDiag('MAPC0304', r.span, `'${r.name}' is not available in ${withReason(env.context, env.unavailable[r.name]!)}`, hint));
      return undefined;
    }
    if (env.trigger) {
      const here = env.trigger;
      const elsewhere = (env.otherTriggers ?? []).filter((m) => m.id !== here.id && has(m.roots, r.name)).map((m) => m.id);
      if (elsewhere.length > 0) {
        this.diagnostics.push(
          exprDiag('MAPC0303', r.span, `'${full}': the ${here.id} trigger does not provide '${r.name}' (it exists on ${elsewhere.join(', ')})`, hint ?? here.note),
        );
        return undefined;
      }
    }
    this.diagnostics.push(exprDiag('MAPC0301', r.span, `unknown path '${full}': '${r.name}' is not a root in ${env.context}`, hint ?? `roots here: ${Object.keys(env.roots).sort().join(', ')}`));
    return undefined;
  }

  /** Type of `m.key` on a value of type `t`; reports and returns undefined when impossible. */
  private member(t: Type, m: MemberExpr, text: string, rootName: string | undefined, keysBefore: readonly (string | number)[]): Type | undefined {
    const full = text + keyText(m.key);
    switch (t.kind) {
      case 'any':
      case 'null':
        return T.any;
      case 'array':
        if (typeof m.key === 'number') return t.of;
        this.diagnostics.push(exprDiag('MAPC0302', m.keySpan, `unknown path '${full}': '${text}' is an array; index it with a number`, `e.g. ${text}[0]`));
        return undefined;
      case 'object': {
        const k = String(m.key);
        if (has(t.fields, k)) return t.fields[k];
        if (t.rest) return t.rest;
        if (typeof m.key === 'number') {
          this.diagnostics.push(exprDiag('MAPC0302', m.keySpan, `unknown path '${full}': '${text}' is an object, not an array`));
          return undefined;
        }
        const hint = didYouMean(k, Object.keys(t.fields));
        // The same event path on another trigger: explain instead of guessing a typo.
        const here = this.env.trigger;
        if (here && rootName !== undefined && has(here.roots, rootName) && !has(this.env.unavailable ?? {}, rootName)) {
          const keys = [...keysBefore, m.key];
          const elsewhere = (this.env.otherTriggers ?? []).filter((o) => o.id !== here.id && typeAt(o.roots, rootName, keys) !== undefined).map((o) => o.id);
          if (elsewhere.length > 0) {
            this.diagnostics.push(
              exprDiag('MAPC0303', m.keySpan, `'${full}' is not provided by the ${here.id} trigger (it exists on ${elsewhere.join(', ')})`, hint ?? here.note ?? `fields of '${text}' here: ${Object.keys(t.fields).sort().join(', ')}`),
            );
            return undefined;
          }
        }
        this.diagnostics.push(
          exprDiag('MAPC0302', m.keySpan, `unknown path '${full}': '${text}' has no field '${k}'`, hint ?? `fields of '${text}': ${Object.keys(t.fields).sort().join(', ')}`),
        );
        return undefined;
      }
      default:
        this.diagnostics.push(exprDiag('MAPC0302', m.keySpan, `unknown path '${full}': '${text}' is ${withArticle(typeText(t))} and has no fields`));
        return undefined;
    }
  }

  private call(e: CallExpr): Type {
    const { name, nameSpan, args, span: whole } = e;
    // `[*]` is map_each whatever the registry holds (tests inject small ones).
    const sig = lookupFunction(this.env.functions, name) ?? (e.wildcard ? SIGNATURES['map_each'] : undefined);
    const each = sig ? sig.params.findIndex((p) => p.perElement === true) : -1;
    if (each >= 0 && this.item) {
      // No recursion: a list function inside another's per-element expression is refused.
      const outer = this.item.call;
      this.diagnostics.push(
        exprDiag(
          'MAPC0318',
          nameSpan,
          `${listCallText(e)} inside the per-element expression of ${listCallText(outer)}: list functions do not nest`,
          e.wildcard
            ? `read the field with pluck or [*] outside, e.g. flatten(${exprText(outer.args[0]!)}[*]${exprText(e.args[0]!).replace(/^item/, '')})`
            : 'compute the inner list in a field of its own, or flatten(...) the list first',
        ),
      );
    }
    const argTypes: Type[] = [];
    args.forEach((a, i) => {
      if (i !== each || this.item) {
        argTypes.push(this.check(a));
        return;
      }
      const list = argTypes[0] ?? T.any;
      this.item = { call: e, type: list.kind === 'array' ? list.of : T.any };
      try {
        argTypes.push(this.check(a));
      } finally {
        this.item = undefined;
      }
    });
    if (e.wildcard && argTypes[0] && !accepts('array', argTypes[0])) {
      const listText = exprText(args[0]!);
      this.diagnostics.push(
        exprDiag('MAPC0302', nameSpan, `'${exprText(e)}': [*] reads every element of an array, but '${listText}' is ${withArticle(typeText(argTypes[0]))}`, `write '${listText}' without [*]; [*] follows an array, e.g. user.identities[*].provider`),
      );
      return T.any;
    }
    if (!sig) {
      this.diagnostics.push(exprDiag('MAPC0305', nameSpan, `unknown function '${name}'`, functionHint(name, this.env.functions)));
      return T.any;
    }
    // identity() reads user.identities, authenticated_with() authentication.methods: not every trigger provides them.
    // event.secrets (hmac_sha256) every trigger has, though expressions cannot read it.
    const reads = sig.readsEvent;
    const read = reads && this.env.trigger ? typeAt(this.env.trigger.roots, reads[0], reads.slice(1)) : undefined;
    if (reads && reads[0] !== 'secrets' && this.env.trigger && read === undefined) {
      this.diagnostics.push(
        exprDiag('MAPC0303', nameSpan, `'${name}' reads ${reads.join('.')}, which the ${this.env.trigger.id} trigger does not provide`, this.env.trigger.note),
      );
      return T.any;
    }
    const { min, max } = arity(sig);
    if (args.length < min || args.length > max) {
      const at = args.length > max ? args[max]!.span : whole;
      this.diagnostics.push(exprDiag('MAPC0306', at, `'${name}' takes ${arityText(sig)}, got ${args.length}`, callSignature(name, sig, false)));
      return resultType(sig.returns, argTypes, read);
    }
    args.forEach((a, i) => {
      const p = sig.params[i];
      const ptype = p ? p.type : sig.variadic!;
      const pname = p ? p.name : `argument ${i + 1}`;
      // A predicate is a condition over item: say how to make one.
      if (e.form === 'case') {
        // A branch of a `case:` value: its own words, not if()'s.
        const hint = i === 0 ? `a branch's when is a condition, e.g. ${exprText(a)} == '...' or exists(${exprText(a)})` : 'case: [{ when: <condition>, then: <value> }, ...], else: <value>';
        checkArgument(this.diagnostics, 'case', hint, CASE_PARAMS[i] ?? pname, ptype, false, { expr: a, type: argTypes[i]! }, a.span);
        return;
      }
      const hint = p?.perElement && ptype === 'boolean' ? `${callSignature(name, sig)}: the predicate is a condition over item, e.g. ${exprText(a)} == '...' or exists(${exprText(a)})` : callSignature(name, sig);
      checkArgument(this.diagnostics, name, hint, pname, ptype, p?.literal === true, { expr: a, type: argTypes[i]! }, a.span, p?.check);
    });
    if (sig.returns === 'pluck') return this.pluck(args, argTypes);
    return resultType(sig.returns, argTypes, read);
  }

  /** `pluck(list, 'key')`: an array of the element's field type; a key a closed element type lacks is reported. */
  private pluck(args: readonly Expr[], argTypes: readonly Type[]): Type {
    const list = argTypes[0]!;
    const key = args[1]!;
    if (list.kind !== 'array' || key.kind !== 'literal' || typeof key.value !== 'string') return T.array(T.any);
    const el = list.of;
    if (el.kind === 'any' || el.kind === 'null') return T.array(T.any);
    if (el.kind === 'object') {
      if (has(el.fields, key.value)) return T.array(el.fields[key.value]!);
      if (el.rest) return T.array(el.rest);
      const text = exprText(args[0]!);
      this.diagnostics.push(
        exprDiag('MAPC0302', key.span, `'pluck' key '${key.value}': the elements of '${text}' have no field '${key.value}'`, didYouMean(key.value, Object.keys(el.fields)) ?? `fields: ${Object.keys(el.fields).sort().join(', ')}`),
      );
      return T.array(T.any);
    }
    this.diagnostics.push(exprDiag('MAPC0302', key.span, `'pluck' key '${key.value}': the elements of '${exprText(args[0]!)}' are ${withArticle(typeText(el))}s, which have no fields`));
    return T.array(T.any);
  }
}

/**
 * Checks one argument against its parameter: type, literal-ness, regular expressions, and
 * what a `check` says the literal must be (time zone, date format, secret name). `arg` is
 * either an expression (with its checked type) or a YAML literal value (transforms).
 */
function checkArgument(
  out: Diagnostic[],
  fn: string,
  signature: string,
  pname: string,
  ptype: ParamType,
  mustBeLiteral: boolean,
  arg: { expr: Expr; type: Type } | { value: unknown },
  span: Span,
  check?: Param['check'],
): void {
  const isLiteral = 'value' in arg || arg.expr.kind === 'literal';
  const literalValue = 'value' in arg ? arg.value : arg.expr.kind === 'literal' ? arg.expr.value : undefined;
  const type = 'value' in arg ? valueType(arg.value) : arg.type;
  if ((mustBeLiteral || ptype === 'regex') && !isLiteral) {
    const hint =
      ptype === 'regex'
        ? "write the regular expression as a string literal: '^[a-z]+$'"
        : ptype === 'object' || ptype === 'array'
          ? `expressions have no ${ptype} literals: use '${fn}' as a transform: step, whose arguments are YAML`
          : check === 'secret'
            ? "write the secret's name as a string, e.g. 'WEBHOOK_KEY': its value stays in the Action's secrets"
            : 'write the value itself, not a path';
    out.push(exprDiag('MAPC0308', span, `'${pname}' of '${fn}' must be a literal`, hint));
    return;
  }
  if (!accepts(ptype, type)) {
    out.push(exprDiag('MAPC0307', span, `'${pname}' of '${fn}' expects ${ptype === 'regex' ? 'a regular expression string' : withArticle(ptype)}, got ${withArticle(typeText(type))}`, signature));
    return;
  }
  if (ptype === 'integer' && typeof literalValue === 'number' && !Number.isInteger(literalValue)) {
    out.push(exprDiag('MAPC0307', span, `'${pname}' of '${fn}' expects an integer, got ${literalValue}`, signature));
    return;
  }
  if (check && typeof literalValue === 'string') {
    const problem = literalProblem(check, literalValue);
    if (problem) out.push(exprDiag('MAPC0307', span, `'${pname}' of '${fn}' ${problem.message}`, problem.hint));
    return;
  }
  if (ptype === 'regex' && typeof literalValue === 'string') {
    const problem = regexProblem(literalValue);
    if (problem?.kind === 'invalid') {
      out.push(exprDiag('MAPC0309', span, `invalid regular expression for '${fn}': ${problem.message}`));
    } else if (problem) {
      out.push(exprDiag('MAPC0310', span, `regular expression for '${fn}' is prone to catastrophic backtracking: ${problem.message}`, 'remove the nested repetition or make the alternatives distinct, e.g. (a+)+ → a+'));
    }
  }
}

/** Type-checks an expression in `env`. Never throws. */
export function checkExpr(expr: Expr, env: ExprEnv): { type: Type; diagnostics: Diagnostic[] } {
  const c = new Checker(env);
  const type = c.check(expr);
  return { type, diagnostics: c.diagnostics };
}

/** Type-checks every interpolation of a template; a template always produces a string. */
export function checkTemplate(t: Template, env: ExprEnv): { type: Type; diagnostics: Diagnostic[] } {
  const c = new Checker(env);
  for (const p of t.parts) if (p.kind === 'expr') c.check(p.expr);
  return { type: T.string, diagnostics: c.diagnostics };
}

/**
 * Checks one `transform:` step applied to a value of type `input`: the step must be a library
 * function whose first parameter accepts the value; positional YAML arguments are checked
 * against the remaining parameters, named ones (`map: { table, default }`) by parameter name.
 * Returns the type after the step (`any` when it cannot be known).
 */
export function checkTransformStep(
  step: {
    readonly name: { readonly value: string; readonly span: Span };
    readonly args: readonly { readonly value: unknown; readonly span: Span }[];
    readonly namedArgs?: readonly { readonly name: { readonly value: string; readonly span: Span }; readonly value: { readonly value: unknown; readonly span: Span } }[];
    readonly span: Span;
  },
  input: Type,
  functions: FunctionRegistry,
): { type: Type; diagnostics: Diagnostic[] } {
  const out: Diagnostic[] = [];
  const name = step.name.value;
  const sig = lookupFunction(functions, name);
  if (!sig) {
    const hint = functionHint(name, functions);
    out.push(exprDiag('MAPC0305', step.name.span, `unknown transform '${name}'`, hint === FUNCTION_LIBRARY_DOCS ? `a transform step is a library function: ${hint}` : hint));
    return { type: T.any, diagnostics: out };
  }
  const first = sig.params[0];
  if (sig.params.some((p) => p.perElement === true)) {
    out.push(exprDiag('MAPC0316', step.name.span, `'${name}' evaluates an expression for each element, so it cannot be a transform step (whose arguments are YAML values)`, `use it as a value instead: from: ${name}(<list>, <expression over item>)`));
    return { type: T.any, diagnostics: out };
  }
  if (!first && !sig.variadic) {
    out.push(exprDiag('MAPC0316', step.name.span, `'${name}' takes no value, so it cannot be a transform step`, `use it as a value instead: from: ${name}()`));
    return { type: T.any, diagnostics: out };
  }
  const firstType = first ? first.type : sig.variadic!;
  if (!accepts(firstType, input)) {
    out.push(exprDiag('MAPC0316', step.name.span, `'${name}' expects ${withArticle(firstType)} but the value here is ${withArticle(typeText(input))}`, 'convert it first, e.g. with to_string or to_number'));
  }
  // Positional arguments after the value, then named ones placed by parameter name.
  const slots: ({ value: unknown; span: Span } | undefined)[] = [undefined, ...step.args];
  let namedOk = true;
  for (const na of step.namedArgs ?? []) {
    const idx = sig.params.findIndex((p) => p.name === na.name.value);
    if (idx < 1) {
      const hint = didYouMean(na.name.value, sig.params.slice(1).map((p) => p.name));
      out.push(exprDiag('MAPC0307', na.name.span, `'${name}' has no parameter '${na.name.value}'`, hint ?? `parameters: ${sig.params.slice(1).map((p) => p.name).join(', ')}`));
      namedOk = false;
    } else if (slots[idx] !== undefined) {
      out.push(exprDiag('MAPC0306', na.name.span, `'${na.name.value}' of '${name}' is given twice`));
      namedOk = false;
    } else slots[idx] = na.value;
  }
  // A misnamed argument already explains any missing one.
  if (!namedOk) return { type: resultType(sig.returns, [input]), diagnostics: out };
  const { min, max } = arity(sig);
  const given = slots.length;
  const missing = sig.params.findIndex((p, i) => !p.optional && i > 0 && slots[i] === undefined);
  if (given > max || missing >= 0) {
    const at = given > max ? slots[max]!.span : step.span;
    const hint = transformSignature(name, sig, false);
    const [lo, hi] = [Math.max(0, min - 1), max - 1];
    const count = hi === Infinity ? `at least ${lo}` : hi === lo ? `${lo}` : `${lo} to ${hi}`;
    const noun = hi === 1 || (hi === Infinity && lo === 1) ? 'argument' : 'arguments';
    out.push(exprDiag('MAPC0306', at, `'${name}' as a transform takes ${count} ${noun} after the value, got ${step.args.length + (step.namedArgs?.length ?? 0)}`, hint));
    return { type: resultType(sig.returns, [input]), diagnostics: out };
  }
  const argTypes: Type[] = [input];
  for (let i = 1; i < slots.length; i++) {
    const s = slots[i];
    if (!s) {
      argTypes.push(T.null);
      continue;
    }
    const p = sig.params[i];
    argTypes.push(valueType(s.value));
    checkArgument(out, name, transformSignature(name, sig, true), p ? p.name : `argument ${i + 1}`, p ? p.type : sig.variadic!, p?.literal === true, { value: s.value }, s.span, p?.check);
  }
  return { type: resultType(sig.returns, argTypes), diagnostics: out };
}
