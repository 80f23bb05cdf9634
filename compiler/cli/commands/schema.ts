import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectSchema, specSchema, testSchema } from '../../parse';
import type { Diagnostic } from '../../diagnostics';
import { formatText } from '../../diagnostics';
import { EXIT, type CliIO } from '../io';
import { diag } from '../../diagnostics';

const SCHEMAS = { project: projectSchema, spec: specSchema, test: testSchema } as const;

/** Renders one schema as stable, pretty JSON (the committed schema/*.json files use this). */
export function renderSchema(kind: keyof typeof SCHEMAS): string {
  return JSON.stringify(SCHEMAS[kind], null, 2) + '\n';
}

export async function schemaCommand(io: CliIO, o: { kind: keyof typeof SCHEMAS; out?: string }): Promise<number> {
  if (o.out) {
    const dir = path.resolve(io.cwd, o.out);
    try {
      fs.mkdirSync(dir, { recursive: true });
      for (const kind of Object.keys(SCHEMAS) as (keyof typeof SCHEMAS)[]) {
        fs.writeFileSync(path.join(dir, `${kind}.schema.json`), renderSchema(kind));
      }
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
      const d: Diagnostic = diag('MAPC0806', undefined, `cannot write the schemas to '${o.out}' (${reason})`, 'give --out a folder that can be created, or a writable existing folder');
      io.stderr(formatText([d], { color: false, frames: false }) + '\n');
      return EXIT.failed;
    }
    io.stderr(`mapc: wrote ${Object.keys(SCHEMAS).length} schemas to ${o.out}/\n`);
    return EXIT.ok;
  }
  io.stdout(renderSchema(o.kind));
  return EXIT.ok;
}
