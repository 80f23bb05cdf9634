/** JSON Schema of a test file (`*.test.yaml`, SPEC 7.1). */
import { HTTP_METHODS, duration, strictObject, text, type JsonSchema } from './common';

const anyMap = (description: string): JsonSchema => ({ type: 'object', description });

const response: JsonSchema = strictObject(
  {
    method: { type: 'string', enum: [...HTTP_METHODS], description: 'Only answer requests with this method.' },
    path: { type: 'string', minLength: 1, description: 'Only answer requests to this path (URL-encoded, as sent).' },
    status: { type: 'integer', minimum: 100, maximum: 599, description: 'HTTP status of the response (default 200).' },
    headers: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Response headers.',
    },
    body: { description: 'Response body; a map or list is sent as JSON, a string as is.' },
    delay: duration('Wait this long before answering (to test timeouts).'),
    reset: { type: 'boolean', description: 'Close the connection without answering (a network error).' },
  },
  [],
  { description: 'One scripted response of a stub server, used in order.' },
);

const access: JsonSchema = {
  description: 'The expected access decision: allow, mfa, { deny: message } or { redirect: url }.',
  'x-expected': 'allow, mfa, { deny: message } or { redirect: url }',
  oneOf: [
    { type: 'string', enum: ['allow', 'mfa'], 'x-expected': 'allow or mfa', description: 'Allowed, or MFA enabled.' },
    strictObject({ deny: { type: 'string', description: 'The deny message.' } }, ['deny'], {
      'x-expected': '{ deny: message }',
      description: 'Denied with this message.',
    }),
    strictObject({ redirect: { type: 'string', description: 'The redirect URL (with its query).' } }, ['redirect'], {
      'x-expected': '{ redirect: url }',
      description: 'Redirected to this URL.',
    }),
  ],
};

const expectedRequest: JsonSchema = strictObject(
  {
    system: { type: 'string', minLength: 1, description: 'The system called.' },
    method: { type: 'string', enum: [...HTTP_METHODS], description: 'The method used.' },
    path: { type: 'string', minLength: 1, description: 'The path with its query, as sent.' },
    headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Headers that must be present with these values.' },
    body: { description: 'The JSON body expected.' },
  },
  ['system'],
  { description: 'A request the Action must have made.' },
);

const testCase: JsonSchema = strictObject(
  {
    name: { type: 'string', minLength: 1, description: 'Name of the case, shown in the report and matched by the filter.' },
    description: text('What this case checks.'),
    event: anyMap('Event fields, merged over a realistic default event of the trigger.'),
    secrets: { type: 'object', additionalProperties: { type: 'string' }, description: 'Secret values for this case.' },
    systems: {
      type: 'object',
      additionalProperties: { type: 'array', items: response, description: 'Scripted responses of this system.' },
      description: 'Stub servers by system name.',
    },
    expect: strictObject(
      {
        app_metadata: anyMap('Expected app_metadata writes.'),
        user_metadata: anyMap('Expected user_metadata writes.'),
        id_token: anyMap('Expected ID token claims (names without the namespace).'),
        access_token: anyMap('Expected access token claims (names without the namespace).'),
        access,
        requests: { type: 'array', items: expectedRequest, description: 'Requests the Action must make, in any order.' },
      },
      [],
      { description: 'What the run must produce.' },
    ),
  },
  ['name'],
  { description: 'One test case.' },
);

/** Schema of a `*.test.yaml` file. */
export const testSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://mapc.dev/schema/test.json',
  title: 'mapc test file (*.test.yaml)',
  ...strictObject(
    {
      spec: { type: 'string', minLength: 1, description: 'The name of the spec under test.' },
      cases: { type: 'array', minItems: 1, items: testCase, description: 'Test cases.' },
    },
    ['spec', 'cases'],
  ),
};
