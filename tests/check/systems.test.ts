import { describe, expect, it } from 'vitest';
import { CRM_PROJECT, check, codes, projectFile, spec } from './helpers';

const usesCrm = spec('a', 'post-login', `
  lookups:
    contact:
      system: crm
      method: GET
      path: /contacts
`);

describe('systemRefs (MAPC0409, 0413)', () => {
  it('rejects an unknown system with the nearest declared name as hint', () => {
    const ds = check({
      'mapc.yaml': CRM_PROJECT,
      'a.yaml': spec('a', 'post-login', `
        lookups:
          contact:
            system: crn
            method: GET
            path: /contacts
        sends:
          - system: billing
            method: POST
            path: /x
      `),
    });
    // crm is not reported unused: 'crn' is a near miss of it, so the one fix is the typo.
    expect(codes(ds)).toEqual(['mappings/a.yaml:7:13 MAPC0409', 'mappings/a.yaml:11:13 MAPC0409']);
    expect(ds.slice(0, 2).map((d) => d.hint)).toEqual(["did you mean 'crm'?", "declare 'billing' under systems: in mappings/mapc.yaml"]);
  });

  it('warns about a system no spec uses, at its name', () => {
    const ds = check({ 'mapc.yaml': CRM_PROJECT });
    expect(codes(ds)).toEqual(['mappings/mapc.yaml:4:3 MAPC0413']);
    expect(ds[0]!.severity).toBe('warning');
  });

  it('accepts a used, declared system', () => {
    expect(codes(check({ 'mapc.yaml': CRM_PROJECT, 'a.yaml': usesCrm }))).toEqual([]);
  });
});

describe('systemUrls (MAPC0410, 0411, 0412)', () => {
  const withUrl = (url: string): string =>
    projectFile(`
      systems:
        crm:
          base_url: ${url}
          auth: none
    `);

  it('rejects plain http to a remote host', () => {
    const ds = check({ 'mapc.yaml': withUrl('http://crm.example.com/api'), 'a.yaml': usesCrm });
    expect(codes(ds)).toEqual(['mappings/mapc.yaml:4:15 MAPC0410']);
    expect(ds[0]!.hint).toBe('use https://crm.example.com/api');
  });

  it('warns on http to localhost', () => {
    const ds = check({ 'mapc.yaml': withUrl('http://127.0.0.1:8080'), 'a.yaml': usesCrm });
    expect(codes(ds)).toEqual(['mappings/mapc.yaml:4:15 MAPC0411']);
    expect(ds[0]!.severity).toBe('warning');
  });

  it('rejects a query, a fragment, credentials and a relative URL', () => {
    for (const url of ['https://crm.example.com/api?key=1', 'https://crm.example.com/#x', 'https://u:p@crm.example.com', '/api', 'ftp://crm.example.com']) {
      const ds = check({ 'mapc.yaml': withUrl(`"${url}"`), 'a.yaml': usesCrm });
      expect(codes(ds), url).toEqual(['mappings/mapc.yaml:4:15 MAPC0412']);
    }
  });

  it('checks every route and the default of a routed system', () => {
    const ds = check({
      'mapc.yaml': projectFile(`
        systems:
          crm:
            base_url:
              by: user.app_metadata.region
              routes: { eu: http://eu.crm.example.com, us: https://us.crm.example.com }
              default: https://us.crm.example.com?x=1
            auth: none
      `),
      'a.yaml': usesCrm,
    });
    expect(codes(ds)).toEqual(['mappings/mapc.yaml:6:21 MAPC0410', 'mappings/mapc.yaml:7:16 MAPC0412']);
  });

  it('accepts https URLs with a path, and secret base URLs', () => {
    expect(codes(check({ 'mapc.yaml': withUrl('https://crm.example.com:8443/api/v2'), 'a.yaml': usesCrm }))).toEqual([]);
    expect(codes(check({ 'mapc.yaml': withUrl('{ secret: CRM_BASE_URL }'), 'a.yaml': usesCrm }))).toEqual([]);
  });
});
