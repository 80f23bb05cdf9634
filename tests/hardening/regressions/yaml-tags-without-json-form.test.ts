/**
 * Found by attacking the parser (#13, item 8): valid YAML whose tags make values JSON has no
 * form for — `!!binary` (bytes), `!!timestamp` (a Date), `!!set`, `!!omap`, `!!pairs` — got
 * past parsing and failed later as an internal error (MAPC0900, exit 3). Now each such tag is
 * refused where it is written (MAPC0114, exit 1) with a hint to write the value as text.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineCol } from '../../../compiler/source';
import { REPO, tempProject } from '../../helpers/compiled';
import { diagnosticsOf, projectFile } from '../support/project';

const spec = (from: string) => `version: 1
name: tags
owner: team-a
trigger: post-login
fields:
  - to: app_metadata.value
    from: ${from}
`;

describe('YAML tags without a JSON form', () => {
  const cases: [string, string, number][] = [
    ['!!binary', '{ value: !!binary aGVsbG8= }', 7],
    ['!!timestamp', '{ value: !!timestamp 2001-12-14 }', 7],
    ['!!set', '{ value: !!set { a, b } }', 7],
    ['!!omap', '{ value: !!omap [ { a: 1 }, { b: 2 } ] }', 7],
    ['!!pairs', '{ value: !!pairs [ { a: 1 } ] }', 7],
  ];
  for (const [tag, from, line] of cases) {
    it(`${tag} is a located MAPC0114, not an internal error`, async () => {
      const diagnostics = await diagnosticsOf({ 'spec.yaml': spec(from) });
      const codes = diagnostics.map((d) => d.code);
      expect(codes).not.toContain('MAPC0900');
      const d = diagnostics.find((x) => x.code === 'MAPC0114');
      expect(d, codes.join(',')).toBeDefined();
      expect(d!.message).toContain(tag);
      expect(d!.hint).toBeTruthy();
      expect(d!.span!.file.path).toContain('spec.yaml');
      const { line: at } = lineCol(d!.span!.file, d!.span!.start);
      expect(at).toBe(line);
    });
  }

  it('plain values and the core tags still build', async () => {
    const diagnostics = await diagnosticsOf({ 'spec.yaml': spec("{ value: !!str 2001-12-14 }") });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('mapc validate exits 1 with the diagnostic, no stack trace', () => {
    const dir = tempProject({ 'mappings/mapc.yaml': projectFile(), 'mappings/spec.yaml': spec('{ value: !!binary aGVsbG8= }') });
    let status = 0;
    let out = '';
    try {
      execFileSync(process.execPath, [path.join(REPO, 'bin/mapc.js'), 'validate', '-p', 'mappings'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const err = e as { status: number; stdout: string; stderr: string };
      status = err.status;
      out = err.stdout + err.stderr;
    }
    expect(status).toBe(1);
    expect(out).toContain('MAPC0114');
    expect(out).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  });
});
