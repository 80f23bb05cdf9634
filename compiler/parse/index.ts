/** The parse phase: files → YAML → schema (ajv) → model. */
export { loadProject, PROJECT_FILE, type LoadOptions } from './load';
export { loadYamlFile, parseYamlText, MAX_FILE_BYTES, MAX_ALIAS_COUNT, type YamlFile } from './yaml-file';
export { validateFile, type FileKind, type ValidationInput } from './validate';
export { buildProject, buildSpec, PROJECT_DEFAULTS } from './model-builder';
/** The project's `tests.defaults`, as `mapc test` reads them (compiler/emulator). */
export type { ProjectTestDefaults } from '../model';
export { nodeAt, nodeSpan, type DataPath } from './nodes';
export { scalarOrigin } from './origin';
export { durationMs } from './duration';
export { projectSchema, specSchema, testSchema } from './schema';
