/**
 * One backfill run: users stream in, each is computed (./compute.ts), a changed one goes to the
 * changeset and, with `apply`, to Auth0 as one PATCH of its changed top-level metadata keys,
 * recorded in the journal (./journal.ts). At most `window` users are in flight, so memory does
 * not grow with the number of users. `stopped()` (Ctrl-C) ends the reading; what is in flight
 * finishes and is journaled.
 */
import type { Computer, UserChange } from './compute';
import type { Journal, JournalState } from './journal';
import { ManagementError, type ManagementApi } from './management';
import type { UserLine } from './users';

/** The summary (SPEC 8: `read`, `would_change`, `unchanged`, `skipped`, `errors`; `applied`, `failed` after --apply). */
export interface Counts {
  read: number;
  would_change: number;
  unchanged: number;
  skipped: number;
  errors: number;
  applied?: number;
  failed?: number;
  /** Users the journal already has as done (a rerun): neither computed nor written. */
  journaled?: number;
}

export interface ApplyTarget {
  readonly api: ManagementApi;
  readonly journal: Journal;
  readonly state: JournalState;
}

export interface RunInput {
  readonly users: AsyncIterable<UserLine>;
  readonly computer: Computer;
  /** Users in flight at most (computing or waiting for their write). */
  readonly window: number;
  /** Called with each changeset line (JSON, no newline). */
  readonly changeset?: (line: string) => void;
  readonly apply?: ApplyTarget;
  readonly stopped?: () => boolean;
  /** A line of the input that is not a user. */
  readonly onBadLine?: (line: number, problem: string) => void;
  /** A user skipped (failing lookup) or whose write failed. */
  readonly onUserProblem?: (userId: string, what: string) => void;
}

export async function runBackfill(input: RunInput, counts: Counts): Promise<void> {
  const { apply } = input;
  if (apply) {
    counts.applied ??= 0;
    counts.failed ??= 0;
    counts.journaled ??= 0;
  }
  const inflight = new Set<Promise<void>>();
  for await (const u of input.users) {
    if (input.stopped?.()) break;
    counts.read++;
    if ('problem' in u) {
      counts.errors++;
      input.onBadLine?.(u.line, u.problem);
      continue;
    }
    const id = String(u.user['user_id']);
    if (apply && apply.state.done.has(id)) {
      counts.journaled!++;
      continue;
    }
    const p: Promise<void> = handle(input, counts, u.user).finally(() => inflight.delete(p));
    inflight.add(p);
    if (inflight.size >= input.window) await Promise.race(inflight);
  }
  await Promise.all(inflight);
}

async function handle(input: RunInput, counts: Counts, user: Record<string, unknown>): Promise<void> {
  const o = await input.computer.compute(user);
  if (o.kind === 'skipped') {
    counts.skipped++;
    input.onUserProblem?.(String(user['user_id']), o.reason);
    return;
  }
  if (o.kind === 'unchanged') {
    counts.unchanged++;
    return;
  }
  counts.would_change++;
  input.changeset?.(JSON.stringify(o.change));
  if (input.apply) await write(input, input.apply, counts, o.change);
}

async function write(input: RunInput, a: ApplyTarget, counts: Counts, change: UserChange): Promise<void> {
  const { user_id: id, ...body } = change;
  try {
    if (a.state.pending.has(id)) {
      // Sent by an earlier run that died before the answer: written only if it still differs.
      const now = await a.api.userMetadata(id);
      if (now !== null && applied(now, change)) {
        a.journal.done(id);
        counts.applied!++;
        return;
      }
    }
    a.journal.sent(id);
    const r = await a.api.patchUser(id, body);
    if (r.status >= 200 && r.status <= 299) {
      a.journal.done(id);
      counts.applied!++;
    } else {
      counts.failed!++;
      input.onUserProblem?.(id, `PATCH answered ${r.status}`);
    }
  } catch (err) {
    counts.failed!++;
    input.onUserProblem?.(id, err instanceof ManagementError ? err.message : 'write failed');
  }
}

/** Whether the user's metadata already holds every changed top-level key (null: the key is gone). */
export function applied(now: { app_metadata?: unknown; user_metadata?: unknown }, change: UserChange): boolean {
  for (const kind of ['app_metadata', 'user_metadata'] as const) {
    const want = change[kind];
    if (!want) continue;
    const have = now[kind];
    const has = typeof have === 'object' && have !== null ? (have as Record<string, unknown>) : {};
    for (const [k, v] of Object.entries(want)) {
      const cur = Object.prototype.hasOwnProperty.call(has, k) ? has[k] : null;
      if (!same(cur ?? null, v ?? null)) return false;
    }
  }
  return true;
}

/** Deep equality of JSON values (object key order does not matter). */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => same(x, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** An id safe to print: any e-mail address in it (some connections put one there) is masked. */
export function printableId(id: string): string {
  return id.replace(/[^\s@|]+@[^\s@|]+/g, '<email>');
}
