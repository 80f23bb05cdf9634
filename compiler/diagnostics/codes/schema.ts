import type { CodeInfo } from './types';

/** Codes of the schema area (MAPC02xx). Keep codes stable: never renumber. */
export const SCHEMA_CODES = {} as const satisfies Record<string, CodeInfo>;
