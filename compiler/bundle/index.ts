/** Public surface of bundle: entry module + runtime/ → one CommonJS code.js. */
export { bundleAction, splitHeader, repoRoot, type BundleOptions, type BundleResult } from './bundle';
