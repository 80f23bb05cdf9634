import type { CodeInfo } from './types';

/** Codes of the yaml area (MAPC01xx). Keep codes stable: never renumber. */
export const YAML_CODES = {
  MAPC0101: {
    code: 'MAPC0101',
    severity: 'error',
    title: 'no project file (mapc.yaml) in the project folder',
    example: 'mappings/ without mappings/mapc.yaml',
  },
  MAPC0102: {
    code: 'MAPC0102',
    severity: 'error',
    title: 'file larger than 1 MB',
    example: 'a 2 MB mappings/huge.yaml',
  },
  MAPC0103: {
    code: 'MAPC0103',
    severity: 'error',
    title: 'file is not valid UTF-8',
    example: 'name: caf\\xe9 (Latin-1 byte)',
  },
  MAPC0104: {
    code: 'MAPC0104',
    severity: 'error',
    title: 'symbolic link pointing outside the project folder',
    example: 'mappings/evil.yaml -> /etc/passwd',
  },
  MAPC0105: {
    code: 'MAPC0105',
    severity: 'error',
    title: 'YAML syntax error',
    example: 'fields: [ { to: a',
  },
  MAPC0106: {
    code: 'MAPC0106',
    severity: 'error',
    title: 'duplicate key in a map',
    example: 'name: a\nname: b',
  },
  MAPC0107: {
    code: 'MAPC0107',
    severity: 'error',
    title: 'too many alias expansions (possible alias bomb)',
    example: 'a: &a [x, x]\nb: &b [*a, *a]\n# ... nested many times',
  },
  MAPC0108: {
    code: 'MAPC0108',
    severity: 'error',
    title: 'more than one YAML document in a file',
    example: 'name: a\n---\nname: b',
  },
  MAPC0109: {
    code: 'MAPC0109',
    severity: 'error',
    title: 'alias of an anchor that is not defined before it',
    example: 'owner: *team',
  },
  MAPC0110: {
    code: 'MAPC0110',
    severity: 'error',
    title: 'map key that is not plain text',
    example: '? [a, b]\n: 1',
  },
  MAPC0111: {
    code: 'MAPC0111',
    severity: 'warning',
    title: 'YAML warning (e.g. an unknown tag)',
    example: 'owner: !team crm',
  },
  MAPC0112: {
    code: 'MAPC0112',
    severity: 'error',
    title: 'file or folder cannot be read',
    example: 'a spec file without read permission',
  },
  MAPC0114: {
    code: 'MAPC0114',
    severity: 'error',
    title: 'a YAML tag that makes a value JSON has no form for (!!binary, !!timestamp, !!set, !!omap, !!pairs)',
    example: 'from: { value: !!binary aGVsbG8= }',
  },
  MAPC0113: {
    code: 'MAPC0113',
    severity: 'warning',
    title: 'a .yml file is ignored (specs end in .yaml)',
    example: 'mappings/crm.yml',
  },
} as const satisfies Record<string, CodeInfo>;
