import type { CodeInfo } from './types';

/**
 * Codes of `mapc init` (MAPC081x: it writes files, like the output area). Keep codes stable:
 * never renumber.
 */
export const INIT_CODES = {
  MAPC0810: {
    code: 'MAPC0810',
    severity: 'error',
    title: 'mapc init would overwrite an existing file; nothing was written',
    example: 'mapc init   # mappings/mapc.yaml already exists',
  },
  MAPC0811: {
    code: 'MAPC0811',
    severity: 'error',
    title: 'mapc init could not write the scaffold',
    example: 'mapc init -p /read-only/mappings',
  },
} as const satisfies Record<string, CodeInfo>;
