/** Shared helpers of the parse tests. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic';
import { lineCol } from '../../compiler/source';
import { validateFile, type FileKind } from '../../compiler/parse/validate';
import { parseYamlText } from '../../compiler/parse/yaml-file';

/** `CODE line:col` of a diagnostic, for compact exact assertions. */
export function at(d: Diagnostic): string {
  if (!d.span) return `${d.code} -`;
  const { line, column } = lineCol(d.span.file, d.span.start);
  return `${d.code} ${line}:${column}`;
}

/** Parses `text` as a file of `kind` and validates it; YAML and schema diagnostics together. */
export function check(kind: FileKind, text: string, file = 'mappings/x.yaml'): Diagnostic[] {
  const yf = parseYamlText(text, file);
  if (yf.data === undefined || yf.doc === null) return yf.diagnostics;
  return [...yf.diagnostics, ...validateFile(kind, { file: yf.file, doc: yf.doc, data: yf.data })];
}

/** Writes `files` (path → content) into a fresh temporary folder and returns it. */
export function tempDir(files: Record<string, string | Uint8Array>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-parse-'));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return dir;
}

export const MINIMAL_PROJECT = 'version: 1\n';

export function minimalSpec(name: string, extra = ''): string {
  return `version: 1\nname: ${name}\nowner: team-a\ntrigger: post-login\n${extra}`;
}
