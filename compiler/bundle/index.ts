/** Public surface of bundle: entry module + runtime/ → one CommonJS code.js. */
export { BUILD_OPTIONS, bundleAction, bundleActions, splitHeader, repoRoot, type BundleItem, type BundleOptions, type BundleResult } from './bundle';
