/**
 * Golden outputs of `mapc diff` (markdown, the pull-request comment, and text) for a change
 * of every kind, a rename-only change and a base that does not build. `UPDATE_GOLDEN=1`
 * rewrites them; a golden file that no test produces fails the run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commit, edit, expectGolden, mapc, normaliseSizes, orphanGoldens, repoWithBase } from './helpers';
import { applyEveryChange } from './scenario';

describe('mapc diff golden outputs', () => {
  const every = repoWithBase();
  applyEveryChange(every);

  it('every kind of change: markdown', async () => {
    const r = await mapc(every, 'diff', '--format', 'markdown');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectGolden('every-change.md', normaliseSizes(r.stdout));
  });

  it('every kind of change: text', async () => {
    const r = await mapc(every, 'diff');
    expect(r.code).toBe(0);
    expectGolden('every-change.txt', normaliseSizes(r.stdout));
  });

  it('a spec file renamed without other change: no semantic change', async () => {
    const dir = repoWithBase();
    fs.mkdirSync(path.join(dir, 'mappings', 'billing'));
    fs.renameSync(path.join(dir, 'mappings', 'subscription-enrichment.yaml'), path.join(dir, 'mappings', 'billing', 'subscription.yaml'));
    const r = await mapc(dir, 'diff', '--format', 'markdown');
    expect(r.code).toBe(0);
    expectGolden('rename-only.md', normaliseSizes(r.stdout));
  });

  it('a base that does not build is reported, not a crash', async () => {
    const dir = repoWithBase();
    edit(dir, 'mappings/token-claims.yaml', 'from: user.app_metadata.roles', 'from: usr.app_metadata.roles');
    commit(dir, 'broken');
    edit(dir, 'mappings/token-claims.yaml', 'from: usr.app_metadata.roles', 'from: user.app_metadata.roles');
    const r = await mapc(dir, 'diff', '--format', 'markdown');
    expect(r.code).toBe(0);
    expectGolden('broken-base.md', normaliseSizes(r.stdout));
  });

  afterAll(() => {
    // Esbuild's habit: a golden file nobody produces is stale and fails the run.
    if (process.env['UPDATE_GOLDEN'] !== '1') expect(orphanGoldens()).toEqual([]);
  });
});
