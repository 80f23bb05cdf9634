/**
 * Runs the composite action of action.yml as the GitHub runner would, locally: input defaults,
 * `if:` conditions, `env:`, `with:` and `working-directory:` evaluated with a small evaluator of
 * GitHub's expression language (only what action.yml uses: it throws on any other context,
 * property or function, so an expression the test does not understand fails the test); each
 * `run:` step written to a file and run with `bash --noprofile --norc -eo pipefail` (GitHub's
 * `shell: bash`) with a fresh GITHUB_OUTPUT file read back into `steps.<id>.outputs`. A `uses:`
 * step is not run: its evaluated `with:` is recorded.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface ActionStep {
  readonly id?: string;
  readonly name?: string;
  readonly if?: string;
  readonly shell?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly 'working-directory'?: string;
}

export interface ActionFile {
  readonly name: string;
  readonly inputs: Record<string, { default?: string; required?: boolean; description: string }>;
  readonly outputs: Record<string, { value: string; description: string }>;
  readonly runs: { using: string; steps: ActionStep[] };
}

export function loadAction(file: string): ActionFile {
  return parseYaml(fs.readFileSync(file, 'utf8')) as ActionFile;
}

// ---------------------------------------------------------------------------------------------
// Expressions

export type Value = string | number | boolean | null;

export interface ExprContext {
  readonly inputs: Readonly<Record<string, string>>;
  readonly steps: Readonly<Record<string, { outputs: Record<string, string> }>>;
  /** Ids of the action's steps: `steps.<id>` of another id is an error, not ''. */
  readonly stepIds: ReadonlySet<string>;
  readonly github: Readonly<Record<string, string>>;
  /** Whether an earlier step failed (for success() / failure()). */
  readonly failed: boolean;
}

/** The `github` context properties the action may use. */
export const GITHUB_PROPERTIES = ['event_name', 'base_ref', 'token'] as const;

type Token = { kind: 'op'; v: string } | { kind: 'str'; v: string } | { kind: 'num'; v: number } | { kind: 'name'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (src.startsWith('&&', i) || src.startsWith('||', i) || src.startsWith('==', i) || src.startsWith('!=', i)) {
      out.push({ kind: 'op', v: src.slice(i, i + 2) });
      i += 2;
    } else if ('()!'.includes(c)) {
      out.push({ kind: 'op', v: c });
      i++;
    } else if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new Error(`unterminated string in expression: ${src}`);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += src[i++];
      }
      out.push({ kind: 'str', v: s });
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      out.push({ kind: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*/.exec(src.slice(i))!;
      out.push({ kind: 'name', v: m[0] });
      i += m[0].length;
    } else {
      throw new Error(`unsupported character ${JSON.stringify(c)} in expression: ${src}`);
    }
  }
  return out;
}

const truthy = (v: Value) => !(v === false || v === null || v === 0 || v === '' || Number.isNaN(v));
const toNumber = (v: Value) => (v === null ? 0 : typeof v === 'boolean' ? Number(v) : typeof v === 'string' ? (v.trim() === '' ? 0 : Number(v)) : v);

/** GitHub's loose equality: strings case-insensitively, otherwise as numbers. */
function equal(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b) return a === b;
  return toNumber(a) === toNumber(b);
}

/** Evaluates one expression (the text inside `${{ }}`). */
export function evaluate(src: string, ctx: ExprContext): Value {
  const tokens = tokenize(src);
  let at = 0;
  const peek = () => tokens[at];
  const isOp = (v: string) => peek()?.kind === 'op' && peek()!.v === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new Error(`expected ${v} in expression: ${src}`);
    at++;
  };
  const lookup = (name: string): Value => {
    const parts = name.split('.');
    const [root] = parts;
    if (root === 'inputs' && parts.length === 2) {
      if (!(parts[1]! in ctx.inputs)) throw new Error(`unknown input '${parts[1]}' in expression: ${src}`);
      return ctx.inputs[parts[1]!]!;
    }
    if (root === 'steps' && parts.length === 4 && parts[2] === 'outputs') {
      if (!ctx.stepIds.has(parts[1]!)) throw new Error(`unknown step id '${parts[1]}' in expression: ${src}`);
      return ctx.steps[parts[1]!]?.outputs[parts[3]!] ?? '';
    }
    if (root === 'github' && parts.length === 2 && (GITHUB_PROPERTIES as readonly string[]).includes(parts[1]!)) {
      const v = ctx.github[parts[1]!];
      if (v === undefined) throw new Error(`the test gave no github.${parts[1]}`);
      return v;
    }
    throw new Error(`unsupported context '${name}' in expression: ${src}`);
  };
  const primary = (): Value => {
    const t = tokens[at++];
    if (t === undefined) throw new Error(`unexpected end of expression: ${src}`);
    if (t.kind === 'str' || t.kind === 'num') return t.v;
    if (t.kind === 'op' && t.v === '(') {
      const v = or();
      expect(')');
      return v;
    }
    if (t.kind === 'op' && t.v === '!') return !truthy(primary());
    if (t.kind === 'name') {
      if (t.v === 'true') return true;
      if (t.v === 'false') return false;
      if (t.v === 'null') return null;
      if (isOp('(')) {
        at++;
        expect(')');
        if (t.v === 'always') return true;
        if (t.v === 'success') return !ctx.failed;
        if (t.v === 'failure') return ctx.failed;
        if (t.v === 'cancelled') return false;
        throw new Error(`unsupported function ${t.v}() in expression: ${src}`);
      }
      return lookup(t.v);
    }
    throw new Error(`unexpected ${t.v} in expression: ${src}`);
  };
  const comparison = (): Value => {
    const left = primary();
    if (isOp('==') || isOp('!=')) {
      const op = tokens[at++]!.v;
      const right = primary();
      return op === '==' ? equal(left, right) : !equal(left, right);
    }
    return left;
  };
  const and = (): Value => {
    let v = comparison();
    while (isOp('&&')) {
      at++;
      const r = comparison();
      v = truthy(v) ? r : v;
    }
    return v;
  };
  const or = (): Value => {
    let v = and();
    while (isOp('||')) {
      at++;
      const r = and();
      v = truthy(v) ? v : r;
    }
    return v;
  };
  const v = or();
  if (at !== tokens.length) throw new Error(`unexpected ${tokens[at]!.v} in expression: ${src}`);
  return v;
}

const asString = (v: Value) => (v === null ? '' : String(v));

/** A string with `${{ }}` expressions in it, evaluated to a string. */
export function interpolate(text: string, ctx: ExprContext): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_m, e: string) => asString(evaluate(e, ctx)));
}

/** A step's `if:` as the runner reads it: `${{ }}` optional, `success() &&` implied without a status function. */
export function condition(src: string | undefined, ctx: ExprContext): boolean {
  if (src === undefined) return !ctx.failed;
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(src);
  const e = m ? m[1]! : src;
  const status = /\b(always|success|failure|cancelled)\s*\(/.test(e);
  return truthy(evaluate(status ? e : `success() && (${e})`, ctx));
}

// ---------------------------------------------------------------------------------------------
// Running

export interface StepRun {
  readonly step: ActionStep;
  readonly ran: boolean;
  readonly exit: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly with?: Record<string, string>;
  readonly env?: Record<string, string>;
}

export interface ActionRun {
  readonly steps: StepRun[];
  /** The action's outputs, evaluated after the steps. */
  readonly outputs: Record<string, string>;
  /** Whether the action failed (a run step exited non-zero). */
  readonly failed: boolean;
  /** Everything every step printed. */
  readonly log: string;
}

export interface RunOptions {
  readonly action: ActionFile;
  readonly actionPath: string;
  readonly inputs: Record<string, string>;
  readonly github: Record<string, string>;
  /** The job's environment (GITHUB_*, RUNNER_TEMP, PATH, ...); GITHUB_OUTPUT is set per step. */
  readonly env: Record<string, string>;
  readonly workspace: string;
  readonly runnerTemp: string;
}

/** GITHUB_OUTPUT's format: `name=value` lines, or `name<<DELIM` … `DELIM`. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]!);
      if (i >= lines.length) throw new Error(`GITHUB_OUTPUT: no closing ${heredoc[2]}`);
      out[heredoc[1]!] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 1) throw new Error(`GITHUB_OUTPUT: malformed line ${JSON.stringify(line)}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ exit: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Asynchronous: the stub GitHub server answers from this process meanwhile.
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ exit: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

export async function runAction(o: RunOptions): Promise<ActionRun> {
  const stepIds = new Set(o.action.runs.steps.map((s) => s.id).filter((x): x is string => x !== undefined));
  const steps: Record<string, { outputs: Record<string, string> }> = {};
  const github = o.github;
  // Inputs: the given ones, else the defaults (which may use the github context).
  const inputs: Record<string, string> = {};
  for (const name of Object.keys(o.inputs)) {
    if (!(name in o.action.inputs)) throw new Error(`the test gives input '${name}', which action.yml does not declare`);
  }
  const bare: ExprContext = { inputs: {}, steps: {}, stepIds, github, failed: false };
  for (const [name, spec] of Object.entries(o.action.inputs)) {
    inputs[name] = o.inputs[name] ?? interpolate(spec.default ?? '', bare);
  }
  let failed = false;
  const ctx = (): ExprContext => ({ inputs, steps, stepIds, github, failed });
  const runs: StepRun[] = [];
  let n = 0;
  for (const step of o.action.runs.steps) {
    n++;
    if (!condition(step.if, ctx())) {
      runs.push({ step, ran: false, exit: null, stdout: '', stderr: '', outputs: {} });
      if (step.id) steps[step.id] = { outputs: {} };
      continue;
    }
    if (step.uses !== undefined) {
      const w = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx())]));
      runs.push({ step, ran: false, exit: null, stdout: '', stderr: '', outputs: {}, with: w });
      if (step.id) steps[step.id] = { outputs: {} };
      continue;
    }
    if (step.run === undefined) throw new Error(`step ${n} has neither run nor uses`);
    if (step.shell !== 'bash') throw new Error(`step ${n} runs in shell ${String(step.shell)}: the test runs bash only`);
    if (step.run.includes('${{')) throw new Error(`step ${n}'s script has an expression in it: pass it through env`);
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx())]));
    const wd = step['working-directory'] === undefined ? '.' : interpolate(step['working-directory'], ctx());
    const cwd = path.resolve(o.workspace, wd);
    const script = path.join(o.runnerTemp, `step-${n}.sh`);
    const outputFile = path.join(o.runnerTemp, `output-${n}`);
    fs.writeFileSync(script, step.run);
    fs.writeFileSync(outputFile, '');
    const env = { ...o.env, GITHUB_ACTION_PATH: o.actionPath, GITHUB_OUTPUT: outputFile, RUNNER_TEMP: o.runnerTemp, GITHUB_WORKSPACE: o.workspace, ...stepEnv };
    const r = await bash(script, cwd, env);
    const outputs = parseOutputFile(fs.readFileSync(outputFile, 'utf8'));
    if (step.id) steps[step.id] = { outputs };
    if (r.exit !== 0) failed = true;
    runs.push({ step, ran: true, exit: r.exit, stdout: r.stdout, stderr: r.stderr, outputs, env: stepEnv });
  }
  const outputs = Object.fromEntries(Object.entries(o.action.outputs).map(([k, v]) => [k, interpolate(v.value, ctx())]));
  return { steps: runs, outputs, failed, log: runs.map((r) => r.stdout + r.stderr).join('\n') };
}
