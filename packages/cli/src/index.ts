export { defineConfig } from './config/define-config.js';
export type {
  BatonConfig,
  FsStoreConfig,
  PgStoreConfig,
  RegistryEntry,
  S3StoreConfig,
} from './config/define-config.js';
export { CONFIG_FILE_NAMES, findConfigFile } from './config/find-config.js';
export { loadConfig } from './config/load-config.js';
export type { LoadedConfig } from './config/load-config.js';
export { CliError } from './errors.js';
export {
  findRegisteredWorkflow,
  registeredWorkflowFor,
  WorkflowNotRegisteredError,
} from './config/workflow-registry.js';
export { ExitCode } from './exit-codes.js';
export type { ExitCodeValue } from './exit-codes.js';
export { main } from './main.js';
export { WORKFLOW_SCHEMA_URL, workflowJsonSchema } from './schema/workflow-schema.js';
export type { JsonSchemaNode } from './schema/workflow-schema.js';
