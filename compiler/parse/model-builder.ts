/**
 * Builds the typed model (compiler/model.ts) from a schema-valid YAML document. Every value
 * keeps the span of the node it came from; expressions and templates are parsed here
 * (syntax only) with origins that map back into the YAML file.
 *
 * Precondition: the document passed validation. A shape the schema forbids is a bug here,
 * so helpers may assume it.
 */
import { isMap, type Document, type Node } from 'yaml';
import { diag, type Diagnostic } from '../diagnostics';
import type { Expr, Template } from '../expr';
import { parseExpr } from '../expr';
import { parseTemplate } from '../expr';
import type {
  AccessAction,
  AccessRule,
  Attribute,
  AttributeType,
  Auth,
  BaseUrl,
  ContinueBlock,
  ExternalAction,
  Field,
  HttpMethod,
  Lookup,
  OnError,
  Project,
  ProjectTestDefaults,
  RedirectOtherwise,
  RedirectToken,
  RequestSpec,
  Send,
  Spec,
  System,
  TransformStep,
  Value,
} from '../model';
import { suggest } from '../suggest';
import { span, type Located, type SourceFile, type Span } from '../source';
import type { TriggerId } from '../triggers';
import { durationMs } from './duration';
import { keyString, nodeAt, nodeSpan, type DataPath } from './nodes';
import { scalarOrigin } from './origin';

/** Project defaults when `defaults:` leaves a key out (SPEC 2.1). */
export const PROJECT_DEFAULTS = { timeoutMs: 2000, deadlineMs: 8000, retries: 0, onError: 'continue' as OnError };

const CASE_HINT = "write case: [{ when: <condition>, then: <value> }, ...] and optionally else: <value>; for text with holes use concat(...) in the branch";

type Entries = readonly { readonly key: string; readonly keySpan: Span; readonly path: DataPath }[];

/** Reads values, spans and parsed expressions out of one valid document. */
class Reader {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly doc: Document,
    readonly file: SourceFile,
    readonly data: unknown,
  ) {}

  get(path: DataPath): unknown {
    let cur = this.data;
    for (const step of path) {
      if (cur === null || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string | number, unknown>)[step];
    }
    return cur;
  }

  node(path: DataPath): Node | null {
    return nodeAt(this.doc, path).node;
  }

  span(path: DataPath): Span {
    return nodeSpan(this.file, this.node(path));
  }

  located<T>(path: DataPath): Located<T> {
    return { value: this.get(path) as T, span: this.span(path) };
  }

  optional<T>(path: DataPath): Located<T> | undefined {
    return this.get(path) === undefined ? undefined : this.located<T>(path);
  }

  optionalText(path: DataPath): string | undefined {
    const v = this.get(path);
    return typeof v === 'string' ? v : undefined;
  }

  duration(path: DataPath): Located<number> | undefined {
    const v = this.get(path);
    if (v === undefined) return undefined;
    return { value: durationMs(v as string | number), span: this.span(path) };
  }

  /** Keys of the map at `path` in file order (JavaScript objects reorder numeric keys). */
  entries(path: DataPath): Entries {
    const node = this.node(path);
    if (!isMap(node)) return [];
    return node.items.map((pair) => {
      const key = keyString(pair.key);
      return { key, keySpan: nodeSpan(this.file, pair.key as Node), path: [...path, key] };
    });
  }

  length(path: DataPath): number {
    const v = this.get(path);
    return Array.isArray(v) ? v.length : 0;
  }

  expr(path: DataPath): Expr {
    const v = this.get(path);
    const node = this.node(path);
    if (typeof v !== 'string') {
      // `when: true`: the schema allows a boolean as a constant condition.
      return { kind: 'literal', value: v as boolean, span: nodeSpan(this.file, node) };
    }
    const { expr, diagnostics } = parseExpr(v, scalarOrigin(this.file, node));
    this.diagnostics.push(...diagnostics);
    return expr;
  }

  template(path: DataPath): Template {
    const node = this.node(path);
    const { template, diagnostics } = parseTemplate(String(this.get(path)), scalarOrigin(this.file, node));
    this.diagnostics.push(...diagnostics);
    return template;
  }

  /**
   * A value position (SPEC 2.3). In bodies (`nested`), maps and lists are objects and
   * arrays of values and null is a literal; elsewhere the schema allows only the forms below.
   */
  value(path: DataPath, nested = false): Value {
    const v = this.get(path);
    const at = this.span(path);
    if (typeof v === 'string') return { kind: 'expr', expr: this.expr(path), span: at };
    if (v === null || typeof v !== 'object') return { kind: 'literal', value: v, span: at };
    if (Array.isArray(v)) {
      return { kind: 'array', items: v.map((_, i) => this.value([...path, i], true)), span: at };
    }
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === 'value') return { kind: 'literal', value: (v as { value: unknown }).value, span: at };
    if (keys.length === 1 && keys[0] === 'template' && typeof (v as { template: unknown }).template === 'string') {
      return { kind: 'template', template: this.template([...path, 'template']), span: at };
    }
    if (keys.includes('case') && keys.every((k) => k === 'case' || k === 'else')) {
      return { kind: 'expr', expr: this.caseExpr(path) ?? { kind: 'literal', value: null, span: at }, span: at };
    }
    if (!nested) throw new Error(`mapc bug: schema let an object value through at ${path.join('.')}`);
    return {
      kind: 'object',
      entries: this.entries(path).map((e) => ({ key: { value: e.key, span: e.keySpan }, value: this.value(e.path, true) })),
      span: at,
    };
  }

  /**
   * `{ case: [{ when, then }, ...], else }` as the `if` chain it means:
   * `if(when1, then1, if(when2, then2, else))`, each call marked `form: 'case'`. The schema
   * checks the shape where a value position is typed; in a body (free JSON) it is checked
   * here: a malformed case is reported and undefined returned.
   */
  private caseExpr(path: DataPath): Expr | undefined {
    const branches = this.get([...path, 'case']);
    const bad = (at: DataPath, code: 'MAPC0201' | 'MAPC0202' | 'MAPC0203', message: string): undefined => {
      this.diagnostics.push(diag(code, this.span(at), message, CASE_HINT));
      return undefined;
    };
    if (!Array.isArray(branches) || branches.length === 0) return bad([...path, 'case'], 'MAPC0203', "'case' must be a list of branches { when: <condition>, then: <value> }");
    const parsed: { when: Expr; then: Expr; span: Span }[] = [];
    for (let i = 0; i < branches.length; i++) {
      const b = [...path, 'case', i];
      const branch = branches[i] as unknown;
      if (branch === null || typeof branch !== 'object' || Array.isArray(branch)) return bad(b, 'MAPC0203', 'a case branch must be a map { when: <condition>, then: <value> }');
      const extra = this.entries(b).find((e) => e.key !== 'when' && e.key !== 'then');
      if (extra) {
        const near = suggest(extra.key, ['when', 'then']);
        this.diagnostics.push(diag('MAPC0201', extra.keySpan, `unknown key '${extra.key}' in a case branch`, near ? `did you mean '${near}'?` : CASE_HINT));
        return undefined;
      }
      for (const k of ['when', 'then'] as const) if (!(k in branch)) return bad(b, 'MAPC0202', `a case branch needs '${k}'`);
      const when = (branch as { when: unknown }).when;
      if (typeof when !== 'string' && typeof when !== 'boolean') return bad([...b, 'when'], 'MAPC0203', "a case branch's 'when' must be a condition (an expression)");
      const then = this.caseBranch([...b, 'then']);
      if (!then) return undefined;
      parsed.push({ when: this.expr([...b, 'when']), then, span: this.span(b) });
    }
    let chain: Expr | undefined;
    if (this.get([...path, 'else']) !== undefined) {
      chain = this.caseBranch([...path, 'else']);
      if (!chain) return undefined;
    }
    const whole = this.span(path);
    for (let i = parsed.length - 1; i >= 0; i--) {
      const b = parsed[i]!;
      chain = { kind: 'call', name: 'if', nameSpan: b.span, args: chain ? [b.when, b.then, chain] : [b.when, b.then], span: i === 0 ? whole : b.span, form: 'case' };
    }
    return chain;
  }

  /** A `then:` or `else:` of a case: an expression, a constant, or `{ value: <scalar> }`. */
  private caseBranch(path: DataPath): Expr | undefined {
    const v = this.get(path);
    const at = this.span(path);
    if (typeof v === 'string') return this.expr(path);
    if (v === null || typeof v === 'number' || typeof v === 'boolean') return { kind: 'literal', value: v, span: at };
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && 'value' in v) {
      const c = (v as { value: unknown }).value;
      if (c === null || ['string', 'number', 'boolean'].includes(typeof c)) return { kind: 'literal', value: c as string | number | boolean | null, span: at };
    }
    this.diagnostics.push(diag('MAPC0203', at, 'a case branch value must be an expression, a number, true/false, null or { value: <text or number> }', CASE_HINT));
    return undefined;
  }

  valueMap(path: DataPath): { key: Located<string>; value: Value }[] {
    return this.entries(path).map((e) => ({ key: { value: e.key, span: e.keySpan }, value: this.value(e.path) }));
  }
}

// ---------------------------------------------------------------------------------------
// Project

/** Builds the project model from a valid `mapc.yaml`. Expression syntax errors are returned. */
export function buildProject(doc: Document, file: SourceFile, data: unknown): { project: Project; diagnostics: Diagnostic[] } {
  const r = new Reader(doc, file, data);
  const fileStart = span(file, 0, 0);
  const orDefault = <T>(v: Located<T> | undefined, fallback: T): Located<T> => v ?? { value: fallback, span: fileStart };
  const project: Project = {
    file,
    version: 1,
    claimsNamespace: r.optional<string>(['claims_namespace']),
    runtime: orDefault(r.optional<'node22' | 'node18'>(['runtime']), 'node22'),
    defaults: {
      timeoutMs: orDefault(r.duration(['defaults', 'timeout']), PROJECT_DEFAULTS.timeoutMs),
      deadlineMs: orDefault(r.duration(['defaults', 'deadline']), PROJECT_DEFAULTS.deadlineMs),
      retries: orDefault(r.optional<number>(['defaults', 'retries']), PROJECT_DEFAULTS.retries),
      onError: orDefault(r.optional<OnError>(['defaults', 'on_error']), PROJECT_DEFAULTS.onError),
    },
    systems: r.entries(['systems']).map((e) => buildSystem(r, e.key, e.keySpan, e.path)),
    attributes: r.entries(['attributes']).map((e) => buildAttribute(r, e.key, e.keySpan, e.path)),
    externalActions: Array.from({ length: r.length(['external_actions']) }, (_, i): ExternalAction => {
      const p = ['external_actions', i];
      return {
        name: r.located<string>([...p, 'name']),
        trigger: r.located<TriggerId>([...p, 'trigger']),
        position: r.get([...p, 'position']) as 'before' | 'after',
      };
    }),
    ...(r.get(['tests', 'defaults']) !== undefined
      ? {
          testDefaults: {
            data: r.get(['tests', 'defaults']) as ProjectTestDefaults['data'],
            systemSpans: Object.fromEntries(r.entries(['tests', 'defaults', 'systems']).map((e) => [e.key, e.keySpan])),
            ...(r.get(['tests', 'defaults', 'now']) !== undefined ? { nowSpan: r.span(['tests', 'defaults', 'now']) } : {}),
          },
        }
      : {}),
  };
  return { project, diagnostics: r.diagnostics };
}

function buildSystem(r: Reader, name: string, nameSpan: Span, p: DataPath): System {
  const system: System = {
    name: { value: name, span: nameSpan },
    baseUrl: buildBaseUrl(r, [...p, 'base_url']),
    auth: buildAuth(r, [...p, 'auth'], r.span(p)),
    timeoutMs: r.duration([...p, 'timeout']),
    retries: r.optional<number>([...p, 'retries']),
    owner: r.optional<string>([...p, 'owner']),
    span: r.span(p),
  };
  return system;
}

function buildBaseUrl(r: Reader, p: DataPath): BaseUrl {
  const v = r.get(p);
  if (typeof v === 'string') return { kind: 'static', url: r.located<string>(p) };
  const o = v as Record<string, unknown>;
  if ('secret' in o) return { kind: 'secret', secret: r.located<string>([...p, 'secret']) };
  return {
    kind: 'routed',
    by: r.expr([...p, 'by']),
    routes: r.entries([...p, 'routes']).map((e) =>
      typeof r.get(e.path) === 'string'
        ? { key: e.key, url: r.located<string>(e.path) }
        : { key: e.key, url: r.located<string>([...e.path, 'url']), auth: buildAuth(r, [...e.path, 'auth'], r.span(e.path)) },
    ),
    default: r.optional<string>([...p, 'default']),
    span: r.span(p),
  };
}

function buildAuth(r: Reader, p: DataPath, systemSpan: Span): Auth {
  const v = r.get(p);
  // No `auth:` means no authentication, like `auth: none`.
  if (v === undefined) return { kind: 'none', span: systemSpan };
  const at = r.span(p);
  if (v === 'none') return { kind: 'none', span: at };
  const o = v as Record<string, unknown>;
  if ('bearer' in o) return { kind: 'bearer', secret: r.located<string>([...p, 'bearer']), span: at };
  if ('header' in o) {
    return { kind: 'header', header: r.located<string>([...p, 'header']), secret: r.located<string>([...p, 'secret']), span: at };
  }
  if ('oauth2' in o) {
    const q = [...p, 'oauth2'];
    const audience = r.optional<string>([...q, 'audience']);
    const scope = r.optional<string>([...q, 'scope']);
    return {
      kind: 'oauth2',
      tokenUrl: r.located<string>([...q, 'token_url']),
      clientIdSecret: r.located<string>([...q, 'client_id_secret']),
      clientSecretSecret: r.located<string>([...q, 'client_secret_secret']),
      ...(audience ? { audience } : {}),
      ...(scope ? { scope } : {}),
      span: at,
    };
  }
  return {
    kind: 'basic',
    userSecret: r.located<string>([...p, 'basic', 'user_secret']),
    passwordSecret: r.located<string>([...p, 'basic', 'password_secret']),
    span: at,
  };
}

function buildAttribute(r: Reader, target: string, targetSpan: Span, p: DataPath): Attribute {
  return {
    target: { value: target, span: targetSpan },
    owner: r.located<string>([...p, 'owner']),
    type: r.located<AttributeType>([...p, 'type']),
    enum: r.optional<readonly unknown[]>([...p, 'enum']),
    description: r.optionalText([...p, 'description']),
    span: r.span(p),
  };
}

// ---------------------------------------------------------------------------------------
// Spec

/** Builds a spec model from a valid spec document. Expression/template syntax errors are returned. */
export function buildSpec(doc: Document, file: SourceFile, data: unknown): { spec: Spec; diagnostics: Diagnostic[] } {
  const r = new Reader(doc, file, data);
  const spec: Spec = {
    file,
    version: 1,
    name: r.located<string>(['name']),
    owner: r.located<string>(['owner']),
    trigger: r.located<TriggerId>(['trigger']),
    description: r.optionalText(['description']),
    onError: r.optional<OnError>(['on_error']),
    action: r.optional<string>(['action']),
    lookups: r.entries(['lookups']).map(
      (e): Lookup => ({ name: { value: e.key, span: e.keySpan }, ...buildRequest(r, e.path) }),
    ),
    uses: r.entries(['uses']).map((e) => {
      const from = r.located<string>(e.path);
      const dot = from.value.indexOf('.');
      return { name: { value: e.key, span: e.keySpan }, from, spec: from.value.slice(0, dot), lookup: from.value.slice(dot + 1) };
    }),
    fields: Array.from({ length: r.length(['fields']) }, (_, i) => buildField(r, ['fields', i])),
    sends: Array.from({ length: r.length(['sends']) }, (_, i): Send => {
      const p = ['sends', i];
      return {
        ...buildRequest(r, p),
        store: r
          .entries([...p, 'store'])
          .map((e) => ({ target: { value: e.key, span: e.keySpan }, value: r.value(e.path) })),
      };
    }),
    access: Array.from({ length: r.length(['access']) }, (_, i) => buildAccessRule(r, ['access', i])),
    continue: r.get(['continue']) !== undefined ? buildContinue(r, ['continue']) : undefined,
    deadlineMs: r.duration(['deadline']),
  };
  return { spec, diagnostics: r.diagnostics };
}

function buildRequest(r: Reader, p: DataPath): RequestSpec {
  const has = (k: string): boolean => r.get([...p, k]) !== undefined;
  return {
    system: r.located<string>([...p, 'system']),
    method: r.located<HttpMethod>([...p, 'method']),
    path: r.template([...p, 'path']),
    query: r.valueMap([...p, 'query']),
    headers: r.valueMap([...p, 'headers']),
    body: has('body') ? r.value([...p, 'body'], true) : undefined,
    when: has('when') ? r.expr([...p, 'when']) : undefined,
    timeoutMs: r.duration([...p, 'timeout']),
    retries: r.optional<number>([...p, 'retries']),
    idempotencyKey: has('idempotency_key') ? r.template([...p, 'idempotency_key']) : undefined,
    onError: r.optional<OnError>([...p, 'on_error']),
    denyMessage: r.optional<string>([...p, 'deny_message']),
    owner: r.optional<string>([...p, 'owner']),
    description: r.optionalText([...p, 'description']),
    span: r.span(p),
  };
}

function buildField(r: Reader, p: DataPath): Field {
  const has = (k: string): boolean => r.get([...p, k]) !== undefined;
  return {
    to: r.located<string>([...p, 'to']),
    from: r.value([...p, 'from']),
    when: has('when') ? r.expr([...p, 'when']) : undefined,
    transform: Array.from({ length: r.length([...p, 'transform']) }, (_, j) => buildStep(r, [...p, 'transform', j])),
    default: r.optional<unknown>([...p, 'default']),
    clear: r.optional<boolean>([...p, 'clear']),
    owner: r.optional<string>([...p, 'owner']),
    description: r.optionalText([...p, 'description']),
    span: r.span(p),
  };
}

function buildStep(r: Reader, p: DataPath): TransformStep {
  const v = r.get(p);
  const at = r.span(p);
  if (typeof v === 'string') return { name: { value: v, span: at }, args: [], span: at };
  const [entry] = r.entries(p);
  if (!entry) throw new Error('mapc bug: schema let an empty transform step through');
  const name = { value: entry.key, span: entry.keySpan };
  const arg = r.get(entry.path);
  if (arg === null) return { name, args: [], span: at }; // `- trim:` with nothing after it
  if (Array.isArray(arg)) {
    return { name, args: arg.map((_, i) => r.located<unknown>([...entry.path, i])), span: at };
  }
  if (typeof arg === 'object') {
    return {
      name,
      args: [],
      namedArgs: r.entries(entry.path).map((e) => ({ name: { value: e.key, span: e.keySpan }, value: r.located<unknown>(e.path) })),
      span: at,
    };
  }
  return { name, args: [r.located<unknown>(entry.path)], span: at };
}

function buildAccessRule(r: Reader, p: DataPath): AccessRule {
  let action: AccessAction;
  if (r.get([...p, 'deny']) !== undefined) {
    action = { kind: 'deny', message: r.located<string>([...p, 'deny']) };
  } else if (r.get([...p, 'redirect']) !== undefined) {
    const rp = [...p, 'redirect'];
    action = {
      kind: 'redirect',
      url: r.located<string>([...rp, 'url']),
      query: r.valueMap([...rp, 'query']),
      otherwise: buildOtherwise(r, [...rp, 'otherwise']),
      token: r.get([...rp, 'token']) !== undefined ? buildToken(r, [...rp, 'token']) : undefined,
    };
  } else if (r.get([...p, 'validation_error']) !== undefined) {
    const vp = [...p, 'validation_error'];
    action = { kind: 'validation_error', code: r.located<string>([...vp, 'code']), message: r.located<string>([...vp, 'message']), span: r.span(vp) };
  } else {
    const mp = [...p, 'mfa'];
    action =
      typeof r.get(mp) === 'string'
        ? { kind: 'mfa', provider: r.located<string>(mp) }
        : {
            kind: 'mfa',
            provider: r.located<string>([...mp, 'provider']),
            allowRememberBrowser: r.optional<boolean>([...mp, 'allow_remember_browser']),
          };
  }
  return {
    when: r.expr([...p, 'when']),
    action,
    owner: r.optional<string>([...p, 'owner']),
    description: r.optionalText([...p, 'description']),
    span: r.span(p),
  };
}

function buildOtherwise(r: Reader, p: DataPath): RedirectOtherwise {
  const v = r.get(p);
  if (v === undefined) return { kind: 'deny' };
  if (v === 'continue') return { kind: 'continue', span: r.span(p) };
  if (v === 'deny') return { kind: 'deny', span: r.span(p) };
  return { kind: 'deny', message: r.located<string>([...p, 'deny']), span: r.span(p) };
}

function buildToken(r: Reader, p: DataPath): RedirectToken {
  return {
    secret: r.located<string>([...p, 'secret']),
    expiresInMs: r.duration([...p, 'expires_in']),
    payload: r.valueMap([...p, 'payload']),
    parameter: r.optional<string>([...p, 'parameter']),
    span: r.span(p),
  };
}

function buildContinue(r: Reader, p: DataPath): ContinueBlock {
  return {
    parameter: r.optional<string>([...p, 'parameter']),
    deny: r.optional<string>([...p, 'deny']),
    fields: Array.from({ length: r.length([...p, 'fields']) }, (_, i) => buildField(r, [...p, 'fields', i])),
    access: Array.from({ length: r.length([...p, 'access']) }, (_, i) => buildAccessRule(r, [...p, 'access', i])),
    span: r.entries(p.slice(0, -1)).find((e) => e.key === p[p.length - 1])?.keySpan ?? r.span(p),
  };
}
