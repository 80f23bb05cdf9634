/**
 * Reading one YAML file safely: size cap, strict UTF-8, BOM stripping, one document only,
 * duplicate keys, alias bombs and unresolved aliases all become located diagnostics.
 */
import * as fs from 'node:fs';
import { isAlias, isCollection, isMap, isScalar, parseDocument, visit, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../diagnostics';
import { sourceFile, span, type SourceFile, type Span } from '../source';
import { keyString, nodeSpan } from './nodes';
import { diag, type Code } from '../diagnostics';

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

function fileDiagnostic(code: Code, file: SourceFile, message: string, hint?: string, offset = 0): Diagnostic {
  return diag(code, span(file, offset, offset), message, hint);
}

/**
 * Loads `absPath`, shown to the user as `displayPath`. Never throws: unreadable, too large,
 * non-UTF-8 and malformed files come back with diagnostics and `data: undefined`. Only a
 * regular file is read: a named pipe, socket or device is refused (MAPC0112) from its `stat`,
 * without being opened — opening a named pipe waits for a writer for ever. The file is then
 * opened non-blocking and checked again, so one swapped in meanwhile is refused too.
 */
export function loadYamlFile(absPath: string, displayPath: string): YamlFile {
  const empty = sourceFile(displayPath, '');
  const refused = (d: Diagnostic): YamlFile => ({ file: empty, doc: null, data: undefined, diagnostics: [d] });
  /** The diagnostic when `st` is not a regular file of at most MAX_FILE_BYTES, else undefined. */
  const problem = (st: fs.Stats): Diagnostic | undefined => {
    // A folder keeps the message it always had.
    if (st.isDirectory()) return unreadable(empty, Object.assign(new Error('is a folder'), { code: 'EISDIR' }));
    if (!st.isFile()) {
      const kind = st.isFIFO() ? 'a named pipe' : st.isSocket() ? 'a socket' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : 'not a file';
      return fileDiagnostic('MAPC0112', empty, `cannot read this file: it is not a regular file (${kind})`, 'mapc reads only regular files: replace it with a regular .yaml file, or remove it');
    }
    if (st.size > MAX_FILE_BYTES) {
      return fileDiagnostic('MAPC0102', empty, `file is too large (${st.size} bytes; the limit is ${MAX_FILE_BYTES} bytes, 1 MB)`, 'split it into several specs');
    }
    return undefined;
  };
  let bytes: Buffer;
  try {
    const before = problem(fs.statSync(absPath));
    if (before) return refused(before);
    const fd = fs.openSync(absPath, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    try {
      const opened = problem(fs.fstatSync(fd));
      if (opened) return refused(opened);
      bytes = fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    return refused(unreadable(empty, e));
  }
  const decoded = decodeUtf8(bytes, displayPath);
  if (decoded.diagnostic) return { file: decoded.file, doc: null, data: undefined, diagnostics: [decoded.diagnostic] };
  return parseYamlText(decoded.file.text, displayPath);
}

/**
 * A diagnostic for a file or folder that cannot be read (permissions, broken link, ...), in
 * words, with the system's error code in parentheses. `link`: the path is a symbolic link.
 */
export function unreadable(file: SourceFile, e: unknown, link = false): Diagnostic {
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
  if (code === 'ENOENT' && link) {
    return fileDiagnostic('MAPC0112', file, `cannot read this file: it is a symbolic link to a file that does not exist (${code})`, 'fix the link, or remove it');
  }
  const why: Record<string, string> = {
    ENOENT: 'it does not exist',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a folder',
    ELOOP: 'symbolic links point at each other in a loop',
  };
  const reason = why[code];
  return fileDiagnostic('MAPC0112', file, reason ? `cannot read this file: ${reason} (${code})` : `cannot read this file (${code})`, 'check that it exists and is readable');
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
        diagnostics.push(diag('MAPC0108', span(file, err.pos[0], err.pos[0] + 3), 'a file may hold only one YAML document; a second one starts here', 'remove the --- line, or move the second document to a file of its own'));
        break;
      default: {
        const d: Diagnostic = unclosedDiagnostic(file, err.code, err.message, err.pos[0]) ?? diag('MAPC0105', atContent(file, at), `YAML syntax error: ${syntaxMessage(err.message)}`, syntaxHint(err.code));
        // Two errors about the same unclosed bracket (`{x: [1}`) are one mistake.
        if (!diagnostics.some((o) => o.span?.start === d.span?.start && o.message === d.message)) diagnostics.push(d);
      }
    }
  }
  for (const w of doc.warnings) {
    diagnostics.push(diag('MAPC0111', span(file, w.pos[0], w.pos[1]), `YAML warning: ${syntaxMessage(w.message)}`, w.code === 'TAG_RESOLVE_FAILED' ? 'remove the tag: mapc files use plain YAML values' : undefined));
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { file, doc, data: undefined, diagnostics };

  // One walk of the document for two refusals: keys that are lists or maps (`toJS` would
  // stringify them, with a process warning), and YAML 1.1 tags that make values JSON has no
  // form for (bytes, dates, sets, ordered maps), refused where they are written instead of
  // failing later in the schema or the emitter. A tag starts with `!`: text without one has none.
  let refused = false;
  const tags = text.includes('!');
  visit(doc, {
    Pair(_, pair) {
      if (isCollection(pair.key) || isAlias(pair.key)) {
        refused = true;
        diagnostics.push(diag('MAPC0110', nodeSpan(file, pair.key as Node), 'a map key must be plain text, not a list, map or alias', 'write the key as text'));
      }
    },
    Node(_, node) {
      if (!tags) return;
      const tag = (node as { tag?: string }).tag;
      if (tag === undefined || !FOREIGN_TAGS.has(tag.replace(/^tag:yaml\.org,2002:/, '!!'))) return;
      refused = true;
      const shown = tag.replace(/^tag:yaml\.org,2002:/, '!!');
      // The span covers the tag: the node's range starts at its value, the tag is just before it.
      const at = nodeSpan(file, node as Node);
      const before = /(![^\s,[\]{}]*)[ \t]+$/.exec(file.text.slice(Math.max(0, at.start - 200), at.start));
      const start = before ? at.start - before[0].length : at.start;
      diagnostics.push(
        diag(
          'MAPC0114',
          span(file, start, Math.max(at.end, start)),
          `the tag ${shown} makes a value that is not text, a number, true/false, null, a list or a map`,
          shown === '!!timestamp' ? "remove the tag: write the date as text ('2001-12-14')" : 'remove the tag and write the value as text, a list or a map',
        ),
      );
    },
  });
  if (refused) return { file, doc, data: undefined, diagnostics };

  try {
    const data: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return { file, doc, data, diagnostics };
  } catch (e) {
    diagnostics.push(aliasDiagnostic(doc, file, e));
    return { file, doc, data: undefined, diagnostics };
  }
}

/** Tags of the YAML type repository whose values are not JSON data. */
const FOREIGN_TAGS: ReadonlySet<string> = new Set(['!!binary', '!!timestamp', '!!set', '!!omap', '!!pairs']);

/**
 * An error yaml places past the last line or on a blank line (typically "end of file while
 * something is open") shows an empty code frame: move it back to the end of the last line
 * with content.
 */
function atContent(file: SourceFile, at: Span): Span {
  const before = file.text.slice(0, at.start);
  const rest = file.text.slice(at.start, file.text.indexOf('\n', at.start) < 0 ? undefined : file.text.indexOf('\n', at.start));
  if (rest.trim() !== '') return at;
  const end = before.trimEnd().length;
  return end === 0 ? at : span(file, end - 1, end);
}

/** What is still open at a point of a YAML text: flow brackets and a quoted scalar, with offsets. */
interface OpenThings {
  readonly brackets: readonly { readonly char: '[' | '{'; readonly offset: number }[];
  readonly quote?: { readonly char: "'" | '"'; readonly offset: number };
}

/**
 * Scans `text` up to `end` for flow collections (`[`, `{`) and quoted scalars left open. A
 * bracket or quote opens something only where a value can start (after `:`, `-`, `?`, `,`,
 * an opening bracket or at the start of a line), so `user.identities[0]` in a plain value and
 * `it's` in text are not mistaken for openings; comments are skipped.
 */
function openAt(text: string, end: number): OpenThings {
  const brackets: { char: '[' | '{'; offset: number }[] = [];
  let i = 0;
  // The last significant character on the line before i ('' at the start of a line).
  let prev = '';
  while (i < end) {
    const c = text[i]!;
    if (c === '\n') {
      prev = '';
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    const atValueStart = prev === '' || prev === ':' || prev === '-' || prev === '?' || prev === ',' || prev === '[' || prev === '{';
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < end && text[i] !== '\n') i++;
      continue;
    }
    if ((c === '"' || c === "'") && atValueStart) {
      const open = i;
      i++;
      for (;;) {
        if (i >= end) return { brackets, quote: { char: c, offset: open } };
        if (c === '"' && text[i] === '\\') i += 2;
        else if (c === "'" && text[i] === "'" && text[i + 1] === "'") i += 2;
        else if (text[i] === c) break;
        else i++;
      }
      i++;
      prev = c;
      continue;
    }
    if ((c === '[' || c === '{') && (atValueStart || brackets.length > 0)) brackets.push({ char: c, offset: i });
    else if ((c === ']' || c === '}') && brackets.length > 0) brackets.pop();
    prev = c;
    i++;
  }
  return { brackets };
}

/**
 * For a syntax error caused by a flow collection or quoted text never closed, a diagnostic
 * at the opening character that says what is unclosed; undefined for any other error.
 */
function unclosedDiagnostic(file: SourceFile, code: string, message: string, errorOffset: number): Diagnostic | undefined {
  const unclosedFlow = code === 'BAD_INDENT' && /^Flow (sequence|map) in block collection must be sufficiently indented and end with/.test(message);
  const unclosedQuote = code === 'MISSING_CHAR' && /^Missing closing/.test(message);
  if (!unclosedFlow && !unclosedQuote) return undefined;
  const open = openAt(file.text, Math.min(errorOffset, file.text.length));
  if (open.quote && unclosedQuote) {
    const q = open.quote;
    return diag('MAPC0105', span(file, q.offset, q.offset + 1), `YAML syntax error: the text opened with ${q.char === '"' ? "'\"'" : `"'"`} here is never closed`, `add the closing ${q.char} at the end of the text`);
  }
  const outer = open.brackets[0];
  // Closed further down (after lines indented too little): yaml's own words fit better.
  if (!outer || !unclosedFlow || !openAt(file.text, file.text.length).brackets.some((b) => b.offset === outer.offset)) return undefined;
  const closers = open.brackets
    .map((b) => (b.char === '[' ? ']' : '}'))
    .reverse()
    .join('');
  const what = outer.char === '[' ? 'list' : 'map';
  return diag(
    'MAPC0105',
    span(file, outer.offset, outer.offset + 1),
    `YAML syntax error: the ${what} opened with '${outer.char}' here is never closed`,
    open.brackets.length === 1
      ? `add '${closers}' where the ${what} ends, or write it as indented lines`
      : `add '${closers}' where the ${what} ends: ${open.brackets.length === 2 ? 'a bracket inside it is' : `${open.brackets.length - 1} brackets inside it are`} not closed either`,
  );
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
  const d: Diagnostic = diag('MAPC0106', at, name === '' ? 'duplicate key in this map' : `duplicate key '${name}' in this map`, 'YAML keeps only one of them: remove or rename one');
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
    return diag('MAPC0109', nodeSpan(file, node), `alias '*${name}' has no anchor '&${name}' before it`, 'define the anchor (&name) before using it, or write the value out');
  }
  return diag('MAPC0107', nodeSpan(file, firstAlias), `aliases expand too many times (more than ${MAX_ALIAS_COUNT}); refusing a possible alias bomb`, 'write the repeated values out instead of nesting aliases');
}
