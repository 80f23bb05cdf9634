/**
 * The output is byte-for-byte deterministic (SPEC 6) and the committed generated/ is
 * exactly what a fresh build of mappings/ produces (the golden test of the sample
 * organisation's generated code).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileOrThrow, REPO, tempProject } from '../helpers/compiled';

function copyTree(from: string, to: string): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) {
      fs.mkdirSync(dst, { recursive: true });
      copyTree(src, dst);
    } else fs.copyFileSync(src, dst);
  }
}

function readTree(dir: string, base = dir, out = new Map<string, string>()): Map<string, string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) readTree(abs, base, out);
    else out.set(path.relative(base, abs).split(path.sep).join('/'), fs.readFileSync(abs, 'utf8'));
  }
  return out;
}

describe('deterministic output', () => {
  it('builds the same bytes from two different folders', async () => {
    const a = tempProject({});
    const b = path.join(tempProject({}), 'deeper', 'elsewhere');
    for (const root of [a, b]) {
      fs.mkdirSync(path.join(root, 'mappings'), { recursive: true });
      copyTree(path.join(REPO, 'mappings'), path.join(root, 'mappings'));
    }
    const first = await compileOrThrow('mappings', a);
    const second = await compileOrThrow('mappings', b);
    expect([...first.files.keys()]).toEqual([...second.files.keys()]);
    for (const [file, text] of first.files) expect(second.files.get(file), file).toBe(text);
    for (const text of first.files.values()) {
      expect(text).not.toContain(a);
      expect(text).not.toContain(REPO);
    }
  });

  it('builds the same bytes whatever folder mapc runs from', async () => {
    const fromRoot = await compileOrThrow('mappings', REPO);
    const fromInside = await compileOrThrow('.', path.join(REPO, 'mappings'));
    const fromElsewhere = await compileOrThrow(path.join(REPO, 'mappings'), tempProject({}));
    for (const other of [fromInside, fromElsewhere]) {
      expect([...other.files.keys()]).toEqual([...fromRoot.files.keys()]);
      for (const [file, text] of fromRoot.files) expect(other.files.get(file), file).toBe(text);
    }
  });

  it('the committed generated/ equals a fresh build of mappings/', async () => {
    const fresh = await compileOrThrow('mappings');
    const committed = readTree(path.join(REPO, 'generated'));
    expect([...committed.keys()].sort()).toEqual([...fresh.files.keys()].sort());
    for (const [file, text] of fresh.files) expect(committed.get(file), `generated/${file}`).toBe(text);
  });
});
