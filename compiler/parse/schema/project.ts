/** JSON Schema of the project file `mapc.yaml` (SPEC 2.1). */
import {
  condition,
  describe,
  duration,
  onError,
  owner,
  retries,
  secretName,
  strictObject,
  text,
  trigger,
  type JsonSchema,
} from './common';
import { projectTestDefaults } from './test';

const url = (description: string): JsonSchema => ({ type: 'string', minLength: 1, description });

const auth: JsonSchema = {
  description:
    'How requests authenticate: { bearer: SECRET }, { header: NAME, secret: SECRET }, { basic: { user_secret, password_secret } }, { oauth2: { token_url, client_id_secret, client_secret_secret, audience, scope } } or none.',
  'x-expected':
    'none, { bearer: SECRET }, { header: NAME, secret: SECRET }, { basic: { user_secret, password_secret } } or { oauth2: { token_url, client_id_secret, client_secret_secret } }',
  oneOf: [
    { type: 'string', const: 'none', 'x-expected': 'none', description: 'No authentication.' },
    strictObject({ bearer: secretName('The secret sent as `Authorization: Bearer <secret>`.') }, ['bearer'], {
      'x-expected': '{ bearer: SECRET }',
      description: 'Bearer token.',
    }),
    strictObject(
      {
        header: {
          type: 'string',
          pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$",
          patternErrorMessage: 'an HTTP header name such as X-Api-Key',
          description: 'The header name, e.g. X-Api-Key.',
        },
        secret: secretName('The secret sent as the header value.'),
      },
      ['header', 'secret'],
      { 'x-expected': '{ header: NAME, secret: SECRET }', description: 'API key in a header.' },
    ),
    strictObject(
      {
        basic: strictObject(
          {
            user_secret: secretName('The secret holding the user name.'),
            password_secret: secretName('The secret holding the password.'),
          },
          ['user_secret', 'password_secret'],
          { description: 'HTTP Basic credentials, both read from secrets.' },
        ),
      },
      ['basic'],
      { 'x-expected': '{ basic: { user_secret, password_secret } }', description: 'HTTP Basic authentication.' },
    ),
    strictObject(
      {
        oauth2: strictObject(
          {
            token_url: url('The token endpoint (https; http only for localhost), e.g. https://login.acme.example/oauth/token.'),
            client_id_secret: secretName('The secret holding the client id.'),
            client_secret_secret: secretName('The secret holding the client secret (sent in the form body: client_secret_post).'),
            audience: { type: 'string', minLength: 1, description: 'The audience parameter of the token request (the API the token is for), when the server needs one.' },
            scope: { type: 'string', minLength: 1, description: 'The scope parameter of the token request (space-separated), when the server needs one.' },
          },
          ['token_url', 'client_id_secret', 'client_secret_secret'],
          { description: 'OAuth 2.0 client credentials: the token endpoint and the two secrets.' },
        ),
      },
      ['oauth2'],
      {
        'x-expected': '{ oauth2: { token_url, client_id_secret, client_secret_secret } }',
        description: 'OAuth 2.0 client credentials: a token fetched within the deadline, kept in api.cache, sent as Authorization: Bearer.',
      },
    ),
  ],
};

const baseUrl: JsonSchema = {
  description:
    'Where the system lives: a URL (https; http only for localhost), { secret: NAME } to read it from a secret, or a routing table { by, routes, default }.',
  'x-expected': 'a URL, { secret: NAME } or { by, routes, default }',
  oneOf: [
    url('The base URL of every request path.'),
    strictObject({ secret: secretName('The secret holding the base URL.') }, ['secret'], {
      'x-expected': '{ secret: NAME }',
      description: 'Read the base URL from an Action secret.',
    }),
    strictObject(
      {
        by: condition('An expression over trusted data (never user-editable) whose value picks the route.'),
        routes: {
          type: 'object',
          minProperties: 1,
          additionalProperties: {
            description: 'The base URL for this route key, or { url, auth } when the route has its own credentials.',
            'x-expected': 'a URL or { url, auth }',
            oneOf: [
              url('The base URL for this route key.'),
              strictObject(
                { url: url('The base URL for this route key.'), auth: { ...auth, description: "This route's credentials, instead of the system's auth." } },
                ['url', 'auth'],
                { 'x-expected': '{ url, auth }', description: 'A route with its own credentials (each tenant its own secret).' },
              ),
            ],
          },
          description: 'Route key → base URL, or { url, auth } for a route with its own credentials.',
        },
        default: url('The base URL when no route matches; without it the request fails.'),
      },
      ['by', 'routes'],
      { 'x-expected': '{ by, routes, default }', description: 'A routing table for multi-tenant systems.' },
    ),
  ],
};

const system: JsonSchema = strictObject(
  {
    base_url: baseUrl,
    auth,
    timeout: duration('Timeout of one call to this system; defaults to defaults.timeout.'),
    retries: retries('Retries of a failed idempotent call (network error, 408, 429, 5xx); defaults to defaults.retries.'),
    owner: owner('The team that owns this system.'),
    description: text('What this system is.'),
  },
  ['base_url'],
  { description: 'An external system that lookups and sends call.' },
);

const attribute: JsonSchema = strictObject(
  {
    owner: owner('The only team whose specs may write this attribute.'),
    type: {
      type: 'string',
      enum: ['string', 'number', 'integer', 'boolean', 'array', 'object'],
      description: 'The type every written value must have.',
    },
    enum: { type: 'array', minItems: 1, uniqueItems: true, description: 'The only values that may be written.' },
    description: text('What this attribute means.'),
  },
  ['owner', 'type'],
  { description: 'A registered attribute of the canonical profile.' },
);

const externalAction: JsonSchema = strictObject(
  {
    name: { type: 'string', minLength: 1, description: 'The Action name in the tenant.' },
    trigger: trigger('The trigger it is bound to.'),
    position: {
      type: 'string',
      enum: ['before', 'after'],
      description: "Whether it runs before or after mapc's Actions.",
    },
  },
  ['name', 'trigger', 'position'],
  { description: 'An Action not made by mapc that must stay bound to a trigger.' },
);

/** Schema of `mapc.yaml`. */
export const projectSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://mapc.dev/schema/project.json',
  title: 'mapc project file (mapc.yaml)',
  ...strictObject(
    {
      version: { const: 1, description: 'Format version; always 1.' },
      claims_namespace: {
        type: 'string',
        minLength: 1,
        description:
          'Prefix of every custom token claim (e.g. https://acme.example/); required when any spec maps a token claim.',
      },
      runtime: { type: 'string', enum: ['node22', 'node18'], description: 'Node.js runtime of the generated Actions (default node22).' },
      defaults: describe(
        'Defaults for every request and spec.',
        strictObject({
          timeout: duration('Timeout of one external call (default 2s).'),
          deadline: duration('Budget of all external calls of one Action together (default 8s); must stay under 20 s.'),
          retries: retries('Retries of a failed idempotent call (default 0).'),
          on_error: onError('What an unexpected failure does (default continue).'),
        }),
      ),
      systems: {
        type: 'object',
        propertyNames: {
          pattern: '^[A-Za-z][A-Za-z0-9_-]*$',
          patternErrorMessage: 'a system name made of letters, digits, - and _ (such as crm)',
        },
        additionalProperties: system,
        description: 'External systems by name.',
      },
      attributes: {
        type: 'object',
        propertyNames: {
          pattern: '^(?:app_metadata|user_metadata)(?:\\.[A-Za-z0-9_-]+)+$',
          patternErrorMessage: 'an app_metadata or user_metadata attribute such as app_metadata.subscription_tier',
        },
        additionalProperties: attribute,
        description: 'Canonical-profile registry: target → owner, type and allowed values.',
      },
      external_actions: {
        type: 'array',
        items: externalAction,
        description: 'Actions not made by mapc that must stay bound to a trigger.',
      },
      tests: describe('Settings of `mapc test` for the whole project.', strictObject({ defaults: projectTestDefaults })),
    },
    ['version'],
  ),
};
