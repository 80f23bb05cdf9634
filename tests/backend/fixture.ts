/** A hand-built ActionIR that exercises every kind of plan entry, with hostile strings in user positions. */
import type { ActionIR } from '../../compiler/ir/types';
import { action, bin, call, ex, lit, NASTY, not, p, spec, tmpl, val, mem } from './helpers';

export const EVIL = NASTY.join(' | ');

export function richAction(): ActionIR {
  return action(
    [
      spec({
        name: 'crm-sync',
        owner: 'team-crm',
        source: 'mappings/crm.yaml',
        description: `Sync to CRM */ ${EVIL}`,
        sends: [
          {
            owner: 'team-crm',
            system: 'crm',
            method: 'POST',
            path: tmpl('/contacts/', p('user.user_id'), '/x'),
            query: [['source', val(EVIL)]],
            headers: [['X-Trace', { kind: 'template', template: tmpl('t-', p('user.user_id')) }]],
            body: {
              kind: 'object',
              entries: [
                ['external_id', ex(p('user.user_id'))],
                ['email', ex(call('lower', p('user.email')))],
                ['__proto__', val({ polluted: true })],
                [EVIL, { kind: 'array', items: [val(1), ex(lit(EVIL))] }],
              ],
            },
            when: p('user.email_verified'),
            idempotencyKey: tmpl(p('user.user_id')),
            timeoutMs: 1500,
            retries: 1,
            onError: 'continue',
            store: [{ target: { kind: 'app_metadata', path: ['crm_contact_id'] }, value: ex(p('response.id')) }],
          },
        ],
      }),
      spec({
        name: 'subscription-enrichment',
        owner: 'team-billing',
        source: 'mappings/billing.yaml',
        onError: 'deny',
        lookups: [
          {
            name: 'subscription',
            after: [],
            system: 'billing',
            method: 'GET',
            path: tmpl('/users/', p('user.user_id'), '/subscription'),
            query: [],
            headers: [],
            when: bin('||', bin('>', call('hours_since', p('user.app_metadata.last_sync')), lit(24)), not(call('exists', p('user.app_metadata.tier')))),
            timeoutMs: 2000,
            retries: 0,
            onError: 'deny',
            denyMessage: 'Billing is unavailable',
          },
        ],
        fields: [
          { target: { kind: 'app_metadata', path: ['subscription_tier'] }, value: ex(p('subscription.tier')), transforms: [], clear: false, owner: 'team-billing' },
          {
            target: { kind: 'user_metadata', path: ['prefs', 'locale'] },
            value: ex(mem(mem(call('identity', lit('google-oauth2')), 'profileData'), 'locale')),
            transforms: [{ fn: 'trim', args: [] }, { fn: 'normalize_locale', args: [] }],
            default: 'en',
            clear: false,
            owner: 'team-billing',
            description: EVIL,
          },
          {
            target: { kind: 'id_token', claim: 'https://acme.example/tier' },
            value: ex(call('coalesce', p('subscription.tier'), p('user.app_metadata.tier'))),
            transforms: [{ fn: 'map', args: [{ premium: 'P', [EVIL]: EVIL }, 'other'] }],
            default: 'standard',
            when: bin('!=', root('value'), p('current')),
            clear: false,
            owner: 'team-billing',
          },
          {
            target: { kind: 'id_token', claim: `https://acme.example/${EVIL}` },
            value: { kind: 'template', template: tmpl(EVIL, p('user.given_name'), ' ', p('user.family_name')) },
            transforms: [],
            clear: true,
            owner: 'team-billing',
          },
        ],
        access: [
          { when: bin('==', p('user.app_metadata.tier'), lit('blocked')), action: { kind: 'deny', message: EVIL } },
          {
            when: bin('&&', p('user.email_verified'), bin('==', p('user.app_metadata.tier'), lit('trial'))),
            action: { kind: 'redirect', url: 'https://acme.example/upgrade', query: [['plan', ex(lit('premium'))]], otherwise: { kind: 'deny', message: EVIL } },
            description: EVIL,
          },
          { when: p('user.app_metadata.mfa'), action: { kind: 'mfa', provider: 'any' } },
        ],
      }),
    ],
    {
      systems: [
        { name: 'billing', baseUrl: { kind: 'secret', secret: 'BILLING_URL' }, auth: { kind: 'bearer', secret: 'BILLING_KEY' }, hosts: [] },
        { name: 'crm', baseUrl: { kind: 'static', url: 'https://crm.example.com/api' }, auth: { kind: 'header', header: 'X-Api-Key', secret: 'CRM_API_KEY' }, hosts: ['crm.example.com'], owner: 'team-crm' },
        {
          name: 'orders',
          baseUrl: { kind: 'routed', by: p('user.app_metadata.region'), routes: [['eu', 'https://eu.orders.example.com'], ['__proto__', 'https://proto.example.com']], default: 'https://us.orders.example.com' },
          auth: { kind: 'none' },
          hosts: ['eu.orders.example.com', 'us.orders.example.com'],
        },
      ],
      secrets: ['BILLING_KEY', 'BILLING_URL', 'CRM_API_KEY'],
      registry: [['app_metadata.subscription_tier', { type: 'string', enum: ['standard', 'premium'], owner: 'team-billing' }]],
      usesRedirect: true,
    },
  );
}

function root(name: string) {
  return p(name);
}
