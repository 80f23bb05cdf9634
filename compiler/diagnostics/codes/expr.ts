import type { CodeInfo } from './types';

/** Codes of the expr area (MAPC03xx). Keep codes stable: never renumber. */
export const EXPR_CODES = {} as const satisfies Record<string, CodeInfo>;
