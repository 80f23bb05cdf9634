/**
 * The schema validators as standalone JavaScript (ajv's standalone code): mapc does not
 * compile its three schemas at every start (about 170 ms of each command's start-up), it
 * loads `validators.generated.ts`, made from this module. Only the test that keeps the
 * generated file in step (tests/parse/validators.test.ts) imports it; the compiler imports
 * the generated file. Regenerate after a schema change with
 * `UPDATE_GOLDEN=1 npx vitest run tests/parse/validators.test.ts`.
 */
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { projectSchema, specSchema, testSchema } from './schema';

/** The ajv options the validators are built with: every error, verbose (the translation reads each error's schema and data). */
export function makeAjv(): Ajv {
  const a = new Ajv({
    allErrors: true,
    verbose: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
    allowUnionTypes: true,
    code: { source: true, esm: true },
  });
  a.addVocabulary(['x-expected', 'patternErrorMessage']);
  return a;
}

/** The text of compiler/parse/validators.generated.ts. */
export function validatorsSource(): string {
  const a = makeAjv();
  a.addSchema(projectSchema, 'project');
  a.addSchema(specSchema, 'spec');
  a.addSchema(testSchema, 'test');
  const code = standaloneCode(a, { project: 'project', spec: 'spec', test: 'test' });
  return [
    '// @ts-nocheck',
    '/* eslint-disable */',
    '// Generated from compiler/parse/schema by compiler/parse/standalone.ts (ajv standalone code): do not edit.',
    '// Regenerate: UPDATE_GOLDEN=1 npx vitest run tests/parse/validators.test.ts',
    code,
    '',
  ].join('\n');
}
