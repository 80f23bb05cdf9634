import type { CodeInfo } from './types';

/** Codes of the output area (MAPC08xx). Keep codes stable: never renumber. */
export const OUTPUT_CODES = {
  MAPC0801: {
    code: 'MAPC0801',
    severity: 'error',
    title: 'generated Action exceeds the Auth0 size limit (100 kB)',
    example: '# one Action (mapc-post-login) whose specs bundle to more than 102400 bytes',
  },
  MAPC0802: {
    code: 'MAPC0802',
    severity: 'error',
    title: 'Action could not be bundled into one self-contained file',
    example: '# runtime/ missing, or a runtime file importing an npm package',
  },
  MAPC0803: {
    code: 'MAPC0803',
    severity: 'error',
    title: 'output folder is not a mapc output folder; refusing to replace it',
    example: 'mapc build --out src   # src/ exists and has no mapc-manifest.json',
  },
  MAPC0804: {
    code: 'MAPC0804',
    severity: 'error',
    title: 'output folder could not be written (the previous output is left unchanged)',
    example: 'mapc build --out /read-only/generated',
  },
  MAPC0805: {
    code: 'MAPC0805',
    severity: 'error',
    title: 'the output folder is out of date with the specs, or was built for another target or layout (mapc check)',
    example: 'mapc check   # after editing a spec without running mapc build',
  },
  MAPC0806: {
    code: 'MAPC0806',
    severity: 'error',
    title: 'the schema files could not be written (mapc schema --out)',
    example: 'mapc schema --out README.md/schemas',
  },
} as const satisfies Record<string, CodeInfo>;
