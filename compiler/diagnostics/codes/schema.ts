import type { CodeInfo } from './types';

/** Codes of the schema area (MAPC02xx). Keep codes stable: never renumber. */
export const SCHEMA_CODES = {
  MAPC0201: {
    code: 'MAPC0201',
    severity: 'error',
    title: 'unknown key',
    example: 'fields:\n  - to: app_metadata.tier\n    form: subscription.tier',
  },
  MAPC0202: {
    code: 'MAPC0202',
    severity: 'error',
    title: 'missing required key',
    example: 'version: 1\nname: a\nowner: team-a\n# no trigger',
  },
  MAPC0203: {
    code: 'MAPC0203',
    severity: 'error',
    title: 'value of the wrong type',
    example: 'fields: { to: app_metadata.tier }',
  },
  MAPC0204: {
    code: 'MAPC0204',
    severity: 'error',
    title: 'value not among the allowed ones',
    example: 'trigger: post-logon',
  },
  MAPC0205: {
    code: 'MAPC0205',
    severity: 'error',
    title: 'value not in the expected format (name, duration, target, ...)',
    example: 'name: Subscription Enrichment',
  },
  MAPC0206: {
    code: 'MAPC0206',
    severity: 'error',
    title: 'number out of range',
    example: 'retries: 9',
  },
  MAPC0207: {
    code: 'MAPC0207',
    severity: 'error',
    title: 'too few or too many entries, or an empty text',
    example: 'owner: ""',
  },
  MAPC0208: {
    code: 'MAPC0208',
    severity: 'error',
    title: 'conflicting keys: only one of several may be given',
    example: "access:\n  - when: 'true'\n    deny: No\n    mfa: any",
  },
  MAPC0209: {
    code: 'MAPC0209',
    severity: 'error',
    title: 'value not valid here',
    example: 'attributes: { app_metadata.x: { owner: a, type: string, enum: [a, a] } }',
  },
} as const satisfies Record<string, CodeInfo>;
