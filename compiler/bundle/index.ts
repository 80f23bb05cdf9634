/** Public surface of bundle: entry module + runtime/ → one CommonJS code.js. */
export { bundleAction, bundleActions, splitHeader, repoRoot, type BundleItem, type BundleOptions, type BundleResult } from './bundle';
