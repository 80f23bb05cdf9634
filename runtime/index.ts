/**
 * What generated Actions import (bundled by esbuild, tree-shaken to what each uses): the
 * engine's `runPlan` with the phases the plan uses (`run` runs every phase), the expression
 * helpers, and the function library (`fn_<name>`).
 */
export { run, runPlan, runContinue, lookupPhase, accessPhase, sendPhase } from './engine';
export { get, prop, path, eq, ne, lt, le, gt, ge, truthy, tpl, urlPath, obj } from './expr';
export * from './functions';
export type * from './plan';
