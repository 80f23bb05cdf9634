/** Test helpers: expressions placed inside a small fake YAML file so spans have real line:col. */
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic';
import type { Signature } from '../../runtime/signatures';
import { lineCol, sourceFile, type SourceFile, type Span } from '../../compiler/source';
import { parseExpr, plainOrigin } from '../../compiler/expr/parser';
import { parseTemplate } from '../../compiler/expr/template';
import type { Expr, Template } from '../../compiler/expr/ast';
import type { FunctionRegistry } from '../../compiler/expr/functions';

/** The expression text starts at line 2, column 11 of the fake file. */
export const PREFIX = 'version: 1\n  - from: ';

export function fileWith(src: string): SourceFile {
  return sourceFile('mappings/test.yaml', `${PREFIX}${src}\n`);
}

export function parse(src: string): { expr: Expr; diagnostics: Diagnostic[]; file: SourceFile } {
  const file = fileWith(src);
  return { ...parseExpr(src, plainOrigin(file, PREFIX.length)), file };
}

export function tpl(src: string, fns: FunctionRegistry = FAKE_FUNCTIONS): { template: Template; diagnostics: Diagnostic[]; file: SourceFile } {
  const file = fileWith(src);
  return { ...parseTemplate(src, plainOrigin(file, PREFIX.length), fns), file };
}

/** `line:column` of a span start. */
export function at(s: Span | undefined): string {
  if (!s) return 'none';
  const { line, column } = lineCol(s.file, s.start);
  return `${line}:${column}`;
}

/** The text a span covers. */
export function text(s: Span): string {
  return s.file.text.slice(s.start, s.end);
}

/** `CODE@line:col` of each diagnostic. */
export function codes(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => `${d.code}@${at(d.span)}`);
}

const sig = (params: Signature['params'], returns: Signature['returns'], variadic?: Signature['variadic']): Signature => ({
  params,
  returns,
  ...(variadic ? { variadic } : {}),
  nullRule: 'null in → null out',
  doc: 'test',
  examples: [],
});

/** A small stand-in for runtime/signatures SIGNATURES, so these tests do not move with the library. */
export const FAKE_FUNCTIONS: FunctionRegistry = {
  lower: sig([{ name: 'text', type: 'string' }], 'string'),
  upper: sig([{ name: 'text', type: 'string' }], 'string'),
  trim: sig([{ name: 'text', type: 'string' }], 'string'),
  exists: sig([{ name: 'value', type: 'any' }], 'boolean'),
  now: sig([], 'string'),
  hours_since: sig([{ name: 'date', type: 'scalar' }], 'number'),
  substring: sig([{ name: 'text', type: 'string' }, { name: 'start', type: 'integer' }, { name: 'end', type: 'integer', optional: true }], 'string'),
  matches: sig([{ name: 'text', type: 'string' }, { name: 'pattern', type: 'regex', literal: true }], 'boolean'),
  coalesce: sig([{ name: 'value', type: 'any' }], 'common', 'any'),
  if: sig([{ name: 'condition', type: 'boolean' }, { name: 'then', type: 'any' }, { name: 'else', type: 'any', optional: true }], 'branches'),
  identity: { ...sig([{ name: 'provider', type: 'string' }], 'identity'), readsEvent: ['user', 'identities'] },
  first: sig([{ name: 'array', type: 'array' }], 'element0'),
  split: sig([{ name: 'text', type: 'string' }, { name: 'separator', type: 'string' }], 'array<string>'),
  to_number: sig([{ name: 'value', type: 'scalar' }], 'number'),
  map: sig([{ name: 'value', type: 'scalar' }, { name: 'table', type: 'object', literal: true }, { name: 'default', type: 'any', optional: true, literal: true }], 'any'),
};
