import type { CodeInfo } from './types';
import { YAML_CODES } from './yaml';
import { SCHEMA_CODES } from './schema';
import { EXPR_CODES } from './expr';
import { SEMANTIC_CODES } from './semantic';
import { OUTPUT_CODES } from './output';
import { TESTING_CODES } from './testing';
import { INIT_CODES } from './init';
import { BACKFILL_CODES } from './backfill';

export type { CodeInfo, Severity } from './types';

/** Every diagnostic code mapc can report, keyed by code. */
export const CODES = {
  ...YAML_CODES,
  ...SCHEMA_CODES,
  ...EXPR_CODES,
  ...SEMANTIC_CODES,
  ...OUTPUT_CODES,
  ...TESTING_CODES,
  ...INIT_CODES,
  ...BACKFILL_CODES,
  MAPC0900: {
    code: 'MAPC0900',
    severity: 'error',
    title: 'internal error (a bug in mapc: please report it)',
    example: '',
  },
} as const satisfies Readonly<Record<string, CodeInfo>>;

/** A diagnostic code: one of CODES (a closed set, so a typo in a code is a type error). */
export type Code = keyof typeof CODES;
