/** A small project whose every user string that reaches the catalog is hostile markup (tests/catalog). */
export const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">"\'&';

export const HOSTILE_PROJECT: Record<string, string> = {
  'mappings/mapc.yaml': `version: 1
claims_namespace: https://acme.example/
systems:
  crm:
    base_url: https://crm.example.com/api
    auth: { bearer: CRM_API_KEY }
    owner: team-crm
attributes:
  app_metadata.tier: { owner: team-crm, type: string, description: ${JSON.stringify(HOSTILE)} }
`,
  'mappings/evil.yaml': `version: 1
name: evil
owner: team-crm
trigger: post-login
description: ${JSON.stringify(HOSTILE)}
lookups:
  contact:
    system: crm
    method: GET
    path: /contacts/{{user.user_id}}
fields:
  - to: app_metadata.tier
    from: contact.tier
    description: ${JSON.stringify(HOSTILE)}
  - to: id_token.tier
    from: coalesce(contact.tier, user.app_metadata.tier)
    default: ${JSON.stringify(HOSTILE)}
access:
  - when: user.app_metadata.tier == 'banned'
    deny: ${JSON.stringify(HOSTILE)}
`,
};
