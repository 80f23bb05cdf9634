/**
 * Helpers for the `mapc test` tests: drive the CLI in process with captured output, and build
 * small temporary projects.
 */
import { runMapc } from '../helpers/cli';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');

export interface CliRun {
  readonly exit: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `mapc <argv>` in process from `cwd`, capturing both streams (no colour, no TTY). */
export async function mapc(argv: readonly string[], cwd = REPO): Promise<CliRun> {
  const { code, stdout, stderr } = await runMapc(argv, cwd);
  return { exit: code, stdout, stderr };
}

/** Writes `files` (relative path → text) into a fresh temp folder and returns its path. */
export function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-testing-'));
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  return dir;
}

/** A copy of the sample organisation (`mappings/`) in a temp folder; returns the folder holding `mappings/`. */
export function copySample(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-sample-'));
  fs.cpSync(path.join(REPO, 'mappings'), path.join(dir, 'mappings'), { recursive: true });
  return dir;
}

/** A project file with one system `svc` (timeout 300 ms, no retries) and a claims namespace. */
export const PROJECT = `version: 1
claims_namespace: https://t.example/
defaults: { timeout: 2s, deadline: 8s, retries: 0, on_error: continue }
systems:
  svc:
    base_url: https://svc.example.com/api
    auth: { bearer: SVC_KEY }
    timeout: 300ms
    owner: team-a
`;

/** A post-login spec whose lookup of `svc` uses `onError`, and whose tier becomes a claim. */
export function lookupSpec(onError: 'continue' | 'deny'): string {
  return `version: 1
name: tier
owner: team-a
trigger: post-login
lookups:
  info:
    system: svc
    method: GET
    path: /users/{{user.user_id}}
    on_error: ${onError}${onError === 'deny' ? '\n    deny_message: The tier service is down.' : ''}
fields:
  - to: id_token.tier
    from: info.tier
    default: unknown
`;
}
