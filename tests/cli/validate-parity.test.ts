/**
 * `mapc validate` is the CI gate (#16): it reports everything `mapc build` would refuse —
 * checked on every corpus case (one mistake each, together every code a build can emit,
 * the Action size limit MAPC0801 included) — and what `mapc test` would refuse before running
 * a case (test-file errors, MAPC10xx). It writes nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listCases, materialize, tmpDirs } from '../corpus/cases';
import { CORPUS } from '../corpus/cases';
import { runMapc } from '../helpers/cli';
import { tempProject } from '../helpers/compiled';

afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

const codes = (stdout: string): string[] => (JSON.parse(stdout) as { code: string; severity: string }[]).map((d) => `${d.severity} ${d.code}`);

describe('validate reports what build refuses', () => {
  const cases = listCases().filter((n) => fs.existsSync(path.join(CORPUS, n, 'mappings')));
  it.each(cases)('%s', async (name) => {
    const dir = materialize(path.join(CORPUS, name));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-parity-'));
    tmpDirs.push(out);
    const build = await runMapc(['build', '-p', 'mappings', '-o', path.join(out, 'generated'), '-f', 'json'], dir);
    const validate = await runMapc(['validate', '-p', 'mappings', '-f', 'json'], dir);
    expect(validate.code, validate.stdout).toBe(build.code);
    expect(codes(validate.stdout)).toEqual(codes(build.stdout));
  });

  it('MAPC0801 is reported by validate, located at a spec, and nothing is written', async () => {
    const dir = materialize(path.join(CORPUS, '140-action-too-large'));
    const before = fs.readdirSync(dir).sort();
    const r = await runMapc(['validate', '-p', 'mappings', '-f', 'json'], dir);
    expect(r.code).toBe(1);
    const [d] = JSON.parse(r.stdout) as { code: string; file: string | null; line: number | null }[];
    expect(d!.code).toBe('MAPC0801');
    expect(d!.file).toBe('mappings/legal-notice.yaml');
    expect(d!.line).toBe(3);
    expect(fs.readdirSync(dir).sort()).toEqual(before);
  });
});

describe('validate reports what test refuses before running a case', () => {
  const project = `version: 1
claims_namespace: https://acme.example/
`;
  const spec = `version: 1
name: profile
owner: team-a
trigger: post-login
fields:
  - to: app_metadata.display
    from: user.name
`;

  it('a test file naming an unknown spec is an error of validate (exit 1)', async () => {
    const dir = tempProject({
      'mappings/mapc.yaml': project,
      'mappings/profile.yaml': spec,
      'mappings/profile.test.yaml': 'spec: profle\ncases:\n  - name: copies the name\n    expect: { app_metadata: { display: Jane Doe } }\n',
    });
    const r = await runMapc(['validate', '-p', 'mappings', '-f', 'json'], dir);
    expect(r.code).toBe(1);
    expect(codes(r.stdout).some((c) => /^error MAPC10\d\d$/.test(c))).toBe(true);
    const t = await runMapc(['test', '-p', 'mappings', '-f', 'json'], dir);
    expect(t.code).toBe(1);
    const testCodes = (JSON.parse(t.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((x) => x.code);
    expect(codes(r.stdout).map((c) => c.split(' ')[1])).toEqual(testCodes);
  });

  it('a valid test file passes validate', async () => {
    const dir = tempProject({
      'mappings/mapc.yaml': project,
      'mappings/profile.yaml': spec,
      'mappings/profile.test.yaml': 'spec: profile\ncases:\n  - name: copies the name\n    expect: { app_metadata: { display: Jane Doe } }\n',
    });
    const r = await runMapc(['validate', '-p', 'mappings'], dir);
    expect(r.stderr).toBe('mapc: 1 spec(s) valid.\n');
    expect(r.code).toBe(0);
  });
});
