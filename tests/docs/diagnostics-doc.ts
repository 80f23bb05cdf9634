/**
 * Renders docs/diagnostics.md from `CODES`: a short guide to reading diagnostics, then one
 * table per code range (code, severity, title, example input). The examples of the output
 * format are produced by the real formatters (`formatText`, `formatJson`), so the page cannot
 * drift from what mapc prints. tests/docs/diagnostics.test.ts compares the page with this
 * rendering and rewrites it with UPDATE_GOLDEN=1.
 */
import type { CodeInfo } from '../../compiler/diagnostics/codes/index';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic';
import { MAX_DIAGNOSTICS } from '../../compiler/diagnostics/diagnostic';
import { formatJson, formatText } from '../../compiler/diagnostics/format';
import { sourceFile, span } from '../../compiler/source';

/** The code ranges, in order: `prefix` is the first two digits after `MAPC` (or the full code). */
export const RANGES: readonly { readonly prefix: string; readonly title: string; readonly about: string }[] = [
  { prefix: '01', title: 'MAPC01xx: YAML and loading', about: 'Finding and reading files, and YAML itself.' },
  { prefix: '02', title: 'MAPC02xx: schema', about: 'Keys and values of mapc.yaml and of spec files.' },
  { prefix: '03', title: 'MAPC03xx: expressions and templates', about: 'Expressions (`from`, `when`, ...) and `{ template }` strings.' },
  { prefix: '04', title: 'MAPC04xx: targets, ownership and systems', about: 'Where values are written, who owns them, and the systems called.' },
  { prefix: '05', title: 'MAPC05xx: claims', about: 'Custom ID and access token claims.' },
  { prefix: '06', title: 'MAPC06xx: access and trust', about: 'Deny, redirect and MFA, and data the user can edit.' },
  { prefix: '07', title: 'MAPC07xx: limits and secrets', about: "Auth0's limits, secrets, deadlines and Action names." },
  { prefix: '08', title: 'MAPC08xx: output and bundle', about: 'Bundling the Actions and writing files (`mapc build`, `mapc check`, `mapc init`), and running specs over existing users (`mapc backfill`, MAPC082x).' },
  { prefix: '0900', title: 'MAPC0900: internal error', about: 'A bug in mapc, not in your specs.' },
  { prefix: '10', title: 'MAPC10xx: test files', about: 'Test cases (`*.test.yaml`) run by `mapc test`.' },
];

/** A table cell: one line, no `|`, HTML-escaped (the example sits inside `<code>`). */
function exampleCell(example: string): string {
  if (example === '') return '';
  const lines = example.split('\n').map((line) => {
    const escaped = line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '&#124;');
    // Leading spaces carry YAML structure; HTML would collapse them.
    return escaped.replace(/^ +/, (s) => '&nbsp;'.repeat(s.length));
  });
  return `<code>${lines.join('<br>')}</code>`;
}

function textCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** A sample diagnostic, printed by the real formatters for the intro. */
function sample(): Diagnostic {
  const file = sourceFile(
    'mappings/crm.yaml',
    'version: 1\nname: crm\nowner: team-crm\ntrigger: post-login\nfields:\n  - to: app_metadata.email\n    from: lower(usr.email)\n',
  );
  const start = file.text.indexOf('usr');
  return {
    code: 'MAPC0301',
    severity: 'error',
    message: "unknown path 'usr.email': 'usr' is not a root in a field's from:",
    hint: "did you mean 'user'?",
    span: span(file, start, start + 3),
  };
}

/** The whole page. `codes` is `CODES`; rows are sorted by code. */
export function renderDiagnosticsDoc(codes: Readonly<Record<string, CodeInfo>>): string {
  const all = Object.values(codes).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const out: string[] = [];
  out.push(
    '# Diagnostics',
    '',
    '<!-- Generated from compiler/diagnostics/codes/*.ts by tests/docs/diagnostics-doc.ts.',
    '     Do not edit by hand: run `UPDATE_GOLDEN=1 npx vitest run tests/docs`. -->',
    '',
    'Every mistake mapc finds in a project is a *diagnostic* with a stable code (`MAPCnnnn`), a',
    'severity, a location, a message and usually a hint. Errors make `mapc validate`, `mapc build`',
    'and `mapc check` exit with status 1; warnings are printed but do not change the exit status.',
    'A diagnostic is never a stack trace: if mapc itself fails, it prints one line with',
    '`MAPC0900` and exits with status 3.',
    '',
    '## Reading a diagnostic',
    '',
    'On a terminal, each diagnostic is `file:line:col: severity MAPCnnnn: message`, followed by the',
    'source line with carets under the place, the hint, and related places (`note:`) that explain',
    'it, such as the first writer of a target. Paths are relative to the working directory; lines',
    'and columns start at 1. When stderr is not a terminal (CI logs), the code frames are left out.',
    '',
    '```text',
    formatText([sample()], { color: false, frames: true }),
    '```',
    '',
    'With `--format json`, diagnostics are printed to stdout as a JSON array. Each entry has the',
    'fields `file`, `line`, `column`, `endLine`, `endColumn` (1-based, the end is exclusive),',
    '`severity` (`error` or `warning`), `code`, `message`, `hint` and `related` (a list of',
    '`{ file, line, column, endLine, endColumn, message }`). Absent values are `null`; a',
    'diagnostic about the whole project (such as a missing mapc.yaml) has a `null` file.',
    '',
    '```json',
    formatJson([sample()]),
    '```',
    '',
    'With `--format sarif` (validate, build, check), they are printed to stdout as a SARIF 2.1.0',
    'log, the format GitHub code scanning reads (the repository\'s GitHub Action uploads it; see',
    'docs/ci.md). The run\'s rules are the codes used, with the title, severity and example of',
    'the tables below as help; each result has the message (and `hint:` on a second line), the',
    'region (the same lines and columns) and related places. Paths are relative to the working',
    'folder under `%SRCROOT%`, so run mapc from the repository root; a diagnostic about the whole',
    'project (such as drift found by `mapc check`) is reported at the project\'s mapc.yaml, since',
    'code scanning shows only results that have a location. tests/cli/sarif.test.ts validates the',
    'output against the SARIF schema.',
    '',
    `All formats sort diagnostics by file, position and code, and show at most ${MAX_DIAGNOSTICS} of`,
    `them in one run; the text format then says how many more were not shown (SARIF in a tool notification). Fix the first ones`,
    'and run again: one mistake can cause others further on.',
    '',
    '## Code ranges',
    '',
    '| range | area |',
    '|---|---|',
  );
  for (const r of RANGES) {
    const range = r.prefix.length === 2 ? `MAPC${r.prefix}xx` : `MAPC${r.prefix}`;
    out.push(`| ${range} | ${textCell(r.about)} |`);
  }
  out.push(
    '',
    'Codes are stable: a code is never reused for another mistake. A retired code stays in this',
    'list with "(retired)" in its title.',
  );
  const placed = new Set<string>();
  for (const r of RANGES) {
    const rows = all.filter((c) => c.code.startsWith(`MAPC${r.prefix}`) && !placed.has(c.code));
    if (rows.length === 0) continue;
    out.push('', `## ${r.title}`, '', r.about, '', '| code | severity | title | example |', '|---|---|---|---|');
    for (const c of rows) {
      placed.add(c.code);
      out.push(`| ${c.code} | ${c.severity} | ${textCell(c.title)} | ${exampleCell(c.example)} |`);
    }
  }
  const rest = all.filter((c) => !placed.has(c.code));
  if (rest.length > 0) {
    out.push('', '## Other codes', '', '| code | severity | title | example |', '|---|---|---|---|');
    for (const c of rest) out.push(`| ${c.code} | ${c.severity} | ${textCell(c.title)} | ${exampleCell(c.example)} |`);
  }
  return out.join('\n') + '\n';
}
