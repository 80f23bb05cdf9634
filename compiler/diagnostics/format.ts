/**
 * Printing diagnostics: text for people (with code frames and hints) and JSON for tools.
 * Both sort (by file, offset, code) and cap at MAX_DIAGNOSTICS, so output is deterministic.
 */
import { compare } from '../order';
import { lineCol, type SourceFile, type Span } from '../source';
import { MAX_DIAGNOSTICS, type Diagnostic } from './diagnostic';


/**
 * A sorted copy: diagnostics without a location first, then by file path, start offset,
 * code and message (the last keys make the order total, hence deterministic).
 */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort(
    (a, b) =>
      compare(a.span ? 1 : 0, b.span ? 1 : 0) ||
      compare(a.span?.file.path ?? '', b.span?.file.path ?? '') ||
      compare(a.span?.start ?? 0, b.span?.start ?? 0) ||
      compare(a.code, b.code) ||
      compare(a.message, b.message),
  );
}

/** The first MAX_DIAGNOSTICS of the sorted diagnostics, and how many were left out. */
export function capDiagnostics(diags: readonly Diagnostic[]): { shown: Diagnostic[]; hidden: number } {
  const sorted = sortDiagnostics(diags);
  return { shown: sorted.slice(0, MAX_DIAGNOSTICS), hidden: Math.max(0, sorted.length - MAX_DIAGNOSTICS) };
}

export interface TextOptions {
  /** ANSI colours (only on a terminal that wants them). */
  readonly color: boolean;
  /** Code frames under each diagnostic. */
  readonly frames: boolean;
}

const ANSI = {
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  cyan: '\u001b[36m',
  blue: '\u001b[34m',
  reset: '\u001b[0m',
} as const;

/** `path:line:col` of a span's start. */
function location(s: Span): string {
  const { line, column } = lineCol(s.file, s.start);
  return `${s.file.path}:${line}:${column}`;
}

/** The text of a 1-based line, without its line break. */
function lineText(file: SourceFile, line: number): string {
  const start = file.lineStarts[line - 1] ?? file.text.length;
  const next = file.lineStarts[line];
  let end = next === undefined ? file.text.length : next - 1;
  if (end > start && file.text.charCodeAt(end - 1) === 13) end--; // CRLF
  return file.text.slice(start, Math.max(start, end));
}

/**
 * The source line of a span with a caret line under it. Only the first line of a multi-line
 * span is underlined. Tabs before the span are kept so the carets line up.
 */
function frame(s: Span, paint: (code: keyof typeof ANSI, text: string) => string, severityColor: keyof typeof ANSI): string[] {
  const { line, column } = lineCol(s.file, s.start);
  const text = lineText(s.file, line);
  if (s.file.text === '') return [];
  const endOnLine = Math.min(s.end, (s.file.lineStarts[line - 1] ?? 0) + text.length);
  const width = Math.max(1, endOnLine - s.start);
  const gutter = String(line);
  const pad = ' '.repeat(gutter.length);
  const lead = text.slice(0, column - 1).replace(/[^\t]/g, ' ');
  return [
    `${paint('blue', ` ${gutter} |`)} ${text}`,
    `${paint('blue', ` ${pad} |`)} ${lead}${paint(severityColor, '^'.repeat(width))}`,
  ];
}

/**
 * Renders diagnostics for a terminal: `path:line:col: error MAPC0301: message`, then (with
 * `frames`) the source line with carets, `hint: ...` and related locations; at most
 * MAX_DIAGNOSTICS, then "N more not shown", then a summary (`2 errors, 1 warning`).
 * Returns '' for no diagnostics; the result has no trailing newline.
 */
export function formatText(diags: readonly Diagnostic[], opts: TextOptions): string {
  if (diags.length === 0) return '';
  const paint = (code: keyof typeof ANSI, text: string): string =>
    opts.color ? `${ANSI[code]}${text}${ANSI.reset}` : text;
  const { shown, hidden } = capDiagnostics(diags);
  const out: string[] = [];
  for (const d of shown) {
    const color = d.severity === 'error' ? 'red' : 'yellow';
    const where = d.span ? `${paint('bold', location(d.span))}: ` : '';
    out.push(`${where}${paint(color, `${d.severity} ${d.code}`)}: ${d.message}`);
    if (opts.frames && d.span) out.push(...frame(d.span, paint, color));
    if (d.hint) out.push(`  ${paint('cyan', 'hint')}: ${d.hint}`);
    for (const r of d.related ?? []) {
      out.push(`  ${paint('bold', location(r.span))}: note: ${r.message}`);
      if (opts.frames) out.push(...frame(r.span, paint, 'cyan').map((l) => `  ${l}`));
    }
    if (opts.frames) out.push('');
  }
  if (hidden > 0) out.push(`${hidden} more not shown`);
  out.push(summary(diags));
  return out.join('\n');
}

/** `2 errors, 1 warning` (counts every diagnostic, shown or not). */
export function summary(diags: readonly Diagnostic[]): string {
  const errors = diags.filter((d) => d.severity === 'error').length;
  const warnings = diags.length - errors;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (errors > 0 || warnings === 0) parts.push(plural(errors, 'error'));
  if (warnings > 0) parts.push(plural(warnings, 'warning'));
  return parts.join(', ');
}

/** One location in JSON output: 1-based lines and columns, end exclusive. */
export interface JsonLocation {
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly endLine: number | null;
  readonly endColumn: number | null;
}

export interface JsonDiagnostic extends JsonLocation {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
  readonly hint: string | null;
  readonly related: readonly (JsonLocation & { readonly message: string })[];
}

function jsonLocation(s: Span | undefined): JsonLocation {
  if (!s) return { file: null, line: null, column: null, endLine: null, endColumn: null };
  const a = lineCol(s.file, s.start);
  const b = lineCol(s.file, s.end);
  return { file: s.file.path, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}

/** Diagnostics as plain objects with a fixed key order (sorted, capped at MAX_DIAGNOSTICS). */
export function toJsonDiagnostics(diags: readonly Diagnostic[]): JsonDiagnostic[] {
  return capDiagnostics(diags).shown.map((d) => ({
    ...jsonLocation(d.span),
    severity: d.severity,
    code: d.code,
    message: d.message,
    hint: d.hint ?? null,
    related: (d.related ?? []).map((r) => ({ ...jsonLocation(r.span), message: r.message })),
  }));
}

/**
 * A stable JSON array of `{ file, line, column, endLine, endColumn, severity, code, message,
 * hint, related }` (absent values are null). Sorted and capped like the text output.
 */
export function formatJson(diags: readonly Diagnostic[]): string {
  return JSON.stringify(toJsonDiagnostics(diags), null, 2);
}
