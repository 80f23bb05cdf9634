/**
 * What generated Actions import (bundled by esbuild, tree-shaken to what each uses): the
 * engine's `run`, the expression helpers, and the function library (`fn_<name>`).
 */
export { run } from './engine';
export { get, path, eq, ne, lt, le, gt, ge, truthy, tpl, urlPath, obj } from './expr';
export * from './functions';
export type * from './plan';
