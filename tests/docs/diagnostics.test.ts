/**
 * docs/diagnostics.md must agree with CODES: every code documented with its severity, no stale
 * code left in the page, and the page exactly as tests/docs/diagnostics-doc.ts renders it.
 * Regenerate with `UPDATE_GOLDEN=1 npx vitest run tests/docs`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../compiler/diagnostics/codes/index';
import { RANGES, renderDiagnosticsDoc } from './diagnostics-doc';

const DOC = path.resolve(__dirname, '..', '..', 'docs', 'diagnostics.md');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

/** `code → severity` of every table row of the page (`| MAPC0101 | error | ... |`). */
function documentedRows(markdown: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const m of markdown.matchAll(/^\| (MAPC[0-9]{4}) \| (error|warning) \|/gm)) rows.set(m[1]!, m[2]!);
  return rows;
}

describe('CODES', () => {
  it('is keyed by well-formed codes, each with a title and an example', () => {
    const problems: string[] = [];
    for (const [key, info] of Object.entries(CODES)) {
      if (key !== info.code) problems.push(`${key}: key and code differ (${info.code})`);
      if (!/^MAPC[0-9]{4}$/.test(info.code)) problems.push(`${key}: not MAPCnnnn`);
      if (info.title.trim() === '') problems.push(`${key}: empty title`);
      if (info.example.trim() === '' && key !== 'MAPC0900') problems.push(`${key}: empty example`);
    }
    expect(problems).toEqual([]);
  });

  it('has every code in one of the documented ranges', () => {
    const outside = Object.keys(CODES).filter((c) => !RANGES.some((r) => c.startsWith(`MAPC${r.prefix}`)));
    expect(outside).toEqual([]);
  });
});

describe('docs/diagnostics.md', () => {
  const rendered = renderDiagnosticsDoc(CODES);
  if (UPDATE) fs.writeFileSync(DOC, rendered);
  const page = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '';

  it('documents every code with its severity', () => {
    const rows = documentedRows(page);
    const missing = Object.values(CODES)
      .filter((c) => rows.get(c.code) !== c.severity)
      .map((c) => `${c.code} (${c.severity})`);
    expect(missing, 'codes missing from docs/diagnostics.md or with another severity').toEqual([]);
  });

  it('documents no code that CODES does not have', () => {
    const stale = [...documentedRows(page).keys()].filter((c) => !(c in CODES));
    expect(stale, 'stale codes in docs/diagnostics.md').toEqual([]);
  });

  it('is exactly the rendering of CODES (UPDATE_GOLDEN=1 to regenerate)', () => {
    expect(page).toBe(rendered);
  });

  it('starts with the output format, the JSON fields, the cap and the code ranges', () => {
    expect(page).toContain('`file:line:col: severity MAPCnnnn: message`');
    expect(page).toContain('mappings/crm.yaml:7:17: error MAPC0301: ');
    for (const field of ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message', 'hint', 'related']) {
      expect(page).toContain(`"${field}": `);
    }
    expect(page).toContain('at most 100 of');
    for (const range of ['MAPC01xx', 'MAPC02xx', 'MAPC03xx', 'MAPC04xx', 'MAPC05xx', 'MAPC06xx', 'MAPC07xx', 'MAPC08xx', 'MAPC0900', 'MAPC10xx']) {
      expect(page).toContain(`| ${range} |`);
    }
  });
});

describe('renderDiagnosticsDoc', () => {
  it('keeps multi-line examples in one table cell, escaped', () => {
    const doc = renderDiagnosticsDoc({
      MAPC0199: { code: 'MAPC0199', severity: 'warning', title: 'a | b', example: 'a:\n  b: <x> & c | d' },
    });
    expect(doc).toContain(
      '| MAPC0199 | warning | a \\| b | <code>a:<br>&nbsp;&nbsp;b: &lt;x&gt; &amp; c &#124; d</code> |',
    );
  });

  it('puts a code outside every range under "Other codes" (and the range test above fails)', () => {
    const doc = renderDiagnosticsDoc({ MAPC0999: { code: 'MAPC0999', severity: 'error', title: 't', example: 'x' } });
    expect(doc).toContain('## Other codes\n\n| code | severity | title | example |\n|---|---|---|---|\n| MAPC0999 | error | t | <code>x</code> |');
  });
});
