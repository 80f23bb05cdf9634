/**
 * Reading one YAML file safely: size cap, strict UTF-8, BOM stripping, one document only,
 * duplicate keys, alias bombs and unresolved aliases all become located diagnostics.
 */
import * as fs from 'node:fs';
import { isAlias, isCollection, isMap, isScalar, parseDocument, visit, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { sourceFile, span, type SourceFile } from '../source';
import { keyString, nodeSpan } from './nodes';

/** Files larger than this are refused before they are read (1 MiB). */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Alias expansions allowed when converting a document to data (yaml's own guard). */
export const MAX_ALIAS_COUNT = 100;

/** One YAML file after loading. `data` is set only when the file has no errors. */
export interface YamlFile {
  readonly file: SourceFile;
  /** The parsed document (kept to map data paths to nodes), or null when unreadable. */
  readonly doc: Document.Parsed | null;
  /** The document as plain data; `undefined` when the file has errors. */
  readonly data: unknown;
  readonly diagnostics: Diagnostic[];
}

function fileDiagnostic(code: string, file: SourceFile, message: string, hint?: string, offset = 0): Diagnostic {
  const d: Diagnostic = { code, severity: 'error', message, span: span(file, offset, offset) };
  return hint === undefined ? d : { ...d, hint };
}

/**
 * Loads `absPath`, shown to the user as `displayPath`. Never throws: unreadable, too large,
 * non-UTF-8 and malformed files come back with diagnostics and `data: undefined`.
 */
export function loadYamlFile(absPath: string, displayPath: string): YamlFile {
  const empty = sourceFile(displayPath, '');
  let bytes: Buffer;
  try {
    const size = fs.statSync(absPath).size;
    if (size > MAX_FILE_BYTES) {
      return {
        file: empty,
        doc: null,
        data: undefined,
        diagnostics: [
          fileDiagnostic(
            'MAPC0102',
            empty,
            `file is too large (${size} bytes; the limit is ${MAX_FILE_BYTES} bytes, 1 MB)`,
            'split it into several specs',
          ),
        ],
      };
    }
    bytes = fs.readFileSync(absPath);
  } catch (e) {
    return { file: empty, doc: null, data: undefined, diagnostics: [unreadable(empty, e)] };
  }
  const decoded = decodeUtf8(bytes, displayPath);
  if (decoded.diagnostic) return { file: decoded.file, doc: null, data: undefined, diagnostics: [decoded.diagnostic] };
  return parseYamlText(decoded.file.text, displayPath);
}

/** A diagnostic for a file or folder that cannot be read (permissions, broken link, ...). */
export function unreadable(file: SourceFile, e: unknown): Diagnostic {
  const reason = (e as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
  return fileDiagnostic('MAPC0112', file, `cannot read this file (${reason})`, 'check that it exists and is readable');
}

/**
 * Decodes strict UTF-8. On failure the diagnostic points at the first bad byte; the file's
 * text is then the lossy decoding, so the code frame still shows the line.
 */
export function decodeUtf8(bytes: Uint8Array, displayPath: string): { file: SourceFile; diagnostic?: Diagnostic } {
  try {
    let text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // A BOM is legal but not content: drop it so offsets and the first key are clean.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { file: sourceFile(displayPath, text) };
  } catch {
    // Binary search for the longest prefix that decodes (an incomplete sequence at the
    // end of a prefix is buffered by `stream`, not an error), to point at the bad byte.
    let lo = 0;
    let hi = bytes.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (decodesAsPrefix(bytes.subarray(0, mid))) lo = mid;
      else hi = mid - 1;
    }
    // The longest prefix may end inside the sequence that turned out bad: back up to its lead byte.
    for (let k = lo - 1; k >= Math.max(0, lo - 3); k--) {
      const b = bytes[k]!;
      if ((b & 0xc0) === 0x80) continue;
      if (b >= 0xc0 && lo - k < (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2)) lo = k;
      break;
    }
    let prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, lo));
    let text = new TextDecoder('utf-8').decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) {
      text = text.slice(1);
      prefix = prefix.slice(1);
    }
    const file = sourceFile(displayPath, text);
    const bad = bytes[lo] ?? 0;
    return {
      file,
      diagnostic: fileDiagnostic(
        'MAPC0103',
        file,
        `file is not valid UTF-8 (byte 0x${bad.toString(16).padStart(2, '0')} at byte offset ${lo})`,
        'save the file as UTF-8',
        prefix.length,
      ),
    };
  }
}

function decodesAsPrefix(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses decoded text (BOM already removed) as exactly one YAML document. CRLF line ends and
 * tabs inside values are fine; tabs used as indentation are a syntax error, as in YAML.
 */
export function parseYamlText(text: string, displayPath: string): YamlFile {
  const file = sourceFile(displayPath, text);
  const diagnostics: Diagnostic[] = [];
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true });

  const reported = new Set<number>();
  for (const err of doc.errors) {
    // One error per place: yaml may report the same broken spot twice in its own words.
    if (reported.has(err.pos[0])) continue;
    reported.add(err.pos[0]);
    const at = span(file, err.pos[0], err.pos[1]);
    switch (err.code) {
      case 'DUPLICATE_KEY':
        diagnostics.push(duplicateKey(doc, file, err.pos[0]));
        break;
      case 'MULTIPLE_DOCS':
        diagnostics.push({
          code: 'MAPC0108',
          severity: 'error',
          message: 'a file may hold only one YAML document; a second one starts here',
          hint: 'remove the --- line, or move the second document to a file of its own',
          span: span(file, err.pos[0], err.pos[0] + 3),
        });
        break;
      default:
        diagnostics.push({
          code: 'MAPC0105',
          severity: 'error',
          message: `YAML syntax error: ${syntaxMessage(err.message)}`,
          hint: syntaxHint(err.code),
          span: at,
        });
    }
  }
  for (const w of doc.warnings) {
    diagnostics.push({
      code: 'MAPC0111',
      severity: 'warning',
      message: `YAML warning: ${syntaxMessage(w.message)}`,
      hint: w.code === 'TAG_RESOLVE_FAILED' ? 'remove the tag: mapc files use plain YAML values' : undefined,
      span: span(file, w.pos[0], w.pos[1]),
    } as Diagnostic);
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { file, doc, data: undefined, diagnostics };

  // Keys that are lists or maps would be stringified by `toJS` (with a process warning).
  let complexKey = false;
  visit(doc, {
    Pair(_, pair) {
      if (isCollection(pair.key) || isAlias(pair.key)) {
        complexKey = true;
        diagnostics.push({
          code: 'MAPC0110',
          severity: 'error',
          message: 'a map key must be plain text, not a list, map or alias',
          hint: 'write the key as text',
          span: nodeSpan(file, pair.key as Node),
        });
      }
    },
  });
  if (complexKey) return { file, doc, data: undefined, diagnostics };

  try {
    const data: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return { file, doc, data, diagnostics };
  } catch (e) {
    diagnostics.push(aliasDiagnostic(doc, file, e));
    return { file, doc, data: undefined, diagnostics };
  }
}

function syntaxMessage(message: string): string {
  // yaml's messages are plain sentences; drop a trailing period and lower the first letter
  // so they read as the continuation of "YAML syntax error:".
  const m = message.replace(/\.$/, '');
  return m.charAt(0).toLowerCase() + m.slice(1);
}

function syntaxHint(code: string): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation and the closing brackets and quotes near here';
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'check for a missing ":" or a misplaced line near here';
    default:
      return 'check the YAML near here';
  }
}

function duplicateKey(doc: Document.Parsed, file: SourceFile, offset: number): Diagnostic {
  let name = '';
  let first: Node | null = null;
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return;
      const dup = map.items.find((p) => isScalar(p.key) && p.key.range?.[0] === offset);
      if (!dup) return;
      name = keyString(dup.key);
      first = (map.items.find((p) => p !== dup && keyString(p.key) === name)?.key as Node | undefined) ?? null;
      return visit.BREAK;
    },
  });
  const at = span(file, offset, offset + Math.max(name.length, 1));
  const d: Diagnostic = {
    code: 'MAPC0106',
    severity: 'error',
    message: name === '' ? 'duplicate key in this map' : `duplicate key '${name}' in this map`,
    hint: 'YAML keeps only one of them: remove or rename one',
    span: at,
  };
  return first ? { ...d, related: [{ message: 'first written here', span: nodeSpan(file, first) }] } : d;
}

function aliasDiagnostic(doc: Document.Parsed, file: SourceFile, e: unknown): Diagnostic {
  const message = e instanceof Error ? e.message : '';
  let firstAlias: Node | null = null;
  let unresolved: Node | null = null;
  visit(doc, {
    Alias(_, alias) {
      firstAlias ??= alias;
      if (!unresolved && alias.resolve(doc) === undefined) unresolved = alias;
    },
  });
  if (/unresolved alias/i.test(message) || unresolved) {
    const node = (unresolved ?? firstAlias) as Node | null;
    const name = node && isAlias(node) ? node.source : '';
    return {
      code: 'MAPC0109',
      severity: 'error',
      message: `alias '*${name}' has no anchor '&${name}' before it`,
      hint: 'define the anchor (&name) before using it, or write the value out',
      span: nodeSpan(file, node),
    };
  }
  return {
    code: 'MAPC0107',
    severity: 'error',
    message: `aliases expand too many times (more than ${MAX_ALIAS_COUNT}); refusing a possible alias bomb`,
    hint: 'write the repeated values out instead of nesting aliases',
    span: nodeSpan(file, firstAlias),
  };
}
