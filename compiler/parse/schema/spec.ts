/** JSON Schema of a spec file (SPEC 2.2). */
import {
  HTTP_METHODS,
  condition,
  duration,
  onError,
  owner,
  retries,
  secretName,
  strictObject,
  target,
  text,
  trigger,
  value,
  valueMap,
  type JsonSchema,
} from './common';

const template = (description: string): JsonSchema => ({ type: 'string', minLength: 1, description });

/** Keys shared by lookups and sends. */
const requestProperties: Record<string, JsonSchema> = {
  system: { type: 'string', minLength: 1, description: 'The system (declared in mapc.yaml) to call.' },
  method: { type: 'string', enum: [...HTTP_METHODS], description: 'HTTP method.' },
  path: template('Path after the base URL; a template whose interpolations are URL-encoded, e.g. /users/{{user.user_id}}.'),
  query: valueMap('Query parameters: name → value.', 'A query parameter value.'),
  headers: valueMap('Extra request headers: name → value. Not Content-Length, Transfer-Encoding, Connection, Upgrade, Expect, Host, Authorization (use the system auth:) or Idempotency-Key (use idempotency_key:): MAPC0416.', 'A header value.'),
  body: { description: 'JSON body: string leaves are expressions; { value }, { template } and { case } as elsewhere; other scalars are literals.' },
  when: condition('Only call when this expression holds.'),
  timeout: duration("Timeout of this call; defaults to the system's."),
  retries: retries("Retries of this call; defaults to the system's."),
  idempotency_key: template('Template sent as the Idempotency-Key header; allows retrying non-idempotent methods.'),
  on_error: onError('What a failed call does: continue (a lookup becomes null, a send skips its store) or deny.'),
  deny_message: text('The message shown to the user when a failure denies access.'),
  owner: owner(),
  description: text('What this request is for.'),
};

const lookup = strictObject(requestProperties, ['system', 'method', 'path'], {
  description: 'An external read whose JSON response becomes a source named after the lookup.',
});

const send = strictObject(
  {
    ...requestProperties,
    store: {
      type: 'object',
      propertyNames: {
        pattern: (target('').pattern as string),
        patternErrorMessage: (target('').patternErrorMessage as string),
      },
      additionalProperties: value('An expression over `response`.'),
      description: 'Write parts of the response back: target → expression over `response`.',
    },
  },
  ['system', 'method', 'path'],
  { description: 'An external write.' },
);

const transformStep: JsonSchema = {
  description: 'A function name (trim), or a one-key map of a function to its arguments ({ replace: [a, b] }).',
  'x-expected': 'a function name or a one-key map such as { replace: [a, b] }',
  oneOf: [
    {
      type: 'string',
      pattern: '^[a-z_][a-z0-9_]*$',
      patternErrorMessage: 'a function name such as trim',
      'x-expected': 'a function name',
      description: 'A function applied to the value.',
    },
    {
      type: 'object',
      minProperties: 1,
      maxProperties: 1,
      propertyNames: { pattern: '^[a-z_][a-z0-9_]*$', patternErrorMessage: 'a function name such as replace' },
      'x-expected': 'a one-key map such as { replace: [a, b] }',
      description: 'A function with arguments: a list (positional), a map (named) or one value.',
    },
  ],
};

const field = strictObject(
  {
    to: target('Where the value is written: app_metadata.x, user_metadata.x, id_token.claim, access_token.claim, scopes.<scope> (true adds it to the access token, false removes it), saml.<attribute> or user_id (pre-user-registration).'),
    from: value('The value: an expression, { value }, { template }, or { case: [{ when, then }], else }.'),
    when: condition('Only write when this holds; `value` is the computed value.'),
    transform: { type: 'array', items: transformStep, description: 'Steps applied to the value in order.' },
    default: { description: 'Used when the value is null after transforms.' },
    clear: { type: 'boolean', description: 'Write null (remove the attribute) when the value is null.' },
    owner: owner(),
    description: text('What this mapping is for.'),
  },
  ['to', 'from'],
  { description: 'Set one target.' },
);

/** The MFA providers of `api.multifactor.enable` (post-login v3 type definitions). */
export const MFA_PROVIDERS = ['any', 'guardian', 'google-authenticator', 'duo', 'none'] as const;

const mfaProvider = (description: string): JsonSchema => ({ type: 'string', enum: [...MFA_PROVIDERS], description });

/** `mfa: any` or `mfa: { provider, allow_remember_browser }` (api.multifactor.enable's options). */
const mfa: JsonSchema = {
  description: 'Require multi-factor authentication (post-login only): a provider, or { provider, allow_remember_browser }.',
  'x-expected': 'a provider (any, guardian, google-authenticator, duo, none) or { provider, allow_remember_browser }',
  oneOf: [
    mfaProvider('The MFA provider to require.'),
    strictObject(
      {
        provider: mfaProvider('The MFA provider to require.'),
        allow_remember_browser: {
          type: 'boolean',
          description: "Let the user skip MFA on this browser for the tenant's remember-browser period (Auth0's allowRememberBrowser).",
        },
      },
      ['provider'],
      { 'x-expected': '{ provider, allow_remember_browser }', description: 'A provider with options.' },
    ),
  ],
};

/** The signed session token a redirect sends along (api.redirect.encodeToken). */
const redirectToken = strictObject(
  {
    secret: secretName('The Action secret the token is signed with (HS256); the page verifies it with the same secret.'),
    expires_in: duration('How long the token is valid (default 15m, as Auth0).'),
    payload: valueMap(
      'Claims of the token: name → value. The token is signed, not encrypted: put no personal data in it.',
      'A claim value.',
    ),
    parameter: {
      type: 'string',
      pattern: '^[A-Za-z_][A-Za-z0-9_-]*$',
      patternErrorMessage: 'a query parameter name such as session_token',
      description: 'The query parameter that carries the token to the page (default session_token).',
    },
  },
  ['secret'],
  { description: 'Send a signed session token to the page; onContinuePostLogin validates the token the page returns.' },
);

const redirect = strictObject(
  {
    url: { type: 'string', minLength: 1, description: 'Where to send the user.' },
    query: valueMap('Query parameters: name → value.', 'A query parameter value.'),
    otherwise: {
      description:
        'What happens when Auth0 cannot redirect (refresh-token exchange, prompt=none, a second redirect): deny (the default), { deny: <message> }, or continue (later rules still apply).',
      'x-expected': 'deny, continue or { deny: <message> }',
      oneOf: [
        { type: 'string', enum: ['deny', 'continue'], 'x-expected': 'deny or continue', description: 'deny: access is denied with a stated message; continue: the rule does not apply.' },
        strictObject(
          { deny: { type: 'string', minLength: 1, description: 'The message shown when the redirect cannot happen.' } },
          ['deny'],
          { 'x-expected': '{ deny: <message> }', description: 'Deny with this message.' },
        ),
      ],
    },
    token: redirectToken,
  },
  ['url'],
  { description: 'Redirect the user (post-login only).' },
);

const ruleProperties = (inContinue: boolean): Record<string, JsonSchema> => ({
  when: condition('The rule applies when this holds; the first matching rule wins.'),
  deny: { type: 'string', minLength: 1, description: 'Deny access with this message.' },
  ...(inContinue
    ? {}
    : {
        redirect,
        validation_error: strictObject(
          {
            code: { type: 'string', minLength: 1, maxLength: 100, description: 'The error code the application receives (at most 100 characters).' },
            message: { type: 'string', minLength: 1, maxLength: 100, description: 'The error message (at most 100 characters).' },
          },
          ['code', 'message'],
          { description: 'Stop the login or sign-up with this error code and message (api.validation.error; post-login and pre-user-registration).' },
        ),
      }),
  mfa,
  owner: owner(),
  description: text('What this rule is for.'),
});

const accessRule: JsonSchema = {
  ...strictObject(ruleProperties(false), ['when'], { description: 'An access rule: when, then one of deny, redirect, mfa or validation_error.' }),
  oneOf: [{ required: ['deny'] }, { required: ['redirect'] }, { required: ['mfa'] }, { required: ['validation_error'] }],
};

const continueRule: JsonSchema = {
  ...strictObject(ruleProperties(true), ['when'], { description: 'An access rule of the continue phase: when, then deny or mfa.' }),
  oneOf: [{ required: ['deny'] }, { required: ['mfa'] }],
};

/** `continue:`: what onContinuePostLogin does when the user comes back from this spec's redirect. */
const continueBlock = strictObject(
  {
    parameter: {
      type: 'string',
      pattern: '^[A-Za-z_][A-Za-z0-9_-]*$',
      patternErrorMessage: 'a parameter name such as session_token',
      description: "The parameter of /continue that carries the page's signed token (default session_token).",
    },
    deny: {
      type: 'string',
      minLength: 1,
      description: 'The message shown when the returned token is missing or invalid.',
    },
    fields: { type: 'array', items: field, description: 'Mappings computed on the way back; `continue.<claim>` reads the verified token.' },
    access: { type: 'array', items: continueRule, description: 'Access rules checked on the way back; the first matching rule wins.' },
  },
  [],
  {
    description:
      "What happens when the user comes back from this spec's redirect (onContinuePostLogin): the returned token is validated first (missing or invalid: deny), then these fields and access rules run.",
  },
);

/** Schema of a spec file (`mappings/**\/*.yaml`). */
export const specSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://mapc.dev/schema/spec.json',
  title: 'mapc spec file',
  ...strictObject(
    {
      version: { const: 1, description: 'Format version; always 1.' },
      name: {
        type: 'string',
        pattern: '^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$',
        patternErrorMessage: 'a kebab-case name such as subscription-enrichment',
        description: 'Kebab-case name, unique in the project.',
      },
      owner: owner('The team accountable for this spec.'),
      trigger: trigger('The Auth0 trigger this spec runs on.'),
      description: text('What this spec does.'),
      on_error: onError('What an unexpected failure inside this spec does.'),
      action: {
        type: 'string',
        pattern: '^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$',
        patternErrorMessage: 'a kebab-case Action name such as crm-sync',
        description: 'Emit this spec as its own Action with this name instead of mapc-<trigger>.',
      },
      lookups: {
        type: 'object',
        propertyNames: {
          pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
          patternErrorMessage: 'a lookup name made of letters, digits and _ (it becomes an expression root)',
        },
        additionalProperties: lookup,
        description: 'External reads by name; each response becomes a source named after the lookup.',
      },
      uses: {
        type: 'object',
        propertyNames: {
          pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
          patternErrorMessage: 'a lookup name made of letters, digits and _ (it becomes an expression root)',
        },
        additionalProperties: {
          type: 'string',
          pattern: '^[a-z][a-z0-9]*(?:-[a-z0-9]+)*\\.[A-Za-z_][A-Za-z0-9_]*$',
          patternErrorMessage: 'another spec\'s lookup as <spec>.<lookup>, such as subscription-enrichment.subscription',
          description: 'The lookup of another spec of the same Action to read, as <spec>.<lookup>.',
        },
        description:
          "Shared lookups: name → another spec's lookup (<spec>.<lookup>) of the same Action, read under this name; it is fetched once per run, by its own spec.",
      },
      fields: { type: 'array', items: field, description: 'Mappings, one target each.' },
      sends: { type: 'array', items: send, description: 'External writes.' },
      access: { type: 'array', items: accessRule, description: 'Access rules; the first matching rule wins.' },
      continue: continueBlock,
      deadline: duration("The deadline of this spec's Action (all its external calls together); defaults to the project's. The Actions of one trigger must add up to less than Auth0's 20 s."),
    },
    ['version', 'name', 'owner', 'trigger'],
  ),
};
