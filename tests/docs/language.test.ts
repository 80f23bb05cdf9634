/**
 * docs/language.md cannot drift from the compiler: its generated blocks equal a fresh
 * rendering from the schemas, SIGNATURES, TRIGGERS, LIMITS, the event models and the parser
 * (UPDATE_GOLDEN=1 rewrites them), every registry has its block, and the page's own project,
 * spec and test examples build together and their test case passes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/pipeline';
import { formatText } from '../../compiler/diagnostics/format';
import { hasErrors } from '../../compiler/diagnostics/diagnostic';
import { loadTestCases, runCases, formatResult } from '../../compiler/emulator/cases';
import { TRIGGER_IDS } from '../../compiler/triggers';
import { SIGNATURES } from '../../runtime/signatures';
import { blockNames, regenerate, renderBlock, REPO } from './docgen';

const DOC = path.join(REPO, 'docs', 'language.md');
const text = () => fs.readFileSync(DOC, 'utf8');

describe('docs/language.md', () => {
  it('equals its regeneration from the compiler registries (UPDATE_GOLDEN=1 to refresh)', () => {
    let committed = text();
    const fresh = regenerate(committed);
    if (process.env['UPDATE_GOLDEN'] === '1' && fresh !== committed) {
      fs.writeFileSync(DOC, fresh);
      committed = fresh;
    }
    expect(committed, 'docs/language.md is out of date: run `node scripts/gen-docs.js` and review the diff').toBe(fresh);
  });

  it('has a block for every registry and every trigger', () => {
    expect(blockNames(text())).toEqual([
      'project-keys',
      'spec-keys',
      'grammar',
      'functions',
      'triggers',
      ...TRIGGER_IDS.map((t) => `events:${t}`),
      'limits',
      'test-keys',
    ]);
  });

  it('documents every library function with its signature, null rule and doc', () => {
    const functions = renderBlock('functions');
    for (const [name, s] of Object.entries(SIGNATURES)) {
      const row = functions.split('\n').find((l) => l.startsWith(`| \`${name}(`));
      expect(row, name).toBeDefined();
      expect(row).toContain(s.nullRule.replace(/\|/g, '\\|'));
      for (const e of s.examples) expect(row).toContain(e.call.replace(/\|/g, '\\|'));
    }
  });

  it('documents every key of every schema, with the defaults the descriptions state', () => {
    const project = renderBlock('project-keys');
    for (const key of ['version', 'claims_namespace', 'runtime', 'defaults.deadline', 'systems.<system>.base_url.routes', 'attributes.<attribute>.enum']) {
      expect(project).toContain(`| \`${key}\` |`);
    }
    expect(project).toMatch(/\| `defaults\.timeout` \| [^|]+ \|  \| `2s` \|/);
    const spec = renderBlock('spec-keys');
    for (const key of ['lookups.<lookup>.when', 'fields[].transform', 'sends[].store', 'access[].redirect.url', 'access[].mfa']) {
      expect(spec).toContain(`| \`${key}\` |`);
    }
  });

  it('rejects an unknown block name rather than rendering nothing', () => {
    expect(() => regenerate('<!-- generated:fucntions -->\n<!-- /generated:fucntions -->')).toThrow("unknown generated block 'fucntions'");
  });

  it("the page's project, spec and test examples build together and the case passes", async () => {
    const blocks = [...text().matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const project = blocks.find((b) => b.includes('\nclaims_namespace:'));
    const spec = blocks.find((b) => b.startsWith('version: 1\nname:'));
    const test = blocks.find((b) => b.startsWith('spec:'));
    expect([project, spec, test].every((b) => b !== undefined)).toBe(true);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-langdoc-'));
    fs.mkdirSync(path.join(dir, 'mappings'));
    fs.writeFileSync(path.join(dir, 'mappings', 'mapc.yaml'), project!);
    fs.writeFileSync(path.join(dir, 'mappings', 'example.yaml'), spec!);
    fs.writeFileSync(path.join(dir, 'mappings', 'example.test.yaml'), test!);

    const compiled = await compile({ projectDir: 'mappings', cwd: dir });
    expect(hasErrors(compiled.diagnostics), formatText(compiled.diagnostics, { color: false, frames: false })).toBe(false);
    const loaded = loadTestCases(compiled.result!.loaded.testFiles, compiled.result!.program, dir);
    // Compare plain text, never the IR: its spans hold whole files and print very slowly.
    expect(formatText(loaded.diagnostics, { color: false, frames: false })).toBe('');
    expect(loaded.result.map((c) => c.name)).toEqual(['premium user gets the tier claim']);
    const results = await runCases(loaded.result, { code: compiled.result!.code, claimsNamespace: 'https://acme.example/' });
    expect(results.map((r) => formatResult(r).replace(/ \(\d+ ms\)/, ''))).toEqual(['✓ subscription-enrichment › premium user gets the tier claim']);
  });
});
