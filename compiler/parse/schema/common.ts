/**
 * Building blocks shared by the project, spec and test schemas. Schemas are plain JSON
 * Schema (draft-07) objects without `$ref`, so ajv's `schemaPath` of every error is absolute
 * and the error translator (../validate.ts) can group the errors of each `oneOf` branch.
 *
 * Two annotation keywords carry wording for people: `patternErrorMessage` (understood by
 * yaml-language-server too) says what a pattern expects, `x-expected` says in words what a
 * value must be; both are used by the translator and never shown as schema jargon.
 */
import { SECRET_NAME } from '../../triggers';
import { TRIGGER_IDS } from '../../triggers';

/** A JSON Schema object; kept loose on purpose: schemas are data. */
export type JsonSchema = { readonly [key: string]: unknown };

/** Adds a description (and optional title) to a schema. */
export function describe(description: string, schema: JsonSchema, title?: string): JsonSchema {
  return title === undefined ? { ...schema, description } : { title, ...schema, description };
}

/** A map with the given properties and nothing else. */
export function strictObject(
  properties: Record<string, JsonSchema>,
  required: readonly string[] = [],
  extra: JsonSchema = {},
): JsonSchema {
  const out: Record<string, unknown> = { type: 'object', properties, additionalProperties: false, ...extra };
  if (required.length > 0) out['required'] = [...required];
  return out;
}

export const DURATION_PATTERN = '^(?:[0-9]+ms|[0-9]+(?:\\.[0-9]+)?[smh])$';

/** `"1500ms"`, `"2s"`, `"1.5s"`, `"10m"`, `"1h"` or a whole number of milliseconds. */
export function duration(description: string): JsonSchema {
  return {
    type: ['string', 'integer'],
    pattern: DURATION_PATTERN,
    minimum: 0,
    patternErrorMessage: 'a duration such as 2s, 1.5s, 1500ms or 10m',
    'x-expected': 'a duration such as 2s, 1.5s, 1500ms or 10m (a bare number means milliseconds)',
    description,
  };
}

export const onError = (description: string): JsonSchema => ({
  type: 'string',
  enum: ['continue', 'deny'],
  description,
});

export const retries = (description: string): JsonSchema => ({
  type: 'integer',
  minimum: 0,
  maximum: 5,
  description,
});

export const owner = (description = 'The team accountable for this entry; defaults to the spec\'s owner.'): JsonSchema => ({
  type: 'string',
  minLength: 1,
  description,
});

export const text = (description: string): JsonSchema => ({ type: 'string', description });

export const trigger = (description: string): JsonSchema => ({
  type: 'string',
  enum: [...TRIGGER_IDS],
  description,
});

/** Name of a secret of the Action (`event.secrets.NAME`); only the name is ever written. */
export const secretName = (description: string): JsonSchema => ({
  type: 'string',
  pattern: SECRET_NAME.source,
  patternErrorMessage: 'a secret name made of letters, digits and _ (such as CRM_API_KEY)',
  description,
});

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Where a value can be written: metadata (nested with dots) or a token claim. */
export const TARGET_PATTERN =
  '^(?:(?:app_metadata|user_metadata)(?:\\.[A-Za-z0-9_-]+)+|(?:id_token|access_token)\\.[A-Za-z0-9_-]+(?:[.:/][A-Za-z0-9_-]+)*|(?:scopes|saml)\\.[!-~]+|user_id)$';
export const TARGET_WORDS =
  'a target such as app_metadata.tier, user_metadata.locale, id_token.tier, access_token.tier, scopes.read:orders, saml.<attribute> or user_id';

export const target = (description: string): JsonSchema => ({
  type: 'string',
  pattern: TARGET_PATTERN,
  patternErrorMessage: TARGET_WORDS,
  description,
});

/** An expression (SPEC 2.4); a boolean stands for the constant condition. */
export const condition = (description: string): JsonSchema => ({
  type: ['string', 'boolean'],
  minLength: 1,
  'x-expected': 'an expression such as user.email_verified',
  description,
});

/**
 * A branch of a `case:` value: an expression, a constant (number, true/false, null) or
 * `{ value: <scalar> }`. Not a template or another `case:` (schemas have no `$ref`, and a
 * `case:` already takes any number of branches).
 */
const caseBranch = (description: string): JsonSchema => ({
  description,
  'x-expected': 'an expression, a number, true/false, null or { value: ... }',
  oneOf: [
    { type: 'string', minLength: 1, 'x-expected': 'an expression', description: 'An expression (SPEC 2.4).' },
    { type: ['number', 'boolean', 'null'], 'x-expected': 'a number, true/false or null', description: 'A constant.' },
    strictObject(
      { value: { type: ['string', 'number', 'boolean', 'null'], 'x-expected': 'text, a number, true/false or null', description: 'A constant, used as is.' } },
      ['value'],
      { 'x-expected': '{ value: ... }', description: 'A constant value.' },
    ),
  ],
});

/**
 * `{ case: [{ when, then }, ...], else }`: the value of the first branch whose condition holds,
 * else the `else` value (null without one). Only the branch taken is computed.
 */
export const caseValue: JsonSchema = strictObject(
  {
    case: {
      type: 'array',
      minItems: 1,
      items: strictObject(
        {
          when: condition('The condition of this branch: a boolean expression; null counts as false.'),
          then: caseBranch('The value when this branch is the first whose condition holds.'),
        },
        ['when', 'then'],
        { 'x-expected': '{ when: <condition>, then: <value> }', description: 'One branch.' },
      ),
      description: 'The branches, tried in order: the first whose when holds gives the value.',
    },
    else: caseBranch('The value when no branch holds (null when left out).'),
  },
  ['case'],
  { 'x-expected': "{ case: [{ when: ..., then: ... }], else: ... }", description: 'A value chosen by conditions (several branches).' },
);

/**
 * A value position (SPEC 2.3): an expression string, `{ value: <any> }`, `{ template: "..." }`,
 * `{ case: [...], else }`, or a number/boolean (a literal).
 */
export function value(description: string): JsonSchema {
  return {
    description,
    'x-expected': "an expression, a number, true/false, { value: ... }, { template: '...' } or { case: [...] }",
    oneOf: [
      { type: 'string', minLength: 1, 'x-expected': 'an expression', description: 'An expression (SPEC 2.4).' },
      { type: ['number', 'boolean'], 'x-expected': 'a number or true/false', description: 'A literal.' },
      strictObject(
        { value: { description: 'A literal YAML value, used as is.' } },
        ['value'],
        { 'x-expected': '{ value: ... }', description: 'A literal value.' },
      ),
      strictObject(
        { template: { type: 'string', description: 'A Handlebars template producing a string, e.g. "{{user.given_name}} {{user.family_name}}".' } },
        ['template'],
        { 'x-expected': "{ template: '...' }", description: 'A string template.' },
      ),
      caseValue,
    ],
  };
}

/** A map from names (query parameters, headers) to values. */
export function valueMap(description: string, valueDescription: string): JsonSchema {
  return { type: 'object', additionalProperties: value(valueDescription), description };
}
