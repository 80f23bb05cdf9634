/** Public surface of diagnostics: the one Diagnostic type and `diag()`, the code tables, text, JSON and SARIF printing. */
export * from './diagnostic';
export * from './format';
export { CODES, type CodeInfo } from './codes/index';
export { SEMANTIC_CODES, type SemanticCode } from './codes/semantic';
export { EXPR_CODES, type ExprCode } from './codes/expr';
export * from './sarif';
