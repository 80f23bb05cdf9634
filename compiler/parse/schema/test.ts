/** JSON Schema of a test file (`*.test.yaml`, SPEC 7.1; the format is documented in docs/testing.md). */
import { HTTP_METHODS, duration, strictObject, text, type JsonSchema } from './common';

const anyMap = (description: string): JsonSchema => ({ type: 'object', description });

/** A date-time the Action's clock is frozen at (`2024-06-01T12:00:00Z`). */
const now = (description: string): JsonSchema => ({
  type: 'string',
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?$',
  patternErrorMessage: 'an ISO date-time such as 2024-06-01T12:00:00Z',
  description,
});

const response: JsonSchema = strictObject(
  {
    method: { type: 'string', enum: [...HTTP_METHODS], description: 'Only answer requests with this method.' },
    path: {
      type: 'string',
      minLength: 1,
      description: 'Only answer requests to this path (relative to the base URL, URL-encoded as sent; the query counts only when the path has a ?).',
    },
    status: { type: 'integer', minimum: 100, maximum: 599, description: 'HTTP status of the response (default 200).' },
    headers: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Response headers.',
    },
    body: { description: 'Response body, sent as JSON.' },
    raw: { type: 'string', description: 'Response body sent exactly as written (to script invalid JSON); replaces body.' },
    delay: duration('Wait this long before answering (to test timeouts).'),
    reset: { type: 'boolean', description: 'Close the connection without answering (a network error).' },
    hang: { type: 'boolean', description: 'Never answer: the Action\'s timeout for the system must end the request.' },
  },
  [],
  { description: 'One scripted response of a stub server; each request takes the first unused one that matches.' },
);

const access: JsonSchema = {
  description: 'The expected access decision: allow, mfa, { deny: message }, { redirect: url } or { validation_error: { code, message } }.',
  'x-expected': 'allow, mfa, { deny: message }, { redirect: url } or { validation_error: { code, message } }',
  oneOf: [
    { type: 'string', enum: ['allow', 'mfa'], 'x-expected': 'allow or mfa', description: 'Allowed, or MFA enabled.' },
    strictObject({ deny: { type: 'string', description: 'The deny message.' } }, ['deny'], {
      'x-expected': '{ deny: message }',
      description: 'Denied with this message.',
    }),
    strictObject({ redirect: { type: 'string', description: 'The redirect URL with its query, as Auth0 builds it.' } }, ['redirect'], {
      'x-expected': '{ redirect: url }',
      description: 'Redirected to this URL.',
    }),
    strictObject(
      {
        validation_error: strictObject(
          { code: { type: 'string', description: 'The error code.' }, message: { type: 'string', description: 'The error message.' } },
          ['code', 'message'],
          { description: 'The api.validation.error call.' },
        ),
      },
      ['validation_error'],
      { 'x-expected': '{ validation_error: { code, message } }', description: 'Stopped with this validation error.' },
    ),
  ],
};

const expectedRequest: JsonSchema = strictObject(
  {
    system: { type: 'string', minLength: 1, description: 'The system called.' },
    method: { type: 'string', enum: [...HTTP_METHODS], description: 'The method used.' },
    path: { type: 'string', minLength: 1, description: 'The path relative to the system\'s base URL, with its query, as sent.' },
    url: {
      type: 'string',
      minLength: 1,
      description: 'The full URL the deployed Action would call (base URL chosen by routing, path and query).',
    },
    headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Headers that must be present with these values.' },
    body: { description: 'The JSON body expected (maps match by the keys listed).' },
  },
  ['system'],
  { description: 'A request the Action must have made.' },
);

/** Scripted responses per system name. */
const systems = (description: string): JsonSchema => ({
  type: 'object',
  additionalProperties: { type: 'array', items: response, description: 'Scripted responses of this system.' },
  description,
});

const secrets = (description: string): JsonSchema => ({
  type: 'object',
  additionalProperties: { type: 'string' },
  description,
});

/** `continue:` — the user comes back to /continue from the Action's redirect (post-login). */
const continueStep: JsonSchema = strictObject(
  {
    token: strictObject(
      {
        payload: anyMap("Claims of the page's answer, read as continue.<claim>."),
        signed_with: {
          type: 'string',
          minLength: 1,
          description: "Sign with this secret name instead of the spec's token secret (a forged token when the value differs).",
        },
        expired: { type: 'boolean', description: 'Send a token that expired a minute ago.' },
        state: { type: 'string', minLength: 1, description: "Put this state in the token instead of the redirect's (a replayed token)." },
        user_id: { type: 'string', minLength: 1, description: "Put this sub in the token instead of the user's (a token for someone else)." },
      },
      [],
      { description: "The token the page signs and sends back (HS256, with the spec's token secret by default). Leave it out to come back without a token." },
    ),
    query: anyMap('Further parameters of the request to /continue (raw, unsigned): what the browser sends.'),
    event: anyMap('Changes to the event when the user comes back (for example app_metadata the page wrote through the Management API).'),
  },
  [],
  { description: 'After the run redirects, the user comes back to /continue: onContinuePostLogin runs, and the expectations apply to the whole flow.' },
);

const testCase: JsonSchema = strictObject(
  {
    name: { type: 'string', minLength: 1, description: 'Name of the case, shown in the report and matched by the filter.' },
    description: text('What this case checks.'),
    event: anyMap('Event fields, merged over the file defaults and a realistic default event of the trigger.'),
    secrets: secrets('Secret values for this case (merged over the file defaults).'),
    systems: systems('Scripted stub responses by system name; a system listed here replaces its default script.'),
    now: now('The Action\'s clock is frozen at this time (default: the file default, else the real clock).'),
    continue: continueStep,
    expect: strictObject(
      {
        app_metadata: anyMap('Expected app_metadata after the run (keys listed must match; key: null means absent).'),
        user_metadata: anyMap('Expected user_metadata after the run (keys listed must match; key: null means absent).'),
        id_token: anyMap('Expected ID token claims (names without the namespace; name: null means not set).'),
        access_token: anyMap('Expected access token claims (names without the namespace; name: null means not set).'),
        access,
        redirect_token: anyMap('Claims the redirect\'s signed token must carry (the keys listed must match).'),
        scopes: {
          type: 'object',
          additionalProperties: { enum: ['added', 'removed', null], description: 'added, removed, or null (neither).' },
          description: 'Access token scope changes: scope → added, removed or null (not changed).',
        },
        saml: anyMap('Expected SAML attributes (the names listed must match; name: null means not set).'),
        user_id: { type: ['string', 'null'], description: 'The id a pre-user-registration run set with setUserId (null: none).' },
        requests: {
          type: 'array',
          items: expectedRequest,
          description: 'For each system listed, exactly the requests it received, in order; [] means no request at all.',
        },
        no_requests: {
          type: 'array',
          items: { type: 'string', minLength: 1, description: 'A system name.' },
          uniqueItems: true,
          description: 'Systems that must receive no request at all.',
        },
      },
      [],
      { description: 'What the run must produce.' },
    ),
  },
  ['name'],
  { description: 'One test case.' },
);

const defaults: JsonSchema = strictObject(
  {
    event: anyMap('Event fields merged into every case (under the case\'s own event).'),
    secrets: secrets('Secret values for every case.'),
    systems: systems('Scripted stub responses used by every case that does not script the system itself.'),
    now: now('The Action\'s clock is frozen at this time in every case.'),
  },
  [],
  { description: 'What every case of this file starts from (over the project\'s tests.defaults in mapc.yaml).' },
);

/**
 * `tests.defaults` of mapc.yaml: what every case of every test file starts from, under the
 * file's own defaults. Systems apply to the cases whose Action calls them.
 */
export const projectTestDefaults: JsonSchema = strictObject(
  {
    event: anyMap('Event fields merged into every case of the project (under the file\'s and the case\'s own event).'),
    secrets: secrets('Secret values for every case of the project.'),
    systems: systems(
      'Scripted stub responses for every case whose Action calls the system and whose file and case do not script it (e.g. a risk service every post-login case meets).',
    ),
    now: now('The Action\'s clock is frozen at this time in every case of the project (unless the file or the case says otherwise).'),
  },
  [],
  { description: 'What every case of every *.test.yaml file starts from.' },
);

/** Schema of a `*.test.yaml` file. */
export const testSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://mapc.dev/schema/test.json',
  title: 'mapc test file (*.test.yaml)',
  ...strictObject(
    {
      spec: { type: 'string', minLength: 1, description: 'The name of the spec under test.' },
      description: text('What these cases cover.'),
      defaults,
      cases: { type: 'array', minItems: 1, items: testCase, description: 'Test cases.' },
    },
    ['spec', 'cases'],
  ),
};
