/**
 * `--watch` for `mapc build` and `mapc test`: run once, then again each time a file of the
 * project folder is saved, printing the new diagnostics (or the test results), until the
 * process is stopped. Saves that come together (an editor writes a file and its backup, a
 * `git checkout` touches many) are taken as one change after a short quiet time; a change
 * during a run queues one more run. Runs happen in this process, so the compiler is warm: a
 * one-spec change on the sample organisation prints in well under 200 ms (docs/performance.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliIO } from './io';

/** Quiet time after the last file event before a run starts. */
const SETTLE_MS = 40;

export interface WatchOptions {
  /** The project folder (absolute). */
  readonly root: string;
  /** One run of the command; `changed` are the project-relative paths saved since the last run (empty the first time). */
  readonly run: (changed: readonly string[]) => Promise<number>;
  /** Stops watching (tests); without it, watching ends with the process. */
  readonly signal?: AbortSignal;
}

/** Editor droppings and hidden files: not part of a project. */
function ignored(rel: string): boolean {
  const base = path.basename(rel);
  return base.startsWith('.') || base.endsWith('~') || base.endsWith('.swp') || base.endsWith('.tmp') || !/\.(ya?ml)$/.test(base);
}

/** Runs `o.run` now and after every change; resolves (with the last exit code) only when `o.signal` aborts. */
export async function watch(io: CliIO, o: WatchOptions): Promise<number> {
  let last = await o.run([]);
  const shown = path.relative(io.cwd, o.root) || '.';
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const fire = (): void => {
    timer = undefined;
    if (running) return; // the run in progress starts another when it ends
    const changed = [...pending].sort();
    pending = new Set();
    if (changed.length === 0) return;
    io.stderr(`\nmapc: ${changed.join(', ')} changed\n`);
    running = o.run(changed).then(
      (code) => {
        last = code;
        running = undefined;
        if (pending.size > 0) fire();
      },
      () => {
        running = undefined;
      },
    );
  };
  return new Promise<number>((resolve) => {
    // One watcher per folder, set up synchronously (Node 20's recursive watch on Linux walks
    // the tree asynchronously and misses saves made right after it starts); a new folder gets
    // its own watcher when it appears.
    const watchers = new Map<string, fs.FSWatcher>();
    const add = (dir: string): void => {
      if (watchers.has(dir)) return;
      let w: fs.FSWatcher;
      try {
        w = fs.watch(dir, (_event, file) => {
          if (file === null) return;
          const abs = path.join(dir, file.toString());
          if (!path.basename(abs).startsWith('.') && isDir(abs)) add(abs);
          if (ignored(abs)) return;
          pending.add(path.relative(io.cwd, abs).split(path.sep).join('/'));
          if (timer) clearTimeout(timer);
          timer = setTimeout(fire, SETTLE_MS);
        });
      } catch {
        return; // gone or unreadable: the next run reports it
      }
      w.on('error', () => {
        w.close();
        watchers.delete(dir);
      });
      watchers.set(dir, w);
      for (const e of readDir(dir)) if (e.isDirectory() && !e.name.startsWith('.')) add(path.join(dir, e.name));
    };
    add(o.root);
    io.stderr(`mapc: watching ${shown}/ for changes (Ctrl-C to stop)\n`);
    o.signal?.addEventListener('abort', () => {
      for (const w of watchers.values()) w.close();
      if (timer) clearTimeout(timer);
      void Promise.resolve(running).then(() => resolve(last));
    });
  });
}

function isDir(p: string): boolean {
  try {
    return fs.lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

function readDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
