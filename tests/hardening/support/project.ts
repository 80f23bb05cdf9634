/**
 * Small projects for hardening tests: a project file with one `sink` system and a post-login
 * spec, written to a temp folder and compiled with the real pipeline.
 */
import type { Compiled } from '../../../compiler/pipeline';
import type { Diagnostic } from '../../../compiler/diagnostics';
import { compileFiles, compileOrThrow, tempProject } from '../../helpers/compiled';

/** The project file: one system `sink` (https://sink.example.com/in, bearer SINK_KEY). */
export function projectFile(extra = ''): string {
  return `version: 1
claims_namespace: https://acme.example/
defaults: { timeout: 1s, deadline: 3s }
systems:
  sink:
    base_url: https://sink.example.com/in
    auth: { bearer: SINK_KEY }
${extra}`;
}

/** Builds a project of `mapc.yaml` (from `projectFile(extra)`) and `spec.yaml`. */
export async function buildSpec(spec: string, extra = ''): Promise<Compiled> {
  const dir = tempProject({ 'mappings/mapc.yaml': projectFile(extra), 'mappings/spec.yaml': spec });
  return compileOrThrow('mappings', dir);
}

export const SINK_SECRETS = { SINK_KEY: 'sink-key-value-9c1e' };

/** Parsed log lines of a run. */
export const parsedLogs = (logs: readonly string[]): Record<string, unknown>[] => logs.map((l) => JSON.parse(l) as Record<string, unknown>);

/** The diagnostics of a project of `mapc.yaml` (from `projectFile(extra)`) and the given specs (file name → text). */
export async function diagnosticsOf(specs: Record<string, string>, extra = ''): Promise<readonly Diagnostic[]> {
  const files: Record<string, string> = { 'mappings/mapc.yaml': projectFile(extra) };
  for (const [name, text] of Object.entries(specs)) files[`mappings/${name}`] = text;
  return (await compileFiles(files)).diagnostics;
}

/** The codes of the errors among `diagnostics`. */
export const errorCodes = (diagnostics: readonly Diagnostic[]): string[] => diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
