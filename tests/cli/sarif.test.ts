/**
 * `-f sarif` for validate, build and check: a SARIF 2.1.0 log that validates against the SARIF
 * schema (the SARIF SDK's copy, @microsoft/jest-sarif), with rules from the diagnostics table
 * and locations equal to mapc's own (`-f json`). mapc runs as a process: the CLI is the point.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { CODES, diag, toSarif, formatSarif, type Diagnostic } from '../../compiler/diagnostics';
import { sourceFile, span } from '../../compiler/source';
import { REPO, tempProject } from '../helpers/compiled';

const SCHEMA = JSON.parse(
  fs.readFileSync(path.join(REPO, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8'),
) as object;
// The schema's `language` pattern is not valid with the u flag; its URI formats are checked
// with WHATWG URL parsing (a URI reference must resolve, with no character a URI cannot hold).
const isUri = (s: string): boolean => URL.canParse(s) && !/[\s<>"{}|\\^`]/.test(s);
const ajv = new Ajv({
  allErrors: true,
  strict: false,
  unicodeRegExp: false,
  formats: {
    uri: isUri,
    'uri-reference': (s: string) => URL.canParse(s, 'https://example.invalid/') && !/[\s<>"{}|\\^`]/.test(s),
    'date-time': (s: string) => !Number.isNaN(Date.parse(s)),
  },
});
const validate = ajv.compile(SCHEMA);

function schemaErrors(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const BIN = path.join(REPO, 'bin', 'mapc.js');

function mapc(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, MAPC_NO_CACHE: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of the sample organisation with one typo and one unknown system. */
function brokenProject(): string {
  const dir = tempProject({});
  fs.cpSync(path.join(REPO, 'mappings'), path.join(dir, 'mappings'), { recursive: true });
  const crm = path.join(dir, 'mappings', 'crm-profile-sync.yaml');
  fs.writeFileSync(crm, fs.readFileSync(crm, 'utf8').replace('email: lower(user.email)', 'email: lower(usr.email)'));
  return dir;
}

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; rules: { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string }; help: { text: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations?: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: Record<string, number> } }[];
    }[];
    invocations: { toolExecutionNotifications?: { message: { text: string } }[] }[];
  }[];
}

describe('mapc -f sarif', () => {
  it('validate: a schema-valid log whose rules come from the diagnostics table and whose regions are mapc’s own', () => {
    const dir = brokenProject();
    const sarif = mapc(['validate', '-f', 'sarif'], dir);
    expect(sarif.code).toBe(1);
    expect(sarif.stderr).toBe('');
    const log = JSON.parse(sarif.stdout) as SarifLog;
    expect(schemaErrors(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0]!;
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(run.tool.driver).toMatchObject({ name: 'mapc', version: pkg.version });
    for (const r of run.tool.driver.rules) {
      const info = CODES[r.id as keyof typeof CODES];
      expect(info, r.id).toBeDefined();
      expect(r.shortDescription.text).toBe(info.title);
      expect(r.defaultConfiguration.level).toBe(info.severity);
      expect(r.help.text).toContain(`docs/diagnostics.md (${r.id})`);
    }
    // The same diagnostics as -f json, at the same places.
    const json = JSON.parse(mapc(['validate', '-f', 'json'], dir).stdout) as { code: string; file: string; line: number; column: number; endLine: number; endColumn: number; message: string; severity: string }[];
    expect(run.results.map((r) => r.ruleId)).toEqual(json.map((d) => d.code));
    run.results.forEach((r, i) => {
      const d = json[i]!;
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
      expect(r.level).toBe(d.severity);
      expect(r.message.text.startsWith(d.message)).toBe(true);
      expect(r.locations![0]!.physicalLocation).toEqual({
        artifactLocation: { uri: d.file, uriBaseId: '%SRCROOT%' },
        region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
      });
    });
    const typo = run.results.find((r) => r.ruleId === 'MAPC0301')!;
    expect(typo.message.text).toContain("hint: did you mean 'user'?");
    expect(typo.locations![0]!.physicalLocation.artifactLocation.uri).toBe('mappings/crm-profile-sync.yaml');
  });

  it('check: drift is reported at the project file (code scanning shows only located results); a clean build has no results', () => {
    const dir = tempProject({});
    fs.cpSync(path.join(REPO, 'mappings'), path.join(dir, 'mappings'), { recursive: true });
    const built = mapc(['build', '-f', 'sarif'], dir);
    expect(built.code).toBe(0);
    const clean = JSON.parse(built.stdout) as SarifLog;
    expect(schemaErrors(clean)).toEqual([]);
    expect(clean.runs[0]!.results).toEqual([]);
    expect(clean.runs[0]!.tool.driver.rules).toEqual([]);
    const spec = path.join(dir, 'mappings', 'token-claims.yaml');
    fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('default: false', 'default: true'));
    const check = mapc(['check', '-f', 'sarif'], dir);
    expect(check.code).toBe(1);
    const log = JSON.parse(check.stdout) as SarifLog;
    expect(schemaErrors(log)).toEqual([]);
    const results = log.runs[0]!.results;
    expect(results.map((r) => r.ruleId)).toEqual(['MAPC0805', 'MAPC0805']);
    for (const r of results) expect(r.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'mappings/mapc.yaml', uriBaseId: '%SRCROOT%' } } }]);
    expect(results.map((r) => r.message.text).join('\n')).toContain('generated/actions/mapc-post-login/code.js differs from a fresh build');
  });

  it('is refused where it means nothing (init) and listed in the help of the three commands', () => {
    const dir = tempProject({});
    expect(mapc(['init', '-f', 'sarif'], dir).code).toBe(2);
    for (const cmd of ['validate', 'build', 'check']) expect(mapc([cmd, '--help'], dir).stdout).toContain('"sarif"');
  });
});

describe('toSarif', () => {
  const file = sourceFile('mappings/a b.yaml', 'fields:\n  - to: x\n');
  const at = span(file, 13, 14);

  it('the validator refuses what SARIF forbids (so the checks above can fail)', () => {
    const log = toSarif([diag('MAPC0301', at, 'unknown path')], { version: '1.0.0' }) as { runs: { results: { level: string }[] }[] };
    expect(schemaErrors(log)).toEqual([]);
    log.runs[0]!.results[0]!.level = 'fatal';
    expect(schemaErrors(log).length).toBeGreaterThan(0);
  });

  it('percent-encodes relative paths, writes outside paths as file: URIs without a base, and keeps an empty span one column wide', () => {
    const outside = sourceFile(path.join(path.sep, 'srv', 'x.yaml'), 'a: 1\n');
    const log = toSarif([diag('MAPC0301', at, 'm'), diag('MAPC0301', span(outside, 0, 0), 'n'), diag('MAPC0301', span(sourceFile('../up.yaml', 'a'), 0, 1), 'o')], { version: '1' }) as unknown as SarifLog;
    expect(schemaErrors(log)).toEqual([]);
    const locs = log.runs[0]!.results.map((r) => r.locations![0]!.physicalLocation);
    expect(locs.map((l) => l.artifactLocation)).toEqual([
      { uri: `file://${path.resolve('../up.yaml')}` },
      { uri: 'file:///srv/x.yaml' },
      { uri: 'mappings/a%20b.yaml', uriBaseId: '%SRCROOT%' },
    ]);
    expect(locs[1]!.region).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 });
    expect(locs[2]!.region).toEqual({ startLine: 2, startColumn: 6, endLine: 2, endColumn: 7 });
  });

  it('caps results like the text output and says how many were left out; related places and no-location diagnostics', () => {
    const many: Diagnostic[] = Array.from({ length: 103 }, (_, i) => diag('MAPC0301', span(file, i % 10, (i % 10) + 1), `m${String(i).padStart(3, '0')}`));
    const log = toSarif(many, { version: '1' }) as unknown as SarifLog;
    expect(schemaErrors(log)).toEqual([]);
    expect(log.runs[0]!.results).toHaveLength(100);
    expect(log.runs[0]!.invocations[0]!.toolExecutionNotifications![0]!.message.text).toBe('3 more diagnostic(s) not shown (at most 100 are reported)');
    const related = toSarif([diag('MAPC0404', at, 'second writer', 'h', [{ message: 'first writer', span: span(file, 0, 6) }]), diag('MAPC0101', undefined, 'no project file')], { version: '1' });
    expect(schemaErrors(related)).toEqual([]);
    const results = (related as unknown as { runs: { results: { ruleId: string; locations?: unknown; relatedLocations?: unknown }[] }[] }).runs[0]!.results;
    expect(results[0]).toMatchObject({ ruleId: 'MAPC0101' });
    expect(results[0]!.locations).toBeUndefined();
    expect(results[1]!.relatedLocations).toEqual([
      { id: 0, physicalLocation: { artifactLocation: { uri: 'mappings/a%20b.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 7 } }, message: { text: 'first writer' } },
    ]);
    expect(formatSarif(many, { version: '1' })).toBe(formatSarif([...many].reverse(), { version: '1' }));
  });
});
