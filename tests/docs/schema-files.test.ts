/**
 * Editor support (issue #9): the committed `schema/*.json` are exactly what `mapc schema
 * --out schema` writes, and every YAML file mapc reads in the repository (the sample
 * organisation, the cookbook, the init scaffold) points yaml-language-server at the right one
 * with a relative path that exists.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSchema } from '../../compiler/cli/commands/schema';
import { REPO } from '../helpers/compiled';

const KINDS = ['project', 'spec', 'test'] as const;
type Kind = (typeof KINDS)[number];

/** Which schema a file of a mapc project uses (the loader's own rule: mapc.yaml, *.test.yaml, the rest are specs). */
function kindOf(file: string): Kind {
  const base = path.basename(file);
  if (base === 'mapc.yaml') return 'project';
  return base.endsWith('.test.yaml') ? 'test' : 'spec';
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(abs));
    else if (e.name.endsWith('.yaml')) out.push(abs);
  }
  return out.sort();
}

/** The `# yaml-language-server: $schema=...` target of a file, or null. */
function schemaHint(text: string): string | null {
  const m = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text);
  return m ? m[1]! : null;
}

describe('committed schema/*.json', () => {
  it.each(KINDS)('schema/%s.schema.json equals what `mapc schema` renders', (kind) => {
    const committed = fs.readFileSync(path.join(REPO, 'schema', `${kind}.schema.json`), 'utf8');
    expect(committed).toBe(renderSchema(kind));
  });

  it('holds nothing else', () => {
    expect(fs.readdirSync(path.join(REPO, 'schema')).sort()).toEqual(KINDS.map((k) => `${k}.schema.json`));
  });
});

describe('schema hints in the repository YAML files', () => {
  const roots = ['mappings', 'examples/cookbook'].map((r) => path.join(REPO, r));
  const files = roots.filter((r) => fs.existsSync(r)).flatMap(yamlFiles);

  it('finds the sample organisation and the cookbook', () => {
    expect(files.some((f) => f.includes(`${path.sep}mappings${path.sep}mapc.yaml`))).toBe(true);
    expect(files.some((f) => f.includes(`examples${path.sep}cookbook${path.sep}`) && f.endsWith('.test.yaml'))).toBe(true);
  });

  it.each(files.map((f) => [path.relative(REPO, f), f]))('%s points at the right schema', (_rel, file) => {
    const hint = schemaHint(fs.readFileSync(file, 'utf8'));
    expect(hint, 'first lines should carry # yaml-language-server: $schema=...').not.toBeNull();
    const target = path.resolve(path.dirname(file), hint!);
    expect(path.relative(REPO, target).split(path.sep).join('/')).toBe(`schema/${kindOf(file)}.schema.json`);
    expect(fs.existsSync(target)).toBe(true);
  });
});
