import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectSchema, specSchema, testSchema } from '../../parse/schema/index';
import { EXIT, type CliIO } from '../io';

const SCHEMAS = { project: projectSchema, spec: specSchema, test: testSchema } as const;

/** Renders one schema as stable, pretty JSON (the committed schema/*.json files use this). */
export function renderSchema(kind: keyof typeof SCHEMAS): string {
  return JSON.stringify(SCHEMAS[kind], null, 2) + '\n';
}

export async function schemaCommand(io: CliIO, o: { kind: keyof typeof SCHEMAS; out?: string }): Promise<number> {
  if (o.out) {
    const dir = path.resolve(io.cwd, o.out);
    fs.mkdirSync(dir, { recursive: true });
    for (const kind of Object.keys(SCHEMAS) as (keyof typeof SCHEMAS)[]) {
      fs.writeFileSync(path.join(dir, `${kind}.schema.json`), renderSchema(kind));
    }
    io.stderr(`mapc: wrote ${Object.keys(SCHEMAS).length} schemas to ${o.out}/\n`);
    return EXIT.ok;
  }
  io.stdout(renderSchema(o.kind));
  return EXIT.ok;
}
