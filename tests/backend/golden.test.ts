/**
 * Golden files for what reviewers read: the entry module of the rich fixture and a
 * tenant.yaml. Update with UPDATE_SNAPSHOTS=1 and review the diff; a golden file that no test
 * produces fails the run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitAction } from '../../compiler/emit';
import { renderTenant } from '../../compiler/output';
import { richAction } from './fixture';

const DIR = path.join(__dirname, 'golden');
const UPDATE = process.env['UPDATE_SNAPSHOTS'] === '1';

const GOLDEN: Record<string, () => string> = {
  'rich-action.entry.js': () => emitAction(richAction()).toString(),
  'tenant.yaml': () =>
    renderTenant({
      actions: [richAction()],
      bindings: [{ trigger: 'post-login', actions: ['mapc-post-login'] }],
    }),
};

describe('golden files', () => {
  for (const [name, produce] of Object.entries(GOLDEN)) {
    it(name, () => {
      const file = path.join(DIR, name);
      const actual = produce();
      if (UPDATE) {
        fs.mkdirSync(DIR, { recursive: true });
        fs.writeFileSync(file, actual);
      }
      expect(fs.existsSync(file), `${file} is missing: run with UPDATE_SNAPSHOTS=1`).toBe(true);
      expect(actual).toBe(fs.readFileSync(file, 'utf8'));
    });
  }

  it('has no golden file that no test produces', () => {
    expect(fs.readdirSync(DIR).sort()).toEqual(Object.keys(GOLDEN).sort());
  });
});
