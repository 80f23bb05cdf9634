/**
 * compiler/parse/validators.generated.ts is ajv's standalone code for the three schemas
 * (#16: no schema compile at start-up). It must equal what compiler/parse/standalone.ts makes
 * from the schemas now, and validate exactly as ajv compiling the schemas would.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectSchema, specSchema, testSchema } from '../../compiler/parse/schema';
import { makeAjv, validatorsSource } from '../../compiler/parse/standalone';
import * as generated from '../../compiler/parse/validators.generated';

const FILE = path.join(__dirname, '..', '..', 'compiler', 'parse', 'validators.generated.ts');

describe('standalone schema validators', () => {
  it('the generated file is in step with the schemas (UPDATE_GOLDEN=1 to refresh)', () => {
    const source = validatorsSource();
    if (process.env['UPDATE_GOLDEN'] === '1') fs.writeFileSync(FILE, source);
    expect(fs.readFileSync(FILE, 'utf8') === source, 'run UPDATE_GOLDEN=1 npx vitest run tests/parse/validators.test.ts').toBe(true);
  });

  it('give the errors ajv gives when it compiles the schemas', () => {
    const ajv = makeAjv();
    const samples: [keyof typeof generated, object, unknown][] = [
      ['spec', specSchema, { version: 1, name: 'x', owner: 'o', trigger: 'post-login', fields: [{ to: 'app_metadata.a', from: 3, extra: 1 }] }],
      ['spec', specSchema, { version: 2, name: 'Bad Name', trigger: 'nope', lookups: { a: { method: 'GETT' } } }],
      ['project', projectSchema, { version: 1, systems: { crm: { base_url: 7, auth: { bearer: '' } } }, defaults: { timeout: 'soon' } }],
      ['test', testSchema, { spec: 'x', cases: [{ name: '', expect: { access: 'maybe' } }] }],
    ];
    for (const [kind, schema, data] of samples) {
      const compiled = ajv.compile(schema);
      const v = generated[kind] as unknown as { (d: unknown): boolean; errors?: unknown[] | null };
      expect(v(data)).toBe(compiled(data));
      const strip = (errs: unknown[] | null | undefined) => JSON.parse(JSON.stringify(errs ?? [])) as unknown[];
      expect(strip(v.errors)).toEqual(strip(compiled.errors));
    }
  });
});
