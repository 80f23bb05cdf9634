import type { CodeInfo } from './types';

/**
 * Codes of test files (`*.test.yaml`, MAPC10xx), reported by `mapc test` after the schema
 * (MAPC02xx) accepted the file. Keep codes stable: never renumber.
 */
export const TESTING_CODES = {
  MAPC1001: {
    code: 'MAPC1001',
    severity: 'error',
    title: 'test file names a spec the project does not have',
    example: 'spec: subscription-enrichmnt\ncases:\n  - name: a',
  },
  MAPC1002: {
    code: 'MAPC1002',
    severity: 'error',
    title: 'scripted system that the Action under test does not call',
    example: 'spec: marketing-consent   # pre-user-registration: calls no system\ncases:\n  - name: a\n    systems: { crm: [{ status: 200 }] }',
  },
  MAPC1003: {
    code: 'MAPC1003',
    severity: 'error',
    title: 'expected request to a system that the Action under test does not call',
    example: 'expect:\n  requests: [{ system: crmm, method: POST, path: /contacts }]',
  },
  MAPC1004: {
    code: 'MAPC1004',
    severity: 'error',
    title: 'two cases of one test file have the same name',
    example: 'cases:\n  - name: premium user\n  - name: premium user',
  },
  MAPC1005: {
    code: 'MAPC1005',
    severity: 'error',
    title: 'expectation that the trigger of the spec can never produce',
    example: 'spec: crm-contact   # post-user-registration\ncases:\n  - name: a\n    expect: { app_metadata: { x: 1 } }',
  },
  MAPC1006: {
    code: 'MAPC1006',
    severity: 'error',
    title: 'clock start (`now`) is not a real date-time',
    example: 'defaults: { now: 2024-02-31T10:00:00Z }',
  },
  MAPC1007: {
    code: 'MAPC1007',
    severity: 'error',
    title: 'case comes back to /continue, but the spec under test never redirects',
    example: 'spec: token-claims   # no redirect rule\ncases:\n  - name: a\n    continue: { token: { payload: { tier: premium } } }',
  },
} as const satisfies Record<string, CodeInfo>;
