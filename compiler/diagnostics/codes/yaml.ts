import type { CodeInfo } from './types';

/** Codes of the yaml area (MAPC01xx). Keep codes stable: never renumber. */
export const YAML_CODES = {} as const satisfies Record<string, CodeInfo>;
