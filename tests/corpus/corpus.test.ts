/**
 * The corpus of broken projects (issue #2): every `tests/corpus/NNN-name/` folder holds a
 * small project (`mappings/`) with one deliberate mistake and `expected.txt`, the exact text
 * diagnostics (`formatText`, no colour, with code frames) of compiling it with cwd = the case
 * folder. Regenerate the golden files with `UPDATE_GOLDEN=1 npx vitest run tests/corpus` and
 * review the diff. A case may hold `generate.json` for a file too large to commit (see
 * `materialize`).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../compiler/pipeline';
import { formatJson, formatText } from '../../compiler/diagnostics/format';
import { hasErrors, MAX_DIAGNOSTICS, type Diagnostic } from '../../compiler/diagnostics/diagnostic';
import { CODES } from '../../compiler/diagnostics/codes/index';
import { listCases, materialize, tmpDirs } from './cases';

const CORPUS = __dirname;
const REPO = path.resolve(CORPUS, '..', '..');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
const CASE_NAME = /^[0-9]{3}-[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Files allowed at the top of tests/corpus besides the case folders. */
const OWN_FILES = new Set(['corpus.test.ts', 'cases.ts', 'README.md']);

/**
 * Cases whose mistake is only worth a warning: their exit status is 0. Every other case must
 * report at least one error (exit status 1). Listed by hand so that a case that silently stops
 * reporting its error fails here, not only in its golden file.
 */
const WARNING_ONLY = new Set([
  '010-yaml-unknown-tag',
  '013-yml-extension-ignored',
  '052-expr-equality-always-false',
  '080-system-http-localhost',
  '082-system-unused',
  '083-read-after-write',
  '095-claims-namespace-no-slash',
  '104-default-deny-on-post-change-password',
  '108-deny-message-without-deny',
  '109-deny-without-message',
  '114-redirect-gate-unverified',
  '124-timeout-longer-than-deadline',
]);

/**
 * Codes that no case reports, and why. Keys are codes or code prefixes (`MAPC10` for a whole
 * area). Every other code in CODES must appear in some expected.txt.
 */
const NOT_IN_CORPUS: Readonly<Record<string, string>> = {
  MAPC0802: 'bundling fails only when the mapc installation itself is broken (runtime/ missing)',
  MAPC0803: 'about the --out folder of mapc build, not about a project',
  MAPC0804: 'about the --out folder of mapc build, not about a project',
  MAPC0805: 'reported by mapc check about the output folder, not about a project',
  MAPC0806: 'reported by mapc schema --out, not about a project',
  MAPC0810: 'reported by mapc init, which validate and compile do not run',
  MAPC0811: 'reported by mapc init, which validate and compile do not run',
  MAPC082: 'reported by mapc backfill and mapc preview about a spec they run, their inputs and the Management API, which compile does not run (tests/backfill, tests/preview)',
  MAPC0900: 'an internal error (a bug), never a user mistake',
  MAPC10: 'test files (*.test.yaml) are checked by mapc test and mapc validate, not by compile (tests/cli/validate-parity.test.ts)',
};

function excused(code: string): boolean {
  return Object.keys(NOT_IN_CORPUS).some((k) => code.startsWith(k));
}


async function diagnose(cwd: string): Promise<Diagnostic[]> {
  const { diagnostics } = await compile({ projectDir: 'mappings', cwd });
  return diagnostics;
}

/** Lines of the text output that are not code frames (frames quote the user's YAML verbatim). */
function proseLines(text: string): string[] {
  return text.split('\n').filter((l) => !/^\s+[0-9]*\s*\|/.test(l));
}

/** A JSON pointer as ajv reports it (`/fields/0/from`, `/lookups/x`): schema jargon, never shown. */
const JSON_POINTER =
  /(?:^|[\s'"(`])\/(?:lookups|fields|sends|access|systems|attributes|defaults|external_actions|store|body|query|headers|transform|redirect|auth|base_url|routes|enum|[0-9]+)(?:\/|\b)/;

afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

const cases = listCases();

describe('corpus layout', () => {
  it('has at least 45 cases, each a NNN-name folder with a project and a golden file', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
    const problems: string[] = [];
    for (const name of cases) {
      const dir = path.join(CORPUS, name);
      if (!CASE_NAME.test(name)) problems.push(`${name}: folder name is not NNN-kebab-name`);
      if (!fs.existsSync(path.join(dir, 'mappings')) && !fs.existsSync(path.join(dir, 'generate.json'))) {
        problems.push(`${name}: no mappings/ folder`);
      }
      if (!UPDATE && !fs.existsSync(path.join(dir, 'expected.txt'))) {
        problems.push(`${name}: no expected.txt (run UPDATE_GOLDEN=1 npx vitest run tests/corpus)`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has no stray files and no golden file that no case produces', () => {
    const stray = fs
      .readdirSync(CORPUS, { withFileTypes: true })
      .filter((e) => !e.isDirectory() && !OWN_FILES.has(e.name))
      .map((e) => e.name);
    expect(stray).toEqual([]);
    // A golden file anywhere but directly in a case folder is produced by nothing.
    const orphans: string[] = [];
    const visit = (dir: string, depth: number): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const abs = path.join(dir, e.name);
        if (e.isDirectory()) visit(abs, depth + 1);
        else if (e.name === 'expected.txt' && depth !== 1) orphans.push(path.relative(CORPUS, abs));
      }
    };
    visit(CORPUS, 0);
    expect(orphans).toEqual([]);
  });

  it('lists only existing cases as warning-only', () => {
    expect([...WARNING_ONLY].filter((n) => !cases.includes(n))).toEqual([]);
  });
});

/**
 * Case-specific normalisation of the text compared with the golden file. The size of an
 * oversized Action changes with every runtime or emitter change; the golden file keeps the
 * rest of the message, and the test checks the number is over the limit.
 */
const NORMALISE: Record<string, (text: string) => string> = {
  '140-action-too-large': (text) =>
    text.replace(/is (\d+) bytes after bundling; Auth0 accepts at most (\d+) bytes/, (m, size: string, max: string) => {
      expect(Number(size), 'the Action is over the limit').toBeGreaterThan(Number(max));
      return m.replace(size, '<size>');
    }).replace(/the runtime and shared code take about [\d.]+ kB/, 'the runtime and shared code take about <shared> kB').replace(/this spec \(about [\d.]+ kB\)/, 'this spec (about <share> kB)'),
};

function normalise(name: string, text: string): string {
  return NORMALISE[name]?.(text) ?? text;
}

describe('corpus cases', () => {
  it.each(cases)('%s', async (name) => {
    const caseDir = path.join(CORPUS, name);
    const diags = await diagnose(materialize(caseDir));
    const text = normalise(name, formatText(diags, { color: false, frames: true }) + '\n');

    const golden = path.join(caseDir, 'expected.txt');
    if (UPDATE) fs.writeFileSync(golden, text);
    expect(text).toBe(fs.readFileSync(golden, 'utf8'));

    // Every case is broken: it reports something, with documented codes and severities.
    expect(diags.length).toBeGreaterThan(0);
    for (const d of diags) {
      expect(CODES[d.code], `${d.code} is not in CODES`).toBeDefined();
      expect(d.severity, `${d.code} severity`).toBe(CODES[d.code]!.severity);
    }
    // Exit status 1 (some error), except the declared warning-only cases (exit 0).
    expect(hasErrors(diags) ? 1 : 0).toBe(WARNING_ONLY.has(name) ? 0 : 1);

    // Never a stack trace or raw ajv wording.
    expect(text).not.toContain('    at ');
    expect(text).not.toContain('instancePath');
    expect(text).not.toContain('must have required property');
    for (const line of proseLines(text)) expect(line, 'JSON pointer in a message').not.toMatch(JSON_POINTER);
  });
});

describe('corpus coverage', () => {
  it('reports every code of CODES in some case, except the excused ones', () => {
    const seen = new Set<string>();
    for (const name of cases) {
      const golden = path.join(CORPUS, name, 'expected.txt');
      if (!fs.existsSync(golden)) continue;
      for (const m of fs.readFileSync(golden, 'utf8').matchAll(/(?:^|\s)(?:error|warning) (MAPC[0-9]{4}): /gm)) seen.add(m[1]!);
    }
    const uncovered = Object.keys(CODES).filter((c) => !seen.has(c) && !excused(c));
    expect(uncovered, 'codes with neither a corpus case nor an entry in NOT_IN_CORPUS').toEqual([]);
    const stale = Object.keys(CODES).filter((c) => seen.has(c) && excused(c));
    expect(stale, 'codes excused in NOT_IN_CORPUS that a case does report').toEqual([]);
  });
});

describe('mapc validate as a process', () => {
  const bin = path.join(REPO, 'bin', 'mapc.js');

  beforeAll(() => {
    if (fs.existsSync(path.join(REPO, 'dist', 'compiler', 'cli', 'main.js'))) return;
    const built = spawnSync('npm', ['run', '-s', 'build:ts'], { cwd: REPO, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`npm run build:ts failed:\n${built.stdout}${built.stderr}`);
  });

  const mapc = (caseName: string, args: string[]) =>
    spawnSync(process.execPath, [bin, 'validate', '-p', 'mappings', ...args], {
      cwd: path.join(CORPUS, caseName),
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', MAPC_DEBUG: '' },
    });

  // One YAML error and one semantic error (with a related location in another file).
  it.each([
    ['003-yaml-duplicate-key', 'MAPC0106'],
    ['073-target-two-writers', 'MAPC0404'],
  ])('%s: exit 1, file:line:col diagnostics on stderr, parseable --format json', async (name, code) => {
    const expected = (await diagnose(path.join(CORPUS, name)))[0]!;
    const at = formatJson([expected]);

    const text = mapc(name, []);
    expect(text.status).toBe(1);
    expect(text.stdout).toBe('');
    const first = text.stderr.split('\n')[0]!;
    expect(first).toMatch(/^mappings\/[a-z-]+\.yaml:[0-9]+:[0-9]+: error MAPC[0-9]{4}: \S/);
    const [where] = (JSON.parse(at) as { file: string; line: number; column: number }[]).map(
      (d) => `${d.file}:${d.line}:${d.column}: error ${code}: `,
    );
    expect(first.startsWith(where!)).toBe(true);
    expect(text.stderr).not.toContain('    at ');
    expect(text.stderr).not.toContain('internal error');

    const json = mapc(name, ['--format', 'json']);
    expect(json.status).toBe(1);
    expect(json.stderr).toBe('');
    const parsed = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(parsed.length).toBeGreaterThan(0);
    for (const d of parsed) {
      expect(Object.keys(d)).toEqual([
        'file',
        'line',
        'column',
        'endLine',
        'endColumn',
        'severity',
        'code',
        'message',
        'hint',
        'related',
      ]);
    }
    const head = JSON.parse(at)[0] as Record<string, unknown>;
    expect(parsed[0]).toMatchObject({
      file: head['file'],
      line: head['line'],
      column: head['column'],
      severity: 'error',
      code,
    });
    expect(parsed.length).toBeLessThanOrEqual(MAX_DIAGNOSTICS);
  });
});
