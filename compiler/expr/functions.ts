/**
 * The function library as the expression tools see it. The registry itself is
 * `runtime/signatures.ts` `SIGNATURES` (owned by the runtime); every checker entry point also
 * accepts an explicit registry, which tests inject.
 */
import { SIGNATURES, type Signature } from '../../runtime/signatures';

/** Function name → signature. */
export type FunctionRegistry = Readonly<Record<string, Signature>>;

/** The library registry (`SIGNATURES`). */
export function defaultFunctions(): FunctionRegistry {
  return SIGNATURES;
}

/** Own-property lookup: `toString`, `__proto__` and friends are never library functions. */
export function lookupFunction(reg: FunctionRegistry, name: string): Signature | undefined {
  return Object.prototype.hasOwnProperty.call(reg, name) ? reg[name] : undefined;
}
