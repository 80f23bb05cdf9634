/**
 * Generated blocks of the docs. A Markdown file keeps its prose by hand and marks the parts
 * that come from the compiler's own registries:
 *
 *   <!-- generated:functions -->
 *   ...rendered from runtime/signatures.ts...
 *   <!-- /generated:functions -->
 *
 * `regenerate(text)` re-renders every marked block; the docs tests fail when the committed
 * file differs from its regeneration (refresh with `node scripts/gen-docs.js`, which runs those
 * tests with UPDATE_GOLDEN=1). So a key, a function, an event field or a cookbook file cannot
 * change without the docs changing with it.
 *
 * Blocks: `project-keys`, `spec-keys`, `test-keys` (the JSON Schemas, with an example of each
 * key taken from a real file that builds), `grammar` (the parser's own grammar comment),
 * `functions` (SIGNATURES), `triggers` (TRIGGERS), `events:<trigger>` (the event model),
 * `limits` (LIMITS), `include:<repo path>` (a file's text, fenced).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { projectSchema, specSchema, testSchema, type JsonSchema } from '../../compiler/parse/schema/index';
import { eventRoots, USER_EDITABLE_PATHS } from '../../compiler/triggers';
import type { Type } from '../../compiler/expr/types';
import { LIMITS, TRIGGERS, TRIGGER_IDS, type TriggerId } from '../../compiler/triggers';
import { SIGNATURES, type Signature } from '../../runtime/signatures';

export const REPO = path.resolve(__dirname, '..', '..');

const BLOCK = /<!-- generated:([^\s>]+) -->\n[\s\S]*?<!-- \/generated:\1 -->/g;

/** The names of the generated blocks of a Markdown text, in order. */
export function blockNames(text: string): string[] {
  return [...text.matchAll(BLOCK)].map((m) => m[1]!);
}

/** `text` with every generated block rendered afresh. Throws on a block name it does not know (a typo in the docs). */
export function regenerate(text: string, repo = REPO): string {
  return text.replace(BLOCK, (_all, name: string) => {
    const body = renderBlock(name, repo);
    return `<!-- generated:${name} -->\n${body.endsWith('\n') ? body : body + '\n'}<!-- /generated:${name} -->`;
  });
}

/** Renders one block by name. */
export function renderBlock(name: string, repo = REPO): string {
  if (name === 'project-keys') return keyTable(projectSchema, examplesOf('project', repo));
  if (name === 'spec-keys') return keyTable(specSchema, examplesOf('spec', repo));
  if (name === 'test-keys') return keyTable(testSchema, examplesOf('test', repo));
  if (name === 'grammar') return grammar(repo);
  if (name === 'functions') return functionTable();
  if (name === 'triggers') return triggerTable();
  if (name === 'limits') return limitsTable();
  if (name.startsWith('events:')) {
    const t = name.slice('events:'.length);
    if (!(TRIGGER_IDS as readonly string[]).includes(t)) throw new Error(`unknown trigger in block ${name}`);
    return eventTable(t as TriggerId);
  }
  if (name.startsWith('include:')) return include(name.slice('include:'.length), repo);
  throw new Error(`unknown generated block '${name}'`);
}

// ---------------------------------------------------------------------------------------
// Markdown helpers

/** A table cell: pipes escaped, line breaks folded. */
function cell(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim();
}

function code(s: string): string {
  return s === '' ? '' : '`' + s + '`';
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const out = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) out.push(`| ${r.map(cell).join(' | ')} |`);
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------
// Schemas → key tables

type S = Record<string, unknown>;

/** Placeholder for the keys of a map, by the map's own key. */
const PLACEHOLDER: Readonly<Record<string, string>> = {
  systems: '<system>',
  attributes: '<attribute>',
  lookups: '<lookup>',
  routes: '<route>',
  store: '<target>',
  query: '<name>',
  headers: '<name>',
  event: '<field>',
  app_metadata: '<key>',
  user_metadata: '<key>',
  id_token: '<claim>',
  access_token: '<claim>',
  secrets: '<SECRET>',
};

/** A value position (compiler/parse/schema/common.ts `value()`): documented once, not per branch. */
function isValuePosition(s: S): boolean {
  return Array.isArray(s['oneOf']) && String(s['x-expected'] ?? '').includes('{ value: ... }');
}

function typeText(s: S): string {
  if (isValuePosition(s)) return 'value: expression, { value }, { template }, { case }, number or boolean';
  if ('const' in s) return JSON.stringify(s['const']);
  if (Array.isArray(s['enum']) && s['type'] === 'string') return (s['enum'] as string[]).join(' | ');
  if (typeof s['x-expected'] === 'string') return s['x-expected'];
  const t = s['type'];
  if (t === 'array') {
    const items = (s['items'] ?? {}) as S;
    return `list of ${items['type'] === 'object' || items['properties'] ? 'maps' : typeText(items)}`;
  }
  if (t === 'object') return 'map';
  if (typeof t === 'string') {
    const words = s['patternErrorMessage'];
    return typeof words === 'string' ? `${t}: ${words}` : t;
  }
  if (Array.isArray(t)) return t.join(' or ');
  return 'any';
}

/** The default a description states (`(default 2s)`, `defaults to the system's`). */
function defaultText(s: S): string {
  const d = String(s['description'] ?? '');
  const m = /\(default ([^)]+)\)/.exec(d) ?? /defaults? to ([^;.]+(?:\.[a-z_]+)*)/i.exec(d);
  return m ? m[1]!.trim() : '';
}

interface KeyRow {
  readonly path: string;
  readonly schema: S;
  readonly required: boolean;
}

/** The child schema of `s` for data key `key`, and the path segment it is documented under. */
function child(s: S, key: string, parentKey: string): { schema: S; segment: string } | undefined {
  const props = s['properties'] as Record<string, S> | undefined;
  if (props && Object.prototype.hasOwnProperty.call(props, key)) return { schema: props[key]!, segment: key };
  for (const b of (s['oneOf'] as S[] | undefined) ?? []) {
    const bp = b['properties'] as Record<string, S> | undefined;
    if (bp && Object.prototype.hasOwnProperty.call(bp, key)) return { schema: bp[key]!, segment: key };
  }
  const extra = s['additionalProperties'];
  if (extra && typeof extra === 'object') return { schema: extra as S, segment: PLACEHOLDER[parentKey] ?? '<name>' };
  if (s['type'] === 'object' && !props) return { schema: {}, segment: PLACEHOLDER[parentKey] ?? '<name>' };
  return undefined;
}

function keyRows(s: S, prefix: string, parentKey: string, out: KeyRow[]): void {
  const visit = (props: Record<string, S>, required: readonly string[]) => {
    for (const [k, v] of Object.entries(props)) {
      const p = prefix ? `${prefix}.${k}` : k;
      out.push({ path: p, schema: v, required: required.includes(k) });
      descend(v, p, k);
    }
  };
  const descend = (v: S, p: string, k: string) => {
    if (isValuePosition(v)) return;
    if (v['type'] === 'array' && v['items'] && typeof v['items'] === 'object') keyRows(v['items'] as S, `${p}[]`, k, out);
    else keyRows(v, p, k, out);
  };
  const props = s['properties'] as Record<string, S> | undefined;
  if (props) visit(props, (s['required'] as string[] | undefined) ?? []);
  for (const b of (s['oneOf'] as S[] | undefined) ?? []) {
    const bp = b['properties'] as Record<string, S> | undefined;
    if (bp) visit(bp, (b['required'] as string[] | undefined) ?? []);
  }
  const extra = s['additionalProperties'];
  if (extra && typeof extra === 'object' && !isValuePosition(extra as S)) {
    const seg = PLACEHOLDER[parentKey] ?? '<name>';
    const p = prefix ? `${prefix}.${seg}` : seg;
    const e = extra as S;
    if (e['properties'] || e['oneOf'] || e['additionalProperties'] || e['type'] === 'array') {
      out.push({ path: p, schema: e, required: false });
      descend(e, p, seg);
    }
  }
}

function keyTable(schema: JsonSchema, examples: ReadonlyMap<string, unknown>): string {
  const rows: KeyRow[] = [];
  keyRows(schema as S, '', '', rows);
  return table(
    ['key', 'type', 'required', 'default', 'example', 'what it is'],
    rows.map((r) => [
      code(r.path),
      typeText(r.schema),
      r.required ? 'yes' : '',
      code(defaultText(r.schema)),
      examples.has(r.path) ? code(flow(examples.get(r.path))) : '',
      String(r.schema['description'] ?? ''),
    ]),
  );
}

// ---------------------------------------------------------------------------------------
// Examples from real files

/** Every YAML file of the sample organisation and the cookbook, sample first, sorted. */
export function exampleFiles(repo = REPO): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.name.endsWith('.yaml')) out.push(abs);
    }
  };
  walk(path.join(repo, 'mappings'));
  walk(path.join(repo, 'examples', 'cookbook'));
  return out;
}

function kindOf(file: string): 'project' | 'spec' | 'test' {
  const b = path.basename(file);
  return b === 'mapc.yaml' ? 'project' : b.endsWith('.test.yaml') ? 'test' : 'spec';
}

/** Documented key path → the first value written for it in a real file of that kind. */
function examplesOf(kind: 'project' | 'spec' | 'test', repo: string): Map<string, unknown> {
  const schema = { project: projectSchema, spec: specSchema, test: testSchema }[kind] as S;
  const out = new Map<string, unknown>();
  const walk = (data: unknown, s: S, prefix: string, parentKey: string) => {
    if (Array.isArray(data)) {
      const items = (s['items'] ?? {}) as S;
      for (const d of data) walk(d, items, `${prefix}[]`, parentKey);
      return;
    }
    if (data === null || typeof data !== 'object' || isValuePosition(s)) return;
    for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
      const c = child(s, k, parentKey);
      if (!c) continue;
      const p = prefix ? `${prefix}.${c.segment}` : c.segment;
      if (!out.has(p)) out.set(p, c.segment.startsWith('<') ? { [k]: v } : v);
      walk(v, c.schema, p, c.segment.startsWith('<') ? c.segment : k);
    }
  };
  for (const f of exampleFiles(repo)) {
    if (kindOf(f) !== kind) continue;
    walk(parseYaml(fs.readFileSync(f, 'utf8')), schema, '', '');
  }
  return out;
}

/** A value as compact YAML flow text, cut at 70 characters. */
export function flow(v: unknown): string {
  const s = flowText(v);
  return s.length > 70 ? s.slice(0, 69) + '…' : s;
}

function flowText(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(flowText).join(', ')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${flowText(x)}`);
    return `{ ${entries.join(', ')} }`;
  }
  if (typeof v === 'string') {
    // Plain when YAML would read it back as the same string, else double-quoted.
    const plain = /^[^\s{}[\],&*#?|<>=!%@`'"-][^{}[\],#]*$/.test(v) && !/:\s/.test(v) && typeof parseYaml(v) === 'string' && !v.endsWith(' ');
    return plain ? v : JSON.stringify(v);
  }
  return String(v);
}

// ---------------------------------------------------------------------------------------
// The expression grammar, from the parser's own doc comment

function grammar(repo: string): string {
  const src = fs.readFileSync(path.join(repo, 'compiler', 'expr', 'parser.ts'), 'utf8');
  const lines = src.split('\n');
  const start = lines.findIndex((l) => /^ \*\s+or\s+:=/.test(l));
  if (start < 0) throw new Error('grammar comment not found in compiler/expr/parser.ts');
  const body: string[] = [];
  for (let i = start; i < lines.length && lines[i]!.trim() !== '*'; i++) body.push(lines[i]!.replace(/^ \* {0,3}/, ''));
  return '```\n' + body.join('\n') + '\n```\n';
}

// ---------------------------------------------------------------------------------------
// Functions

/** `name(a: string, b?: integer, ...rest: any)`. */
export function signatureText(name: string, s: Signature): string {
  const params = s.params.map((p) => `${p.name}${p.optional ? '?' : ''}: ${p.type}${p.literal ? ' (literal)' : ''}`);
  if (s.variadic) params.push(`...more: ${s.variadic}`);
  return `${name}(${params.join(', ')})`;
}

const RESULT_WORDS: Readonly<Record<string, string>> = {
  arg0: 'same as the first argument',
  element0: 'element of the array',
  common: 'common type of the arguments',
  branches: 'common type of then and else',
  identity: 'identity (entry of user.identities)',
};

function exprLiteral(v: unknown): string {
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return JSON.stringify(v);
}

function functionTable(): string {
  const names = Object.keys(SIGNATURES).sort();
  return `${names.length} functions, by name:\n\n` + table(
    ['function', 'returns', 'null rule', 'what it does', 'examples'],
    names.map((n) => {
      const s = SIGNATURES[n]!;
      const ex = s.examples.map((e) => `${code(e.call)} → ${code(exprLiteral(e.result))}`).join('<br>');
      const doc = s.impure ? `${s.doc} Reads the clock.` : s.doc;
      return [code(signatureText(n, s)), RESULT_WORDS[s.returns] ?? s.returns, s.nullRule, doc, ex];
    }),
  );
}

// ---------------------------------------------------------------------------------------
// Triggers

const yes = (b: boolean) => (b ? 'yes' : '—');

function triggerTable(): string {
  return table(
    ['trigger', 'handler', 'blocks the flow', 'app_metadata / user_metadata', 'id_token', 'access_token', 'deny (access rule, on_error: deny)', 'redirect', 'mfa'],
    TRIGGER_IDS.map((id) => {
      const t = TRIGGERS[id];
      const deny =
        t.deny === 'reason'
          ? 'yes: `api.access.deny(message)`'
          : t.deny === 'reason-user-message'
            ? 'yes: `api.access.deny(message, message)`'
            : t.deny === 'code-reason'
              ? "yes: `api.access.deny('invalid_request', message)`"
              : '—';
      return [code(id), `${code(t.handler)} (${t.version})`, yes(t.blocking), yes(t.metadataWrites), yes(t.idTokenClaims), yes(t.accessTokenClaims), deny, yes(t.redirect), yes(t.mfa)];
    }),
  );
}

function limitsTable(): string {
  const rows: [string, string, string][] = [
    ['whole flow (Auth0 stops the trigger)', `${LIMITS.flowMs / 1000} s`, 'every deadline stays below it, and the deadlines of one trigger\'s Actions add up to less'],
    ['secrets per Action', String(LIMITS.secretsPerAction), 'every secret a system of the Action uses, and redirect token secrets'],
    ['size of one generated Action', `${LIMITS.actionBytes / 1024} kB`, 'code.js, runtime included'],
    ['Actions per trigger', String(LIMITS.actionsPerTrigger), 'mapc-<trigger>, `action:` Actions and `external_actions`'],
    ['characters per log line', String(LIMITS.logLineChars), 'Auth0 truncates longer lines; the runtime keeps them shorter'],
  ];
  return table(['limit', 'value', 'applies to'], rows);
}

// ---------------------------------------------------------------------------------------
// Event models

function typeName(t: Type): string {
  switch (t.kind) {
    case 'array':
      return `list of ${typeName(t.of)}`;
    case 'object':
      return t.rest && Object.keys(t.fields).length === 0 ? `map of ${typeName(t.rest)}` : 'object';
    default:
      return t.kind;
  }
}

function eventRows(t: Type, prefix: string, editable: readonly string[], out: string[][]): void {
  const isEditable = (p: string) => editable.some((e) => p === e || p.startsWith(e + '.') || p.startsWith(e + '['));
  const row = (p: string, ty: Type) => out.push([code(p), typeName(ty), isEditable(p) ? 'user-editable' : '']);
  if (t.kind === 'array') {
    if (t.of.kind === 'object' && Object.keys(t.of.fields).length > 0) eventRows(t.of, `${prefix}[]`, editable, out);
    return;
  }
  if (t.kind !== 'object') return;
  for (const [k, v] of Object.entries(t.fields)) {
    const p = prefix ? `${prefix}.${k}` : k;
    row(p, v);
    eventRows(v, p, editable, out);
  }
  if (t.rest && Object.keys(t.fields).length > 0) row(`${prefix}.*`, t.rest);
}

function eventTable(trigger: TriggerId): string {
  const rows: string[][] = [];
  const roots = eventRoots(trigger);
  for (const [root, t] of Object.entries(roots)) {
    rows.push([code(root), typeName(t), USER_EDITABLE_PATHS[trigger].includes(root) ? 'user-editable' : '']);
    eventRows(t, root, USER_EDITABLE_PATHS[trigger], rows);
  }
  return table(['field', 'type', 'trust'], rows);
}

// ---------------------------------------------------------------------------------------
// Includes

function include(rel: string, repo: string): string {
  const abs = path.resolve(repo, rel);
  if (path.relative(repo, abs).startsWith('..')) throw new Error(`include outside the repository: ${rel}`);
  const text = fs.readFileSync(abs, 'utf8');
  const lang = rel.endsWith('.yaml') ? 'yaml' : rel.endsWith('.js') ? 'js' : '';
  return '```' + lang + '\n' + (text.endsWith('\n') ? text : text + '\n') + '```\n';
}
