/** The manifest names who writes what: a send's own `owner:` owns its `store` writes. */
import { describe, expect, it } from 'vitest';
import { compileOrThrow, tempProject } from '../helpers/compiled';

describe('mapc-manifest.json ownership', () => {
  it('attributes store targets to the send owner, not the spec owner', async () => {
    const dir = tempProject({
      'mappings/mapc.yaml': `version: 1
systems:
  crm: { base_url: 'https://crm.example.com', auth: none }
`,
      'mappings/sync.yaml': `version: 1
name: sync
owner: team-identity
trigger: post-login
sends:
  - system: crm
    method: PUT
    path: /contacts/{{user.user_id}}
    owner: team-crm
    store:
      app_metadata.crm_id: response.id
`,
    });
    const compiled = await compileOrThrow('mappings', dir);
    const manifest = JSON.parse(compiled.files.get('mapc-manifest.json')!);
    const action = manifest.actions['mapc-post-login'];
    expect(action.targets).toEqual([{ owner: 'team-crm', spec: 'sync', target: 'app_metadata.crm_id', via: 'store' }]);
    expect(action.owners).toEqual(['team-crm', 'team-identity']);
    expect(action.specs).toEqual([{ name: 'sync', owner: 'team-identity', source: 'mappings/sync.yaml' }]);
  });
});
