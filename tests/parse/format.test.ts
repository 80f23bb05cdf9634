import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic';
import { MAX_DIAGNOSTICS } from '../../compiler/diagnostics/diagnostic';
import { formatJson, formatText, sortDiagnostics, summary } from '../../compiler/diagnostics/format';
import { sourceFile, span } from '../../compiler/source';

const crm = sourceFile('mappings/crm.yaml', 'version: 1\nfields:\n  - to: app_metadata.x\n    from: lower(usr.email)\n');
const tabs = sourceFile('mappings/t.yaml', 'a:\r\n\tb: x\r\n');
const other = sourceFile('mappings/a.yaml', 'name: a\n');

const unknownPath: Diagnostic = {
  code: 'MAPC0301',
  severity: 'error',
  message: "unknown path 'usr.email'",
  hint: "did you mean 'user'?",
  span: span(crm, 58, 67),
  related: [{ message: 'the field starts here', span: span(crm, 23, 25) }],
};
const warn: Diagnostic = { code: 'MAPC0111', severity: 'warning', message: 'YAML warning: x', span: span(tabs, 5, 6) };
const global: Diagnostic = { code: 'MAPC0101', severity: 'error', message: 'no project file' };
const early: Diagnostic = { code: 'MAPC0205', severity: 'error', message: 'bad name', span: span(other, 6, 7) };

describe('formatText', () => {
  it('golden: frames, hint, related, summary', () => {
    expect(formatText([unknownPath, warn, global, early], { color: false, frames: true })).toBe(
      [
        'error MAPC0101: no project file',
        '',
        'mappings/a.yaml:1:7: error MAPC0205: bad name',
        ' 1 | name: a',
        '   |       ^',
        '',
        "mappings/crm.yaml:4:17: error MAPC0301: unknown path 'usr.email'",
        ' 4 |     from: lower(usr.email)',
        '   |                 ^^^^^^^^^',
        "  hint: did you mean 'user'?",
        '  mappings/crm.yaml:3:5: note: the field starts here',
        '   3 |   - to: app_metadata.x',
        '     |     ^^',
        '',
        'mappings/t.yaml:2:2: warning MAPC0111: YAML warning: x',
        ' 2 | \tb: x',
        '   | \t^',
        '',
        '3 errors, 1 warning',
      ].join('\n'),
    );
  });

  it('golden: without frames', () => {
    expect(formatText([unknownPath], { color: false, frames: false })).toBe(
      [
        "mappings/crm.yaml:4:17: error MAPC0301: unknown path 'usr.email'",
        "  hint: did you mean 'user'?",
        '  mappings/crm.yaml:3:5: note: the field starts here',
        '1 error',
      ].join('\n'),
    );
  });

  it('colour uses ANSI codes only when asked', () => {
    const plain = formatText([early], { color: false, frames: true });
    const colored = formatText([early], { color: true, frames: true });
    expect(plain).not.toContain('\u001b[');
    expect(colored).toContain('\u001b[31merror MAPC0205\u001b[0m');
    expect(colored.replace(/\u001b\[[0-9]+m/g, '')).toBe(plain);
  });

  it('caps at MAX_DIAGNOSTICS with a note, summary counts all', () => {
    const many = Array.from({ length: MAX_DIAGNOSTICS + 3 }, (_, i): Diagnostic => ({
      code: 'MAPC0201',
      severity: 'error',
      message: `m${i}`,
      span: span(crm, i % 10, i % 10),
    }));
    const out = formatText(many, { color: false, frames: false }).split('\n');
    expect(out.filter((l) => l.includes('error MAPC0201'))).toHaveLength(MAX_DIAGNOSTICS);
    expect(out.slice(-2)).toEqual(['3 more not shown', '103 errors']);
    expect(JSON.parse(formatJson(many))).toHaveLength(MAX_DIAGNOSTICS);
  });

  it('empty input prints nothing; summary wording', () => {
    expect(formatText([], { color: false, frames: true })).toBe('');
    expect(summary([warn])).toBe('1 warning');
    expect(summary([early, early, warn, warn])).toBe('2 errors, 2 warnings');
  });
});

describe('formatJson', () => {
  it('golden: stable keys, 1-based, end exclusive, nulls for absent', () => {
    expect(JSON.parse(formatJson([unknownPath, global]))).toEqual([
      {
        file: null,
        line: null,
        column: null,
        endLine: null,
        endColumn: null,
        severity: 'error',
        code: 'MAPC0101',
        message: 'no project file',
        hint: null,
        related: [],
      },
      {
        file: 'mappings/crm.yaml',
        line: 4,
        column: 17,
        endLine: 4,
        endColumn: 26,
        severity: 'error',
        code: 'MAPC0301',
        message: "unknown path 'usr.email'",
        hint: "did you mean 'user'?",
        related: [
          { file: 'mappings/crm.yaml', line: 3, column: 5, endLine: 3, endColumn: 7, message: 'the field starts here' },
        ],
      },
    ]);
    expect(Object.keys(JSON.parse(formatJson([early]))[0])).toEqual([
      'file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message', 'hint', 'related',
    ]);
  });
});

describe('sortDiagnostics', () => {
  it('no location first, then file, offset, code', () => {
    const b: Diagnostic = { ...early, code: 'MAPC0201' };
    expect(sortDiagnostics([unknownPath, early, warn, global, b]).map((d) => d.code)).toEqual([
      'MAPC0101', 'MAPC0201', 'MAPC0205', 'MAPC0301', 'MAPC0111',
    ]);
  });
});
