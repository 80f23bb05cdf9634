import type { CodeInfo } from './types';

/** Codes of the semantic area (MAPC04-07xx). Keep codes stable: never renumber. */
export const SEMANTIC_CODES = {} as const satisfies Record<string, CodeInfo>;
