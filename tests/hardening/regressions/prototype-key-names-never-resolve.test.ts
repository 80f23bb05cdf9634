/**
 * Found by the prototype-keys tests: a system, a secret or a lookup named `constructor` or
 * `prototype` (valid by the schema) built without a diagnostic, but the runtime refuses to
 * read those keys, so every call to the system failed (`no_system`), every call needing the
 * secret failed (`no_secret`), and the lookup always read as null. Systems and secrets are
 * names the compiler chose, so the runtime now reads them as own properties whatever their
 * name; a lookup so named is refused at build time (MAPC0315), like other reserved names.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../compiler/pipeline';
import { runCompiled, tempProject } from '../../helpers/compiled';
import { parsedLogs } from '../support/project';

const project = (name: string) => `version: 1
systems:
  ${name}:
    base_url: https://x.example.com
    auth: { bearer: ${name} }
`;

const spec = (system: string, lookup: string) => `version: 1
name: names
owner: team-a
trigger: post-login
lookups:
  ${lookup}:
    system: ${system}
    method: GET
    path: /p
fields:
  - to: app_metadata.got
    from: ${lookup}.id
`;

describe('names that are prototype keys', () => {
  for (const name of ['constructor', 'prototype']) {
    it(`a system and a secret named '${name}' work`, async () => {
      const dir = tempProject({ 'mappings/mapc.yaml': project(name), 'mappings/s.yaml': spec(name, 'profile') });
      const { result, diagnostics } = await compile({ projectDir: 'mappings', cwd: dir });
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const out = await runCompiled(result!, 'mapc-post-login', {
        secrets: { [name]: 'secret-value-1234' },
        scripts: { [name]: [{ method: 'GET', path: '/p', body: { id: 'A1' } }] },
      });
      expect(parsedLogs(out.logs).map((l) => [l['system'], l['status']])).toEqual([[name, 200]]);
      expect(out.requests[0]!.headers['authorization']).toBe('Bearer secret-value-1234');
      expect(out.appMetadata['got']).toBe('A1');
    });
  }

  for (const name of ['constructor', 'prototype', '__proto__']) {
    it(`a lookup named '${name}' is refused with MAPC0315 at its name`, async () => {
      const text = spec('crm', name);
      const dir = tempProject({ 'mappings/mapc.yaml': project('crm'), 'mappings/s.yaml': text });
      const { result, diagnostics } = await compile({ projectDir: 'mappings', cwd: dir });
      expect(result).toBeNull();
      const errors = diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => d.code)).toEqual(['MAPC0315']);
      expect(errors[0]!.message).toBe(`lookup name '${name}' is reserved, so expressions could not read this lookup`);
      expect(errors[0]!.span!.start).toBe(text.indexOf(`${name}:`));
    });
  }
});
