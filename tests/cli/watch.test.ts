/**
 * `mapc build --watch` and `mapc test --watch` as processes (#16): a file saved on disk
 * produces new diagnostics, a rebuilt Action, new test results; a broken save leaves the
 * last good output in place.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, tempProject } from '../helpers/compiled';

const PROJECT = 'version: 1\nclaims_namespace: https://acme.example/\n';
const spec = (from: string) => `version: 1
name: profile
owner: team-a
trigger: post-login
fields:
  - to: app_metadata.display
    from: ${from}
`;
const TESTS = (display: string) => `spec: profile
cases:
  - name: copies the name
    expect: { app_metadata: { display: ${display} } }
`;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** Starts `mapc <args>` in `cwd`; `until(text)` resolves when stdout+stderr so far contain `text` `times` times. */
function start(args: string[], cwd: string) {
  const child = spawn(process.execPath, [path.join(REPO, 'bin/mapc.js'), ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  children.push(child);
  let out = '';
  const waiters: { text: string; times: number; resolve: () => void }[] = [];
  const count = (t: string) => out.split(t).length - 1;
  const check = () => {
    for (const w of waiters.splice(0)) (count(w.text) >= w.times ? w.resolve : () => waiters.push(w))();
  };
  child.stdout.on('data', (d: Buffer) => ((out += d.toString()), check()));
  child.stderr.on('data', (d: Buffer) => ((out += d.toString()), check()));
  return {
    output: () => out,
    until: (text: string, times = 1) =>
      new Promise<void>((resolve, reject) => {
        // A safety net so a regression fails instead of hanging: not a speed assertion.
        const t = setTimeout(() => reject(new Error(`no '${text}' ×${times} in:\n${out}`)), 30_000);
        waiters.push({ text, times, resolve: () => (clearTimeout(t), resolve()) });
        check();
      }),
  };
}

describe('--watch', () => {
  it('build --watch rebuilds on save, reports a broken save and keeps the last good output', async () => {
    const dir = tempProject({ 'mappings/mapc.yaml': PROJECT, 'mappings/profile.yaml': spec('user.name') });
    const p = start(['build', '--watch', '-p', 'mappings', '-o', 'generated'], dir);
    await p.until('watching mappings/');
    const code = path.join(dir, 'generated/actions/mapc-post-login/code.js');
    expect(fs.readFileSync(code, 'utf8')).toContain('user.name');

    fs.writeFileSync(path.join(dir, 'mappings/profile.yaml'), spec('usr.nickname'));
    await p.until('MAPC0301');
    expect(p.output(), p.output()).toContain('mappings/profile.yaml changed');
    expect(fs.readFileSync(code, 'utf8')).toContain('user.name');

    fs.writeFileSync(path.join(dir, 'mappings/profile.yaml'), spec('user.nickname'));
    await p.until('wrote 1 Action(s) to generated/', 2);
    expect(fs.readFileSync(code, 'utf8')).toContain('user.nickname');
  });

  it('test --watch runs the cases again when a spec or a test file is saved', async () => {
    const dir = tempProject({ 'mappings/mapc.yaml': PROJECT, 'mappings/profile.yaml': spec('user.name'), 'mappings/profile.test.yaml': TESTS('Jane Doe') });
    const p = start(['test', '--watch', '-p', 'mappings'], dir);
    await p.until('watching mappings/');
    expect(p.output()).toContain('1 passed, 0 failed');

    fs.writeFileSync(path.join(dir, 'mappings/profile.test.yaml'), TESTS('Somebody Else'));
    await p.until('0 passed, 1 failed');

    fs.writeFileSync(path.join(dir, 'mappings/profile.yaml'), spec("concat('Somebody', ' Else')"));
    await p.until('1 passed, 0 failed', 2);
  });
});
