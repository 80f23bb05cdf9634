/**
 * Schema validation with ajv, and the translation of every ajv error into a located
 * diagnostic in the user's words: no JSON Pointers and no ajv wording ever reach the user.
 */
import type { ErrorObject } from 'ajv';
import type { Document } from 'yaml';
import type { Diagnostic } from '../diagnostics';
import { span, type SourceFile, type Span } from '../source';
import { nodeAt, nodeSpan, pointerToPath } from './nodes';
import { projectSchema, specSchema, testSchema, type JsonSchema } from './schema';
import { suggest } from '../suggest';
import { diag } from '../diagnostics';
// ajv's standalone code for the three schemas (compiler/parse/standalone.ts): no schema is
// compiled at start-up.
import * as generated from './validators.generated';

/** Which schema a file is validated against. */
export type FileKind = 'project' | 'spec' | 'test';

const SCHEMAS: Record<FileKind, JsonSchema> = { project: projectSchema, spec: specSchema, test: testSchema };

/** An ajv validation function: true when valid, else `errors` says why. */
interface ValidateFunction {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const VALIDATORS = generated as unknown as Record<FileKind, ValidateFunction>;

function validator(kind: FileKind): ValidateFunction {
  return VALIDATORS[kind];
}

/** What a located file offers to the translator. */
export interface ValidationInput {
  readonly file: SourceFile;
  readonly doc: Document;
  readonly data: unknown;
}

/** The translator's input: the file, and the schema it is validated against. */
interface Input extends ValidationInput {
  readonly root: JsonSchema;
}

/**
 * Validates `input.data` against the schema of `kind`. Returns one diagnostic per problem
 * (never one per ajv error: `oneOf` noise is collapsed to the branch that fits best).
 */
export function validateFile(kind: FileKind, input: ValidationInput): Diagnostic[] {
  const v = validator(kind);
  if (v(input.data)) return [];
  const out = explain(v.errors ?? [], { ...input, root: SCHEMAS[kind] });
  // Identical messages at the same place come from parallel branches: keep one.
  const seen = new Set<string>();
  return out.filter((d) => {
    const k = `${d.code}|${d.span?.start}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function isPrefixPath(prefix: string, path: string): boolean {
  return prefix === '' || path === prefix || path.startsWith(prefix + '/');
}

function inside(e: ErrorObject, c: ErrorObject): boolean {
  return e !== c && e.schemaPath.startsWith(c.schemaPath + '/') && isPrefixPath(c.instancePath, e.instancePath);
}

function explain(errors: readonly ErrorObject[], input: Input): Diagnostic[] {
  const combinators = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const outer = combinators.filter((c) => !combinators.some((o) => inside(c, o)));
  const consumed = new Set<ErrorObject>();
  const out: Diagnostic[] = [];
  for (const c of outer) {
    consumed.add(c);
    const byBranch = new Map<number, ErrorObject[]>();
    for (const e of errors) {
      if (!inside(e, c)) continue;
      consumed.add(e);
      const i = Number.parseInt(e.schemaPath.slice(c.schemaPath.length + 1), 10);
      const list = byBranch.get(i) ?? [];
      list.push(e);
      byBranch.set(i, list);
    }
    out.push(...explainCombinator(c, byBranch, input));
  }
  const typos = requiredTypos(errors.filter((e) => !consumed.has(e)));
  for (const e of errors) {
    if (consumed.has(e) || typos.dropped.has(e)) continue;
    const missing = typos.renames.get(e);
    out.push(...(missing === undefined ? explainOne(e, input) : [misspeltRequired(e, missing, input)]));
  }
  return out;
}

/**
 * Unknown keys that are a misspelling of a missing required key of the same map (`form:`
 * where `from:` is required): one mistake, so the "missing key" error is dropped and the
 * "unknown key" one says both. `renames`: unknown-key error → the missing key it stands for.
 */
function requiredTypos(errors: readonly ErrorObject[]): { renames: Map<ErrorObject, string>; dropped: Set<ErrorObject> } {
  const renames = new Map<ErrorObject, string>();
  const dropped = new Set<ErrorObject>();
  for (const r of errors) {
    if (r.keyword !== 'required') continue;
    const missing = String((r.params as Record<string, unknown>)['missingProperty']);
    const typo = errors.find(
      (e) =>
        e.keyword === 'additionalProperties' &&
        e.instancePath === r.instancePath &&
        !renames.has(e) &&
        suggest(String((e.params as Record<string, unknown>)['additionalProperty']), allowedKeys(e)) === missing,
    );
    if (typo === undefined) continue;
    renames.set(typo, missing);
    dropped.add(r);
  }
  return { renames, dropped };
}

function allowedKeys(e: ErrorObject): string[] {
  return Object.keys((schemaOf(e)['properties'] as Record<string, unknown> | undefined) ?? {});
}

function misspeltRequired(e: ErrorObject, missing: string, input: ValidationInput): Diagnostic {
  const path = pointerToPath(e.instancePath);
  const key = String((e.params as Record<string, unknown>)['additionalProperty']);
  return diag(
    'MAPC0201',
    keySpan(input, [...path, key]),
    `unknown key '${key}' ${where(path, input.data)}, and the required key '${missing}' is missing`,
    `did you mean '${missing}'?`,
  );
}

// ---------------------------------------------------------------------------------------
// Words

function dataType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a map (key: value)',
  array: 'a list',
  null: 'nothing',
};

function foundWords(v: unknown): string {
  switch (dataType(v)) {
    case 'null':
      return 'nothing';
    case 'array':
      return 'a list';
    case 'object':
      return 'a map';
    case 'string':
      return `text '${String(v)}'`;
    default:
      return String(v);
  }
}

/** A scalar as the user wrote it, quoted when text. */
function show(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'object') return Array.isArray(v) ? 'a list' : 'a map';
  return String(v);
}

function typeWords(t: unknown): string {
  const types = Array.isArray(t) ? (t as string[]) : [String(t)];
  return orList(types.map((x) => TYPE_WORDS[x] ?? x));
}

/** `1 item`, `2 items`. */
function count(n: unknown, noun: string): string {
  return `${String(n)} ${noun}${n === 1 ? '' : 's'}`;
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function quoteList(items: readonly unknown[]): string {
  return items.map((x) => (typeof x === 'string' ? `'${x}'` : String(x))).join(', ');
}

function schemaOf(e: ErrorObject): JsonSchema {
  return (e.parentSchema ?? {}) as JsonSchema;
}

function expectedOf(s: JsonSchema): string | undefined {
  const x = s['x-expected'];
  return typeof x === 'string' ? x : undefined;
}

/** `transform #2.replace`: keys joined with dots, list items counted from 1. */
function innerPath(steps: readonly string[]): string {
  return steps.map((s, i) => (/^[0-9]+$/.test(s) ? `#${Number(s) + 1}` : i > 0 ? `.${s}` : s)).join('').replace(/([^.])#/g, '$1 #');
}

/** "in system 'crm'", "in field 2 ('app_metadata.tier')": where a path is, in the file's words. */
function where(path: readonly string[], data: unknown): string {
  if (path.length === 0) return 'at the top level';
  const [top, second, ...rest] = path;
  const get = (p: readonly string[]): unknown =>
    p.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), data);
  let entity: string;
  const n = Number(second) + 1;
  switch (top) {
    case 'systems':
      entity = second === undefined ? 'systems' : `system '${second}'`;
      break;
    case 'attributes':
      entity = second === undefined ? 'attributes' : `attribute '${second}'`;
      break;
    case 'lookups':
      entity = second === undefined ? 'lookups' : `lookup '${second}'`;
      break;
    case 'fields': {
      const to = get(['fields', second ?? '', 'to']);
      entity = second === undefined ? 'fields' : `field ${n}${typeof to === 'string' ? ` (${to})` : ''}`;
      break;
    }
    case 'sends':
      entity = second === undefined ? 'sends' : `send ${n}`;
      break;
    case 'access':
      entity = second === undefined ? 'access' : `access rule ${n}`;
      break;
    case 'external_actions':
      entity = second === undefined ? 'external_actions' : `external action ${n}`;
      break;
    case 'cases': {
      const name = get(['cases', second ?? '', 'name']);
      entity = second === undefined ? 'cases' : `case ${typeof name === 'string' ? `'${name}'` : n}`;
      break;
    }
    default:
      return `in '${innerPath(path)}'`;
  }
  const inner = second === undefined ? [] : rest;
  return inner.length === 0 ? `in ${entity}` : `in '${innerPath(inner)}' of ${entity}`;
}

/** A schema description as the end of a sentence: "The Auth0 trigger." → "the Auth0 trigger". */
function asClause(description: string): string {
  const d = description.replace(/\.$/, '');
  // Lower a capital only when it starts an ordinary word ("The", not "Auth0" or "URL").
  return /^[A-Z][a-z]/.test(d) ? d.charAt(0).toLowerCase() + d.slice(1) : d;
}

/** The usual cause of a list where a map belongs (or the reverse): the `- ` item markers. */
function listOrMapHint(expected: unknown, found: unknown): string | undefined {
  const types = Array.isArray(expected) ? (expected as unknown[]) : [expected];
  const kind = dataType(found);
  if (types.includes('array') && kind === 'object') return "write each item on its own line, starting with '- '";
  if (types.includes('object') && kind === 'array') return "write key: value lines here, without '- ' in front";
  return undefined;
}

/**
 * Whether the key an error is about is required by its map (schemaPath
 * `#/properties/fields/items/properties/to/minLength` → is `to` required by `fields` items?).
 */
function isRequiredKey(root: JsonSchema, schemaPath: string): boolean {
  const segs = schemaPath.replace(/^#\/?/, '').split('/').map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (segs.length < 3 || segs[segs.length - 3] !== 'properties') return false;
  let parent: unknown = root;
  for (const seg of segs.slice(0, -3)) parent = parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>)[seg] : undefined;
  const required = parent !== null && typeof parent === 'object' ? (parent as JsonSchema)['required'] : undefined;
  return Array.isArray(required) && required.includes(segs[segs.length - 2]);
}

// ---------------------------------------------------------------------------------------
// Locations

function valueSpan(input: ValidationInput, path: readonly string[]): Span {
  return nodeSpan(input.file, nodeAt(input.doc, path).node);
}

function keySpan(input: ValidationInput, path: readonly string[]): Span {
  const loc = nodeAt(input.doc, path);
  return nodeSpan(input.file, loc.key ?? loc.node);
}

/** The key naming a map (`crm:`), else the map itself: where "missing key" points. */
function ownerSpan(input: ValidationInput, path: readonly string[]): Span {
  if (path.length === 0) {
    const node = nodeAt(input.doc, path).node;
    return node?.range ? span(input.file, node.range[0], node.range[0]) : span(input.file, 0, 0);
  }
  return keySpan(input, path);
}


// ---------------------------------------------------------------------------------------
// One error

function explainOne(e: ErrorObject, input: Input): Diagnostic[] {
  const path = pointerToPath(e.instancePath);
  const s = schemaOf(e);
  const here = where(path, input.data);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const allowed = allowedKeys(e);
      const guess = suggest(key, allowed);
      const hint = guess
        ? `did you mean '${guess}'?`
        : allowed.length > 0
          ? `allowed keys here: ${allowed.join(', ')}`
          : undefined;
      return [diag('MAPC0201', keySpan(input, [...path, key]), `unknown key '${key}' ${here}`, hint)];
    }
    case 'required': {
      const key = String(params['missingProperty']);
      const prop = ((s['properties'] as Record<string, JsonSchema> | undefined) ?? {})[key];
      const description = typeof prop?.['description'] === 'string' ? ` (${asClause(prop['description'])})` : '';
      return [diag('MAPC0202', ownerSpan(input, path), `missing required key '${key}' ${here}`, `add '${key}:'${description}`)];
    }
    case 'type': {
      const expected = expectedOf(s) ?? typeWords(params['type']);
      if (path.length === 0 && (e.data === null || e.data === undefined)) {
        return [diag('MAPC0203', span(input.file, 0, 0), 'the file is empty: expected a map of keys', 'start with version: 1')];
      }
      return [diag('MAPC0203', valueSpan(input, path), `expected ${expected} ${here}, found ${foundWords(e.data)}`, listOrMapHint(params['type'], e.data))];
    }
    case 'const': {
      const allowed = params['allowedValue'];
      return [
        diag('MAPC0204', valueSpan(input, path), `expected ${quoteList([allowed])} ${here}, found ${foundWords(e.data)}`),
      ];
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]) ?? [];
      const guess =
        typeof e.data === 'string' ? suggest(e.data, allowed.filter((x): x is string => typeof x === 'string')) : undefined;
      return [
        diag(
          'MAPC0204',
          valueSpan(input, path),
          `${show(e.data)} is not allowed ${here}; expected one of: ${quoteList(allowed)}`,
          guess ? `did you mean '${guess}'?` : undefined,
        ),
      ];
    }
    case 'pattern': {
      const words = typeof s['patternErrorMessage'] === 'string' ? s['patternErrorMessage'] : 'a different form';
      if (e.propertyName !== undefined) {
        return [
          diag('MAPC0205', keySpan(input, [...path, e.propertyName]), `'${e.propertyName}' is not a valid key ${here}: expected ${words}`),
        ];
      }
      return [diag('MAPC0205', valueSpan(input, path), `'${String(e.data)}' is not valid ${here}: expected ${words}`)];
    }
    case 'propertyNames':
      // The inner error (with `propertyName`) already says what is wrong with the key.
      return [];
    case 'minimum':
    case 'exclusiveMinimum':
      return [diag('MAPC0206', valueSpan(input, path), `${String(e.data)} is too small ${here}: the minimum is ${String(params['limit'])}`)];
    case 'maximum':
    case 'exclusiveMaximum':
      return [diag('MAPC0206', valueSpan(input, path), `${String(e.data)} is too large ${here}: the maximum is ${String(params['limit'])}`)];
    case 'minLength':
      return [diag('MAPC0207', valueSpan(input, path), `empty text ${here}`, isRequiredKey(input.root, e.schemaPath) ? 'write a value: this key is required' : 'write a value, or remove the key')];
    case 'maxLength':
      return [diag('MAPC0207', valueSpan(input, path), `text too long ${here}: at most ${String(params['limit'])} characters`)];
    case 'minItems':
      return [diag('MAPC0207', valueSpan(input, path), `the list ${here} needs at least ${count(params['limit'], 'item')}`)];
    case 'maxItems':
      return [diag('MAPC0207', valueSpan(input, path), `the list ${here} allows at most ${count(params['limit'], 'item')}`)];
    case 'minProperties':
      return [diag('MAPC0207', valueSpan(input, path), `the map ${here} needs at least ${count(params['limit'], 'key')}`)];
    case 'maxProperties':
      return [
        diag(
          'MAPC0207',
          valueSpan(input, path),
          `the map ${here} allows at most ${count(params['limit'], 'key')}`,
          expectedOf(s) ? `expected ${expectedOf(s)}` : undefined,
        ),
      ];
    case 'uniqueItems': {
      // ajv names the two equal items (indices i and j); point at the later one.
      const { i, j } = params as { i: number; j: number };
      const items = Array.isArray(e.data) ? (e.data as unknown[]) : [];
      const [first, second] = [Math.min(i, j), Math.max(i, j)];
      const item = items[second];
      if (item === undefined) return [diag('MAPC0209', valueSpan(input, path), `the list ${here} has the same item twice`)];
      const what = item !== null && typeof item === 'object' ? 'the same item' : show(item);
      return [
        {
          ...diag('MAPC0209', valueSpan(input, [...path, String(second)]), `${what} is listed twice ${here}`, 'remove one of them'),
          related: [{ message: 'first listed here', span: valueSpan(input, [...path, String(first)]) }],
        },
      ];
    }
    default:
      return [diag('MAPC0209', valueSpan(input, path), `value not valid ${here}`, expectedOf(s) ? `expected ${expectedOf(s)}` : undefined)];
  }
}

// ---------------------------------------------------------------------------------------
// oneOf / anyOf

function acceptsType(branch: JsonSchema, v: unknown): boolean {
  const t = branch['type'];
  if (t === undefined) return true;
  const types = Array.isArray(t) ? (t as string[]) : [String(t)];
  const dt = dataType(v);
  return types.includes(dt) || (dt === 'integer' && types.includes('number'));
}

function requiredOnly(branch: JsonSchema): string | undefined {
  const keys = Object.keys(branch);
  const req = branch['required'];
  return keys.length === 1 && Array.isArray(req) && req.length === 1 ? String(req[0]) : undefined;
}

function explainCombinator(
  c: ErrorObject,
  byBranch: ReadonlyMap<number, ErrorObject[]>,
  input: Input,
): Diagnostic[] {
  const path = pointerToPath(c.instancePath);
  const branches = (Array.isArray(c.schema) ? c.schema : []) as JsonSchema[];
  const parent = schemaOf(c);
  const here = where(path, input.data);
  const requiredKeys = branches.map(requiredOnly);
  const allRequired = requiredKeys.every((k) => k !== undefined);

  // More than one branch matched (oneOf): only possible for "one of these keys" rules.
  const passing = (c.params as { passingSchemas?: number[] | null }).passingSchemas;
  if (Array.isArray(passing)) {
    if (allRequired) {
      const present = passing.map((i) => requiredKeys[i]!);
      const second = present[1] ?? present[0]!;
      return [
        diag(
          'MAPC0208',
          keySpan(input, [...path, second]),
          `only one of ${quoteList(present)} may be given ${here}`,
          `keep one of ${quoteList(present)}`,
        ),
      ];
    }
    return [diag('MAPC0209', valueSpan(input, path), `ambiguous value ${here}`, expectedOf(parent) ? `expected ${expectedOf(parent)}` : undefined)];
  }

  if (allRequired) {
    return [
      diag(
        'MAPC0202',
        ownerSpan(input, path),
        `missing one of ${quoteList(requiredKeys)} ${here}`,
        `add one of ${quoteList(requiredKeys)}`,
      ),
    ];
  }

  const candidates = branches.map((_, i) => i).filter((i) => acceptsType(branches[i]!, c.data));
  if (candidates.length === 0) {
    const expected =
      expectedOf(parent) ?? orList(branches.map((b) => expectedOf(b) ?? typeWords(b['type'] ?? 'value')));
    return [diag('MAPC0203', valueSpan(input, path), `expected ${expected} ${here}, found ${foundWords(c.data)}`)];
  }

  // Pick the branch the user most likely meant: the most keys it knows, then fewest errors.
  const dataKeys = c.data !== null && typeof c.data === 'object' && !Array.isArray(c.data) ? Object.keys(c.data) : [];
  const known = (i: number): number => {
    const props = (branches[i]!['properties'] as Record<string, unknown> | undefined) ?? {};
    return dataKeys.filter((k) => k in props).length;
  };
  const score = (i: number): number => known(i) * 1000 - (byBranch.get(i)?.length ?? 0);
  let best = candidates[0]!;
  for (const i of candidates) if (score(i) > score(best)) best = i;
  const errs = byBranch.get(best) ?? [];
  if (errs.length === 0) {
    return [diag('MAPC0209', valueSpan(input, path), `value not valid ${here}`, expectedOf(parent) ? `expected ${expectedOf(parent)}` : undefined)];
  }
  // An object that shares no key with any branch: say what the forms are rather than
  // listing the missing keys of an arbitrary branch.
  if (dataKeys.length > 0 && known(best) === 0 && branches[best]!['properties'] !== undefined && expectedOf(parent)) {
    const allKeys = branches.flatMap((b) => Object.keys((b['properties'] as Record<string, unknown> | undefined) ?? {}));
    const guesses = dataKeys.map((k) => [k, suggest(k, allKeys)] as const).filter(([, g]) => g !== undefined);
    const hint =
      guesses.length > 0
        ? guesses.map(([k, g]) => `'${k}': did you mean '${g}'?`).join('; ')
        : `found the key${dataKeys.length === 1 ? '' : 's'} ${quoteList(dataKeys)}`;
    return [diag('MAPC0203', valueSpan(input, path), `expected ${expectedOf(parent)} ${here}`, hint)];
  }
  // A scalar that is none of the allowed words (`auth: bearer`): name every form, not just
  // the one word of the branch that happened to accept text.
  if (errs.every((e) => e.instancePath === c.instancePath && (e.keyword === 'const' || e.keyword === 'enum')) && expectedOf(parent)) {
    const words = errs.flatMap((e) => {
      const p = e.params as { allowedValue?: unknown; allowedValues?: unknown[] };
      return p.allowedValues ?? [p.allowedValue];
    });
    const guess = typeof c.data === 'string' ? suggest(c.data, words.filter((w): w is string => typeof w === 'string')) : undefined;
    return [
      diag(
        'MAPC0204',
        valueSpan(input, path),
        `${show(c.data)} is not allowed ${here}; expected ${expectedOf(parent)}`,
        guess ? `did you mean '${guess}'?` : undefined,
      ),
    ];
  }
  return explain(errs, input);
}
