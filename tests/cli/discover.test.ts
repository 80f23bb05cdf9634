/**
 * Config discovery (#19): without -p, mapc finds the project from the working folder upwards
 * (a folder holding mapc.yaml, or mappings/mapc.yaml beside it) and writes `generated/` beside
 * the project folder; -p and -o still win; with nothing found, `mappings` is reported missing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProject, outFor } from '../../compiler/cli/discover';
import { runMapc } from '../helpers/cli';
import { tempProject } from '../helpers/compiled';

const FILES = {
  'mappings/mapc.yaml': 'version: 1\nclaims_namespace: https://acme.example/\n',
  'mappings/profile.yaml': 'version: 1\nname: profile\nowner: team-a\ntrigger: post-login\nfields:\n  - to: app_metadata.display\n    from: user.name\n',
  'docs/notes/readme.txt': 'not mapc\n',
  'mappings/teams/crm/.keep': '',
};

describe('findProject', () => {
  it('finds mappings/mapc.yaml beside the working folder or any folder above it', () => {
    const root = tempProject(FILES);
    expect(findProject(root)).toBe('mappings');
    expect(findProject(path.join(root, 'docs', 'notes'))).toBe('../../mappings');
    expect(findProject(path.join(root, 'mappings'))).toBe('.');
    expect(findProject(path.join(root, 'mappings', 'teams', 'crm'))).toBe('../..');
    expect(outFor(path.join(root, 'docs', 'notes'), '../../mappings')).toBe('../../generated');
    expect(outFor(path.join(root, 'mappings'), '.')).toBe('../generated');
    expect(outFor(root, 'mappings')).toBe('generated');
  });

  it('finds nothing where no folder above holds a project', () => {
    const root = tempProject({ 'a/b.txt': '' });
    // (The temporary folder's ancestors hold no mapc.yaml on a test machine.)
    expect(findProject(path.join(root, 'a'))).toBeNull();
  });
});

describe('mapc without -p', () => {
  it('builds the project found above, into generated/ beside it, from a subfolder', async () => {
    const root = tempProject(FILES);
    const r = await runMapc(['build'], path.join(root, 'docs', 'notes'));
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'mapc: wrote 1 Action(s) to ../../generated/\n' });
    expect(fs.existsSync(path.join(root, 'generated', 'tenant.yaml'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'docs', 'notes', 'generated'))).toBe(false);
    // From inside the project folder: the same output folder, and check agrees with it.
    const check = await runMapc(['check'], path.join(root, 'mappings', 'teams'));
    expect(check).toEqual({ code: 0, stdout: '', stderr: 'mapc: ../../generated/ is up to date.\n' });
  });

  it('locates diagnostics relative to the working folder', async () => {
    const root = tempProject({ ...FILES, 'mappings/profile.yaml': FILES['mappings/profile.yaml'].replace('user.name', 'user.nmae') });
    const r = await runMapc(['validate'], path.join(root, 'docs'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("../mappings/profile.yaml:7:16: error MAPC0302: unknown path 'user.nmae'");
  });

  it('-p and -o win; init creates where it is told', async () => {
    const root = tempProject(FILES);
    const r = await runMapc(['build', '-p', 'mappings', '-o', 'out'], root);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(root, 'out', 'tenant.yaml'))).toBe(true);
    const init = await runMapc(['init', '-p', 'other'], path.join(root, 'docs'));
    expect(init.code).toBe(0);
    expect(fs.existsSync(path.join(root, 'docs', 'other', 'mapc.yaml'))).toBe(true);
  });

  it('reports the missing mappings/ when nothing is found', async () => {
    const root = tempProject({ 'a/b.txt': '' });
    const r = await runMapc(['validate'], path.join(root, 'a'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error MAPC0101: project folder 'mappings' does not exist");
  });
});
