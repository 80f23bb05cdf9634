import type { CodeInfo } from './types';

/** Codes of the output area (MAPC08xx). Keep codes stable: never renumber. */
export const OUTPUT_CODES = {} as const satisfies Record<string, CodeInfo>;
