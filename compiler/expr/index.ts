/**
 * Public surface of compiler/expr: expression and template syntax, types, event models and
 * the type checker. Other phases import from here (or the named module) — never the reverse.
 */
export type { Expr, Template, TemplatePart } from './ast';
export type { TextOrigin } from './origin';
export { T, type Type } from './types';
export { walkExpr, templateExprs, pathsRead, type PathRead } from './walk';
export { parseExpr, plainOrigin, MAX_EXPR_DEPTH } from './parser';
export { parseTemplate } from './template';
export { eventType, eventRoots, eventPathType, USER_EDITABLE_PATHS, isUserEditablePath, IDENTITY_TYPE } from './event-model';
export { checkExpr, checkTemplate, checkTransformStep, type ExprEnv } from './check';
export { checkSpecExpressions, checkProjectExpressions, lookupDependencies, lookupOrder, specEnv } from './check-spec';
export { defaultFunctions, type FunctionRegistry } from './functions';
export { regexProblem, type RegexProblem } from './redos';
export { exprText } from './print';
