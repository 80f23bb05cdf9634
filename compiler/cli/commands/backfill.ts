/**
 * `mapc backfill --spec <name>`: brings existing users up to date with a spec's metadata fields
 * (docs/backfill.md). Users come from `--users` (NDJSON, gzipped or not) or from an Auth0 users
 * export job; a dry run (the default) writes nothing to Auth0 and prints the counts, the
 * changeset going to `--out`; `--apply` PATCHes the changed users within `--rate`, journaled.
 *
 * Output: progress on stderr (a status line on a terminal, JSON lines otherwise), then the
 * summary on stdout (one line, or one JSON document with `-f json`). Never a secret, a token
 * or an e-mail address. Exit 0 when every user was computed and (with --apply) every change
 * applied; 1 otherwise (diagnostics, bad lines, skipped users, failed writes, an interruption).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diag, hasErrors, type Diagnostic } from '../../diagnostics';
import { sourceFile, span } from '../../source';
import {
  backfillPlan,
  Computer,
  Journal,
  ManagementApi,
  ManagementError,
  openDownload,
  openUsersFile,
  parseRate,
  perSecond,
  printableId,
  readUsers,
  runBackfill,
  SlidingWindow,
  type Counts,
  type JournalState,
  type ReadCounter,
} from '../../backfill';
import { compile } from '../../pipeline';
import { cacheFolder } from '../../output';
import { EXIT, type CliIO } from '../io';
import { report } from './build';

export interface BackfillOptions {
  readonly project: string;
  readonly spec: string;
  readonly users?: string;
  readonly out?: string;
  readonly apply?: boolean;
  readonly rate: string;
  readonly journal?: string;
  readonly concurrency: number;
  readonly format: 'text' | 'json';
}

/** Problems printed one by one before "and N more". */
const MAX_LISTED = 20;

export async function backfillCommand(io: CliIO, o: BackfillOptions): Promise<number> {
  const rate = parseRate(o.rate);
  if (rate === null) {
    io.stderr(`mapc: --rate '${o.rate}' is not a rate: give writes per second (16, 2.5) or per minute (200/min)\n`);
    return EXIT.usage;
  }
  const folder = cacheFolder(io.cwd, io.env);
  const compiled = await compile({ projectDir: o.project, cwd: io.cwd, ...(folder !== null ? { cacheDir: folder } : {}) });
  const fmt = o.format === 'json' ? 'json' : 'text';
  if (!compiled.result || hasErrors(compiled.diagnostics)) {
    report(io, fmt, compiled.diagnostics, o.project);
    return EXIT.failed;
  }
  const planned = await backfillPlan(compiled.result, o.spec);
  if (!planned.result) {
    report(io, fmt, [...compiled.diagnostics, ...planned.diagnostics], o.project);
    return EXIT.failed;
  }
  const plan = planned.result;

  // Settings: the systems' secrets (as in event.secrets) and the Management API credentials.
  const missing: Diagnostic[] = [];
  const secrets: Record<string, string> = {};
  for (const name of plan.secrets) {
    const v = io.env[name];
    if (v === undefined || v === '') missing.push(diag('MAPC0823', undefined, `the secret ${name} is not set: backfill reads the systems' secrets from environment variables of the same names`, `export ${name}=... before running mapc backfill`));
    else secrets[name] = v;
  }
  if (o.users !== undefined && !fs.existsSync(path.resolve(io.cwd, o.users))) {
    missing.push(diag('MAPC0822', undefined, `cannot read the users file ${o.users}: no such file`, 'give an export of the tenant\'s users (NDJSON, one user a line, gzipped or not), or leave --users out to run an export job'));
  }
  const needsApi = o.users === undefined || o.apply === true;
  const domain = io.env['AUTH0_DOMAIN'];
  const clientId = io.env['AUTH0_CLIENT_ID'];
  const clientSecret = io.env['AUTH0_CLIENT_SECRET'];
  if (needsApi) {
    const absent = (['AUTH0_DOMAIN', 'AUTH0_CLIENT_ID', 'AUTH0_CLIENT_SECRET'] as const).filter((k) => !io.env[k]);
    if (absent.length > 0) {
      missing.push(
        diag('MAPC0823', undefined, `${absent.join(', ')} ${absent.length === 1 ? 'is' : 'are'} not set: ${o.apply ? '--apply writes through' : 'without --users, the users come from'} the Auth0 Management API`, 'set the Deploy CLI\'s variables AUTH0_DOMAIN (host[:port]), AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET of a machine-to-machine application with read:users and update:users'),
      );
    } else if (/^[a-z]+:\/\//i.test(domain!) || /[/?#@\s]/.test(domain!)) {
      missing.push(diag('MAPC0823', undefined, 'AUTH0_DOMAIN must be a host[:port] (the Management API is always reached over https)', 'for example AUTH0_DOMAIN=acme.eu.auth0.com'));
    }
  }
  if (missing.length > 0) {
    report(io, fmt, missing, o.project);
    return EXIT.failed;
  }

  const api = needsApi ? new ManagementApi({ domain: domain!, clientId: clientId!, clientSecret: clientSecret! }, new SlidingWindow(rate)) : undefined;
  let journal: Journal | undefined;
  let state: JournalState | undefined;
  if (o.apply) {
    const file = path.resolve(io.cwd, o.journal ?? `mapc-backfill-${plan.spec}.journal`);
    let opened: ReturnType<typeof Journal.open>;
    try {
      opened = Journal.open(file, plan.spec);
    } catch (err) {
      opened = { problem: `cannot be opened (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
    }
    if ('problem' in opened) {
      report(io, fmt, [diag('MAPC0824', undefined, `the journal ${path.relative(io.cwd, file)} ${opened.problem}`, 'give this spec its own --journal file; keep a journal until its backfill has finished')], o.project);
      api?.close();
      return EXIT.failed;
    }
    journal = opened.journal;
    state = opened.state;
  }

  const counter: ReadCounter = { bytes: 0 };
  let totalBytes: number | undefined;
  const counts: Counts = { read: 0, would_change: 0, unchanged: 0, skipped: 0, errors: 0 };
  const started = Date.now();
  const json = !io.isTTY;
  let lastProgress = 0;
  const progress = (final = false): void => {
    const now = Date.now();
    if (!final && now - lastProgress < (json ? 2000 : 250)) return;
    lastProgress = now;
    const secs = Math.max(0.001, (now - started) / 1000);
    const f = totalBytes ? Math.min(1, counter.bytes / totalBytes) : undefined;
    const eta = f !== undefined && f > 0 && f < 1 ? Math.round((secs * (1 - f)) / f) : undefined;
    const usersPerSec = counts.read / secs;
    const writesPerSec = (counts.applied ?? 0) / secs;
    if (json) {
      io.stderr(JSON.stringify({ progress: { ...counts, users_per_s: round(usersPerSec), ...(o.apply ? { writes_per_s: round(writesPerSec) } : {}), ...(eta !== undefined ? { eta_s: eta } : {}) } }) + '\n');
    } else {
      const pct = f !== undefined ? ` ${(f * 100).toFixed(1)}%` : '';
      io.stderr(
        `\r\x1b[Kmapc backfill:${pct} read ${counts.read}, would change ${counts.would_change}${o.apply ? `, applied ${counts.applied ?? 0} (${writesPerSec.toFixed(1)} writes/s)` : ''}, ${usersPerSec.toFixed(0)} users/s${eta !== undefined ? `, ETA ${duration(eta)}` : ''}${final ? '\n' : ''}`,
      );
    }
  };
  const ticker = setInterval(() => progress(), json ? 2000 : 250);

  let stopped = false;
  const unhook = io.onInterrupt?.(() => {
    stopped = true;
    io.stderr('\nmapc: stopping: the writes in flight finish and are journaled (press Ctrl-C again to quit at once; the journal stays consistent)\n');
  });

  let outFd: number | undefined;
  const problems: string[] = [];
  let problemCount = 0;
  const listProblem = (s: string): void => {
    problemCount++;
    if (problems.length < MAX_LISTED) problems.push(s);
  };
  const badLines: Diagnostic[] = [];
  const usersPath = o.users !== undefined ? path.relative(io.cwd, path.resolve(io.cwd, o.users)) || o.users : 'the export job';
  let fatal: string | undefined;
  try {
    if (o.out !== undefined) outFd = fs.openSync(path.resolve(io.cwd, o.out), 'w');
    let input;
    if (o.users !== undefined) {
      const file = path.resolve(io.cwd, o.users);
      totalBytes = fs.statSync(file).size;
      input = openUsersFile(file, counter);
    } else {
      io.stderr(`mapc: exporting users from ${domain} (fields: ${plan.userFields.join(', ')})\n`);
      const exported = await api!.exportUsers(plan.userFields, (status) => json && io.stderr(JSON.stringify({ export_job: status }) + '\n'));
      totalBytes = exported.bytes;
      input = openDownload(exported.stream, counter);
    }
    const computer = new Computer(plan, { secrets, concurrency: o.concurrency });
    await runBackfill(
      {
        users: readUsers(input),
        computer,
        window: o.concurrency + Math.min(256, Math.max(4, Math.ceil(perSecond(rate)))),
        ...(outFd !== undefined ? { changeset: (line: string) => void fs.writeSync(outFd!, line + '\n') } : {}),
        ...(o.apply && api && journal && state ? { apply: { api, journal, state } } : {}),
        stopped: () => stopped,
        onBadLine: (line, problem) => {
          if (badLines.length < MAX_LISTED) badLines.push(diag('MAPC0822', lineSpan(usersPath, line), `line ${line} of the users file ${problem}`, 'each line must be one exported user: a JSON object with a user_id (Auth0 export-job format)'));
          else problemCount++;
        },
        onUserProblem: (id, what) => listProblem(`${printableId(id)}: ${what}`),
      },
      counts,
    );
    input.destroy();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    fatal =
      err instanceof ManagementError
        ? err.message
        : e.code === 'ENOENT'
          ? `cannot read ${e.path ? path.relative(io.cwd, e.path) : usersPath}: no such file`
          : e.code === 'Z_DATA_ERROR' || e.code === 'Z_BUF_ERROR'
            ? `${usersPath} is not valid gzip`
            : `${e.code ?? 'error'} while reading ${usersPath}`;
  } finally {
    clearInterval(ticker);
    unhook?.();
    if (outFd !== undefined) fs.closeSync(outFd);
    journal?.close();
    api?.close();
  }
  progress(true);

  const diagnostics = [...badLines, ...(fatal !== undefined ? [diag('MAPC0825', undefined, fatal, 'nothing after this point was read; rerun (with the same --journal) once it is fixed')] : [])];
  if (diagnostics.length > 0) report(io, 'text', diagnostics);
  for (const p of problems) io.stderr(`mapc: ${p}\n`);
  if (problemCount > problems.length) io.stderr(`mapc: … and ${problemCount - problems.length} more\n`);

  const ok = fatal === undefined && !stopped && counts.errors === 0 && counts.skipped === 0 && (counts.failed ?? 0) === 0;
  if (o.format === 'json') {
    io.stdout(JSON.stringify({ spec: plan.spec, dry_run: !o.apply, ...counts, ...(stopped ? { interrupted: true } : {}), ...(fatal !== undefined ? { error: fatal } : {}) }, null, 2) + '\n');
  } else {
    const parts = [`read ${counts.read}`, `would change ${counts.would_change}`, `unchanged ${counts.unchanged}`, `skipped ${counts.skipped}`, `errors ${counts.errors}`];
    if (o.apply) parts.push(`applied ${counts.applied ?? 0}`, `failed ${counts.failed ?? 0}`, ...(counts.journaled ? [`already done ${counts.journaled}`] : []));
    const tail = o.apply ? '' : `; dry run: nothing was written to Auth0${o.out !== undefined ? `, changeset in ${o.out}` : ''}`;
    io.stdout(`mapc backfill ${plan.spec}: ${parts.join(', ')}${stopped ? ' (interrupted: rerun with the same --journal to continue)' : ''}${tail}\n`);
  }
  return ok ? EXIT.ok : EXIT.failed;
}

/**
 * A span at the start of `line` of the users file, for `file:line:1`. The text holds no user
 * data (the line may hold an e-mail address): the code frame shows an empty line.
 */
function lineSpan(file: string, line: number) {
  const f = sourceFile(file, '\n'.repeat(Math.max(0, line - 1)));
  const at = Math.max(0, line - 1);
  return span(f, at, at);
}

const round = (n: number): number => Math.round(n * 10) / 10;

function duration(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
