/**
 * Small helpers shared by the expression parser, template parser and checker: building
 * diagnostics of this area (severity comes from the code table, so it cannot disagree with
 * the docs) and "did you mean" hints.
 */
import { suggest } from '../suggest';
import { diag, type Diagnostic } from '../diagnostics';
import type { ExprCode } from '../diagnostics';
import { lineCol, type Span } from '../source';

/** A diagnostic of the expr area; severity is the code's documented one. */
export function exprDiag(code: ExprCode, span: Span, message: string, hint?: string): Diagnostic {
  return diag(code, span, message, hint || undefined);
}

/** `line:column` of a span's start, for messages that point at a second place ("to close '(' at 1:5"). */
export function where(s: Span): string {
  const { line, column } = lineCol(s.file, s.start);
  return `${line}:${column}`;
}

/** "did you mean 'x'?" or undefined. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const n = suggest(name, candidates);
  return n === undefined ? undefined : `did you mean '${n}'?`;
}

/** Where users read about the library functions (SPEC is not shipped to them). */
export const FUNCTION_LIBRARY_DOCS = 'see the function library in docs/language.md';

/**
 * Names other languages and template engines give to a library function (lower-case, without
 * `_`): a name that is no typo of any function ("titlecase") still gets a useful suggestion.
 */
const FUNCTION_SYNONYMS: Readonly<Record<string, string>> = {
  titlecase: 'capitalize',
  title: 'capitalize',
  ucfirst: 'capitalize',
  capitalise: 'capitalize',
  lowercase: 'lower',
  tolower: 'lower',
  downcase: 'lower',
  lcase: 'lower',
  uppercase: 'upper',
  toupper: 'upper',
  upcase: 'upper',
  ucase: 'upper',
  strip: 'trim',
  len: 'length',
  size: 'length',
  count: 'length',
  substr: 'substring',
  slice: 'substring',
  str: 'to_string',
  string: 'to_string',
  int: 'to_int',
  integer: 'to_int',
  parseint: 'to_int',
  float: 'to_number',
  number: 'to_number',
  parsefloat: 'to_number',
  bool: 'to_boolean',
  boolean: 'to_boolean',
  regex: 'matches',
  regexp: 'matches',
  match: 'matches',
  gsub: 'regex_replace',
  ifnull: 'default',
  nvl: 'default',
  uniq: 'unique',
  distinct: 'unique',
  includes: 'contains',
  isoformat: 'to_iso_date',
  date: 'to_iso_date',
  domain: 'email_domain',
  locale: 'normalize_locale',
  defined: 'exists',
  blank: 'empty',
};

/**
 * The hint for an unknown function (or transform step, or template helper): a library
 * function spelt like it, else one that other languages call by that name (with what it
 * does), else where the library is documented.
 */
export function functionHint(name: string, functions: Readonly<Record<string, { readonly doc: string }>>): string {
  const typo = didYouMean(name, Object.keys(functions));
  if (typo !== undefined) return typo;
  const synonym = FUNCTION_SYNONYMS[name.toLowerCase().replace(/_/g, '')];
  if (synonym !== undefined && Object.prototype.hasOwnProperty.call(functions, synonym)) {
    const doc = functions[synonym]!.doc.replace(/\.$/, '');
    return `did you mean '${synonym}'? (${doc.charAt(0).toLowerCase()}${doc.slice(1)})`;
  }
  return FUNCTION_LIBRARY_DOCS;
}
