/**
 * Test helpers for the back half: tiny AST builders (independent of the expression parser),
 * a hand-built ActionIR, a temporary repository root whose runtime/ can be the real one or a
 * stand-in, and loading a bundled code.js as a CommonJS module.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { createRequire } from 'node:module';
import type { BinaryOp, Expr, Template } from '../../compiler/expr/ast';
import type { ActionIR, SpecIR, ValueIR } from '../../compiler/ir/types';
import { sourceFile, span } from '../../compiler/source';

export const REPO = path.resolve(__dirname, '../..');

const FILE = sourceFile('mappings/test.yaml', 'x'.repeat(200));
const SP = span(FILE, 0, 1);

export const lit = (value: string | number | boolean | null): Expr => ({ kind: 'literal', value, span: SP });
export const root = (name: string): Expr => ({ kind: 'root', name, span: SP });
/** `p('user.app_metadata.tier')`, `p('user.identities', 0)`. */
export const p = (dotted: string, ...more: (string | number)[]): Expr => {
  const [head, ...rest] = dotted.split('.');
  let e = root(head!);
  for (const key of [...rest, ...more]) e = mem(e, key);
  return e;
};
export const mem = (object: Expr, key: string | number): Expr => ({ kind: 'member', object, key, keySpan: SP, span: SP });
export const call = (name: string, ...args: Expr[]): Expr => ({ kind: 'call', name, nameSpan: SP, args, span: SP });
export const not = (operand: Expr): Expr => ({ kind: 'unary', op: '!', operand, span: SP });
export const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right, span: SP });
/** A template from strings (text) and Exprs (interpolations). */
export const tmpl = (...parts: (string | Expr)[]): Template => ({
  kind: 'template',
  parts: parts.map((x) => (typeof x === 'string' ? { kind: 'text' as const, text: x } : { kind: 'expr' as const, expr: x })),
  span: SP,
});
export const ex = (expr: Expr): ValueIR => ({ kind: 'expr', expr });
export const val = (value: unknown): ValueIR => ({ kind: 'literal', value });

/** Strings that try to break out of every context they reach. */
export const NASTY = [
  `"'\`\${process.exit(1)}\``,
  '</script><script>alert(1)</script>',
  'line\u2028sep\u2029para\nnl\r',
  '*/ require("child_process") /*',
  '##CRM_API_KEY## and @@CRM_API_KEY@@',
  '\\u0041 backslash \\',
  'üñí €😀',
];

export function spec(over: Partial<SpecIR> & { name: string }): SpecIR {
  return {
    owner: 'team-test',
    source: 'mappings/test.yaml',
    onError: 'continue',
    lookups: [],
    fields: [],
    access: [],
    sends: [],
    ...over,
  };
}

export function action(specs: SpecIR[], over: Partial<ActionIR> = {}): ActionIR {
  return {
    name: 'mapc-post-login',
    trigger: 'post-login',
    handler: 'onExecutePostLogin',
    triggerVersion: 'v3',
    runtime: 'node22',
    deadlineMs: 8000,
    specs,
    systems: [],
    secrets: [],
    registry: [],
    usesRedirect: false,
    ...over,
  };
}

/**
 * Stand-in runtime entry, used only while runtime/index.ts does not exist: it re-exports the
 * real expression helpers and library, and its `run`/`runPlan`/`runContinue` hand the plan to
 * the caller as `api.plan`, so tests can call the compiled closures directly.
 */
const STUB_INDEX = `export * from './expr';
export * from './functions';
export async function run(plan, event, api) { api.plan = plan; }
export async function runPlan(plan, event, api, phases) { api.plan = plan; }
export async function runContinue(plan, event, api) { api.plan = plan; }
export const lookupPhase = () => undefined;
export const accessPhase = () => undefined;
export const sendPhase = () => undefined;
`;

/**
 * A temporary repository root with a copy of runtime/ (and a package.json), in a fresh
 * folder. `stub: true` replaces runtime/index.ts with the stand-in above.
 */
export function tempRoot(opts: { stub: boolean }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-backend-'));
  fs.mkdirSync(path.join(dir, 'runtime'));
  for (const f of fs.readdirSync(path.join(REPO, 'runtime'))) {
    if (f.endsWith('.ts')) fs.copyFileSync(path.join(REPO, 'runtime', f), path.join(dir, 'runtime', f));
  }
  if (opts.stub) fs.writeFileSync(path.join(dir, 'runtime', 'index.ts'), STUB_INDEX);
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"mapc-test-root","private":true}\n');
  return dir;
}


/** Evaluates a bundled CommonJS code.js in this process and returns its exports. */
export function loadBundle(code: string): Record<string, any> {
  const module = { exports: {} as Record<string, any> };
  const wrapper = vm.runInThisContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, {
    filename: 'code.js',
  }) as (...a: unknown[]) => void;
  wrapper(module.exports, createRequire(__filename), module, 'code.js', '.');
  return module.exports;
}

export function rmrf(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
