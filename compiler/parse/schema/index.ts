/** The JSON Schemas of mapc's files (for validation, `mapc schema` and editors). */
export { projectSchema } from './project';
export { specSchema } from './spec';
export { testSchema } from './test';
export type { JsonSchema } from './common';
