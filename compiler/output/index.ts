/** Public surface of output: render generated/ in memory, write it atomically, detect drift. */
export {
  renderOutput,
  renderTenant,
  renderManifest,
  codePath,
  inputsOf,
  sha256,
  TENANT_FILE,
  MANIFEST_FILE,
  type RenderInputs,
} from './render';
export { writeOutput, diffOutput, diffOutputDetailed, recoverOutput, type Drift, type WriteOptions } from './write';
export { buildKey, cacheFolder, cacheHit, recordBuild, type CacheOptions } from './cache';
export {
  renderDirectoryOutput,
  directoryFilesOf,
  actionJsonPath,
  LAYOUTS,
  TRIGGERS_FILE,
  type Layout,
} from './directory';
export {
  renderTerraformOutput,
  renderTerraform,
  TARGETS,
  TERRAFORM_FILE,
  SECRETS_VERSION_VARIABLE,
  secretVariable,
  tfIdentifier,
  dataSourceIdentifiers,
  type Target,
} from './terraform';
