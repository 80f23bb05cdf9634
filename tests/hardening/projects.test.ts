/**
 * Hostile YAML and projects (issue #8): alias bombs, files over 1 MB, 10,000-deep nesting,
 * duplicate keys, non-UTF-8 bytes, BOMs, CRLF, tabs, prototype keys anywhere, symlinks out
 * of the project, 5,000 specs, and random byte-level damage to the sample specs. Each gives
 * located diagnostics or a correct build; nothing throws, nothing pollutes a prototype, and a
 * failed build writes nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic';
import { compile, validate } from '../../compiler/pipeline';
import { run as cli } from '../../compiler/cli/run';
import { REPO, runCompiled, tempProject } from '../helpers/compiled';
import { NASTY_FRAGMENTS } from './support/arbitraries';
import { EVENT_RUNS, fcParams } from './support/config';
import { reportFigures, tally } from './support/figures';
import { projectFile, SINK_SECRETS } from './support/project';

reportFigures('projects');

const PROTO_BEFORE = Object.getOwnPropertyNames(Object.prototype).join();
afterAll(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).join()).toBe(PROTO_BEFORE);
  expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
});

/** Every diagnostic has a stable code, a message and (but for whole-project ones) a span inside its file. */
function assertLocated(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    expect(d.code).toMatch(/^MAPC0[1-8]\d\d$/);
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.message).not.toMatch(/\n\s+at /);
    if (d.span) {
      expect(d.span.start).toBeGreaterThanOrEqual(0);
      expect(d.span.end).toBeLessThanOrEqual(Math.max(d.span.file.text.length, 0));
      expect(d.span.start).toBeLessThanOrEqual(d.span.end);
    }
  }
}

const errorsOf = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === 'error');

const SPEC = `version: 1
name: hostile
owner: team-a
trigger: post-login
fields:
  - to: app_metadata.tier
    from: user.app_metadata.tier
`;

/** Validates a project made of the standard project file and `files` (relative to mappings/). */
function validateFiles(files: Record<string, string | Buffer>, project = projectFile()) {
  const dir = tempProject({ 'mappings/mapc.yaml': project });
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, 'mappings', rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'mappings', rel), text);
  }
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const out = validate({ projectDir: 'mappings', cwd: dir });
  const ms = performance.now() - t0;
  tally('projects.hostile');
  return { ...out, dir, ms, heapMb: (process.memoryUsage().heapUsed - heap0) / 1e6 };
}

describe('hostile YAML files', () => {
  it('an alias bomb (a billion laughs) is refused at its alias, quickly and in little memory', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const r = validateFiles({ 'bomb.yaml': `${SPEC}x:\n  ${levels.join('\n  ')}\n` });
    expect(r.result).toBeNull();
    expect(errorsOf(r.diagnostics).map((d) => d.code)).toContain('MAPC0107');
    assertLocated(r.diagnostics);
    // A generous bound: 9^10 expansions would need gigabytes.
    expect(r.heapMb).toBeLessThan(200);
  });

  it('a file over 1 MB is refused before it is parsed', () => {
    const r = validateFiles({ 'big.yaml': SPEC + `description: "${'x'.repeat(1024 * 1024)}"\n` });
    expect(errorsOf(r.diagnostics).map((d) => [d.code, d.span?.file.path])).toEqual([['MAPC0102', 'mappings/big.yaml']]);
  });

  it('a file just under 1 MB builds', () => {
    const r = validateFiles({ 'big.yaml': SPEC + `description: "${'x'.repeat(1024 * 1024 - SPEC.length - 40)}"\n` });
    expect(errorsOf(r.diagnostics)).toEqual([]);
    expect(r.result).not.toBeNull();
  });

  for (const [name, text] of [
    ['flow sequences', `${SPEC}x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`],
    ['flow maps', `${SPEC}x: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`],
    ['block maps', SPEC + 'x:\n' + Array.from({ length: 10_000 }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n') + ' 1\n'],
    ['block sequences', `${SPEC}x:\n${Array.from({ length: 10_000 }, (_, i) => `${' '.repeat(2 * i + 1)}-`).join('\n')} 1\n`],
    ['an expression', `${SPEC.replace('user.app_metadata.tier', `"${'!('.repeat(5_000)}true${')'.repeat(5_000)}"`)}`],
    ['a value', `${SPEC}    default: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`],
  ] as const) {
    it(`10,000-deep nesting in ${name} gives located diagnostics, no crash`, () => {
      const r = validateFiles({ 'deep.yaml': text });
      expect(r.result).toBeNull();
      expect(errorsOf(r.diagnostics).length).toBeGreaterThan(0);
      assertLocated(r.diagnostics);
      tally('projects.deep');
    });
  }

  it('duplicate keys are located at the second key', () => {
    const text = `${SPEC}owner: team-b\n`;
    const r = validateFiles({ 'dup.yaml': text });
    const d = errorsOf(r.diagnostics);
    expect(d.map((x) => x.code)).toEqual(['MAPC0106']);
    expect(d[0]!.span!.start).toBe(text.lastIndexOf('owner'));
  });

  it('bytes that are not UTF-8 are located at the first bad byte', () => {
    const head = Buffer.from(SPEC.replace('team-a', 'team-'));
    const bytes = Buffer.concat([head.subarray(0, head.indexOf('team-') + 5), Buffer.from([0xc3, 0x28]), head.subarray(head.indexOf('team-') + 5)]);
    const r = validateFiles({ 'latin.yaml': bytes });
    const d = errorsOf(r.diagnostics);
    expect(d.map((x) => x.code)).toEqual(['MAPC0103']);
    expect(d[0]!.message).toContain('byte 0xc3');
  });

  it('a BOM, CRLF line ends and tabs inside scalars build exactly the code of the plain file', async () => {
    const tabbed = SPEC.replace('owner: team-a', 'owner: team-a\ndescription: "a\ttab"');
    const plainDir = tempProject({ 'mappings/mapc.yaml': projectFile(), 'mappings/s.yaml': tabbed });
    const oddDir = tempProject({
      'mappings/mapc.yaml': '\uFEFF' + projectFile().replace(/\n/g, '\r\n'),
      'mappings/s.yaml': '\uFEFF' + tabbed.replace(/\n/g, '\r\n'),
    });
    const plain = await compile({ projectDir: 'mappings', cwd: plainDir });
    const odd = await compile({ projectDir: 'mappings', cwd: oddDir });
    expect(odd.result).not.toBeNull();
    expect(odd.result!.code.get('mapc-post-login')).toBe(plain.result!.code.get('mapc-post-login'));
  });

  it('a tab used as indentation is located', () => {
    const text = SPEC.replace('  - to: app_metadata.tier', '\t- to: app_metadata.tier');
    const r = validateFiles({ 'tab.yaml': text });
    expect(r.result).toBeNull();
    assertLocated(r.diagnostics);
    expect(errorsOf(r.diagnostics)[0]!.span!.file.path).toBe('mappings/tab.yaml');
  });
});

describe('prototype keys anywhere', () => {
  const KEYS = ['__proto__', 'constructor', 'prototype'];
  /** Places in a spec where a mapping key can go, as a function of the key, and the outcome: built, or the error code. */
  const PLACES: [string, (k: string) => string, (k: string) => string][] = [
    ['top level', (k) => `${SPEC}${k}: { x: 1 }\n`, () => 'MAPC0201'],
    ['a field entry', (k) => `${SPEC}    ${k}: { x: 1 }\n`, () => 'MAPC0201'],
    // Request keys build: the runtime drops them (obj() skips prototype keys).
    ['a body key', (k) => `${SPEC}sends:\n  - system: sink\n    method: POST\n    path: /p\n    body: { ${k}: { value: polluted }, ok: user.email }\n`, () => 'built'],
    ['a query key', (k) => `${SPEC}sends:\n  - system: sink\n    method: GET\n    path: /p\n    query: { ${k}: "'x'" }\n`, () => 'built'],
    ['a header name', (k) => `${SPEC}sends:\n  - system: sink\n    method: GET\n    path: /p\n    headers: { ${k}: "'x'" }\n`, () => 'built'],
    ['a store target', (k) => `${SPEC}sends:\n  - system: sink\n    method: POST\n    path: /p\n    store: { app_metadata.${k}.x: response.id }\n`, () => 'MAPC0402'],
    ['a lookup name', (k) => `${SPEC}lookups:\n  ${k}:\n    system: sink\n    method: GET\n    path: /p\n`, () => 'MAPC0315'],
    ['a literal value', (k) => `${SPEC}  - to: app_metadata.lit\n    from: { value: { ${k}: { polluted: true } } }\n`, () => 'built'],
    ['a map table', (k) => `${SPEC}    transform: [{ map: { table: { ${k}: polluted }, default: x } }]\n`, () => 'built'],
    ['a target', (k) => SPEC.replace('app_metadata.tier', `app_metadata.${k}.x`), () => 'MAPC0402'],
    ['a claim', (k) => SPEC.replace('app_metadata.tier', `id_token.${k}`), () => 'MAPC0402'],
    ['a path', (k) => SPEC.replace('user.app_metadata.tier', `user.${k}.x`), () => 'MAPC0302'],
    ['a system name', () => SPEC, (k) => (k === '__proto__' ? 'MAPC0205' : 'built')],
    ['the registry', () => SPEC, () => 'MAPC0402'],
  ];

  for (const [where, make, expected] of PLACES) {
    it(`in ${where}: ${[...new Set(KEYS.map(expected))].join(' or ')}, and no pollution`, async () => {
      for (const k of KEYS) {
        const project =
          where === 'a system name'
            ? projectFile(`  ${k}:\n    base_url: https://x.example.com\n    auth: none\n`)
            : where === 'the registry'
              ? projectFile(`attributes:\n  app_metadata.${k}: { owner: team-a, type: string }\n`)
              : projectFile();
        const dir = tempProject({ 'mappings/mapc.yaml': project, 'mappings/s.yaml': make(k) });
        const { result, diagnostics } = await compile({ projectDir: 'mappings', cwd: dir });
        tally('projects.proto-keys');
        assertLocated(diagnostics);
        const outcome = result ? 'built' : [...new Set(errorsOf(diagnostics).map((d) => d.code))].join(',');
        expect(`${k}: ${outcome}`).toBe(`${k}: ${expected(k)}`);
        if (!result) continue;
        const out = await runCompiled(result, 'mapc-post-login', {
          secrets: SINK_SECRETS,
          event: { user: { app_metadata: { tier: 'gold' } } },
          scripts: { sink: [{ body: { id: 1 } }] },
        });
        expect(out.threw).toBeUndefined();
        for (const r of out.requests) {
          if (r.body && typeof r.body === 'object') expect(Object.keys(r.body as object)).not.toContain(k);
          expect(Object.keys(r.headers)).not.toContain(k);
          expect(r.path).not.toContain(k);
        }
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      }
    });
  }
});

describe('hostile project layouts', () => {
  it('a symlink out of mappings/ is refused, located at the link', () => {
    const dir = tempProject({ 'mappings/mapc.yaml': projectFile(), 'outside.yaml': SPEC });
    fs.symlinkSync(path.join(dir, 'outside.yaml'), path.join(dir, 'mappings', 'link.yaml'));
    fs.symlinkSync(path.join(dir), path.join(dir, 'mappings', 'up'));
    fs.symlinkSync(path.join(dir, 'mappings'), path.join(dir, 'mappings', 'loop'));
    const r = validate({ projectDir: 'mappings', cwd: dir });
    expect(r.result).toBeNull();
    assertLocated(r.diagnostics);
    const files = errorsOf(r.diagnostics).map((d) => d.span?.file.path ?? '');
    expect(files).toContain('mappings/link.yaml');
  });

  it('5,000 specs validate with located results, in bounded time and memory', async () => {
    const files: Record<string, string> = { 'mappings/mapc.yaml': projectFile() };
    for (let i = 0; i < 5000; i++) {
      files[`mappings/team${i % 50}/spec-${i}.yaml`] = SPEC.replace('name: hostile', `name: spec-${i}`).replace(/tier/g, `t${i}`);
    }
    const dir = tempProject(files);
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const { result, diagnostics } = await compile({ projectDir: 'mappings', cwd: dir });
    const ms = performance.now() - t0;
    tally('projects.specs-in-one-project', 5000);
    assertLocated(diagnostics);
    // One Action for 5,000 specs is over Auth0's size limit: a located size diagnostic, not a crash.
    expect(result).toBeNull();
    expect(errorsOf(diagnostics).map((d) => d.code)).toEqual(['MAPC0801']);
    expect(errorsOf(diagnostics)[0]!.span?.file.path).toMatch(/^mappings\/team\d+\/spec-\d+\.yaml$/);
    // Time and memory are measured (npm run bench, docs/reliability.md), not asserted here:
    // the test's own timeout is the only bound.
    console.log(`5,000 specs: ${Math.round(ms)} ms, heap +${Math.round((process.memoryUsage().heapUsed - heap0) / 1e6)} MB`);
  }, 180_000);

  it('a failed build writes nothing, and leaves a previous output byte-identical', async () => {
    const dir = tempProject({ 'mappings/mapc.yaml': projectFile(), 'mappings/s.yaml': SPEC });
    const io = { stdout: () => undefined, stderr: () => undefined, cwd: dir, env: {}, isTTY: false };
    expect(await cli(['build', '--out', 'fresh'], io)).toBe(0);
    const snapshot = (root: string) =>
      fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).sort().map((f) => {
        const p = path.join(root, f);
        return [f, fs.statSync(p).isFile() ? fs.readFileSync(p, 'utf8') : 'dir'];
      });
    const before = snapshot(path.join(dir, 'fresh'));
    fs.writeFileSync(path.join(dir, 'mappings', 'broken.yaml'), `${SPEC.replace('hostile', 'broken')}  - to: app_metadata.x\n    from: nope(\n`);
    expect(await cli(['build', '--out', 'fresh'], io)).toBe(1);
    expect(snapshot(path.join(dir, 'fresh'))).toEqual(before);
    expect(await cli(['build', '--out', 'never'], io)).toBe(1);
    expect(fs.existsSync(path.join(dir, 'never'))).toBe(false);
  });
});

describe('random damage to the sample specs', () => {
  const RUNS = Math.max(100, Math.round(EVENT_RUNS / 5));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-damage-'));
  fs.cpSync(path.join(REPO, 'mappings'), path.join(dir, 'mappings'), { recursive: true });
  const names = fs.readdirSync(path.join(dir, 'mappings')).filter((f) => f.endsWith('.yaml')).sort();
  const originals = new Map(names.map((n) => [n, fs.readFileSync(path.join(dir, 'mappings', n))]));

  const damage = fc.record({
    file: fc.constantFrom(...names),
    edits: fc.array(
      fc.record({
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        kind: fc.constantFrom('insert', 'delete', 'bytes', 'crlf', 'bom', 'tab', 'duplicate-line'),
        text: fc.oneof(fc.constantFrom(...NASTY_FRAGMENTS, ': ', '- ', '&a ', '*a', '!!binary ', '%YAML 1.1\n', '---\n', '? ', '| \n', '"', "'", '#', '{', '[', '  ', '\n  x: 1\n'), fc.string({ maxLength: 8 })),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }),
        len: fc.integer({ min: 1, max: 40 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  });

  it(`${RUNS} damaged projects: located diagnostics or a build, never a throw`, () => {
    fc.assert(
      fc.property(damage, ({ file, edits }) => {
        let bytes = Buffer.from(originals.get(file)!);
        for (const e of edits) {
          const at = Math.floor(e.at * bytes.length);
          const before = bytes.subarray(0, at);
          const after = bytes.subarray(at);
          switch (e.kind) {
            case 'insert':
              bytes = Buffer.concat([before, Buffer.from(e.text), after]);
              break;
            case 'delete':
              bytes = Buffer.concat([before, after.subarray(e.len)]);
              break;
            case 'bytes':
              bytes = Buffer.concat([before, Buffer.from(e.bytes), after]);
              break;
            case 'crlf':
              bytes = Buffer.from(bytes.toString('latin1').replace(/\n/g, '\r\n'), 'latin1');
              break;
            case 'bom':
              bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
              break;
            case 'tab':
              bytes = Buffer.concat([before, Buffer.from('\t'), after]);
              break;
            case 'duplicate-line': {
              const s = bytes.toString('latin1');
              const start = s.lastIndexOf('\n', at) + 1;
              const end = s.indexOf('\n', at);
              const line = s.slice(start, end < 0 ? s.length : end + 1);
              bytes = Buffer.from(s.slice(0, start) + line + s.slice(start), 'latin1');
              break;
            }
          }
        }
        fs.writeFileSync(path.join(dir, 'mappings', file), bytes);
        try {
          const r = validate({ projectDir: 'mappings', cwd: dir });
          tally('projects.damaged');
          assertLocated(r.diagnostics);
          if (!r.result) expect(errorsOf(r.diagnostics).length).toBeGreaterThan(0);
        } finally {
          fs.writeFileSync(path.join(dir, 'mappings', file), originals.get(file)!);
        }
      }),
      fcParams(RUNS),
    );
  }, 900_000);
});
