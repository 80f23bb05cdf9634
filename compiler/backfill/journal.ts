/**
 * The journal of an applied backfill: append-only JSON lines, each written with one
 * synchronous `write` so that a crash, a kill or Ctrl-C loses at most the line being written
 * (a torn last line is ignored when read back).
 *
 *   {"mapc_backfill":1,"spec":"<name>"}     first line
 *   {"sent":"<user_id>"}                     before the PATCH leaves
 *   {"done":"<user_id>"}                     after Auth0 answered 2xx (or the change was found applied)
 *
 * A rerun skips every `done` user. A user `sent` but not `done` may or may not have been
 * written when the process died: the rerun reads that user's metadata back and writes only
 * if it still differs, so no user is written twice.
 */
import * as fs from 'node:fs';

export interface JournalState {
  readonly done: ReadonlySet<string>;
  /** Sent, with no `done` after: the answer was lost. */
  readonly pending: ReadonlySet<string>;
}

export type OpenJournal = { readonly journal: Journal; readonly state: JournalState } | { readonly problem: string };

export class Journal {
  private constructor(private readonly fd: number) {}

  /** Opens (creating when missing) the journal of `spec`; a problem when it belongs to another spec or is not a journal. */
  static open(file: string, spec: string): OpenJournal {
    const done = new Set<string>();
    const pending = new Set<string>();
    let exists = false;
    try {
      exists = fs.statSync(file).size > 0;
    } catch {
      exists = false;
    }
    if (exists) {
      // Read in chunks: a journal of millions of users is not held whole either.
      const fd = fs.openSync(file, 'r');
      const buf = Buffer.alloc(1 << 20);
      let rest = '';
      let first = true;
      let problem: string | null = null;
      const take = (line: string): void => {
        if (line.trim() === '' || problem !== null) return;
        let v: Record<string, unknown>;
        try {
          v = JSON.parse(line) as Record<string, unknown>;
        } catch {
          return; // a torn line (the process died while writing it)
        }
        if (first) {
          first = false;
          if (v['mapc_backfill'] !== 1) problem = 'is not a mapc backfill journal';
          else if (v['spec'] !== spec) problem = `was written for spec '${String(v['spec'])}', not '${spec}'`;
          return;
        }
        if (typeof v['sent'] === 'string') pending.add(v['sent']);
        if (typeof v['done'] === 'string') {
          done.add(v['done']);
          pending.delete(v['done']);
        }
      };
      try {
        for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) {
          rest += buf.toString('utf8', 0, n);
          const lines = rest.split('\n');
          rest = lines.pop()!;
          for (const l of lines) take(l);
        }
        take(rest);
      } finally {
        fs.closeSync(fd);
      }
      if (problem !== null) return { problem };
      if (first) return { problem: 'is not a mapc backfill journal' };
    }
    const fd = fs.openSync(file, 'a');
    const journal = new Journal(fd);
    if (!exists) journal.write({ mapc_backfill: 1, spec });
    else {
      // A torn last line must not glue itself to the next record.
      const size = fs.fstatSync(fd).size;
      const last = Buffer.alloc(1);
      const rfd = fs.openSync(file, 'r');
      fs.readSync(rfd, last, 0, 1, size - 1);
      fs.closeSync(rfd);
      if (last[0] !== 0x0a) fs.writeSync(fd, '\n');
    }
    return { journal, state: { done, pending } };
  }

  sent(userId: string): void {
    this.write({ sent: userId });
  }

  done(userId: string): void {
    this.write({ done: userId });
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private write(v: unknown): void {
    fs.writeSync(this.fd, JSON.stringify(v) + '\n');
  }
}
