/**
 * The Auth0 Deploy CLI's directory format (AUTH0-FACTS.md §4.2), an alternative to tenant.yaml
 * chosen with `mapc build --layout directory`:
 *
 *   actions/<name>.json        the Action, the same fields as its tenant.yaml entry
 *   actions/<name>/code.js     its bundled code (the same path as in the YAML layout)
 *   triggers/triggers.json     bindings per trigger, in execution order
 *   mapc-manifest.json         as in the YAML layout (the Deploy CLI reads only actions/ and triggers/)
 *
 * The JSON files are made from the rendered tenant.yaml itself, so the two layouts can never
 * say different things: one is the other split into the files the Deploy CLI reads.
 */
import { parse } from 'yaml';
import type { LoadedProject } from '../model';
import type { ProgramIR } from '../ir';
import { renderOutputWith, renderTenant, type RenderInputs } from './render';

/** The output layouts `mapc build --layout` accepts. */
export const LAYOUTS = ['yaml', 'directory'] as const;
export type Layout = (typeof LAYOUTS)[number];

/** Where the Deploy CLI's directory format keeps its bindings; it reads the first .json there. */
export const TRIGGERS_FILE = 'triggers/triggers.json';

/** `actions/<name>.json`; the name was already checked safe by codePath when rendering. */
export function actionJsonPath(actionName: string): string {
  return `actions/${actionName}.json`;
}

interface TenantDoc {
  readonly actions: readonly ({ readonly name: string } & Record<string, unknown>)[];
  readonly triggers: Record<string, unknown>;
}

/**
 * Every output file of the directory layout, by path relative to the output folder, sorted.
 * Same arguments and contract as `renderOutput`; the code.js files and the manifest are the
 * same bytes as in the YAML layout, tenant.yaml is replaced by the JSON files.
 */
export function renderDirectoryOutput(
  program: ProgramIR,
  bundles: ReadonlyMap<string, string>,
  inputs: RenderInputs | LoadedProject,
): Map<string, string> {
  return renderOutputWith(program, bundles, inputs, directoryFilesOf(renderTenant(program)));
}

/** The JSON files of the directory layout for a rendered tenant.yaml text. */
export function directoryFilesOf(tenantYaml: string): Map<string, string> {
  const doc = parse(tenantYaml) as TenantDoc;
  const files = new Map<string, string>();
  for (const action of doc.actions ?? []) files.set(actionJsonPath(action.name), json(action));
  // Always written, even empty: an empty object makes "no bindings" explicit to a reviewer.
  files.set(TRIGGERS_FILE, json(doc.triggers ?? {}));
  return files;
}

/** 2-space JSON with a trailing newline; key order is the tenant.yaml's (the Deploy CLI export's). */
function json(v: unknown): string {
  return JSON.stringify(v, null, 2) + '\n';
}
