/**
 * Test helpers for `mapc diff`: a temporary git repository whose first commit holds the frozen
 * sample project (tests/diff/fixture), edits of its files, and the CLI run in-process.
 */
import { runMapc, type CliResult } from '../helpers/cli';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';

export const FIXTURE = path.join(__dirname, 'fixture');
export const GOLDEN = path.join(__dirname, 'golden');

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A fresh repository with `mappings/` = the fixture (plus `extra` files), committed. */
export function repoWithBase(extra: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-diff-test-'));
  fs.mkdirSync(path.join(dir, 'mappings'));
  for (const f of fs.readdirSync(FIXTURE)) fs.copyFileSync(path.join(FIXTURE, f), path.join(dir, 'mappings', f));
  for (const [rel, text] of Object.entries(extra)) write(dir, rel, text);
  git(dir, 'init', '-q', '-b', 'main');
  commit(dir, 'base');
  return dir;
}

export function commit(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, '-c', 'user.email=t@t', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', message);
}

export function write(dir: string, rel: string, text: string): void {
  const abs = path.join(dir, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
}

export function read(dir: string, rel: string): string {
  return fs.readFileSync(path.join(dir, rel), 'utf8');
}

/** Replaces `from` (which must occur exactly once) by `to` in a file. */
export function edit(dir: string, rel: string, from: string, to: string): void {
  const text = read(dir, rel);
  const n = text.split(from).length - 1;
  if (n !== 1) throw new Error(`${rel}: expected exactly one '${from}', found ${n}`);
  write(dir, rel, text.replace(from, to));
}

export type { CliResult };

/** Runs `mapc <argv>` in-process with `cwd`. */
export async function mapc(cwd: string, ...argv: string[]): Promise<CliResult> {
  return runMapc(argv, cwd);
}

/**
 * Action sizes depend on the runtime and code generator, which change on their own; golden
 * files keep the shape of the size table and the exact numbers are asserted from json.
 */
export function normaliseSizes(s: string): string {
  return s.replace(/(±|[+-])?\d{1,3}(,\d{3})* B\b/g, 'N B');
}

const produced = new Set<string>();

/** Compares `actual` with golden file `name` (`UPDATE_GOLDEN=1` rewrites it). */
export function expectGolden(name: string, actual: string): void {
  produced.add(name);
  const file = path.join(GOLDEN, name);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    fs.mkdirSync(GOLDEN, { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  if (!fs.existsSync(file)) throw new Error(`missing golden file tests/diff/golden/${name} (run with UPDATE_GOLDEN=1)`);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

/** Golden files that no test produced (call after all golden tests ran). */
export function orphanGoldens(): string[] {
  if (!fs.existsSync(GOLDEN)) return [];
  return fs.readdirSync(GOLDEN).filter((f) => !produced.has(f)).sort();
}
