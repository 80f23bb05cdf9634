/**
 * Public surface of compiler/expr: the expression language only — expression and template
 * syntax, types, the type checker and the function registry. It knows no trigger: a trigger's
 * event arrives in the checker's environment (ExprEnv.trigger, from compiler/triggers). Other
 * phases import from here, never from a file inside.
 */
export type * from './ast';
export * from './origin';
export { T, typeAt, type Type } from './types';
export * from './walk';
export { parseExpr, plainOrigin, MAX_EXPR_DEPTH } from './parser';
export { parseTemplate } from './template';
export { checkExpr, checkTemplate, checkTransformStep, resultType, typeText, withArticle, type EventModel, type ExprEnv } from './check';
export { exprDiag, didYouMean, where } from './diag';
export { defaultFunctions, type FunctionRegistry } from './functions';
export { regexProblem, type RegexProblem } from './redos';
export * from './print';
