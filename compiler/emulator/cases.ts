/**
 * `mapc test`: the test-file model (`*.test.yaml`, docs/testing.md), the runner and the
 * reporter. A case runs the bundled Action that contains its spec — the exact code.js
 * `mapc build` writes, built in memory — with an Auth0-like event and api and a stub HTTP
 * server on 127.0.0.1 for every system the Action calls; the outcome is compared with the
 * case's `expect` (rules in ./expect.ts).
 */
import * as path from 'node:path';
import type { Document } from 'yaml';
import type { Diagnostic, PhaseResult } from '../diagnostics';
import { sortDiagnostics } from '../diagnostics';
import type { ActionIR, SpecIR } from '../ir';
import { durationMs } from '../parse';
import { nodeAt, nodeSpan, type DataPath } from '../parse';
import { suggest } from '../suggest';
import { validateFile, type ProjectTestDefaults } from '../parse';
import { loadYamlFile } from '../parse';
import { lineCol, type SourceFile } from '../source';
import { TRIGGERS, type TriggerId } from '../triggers';
import { defaultEvent } from '../triggers';
import { deepMerge } from './events';
import { accessOf, compareExpectation, formatMismatch, requestUrl, type Expectation, type Mismatch, type Observed } from './expect';
import { applyMetadata, continueEvent, signContinueToken } from './auth0-api';
import { startSession, type RunOutcome } from './run-action';
import type { RecordedRequest, ScriptedResponse } from './stubs';
import { diag, type Code } from '../diagnostics';

// ---------------------------------------------------------------------------------------
// The file as written (after schema validation)

/** One scripted response as written in a test file (`delay` is a duration). */
export interface ResponseData {
  readonly method?: string;
  readonly path?: string;
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly raw?: string;
  readonly delay?: string | number;
  readonly reset?: boolean;
  readonly hang?: boolean;
}

type SystemsData = Readonly<Record<string, readonly ResponseData[]>>;

/** `continue:` of a case: the user comes back to /continue (after the run redirected). */
export interface ContinueData {
  readonly token?: {
    readonly payload?: Record<string, unknown>;
    readonly signed_with?: string;
    readonly expired?: boolean;
    readonly state?: string;
    readonly user_id?: string;
  };
  readonly query?: Record<string, unknown>;
  readonly event?: Record<string, unknown>;
}

interface CaseData {
  readonly name: string;
  readonly description?: string;
  readonly event?: Record<string, unknown>;
  readonly secrets?: Record<string, string>;
  readonly systems?: SystemsData;
  readonly now?: string;
  readonly continue?: ContinueData;
  readonly expect?: Expectation;
}

interface TestFileData {
  readonly spec: string;
  readonly description?: string;
  readonly defaults?: {
    readonly event?: Record<string, unknown>;
    readonly secrets?: Record<string, string>;
    readonly systems?: SystemsData;
    readonly now?: string;
  };
  readonly cases: readonly CaseData[];
}

// ---------------------------------------------------------------------------------------
// The model

/** One runnable case: everything resolved (defaults merged, durations in ms). */
export interface TestCase {
  readonly spec: string;
  readonly name: string;
  /** `path:line:col` of the case in its test file. */
  readonly location: string;
  /** The Action that contains the spec (the whole Action runs, as in Auth0). */
  readonly action: ActionIR;
  /** The event as the Action receives it, before `secrets` are added. */
  readonly event: Record<string, unknown>;
  readonly secrets: Readonly<Record<string, string>>;
  readonly scripts: Readonly<Record<string, readonly ScriptedResponse[]>>;
  /** Epoch ms the Action's clock is frozen at; absent: the real clock. */
  readonly now?: number;
  /** After the run redirects, the user comes back to /continue (onContinuePostLogin). */
  readonly continue?: ContinueData;
  readonly expect: Expectation;
}

/** What the loader needs of a compiled project. */
export interface TestTarget {
  readonly actions: readonly ActionIR[];
}

/** The value every secret of an Action has unless a test file sets it: `test-<NAME>`. */
export function defaultSecret(name: string): string {
  return `test-${name}`;
}

/**
 * Loads and checks every test file (`testFiles`: absolute paths, shown relative to `cwd`)
 * against the compiled project. Never throws for user mistakes: YAML and schema errors
 * (MAPC01xx/02xx) and test-file errors (MAPC10xx) come back as located diagnostics, and a
 * file with an error contributes no case. Cases keep file order, then case order.
 */
export function loadTestCases(testFiles: readonly string[], target: TestTarget, cwd: string, projectDefaults?: ProjectTestDefaults): PhaseResult<TestCase[]> {
  const diagnostics: Diagnostic[] = [];
  const cases: TestCase[] = [];
  const project = checkProjectDefaults(projectDefaults, target, diagnostics);
  for (const abs of testFiles) {
    const display = path.relative(cwd, abs).split(path.sep).join('/');
    const yf = loadYamlFile(abs, display);
    diagnostics.push(...yf.diagnostics);
    if (yf.doc === null || yf.data === undefined || yf.diagnostics.some((d) => d.severity === 'error')) continue;
    const problems = validateFile('test', { file: yf.file, doc: yf.doc, data: yf.data });
    diagnostics.push(...problems);
    if (problems.length > 0) continue;
    const built = buildCases(yf.file, yf.doc, yf.data as TestFileData, target, project);
    diagnostics.push(...built.diagnostics);
    if (!built.diagnostics.some((d) => d.severity === 'error')) cases.push(...built.result);
  }
  return { result: cases, diagnostics: sortDiagnostics(diagnostics) };
}

/** The project's `tests.defaults` once checked: the frozen clock in ms (when valid). */
interface ProjectDefaults {
  readonly data: NonNullable<TestFileData['defaults']>;
  readonly now?: number;
}

/**
 * Checks `tests.defaults` of mapc.yaml against the whole program: a scripted system no Action
 * calls (MAPC1002) and a clock that is not a date-time (MAPC1006) are located in mapc.yaml.
 */
function checkProjectDefaults(defaults: ProjectTestDefaults | undefined, target: TestTarget, out: Diagnostic[]): ProjectDefaults | undefined {
  if (!defaults) return undefined;
  const data = defaults.data as NonNullable<TestFileData['defaults']>;
  const called = [...new Set(target.actions.flatMap((a) => a.systems.map((s) => s.name)))].sort();
  for (const name of Object.keys(data.systems ?? {})) {
    if (called.includes(name)) continue;
    const guess = suggest(name, called);
    out.push(
      diag(
        'MAPC1002',
        defaults.systemSpans[name],
        `system '${name}' is scripted in tests.defaults, but no Action calls it`,
        guess ? `did you mean '${guess}'?` : called.length > 0 ? `the Actions call: ${called.join(', ')}` : 'no Action calls a system',
      ),
    );
  }
  let now: number | undefined;
  if (data.now !== undefined) {
    const ms = parseNow(data.now);
    if (ms === null) out.push(diag('MAPC1006', defaults.nowSpan, `'${data.now}' is not a real date-time`, 'write an ISO date-time such as 2024-06-01T12:00:00Z'));
    else now = ms;
  }
  return { data, ...(now !== undefined ? { now } : {}) };
}

function buildCases(file: SourceFile, doc: Document, data: TestFileData, target: TestTarget, project?: ProjectDefaults): PhaseResult<TestCase[]> {
  const diagnostics: Diagnostic[] = [];
  const at = (p: DataPath, key = false) => {
    const loc = nodeAt(doc, p);
    return nodeSpan(file, key ? (loc.key ?? loc.node) : loc.node);
  };
  const error = (code: Code, p: DataPath, message: string, hint?: string, key = false): void => {
    diagnostics.push(diag(code, at(p, key), message, hint));
  };

  const found = findSpec(target, data.spec);
  if (!found) {
    const names = target.actions.flatMap((a) => a.specs.map((s) => s.name));
    const guess = suggest(data.spec, names);
    error(
      'MAPC1001',
      ['spec'],
      `no spec named '${data.spec}' in this project`,
      guess ? `did you mean '${guess}'?` : names.length > 0 ? `specs: ${[...names].sort().join(', ')}` : 'the project has no spec',
    );
    return { result: [], diagnostics };
  }
  const { action } = found;
  const trigger = action.trigger;
  const called = action.systems.map((s) => s.name);
  const systemHint = (name: string): string => {
    const guess = suggest(name, called);
    if (guess) return `did you mean '${guess}'?`;
    return called.length > 0 ? `the Action ${action.name} calls: ${called.join(', ')}` : `the Action ${action.name} calls no system`;
  };
  const checkSystems = (systems: SystemsData | undefined, base: DataPath): void => {
    for (const name of Object.keys(systems ?? {})) {
      if (called.includes(name)) continue;
      error('MAPC1002', [...base, name], `system '${name}' is scripted, but the Action ${action.name} never calls it`, systemHint(name), true);
    }
  };
  const checkNow = (now: string | undefined, p: DataPath): number | undefined => {
    if (now === undefined) return undefined;
    const ms = parseNow(now);
    if (ms === null) error('MAPC1006', p, `'${now}' is not a real date-time`, 'write an ISO date-time such as 2024-06-01T12:00:00Z');
    return ms ?? undefined;
  };

  checkSystems(data.defaults?.systems, ['defaults', 'systems']);
  const defaultNow = checkNow(data.defaults?.now, ['defaults', 'now']) ?? project?.now;
  // The project's stubs for the systems this Action calls (the others are other Actions').
  const projectSystems = Object.fromEntries(Object.entries(project?.data.systems ?? {}).filter(([name]) => called.includes(name)));
  const seen = new Map<string, number>();
  const cases: TestCase[] = [];
  for (const [i, c] of data.cases.entries()) {
    const here: DataPath = ['cases', i];
    const first = seen.get(c.name);
    if (first !== undefined) {
      diagnostics.push(diag('MAPC1004', at([...here, 'name']), `a case named '${c.name}' already exists in this file`, 'give each case its own name: the report and the filter use it', [
          { message: 'first named here', span: at(['cases', first, 'name']) },
        ]),
      );
    } else seen.set(c.name, i);
    checkSystems(c.systems, [...here, 'systems']);
    for (const [j, r] of (c.expect?.requests ?? []).entries()) {
      if (called.includes(r.system)) continue;
      error('MAPC1003', [...here, 'expect', 'requests', j, 'system'], `the Action ${action.name} never calls system '${r.system}'`, systemHint(r.system));
    }
    for (const [j, system] of (c.expect?.no_requests ?? []).entries()) {
      if (called.includes(system)) continue;
      error('MAPC1003', [...here, 'expect', 'no_requests', j], `the Action ${action.name} never calls system '${system}'`, systemHint(system));
    }
    for (const [key, why] of impossible(trigger, c.expect)) {
      error('MAPC1005', [...here, 'expect', key], `${trigger} ${why}, so '${key}' can never be met`, `remove 'expect.${key}'`, true);
    }
    if (c.continue !== undefined && !found.spec.resume) {
      error(
        'MAPC1007',
        [...here, 'continue'],
        `spec '${data.spec}' never redirects, so the user never comes back to /continue`,
        'remove continue: from this case, or test the spec that redirects',
        true,
      );
    }
    const now = checkNow(c.now, [...here, 'now']) ?? defaultNow;
    const scripts: Record<string, readonly ScriptedResponse[]> = {};
    for (const [name, list] of Object.entries({ ...projectSystems, ...(data.defaults?.systems ?? {}), ...(c.systems ?? {}) })) {
      scripts[name] = list.map(toScripted);
    }
    const secrets: Record<string, string> = {};
    for (const name of action.secrets) secrets[name] = defaultSecret(name);
    // The project's secrets are the Actions' together: each case gets those of its Action.
    for (const [name, value] of Object.entries(project?.data.secrets ?? {})) if (action.secrets.includes(name)) secrets[name] = value;
    Object.assign(secrets, data.defaults?.secrets ?? {}, c.secrets ?? {});
    const event = deepMerge(deepMerge(deepMerge(defaultEvent(trigger), project?.data.event ?? {}), data.defaults?.event ?? {}), c.event ?? {}) as Record<string, unknown>;
    const { line, column } = lineCol(file, at(here).start);
    cases.push({
      spec: data.spec,
      name: c.name,
      location: `${file.path}:${line}:${column}`,
      action,
      event,
      secrets,
      scripts,
      ...(now !== undefined ? { now } : {}),
      ...(c.continue !== undefined ? { continue: c.continue } : {}),
      expect: c.expect ?? {},
    });
  }
  return { result: cases, diagnostics };
}

function findSpec(target: TestTarget, name: string): { action: ActionIR; spec: SpecIR } | undefined {
  for (const action of target.actions) {
    const spec = action.specs.find((s) => s.name === name);
    if (spec) return { action, spec };
  }
  return undefined;
}

/** Expectation keys the trigger can never satisfy with a value, and why. */
function impossible(trigger: TriggerId, expect: Expectation | undefined): [keyof Expectation, string][] {
  if (!expect) return [];
  const t = TRIGGERS[trigger];
  const out: [keyof Expectation, string][] = [];
  const setsValue = (m: Readonly<Record<string, unknown>> | undefined) => m !== undefined && Object.values(m).some((v) => v !== null);
  if (!t.metadataWrites && setsValue(expect.app_metadata)) out.push(['app_metadata', 'cannot write metadata']);
  if (!t.metadataWrites && setsValue(expect.user_metadata)) out.push(['user_metadata', 'cannot write metadata']);
  if (!t.idTokenClaims && setsValue(expect.id_token)) out.push(['id_token', 'issues no ID token']);
  if (!t.accessTokenClaims && setsValue(expect.access_token)) out.push(['access_token', 'cannot set access token claims']);
  const a = expect.access;
  if (a !== undefined && a !== 'allow') {
    if (a === 'mfa' && !t.mfa) out.push(['access', 'cannot enable MFA']);
    else if (typeof a === 'object' && 'deny' in a && t.deny === null) out.push(['access', 'cannot deny']);
    else if (typeof a === 'object' && 'redirect' in a && !t.redirect) out.push(['access', 'cannot redirect']);
    else if (typeof a === 'object' && 'validation_error' in a && !t.validationError) out.push(['access', 'has no api.validation.error']);
  }
  if (!t.scopes && expect.scopes !== undefined && Object.values(expect.scopes).some((v) => v !== null)) out.push(['scopes', 'cannot change access token scopes']);
  if (!t.samlAttributes && setsValue(expect.saml)) out.push(['saml', 'sends no SAML response']);
  if (!t.setUserId && typeof expect.user_id === 'string') out.push(['user_id', 'cannot set the user id']);
  return out;
}

/**
 * Epoch ms of an ISO date-time, or null when it is not a real one (`2024-02-31`). A time
 * without a zone is UTC, so a case means the same instant on every machine.
 */
export function parseNow(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return null;
  }
  const z = zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${z}`);
  return Number.isNaN(ms) ? null : ms;
}

function toScripted(r: ResponseData): ScriptedResponse {
  return {
    ...(r.method !== undefined ? { method: r.method } : {}),
    ...(r.path !== undefined ? { path: r.path } : {}),
    ...(r.status !== undefined ? { status: r.status } : {}),
    ...(r.headers !== undefined ? { headers: r.headers } : {}),
    ...(r.body !== undefined ? { body: r.body } : {}),
    ...(r.raw !== undefined ? { raw: r.raw } : {}),
    ...(r.delay !== undefined ? { delayMs: durationMs(r.delay) } : {}),
    ...(r.reset ? { reset: true } : {}),
    ...(r.hang ? { hang: true } : {}),
  };
}

// ---------------------------------------------------------------------------------------
// Selection

/**
 * The cases whose spec name, case name or `spec › name` title contains `filter`
 * (case-insensitive); all of them without a filter.
 */
export function selectCases(cases: readonly TestCase[], filter: string | undefined): TestCase[] {
  if (filter === undefined || filter === '') return [...cases];
  const f = filter.toLowerCase();
  return cases.filter((c) => c.spec.toLowerCase().includes(f) || c.name.toLowerCase().includes(f) || title(c).toLowerCase().includes(f));
}

/** `spec › case name`: how a case is named in the report. */
export function title(c: Pick<TestCase, 'spec' | 'name'>): string {
  return `${c.spec} › ${c.name}`;
}

// ---------------------------------------------------------------------------------------
// Running

/** The outcome of one case. */
export interface CaseResult {
  readonly case: TestCase;
  readonly passed: boolean;
  readonly mismatches: readonly Mismatch[];
  readonly requests: readonly RecordedRequest[];
  /** What the Action logged (its JSON lines). */
  readonly logs: readonly string[];
  /** Real milliseconds the case took (what the machine spent). */
  readonly ms: number;
  /**
   * Milliseconds the case took on its virtual clock (Auth0's time: timeouts, backoff, delays
   * and the deadline included); undefined when run on the real clock.
   */
  readonly virtualMs?: number;
}

/**
 * Runs one case against fresh stubs. Never throws for a failing Action: that is a failed case.
 * With `continue:`, the run must redirect; then the page's answer (a token signed like the
 * page would, or none) comes back to /continue and `onContinuePostLogin` runs on the same
 * module and stubs; the expectations apply to the whole flow.
 */
export async function runCase(c: TestCase, code: string, claimsNamespace: string, options: { readonly clock?: 'virtual' | 'real' } = {}): Promise<CaseResult> {
  const started = performance.now();
  const session = await startSession({
    code,
    trigger: c.action.trigger,
    systems: c.action.systems,
    secrets: c.secrets,
    scripts: c.scripts,
    ...(c.now !== undefined ? { now: c.now } : {}),
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
  });
  const mismatches: Mismatch[] = [];
  const runs: RunOutcome[] = [];
  try {
    const login = await session.run({ event: c.event });
    runs.push(login);
    if (c.continue !== undefined) {
      const back = continueStep(c, login);
      if (typeof back === 'string') mismatches.push({ what: 'continue', expected: 'the run redirects, so the user can come back', actual: back });
      else runs.push(await session.run({ event: back, entrypoint: 'onContinuePostLogin' }));
    }
  } finally {
    await session.close();
  }
  for (const run of runs) {
    const where = runs.length > 1 ? ` (${run.entrypoint})` : '';
    // Auth0 fails the whole login when the handler throws, whatever the expectations say.
    if (run.threw !== undefined) mismatches.push({ what: `handler${where}`, expected: 'no exception', actual: `threw: ${run.threw}` });
    for (const e of run.record.errors) mismatches.push({ what: `api${where}`, expected: 'only calls Auth0 accepts', actual: e });
    if (run.refused.length > 0) mismatches.push({ what: `requests to unknown hosts${where}`, expected: [], actual: [...run.refused] });
  }
  mismatches.push(...compareExpectation(c.expect, flowOutcome(c, runs), claimsNamespace));
  return {
    case: c,
    passed: mismatches.length === 0,
    mismatches,
    requests: runs.flatMap((r) => r.requests),
    logs: runs.flatMap((r) => r.logs),
    ms: performance.now() - started,
    ...(session.clock ? { virtualMs: runs.reduce((sum, r) => sum + (r.virtualMs ?? 0), 0) } : {}),
  };
}

/** The event onContinuePostLogin gets for the case's `continue:`, or why there is none. */
function continueStep(c: TestCase, login: RunOutcome): Record<string, unknown> | string {
  const redirect = login.record.redirect;
  if (login.record.access.kind !== 'redirect' || redirect === undefined) {
    return `the run ended with ${JSON.stringify(accessOf(login.record))}`;
  }
  const spec = c.action.specs.find((s) => s.name === c.spec);
  const token = spec?.resume?.token;
  const t = c.continue!.token;
  const body: Record<string, unknown> = { ...(c.continue!.query ?? {}) };
  if (t !== undefined && token !== undefined) {
    const user = (login.event['user'] ?? {}) as Record<string, unknown>;
    const request = (login.event['request'] ?? {}) as Record<string, unknown>;
    const secret = t.signed_with !== undefined ? (c.secrets[t.signed_with] ?? `not-the-secret-${t.signed_with}`) : (c.secrets[token.secret] ?? '');
    body[token.parameter] = signContinueToken({
      secret,
      payload: t.payload ?? {},
      state: t.state ?? redirect.state,
      sub: t.user_id ?? String(user['user_id'] ?? ''),
      iss: String(request['hostname'] ?? ''),
      // A page answers within minutes; an expired token is one that ran out a minute ago.
      expiresInSeconds: t.expired ? -60 : 300,
      ...(c.now !== undefined ? { now: c.now } : {}),
    });
  }
  // The profile as Auth0 reloads it on the way back: the login's metadata writes applied.
  const user = (login.event['user'] ?? {}) as Record<string, unknown>;
  const resumed = {
    ...login.event,
    user: {
      ...user,
      app_metadata: login.appMetadata,
      user_metadata: login.userMetadata,
    },
  };
  const event = deepMerge(resumed, c.continue!.event ?? {}) as Record<string, unknown>;
  // The page POSTs its answer to /continue (Auth0's advice, against replay).
  return continueEvent(event, { state: redirect.state, body });
}

/** What the whole flow did: the last run's access decision, every run's writes, claims and requests. */
function flowOutcome(c: TestCase, runs: readonly RunOutcome[]): Observed {
  const first = runs[0]!;
  const last = runs[runs.length - 1]!;
  const user = (c.event['user'] ?? {}) as Record<string, any>;
  return {
    record: {
      ...last.record,
      idTokenClaims: Object.assign({}, ...runs.map((r) => r.record.idTokenClaims)),
      accessTokenClaims: Object.assign({}, ...runs.map((r) => r.record.accessTokenClaims)),
      encodedTokens: first.record.encodedTokens,
    },
    appMetadata: applyMetadata(user['app_metadata'], runs.flatMap((r) => r.record.appMetadataCalls)),
    userMetadata: applyMetadata(user['user_metadata'], runs.flatMap((r) => r.record.userMetadataCalls)),
    requests: runs.flatMap((r) => r.requests),
    tokenParameters: tokenParameters(c),
  };
}

/** Query parameters that carry a redirect token (their JWT values are left out of `access: { redirect }`). */
function tokenParameters(c: TestCase): string[] {
  const out = new Set<string>();
  for (const s of c.action.specs) {
    for (const a of s.access) if (a.action.kind === 'redirect' && a.action.token) out.add(a.action.token.parameter);
  }
  return [...out];
}

export interface RunOptions {
  /** Bundled code per Action name. */
  readonly code: ReadonlyMap<string, string>;
  readonly claimsNamespace?: string;
  /** Cases run at the same time (each has its own stubs and module instance). */
  readonly concurrency?: number;
  /** `virtual` (default): each case on its own virtual clock (run-action.ts); `real`: real timers. */
  readonly clock?: 'virtual' | 'real';
  /** Called once per case, in case order, as soon as it and every case before it finished. */
  readonly onResult?: (r: CaseResult) => void;
}

/** Runs `cases` concurrently (default 8 at a time) and returns the results in case order. */
export async function runCases(cases: readonly TestCase[], opts: RunOptions): Promise<CaseResult[]> {
  const results: (CaseResult | undefined)[] = new Array(cases.length).fill(undefined);
  let next = 0;
  let reported = 0;
  const flush = (): void => {
    while (reported < cases.length && results[reported] !== undefined) {
      const r = results[reported]!;
      reported++;
      opts.onResult?.(r);
    }
  };
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const i = next++;
      const c = cases[i]!;
      const code = opts.code.get(c.action.name);
      if (code === undefined) throw new Error(`no bundled code for Action ${c.action.name}`);
      results[i] = await runCase(c, code, opts.claimsNamespace ?? '', opts.clock !== undefined ? { clock: opts.clock } : {});
      flush();
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 8, cases.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results as CaseResult[];
}

// ---------------------------------------------------------------------------------------
// Reporting

export interface ReportOptions {
  readonly color?: boolean;
}

const paint = (on: boolean | undefined, code: string, text: string): string => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/**
 * One line per case (`✓ spec › name (23 ms)`); for a failure, where the case is, each
 * expected/actual pair, the requests the stubs received and the Action's log lines.
 */
export function formatResult(r: CaseResult, opts: ReportOptions = {}): string {
  const mark = r.passed ? paint(opts.color, '32', '✓') : paint(opts.color, '31', '✗');
  const head = `${mark} ${title(r.case)} (${Math.round(r.ms)} ms)`;
  if (r.passed) return head;
  const out = [head, `    at ${r.case.location}`];
  for (const m of r.mismatches) out.push(formatMismatch(m));
  out.push('    requests received:');
  if (r.requests.length === 0) out.push('      (none)');
  for (const q of r.requests) {
    const body = q.body === undefined ? '' : ` ${JSON.stringify(q.body)}`;
    out.push(`      ${q.system}: ${q.method} ${requestUrl(q)}${body}${q.matched ? '' : '  (no scripted response matched: 404)'}`);
  }
  if (r.logs.length > 0) {
    out.push('    action log:');
    for (const l of r.logs) out.push(`      ${l}`);
  }
  return out.join('\n');
}

/** The closing line CI parses: `N passed, N failed`. */
export function summaryLine(results: readonly CaseResult[]): string {
  const passed = results.filter((r) => r.passed).length;
  return `${passed} passed, ${results.length - passed} failed`;
}

/** A case result as plain JSON (for `--format json`). */
export function resultJson(r: CaseResult): Record<string, unknown> {
  return {
    spec: r.case.spec,
    name: r.case.name,
    location: r.case.location,
    passed: r.passed,
    ms: Math.round(r.ms),
    mismatches: r.mismatches.map((m) => ({ what: m.what, expected: m.expected ?? null, actual: m.actual ?? null })),
    requests: r.requests.map((q) => ({ system: q.system, method: q.method, path: q.path, url: requestUrl(q), body: q.body ?? null, matched: q.matched })),
    logs: [...r.logs],
  };
}
