import type { Agent, CheckpointStore, NodeFn, SupervisorOptions, Workflow } from '@baton/core';

/** The default checkpoint store: `@baton/checkpoint-fs` in a folder of the project. */
export interface FsStoreConfig {
  type: 'fs';
  /** Folder of the checkpoint logs, relative to the config file's folder. @default '.baton' */
  dir?: string;
  /** Passed to `FsCheckpointStore` as `durability` (its fsync policy). @default the store's default */
  durability?: string;
}

/** A store in S3 (or any S3-compatible service) through `@baton/checkpoint-s3`, which must be installed. */
export interface S3StoreConfig {
  type: 's3';
  /** Everything else is passed as is to `new S3CheckpointStore(options)`. */
  [option: string]: unknown;
}

/**
 * A store in PostgreSQL through `@baton/checkpoint-pg` (and `pg`), which must be installed.
 * The CLI calls the store's `migrate()` (idempotent) when it opens it, unless `migrate` is false.
 */
export interface PgStoreConfig {
  type: 'pg';
  /**
   * `postgres://user:password@host:port/database`. The CLI never prints its password (`***` in every
   * message and in `runs show --json`). @default the `BATON_PG_URL` environment variable
   */
  connectionString?: string;
  /** The PostgreSQL schema holding the store's tables. @default 'baton' */
  schema?: string;
  /** Connections in the store's pool. @default 10 */
  poolSize?: number;
  /** How long a run lease lasts without renewal; a crashed run shows as `interrupted` after this. @default 30_000 */
  leaseTtlMs?: number;
  /** Whether to create or upgrade the store's tables on open; false when they are managed elsewhere. @default true */
  migrate?: boolean;
}

/**
 * Where a registry entry comes from: the agent or function itself, or (the
 * only choice in a JSON config) a module specifier with an optional export
 * name, `"./agents/summarize.mjs#summarize"`, resolved from the config's folder.
 * Without `#name` the default export is used.
 */
export type RegistryEntry = Agent | NodeFn | string;

/** What a `baton.config.{ts,mts,js,mjs,json}` file exports (as its default export). */
export interface BatonConfig {
  /** The checkpoint store: a config object, or any `CheckpointStore` instance. @default { type: 'fs', dir: '.baton' } */
  store?: FsStoreConfig | S3StoreConfig | PgStoreConfig | CheckpointStore;
  /** Agents and step functions that workflow files name with `uses:`, by key. @default {} */
  registry?: Record<string, RegistryEntry>;
  /** Options of `createSupervisor` (retry defaults, limits, classifiers); `store` is set by `store` above. */
  supervisor?: Omit<SupervisorOptions, 'store'>;
  /**
   * Workflows defined in code (`defineWorkflow` / `workflow()`), so `baton resume` and `baton runs show` can
   * continue and inspect runs started from code: a run is matched by the name, version and hash it recorded.
   * Keep an older definition listed next to the new one while its runs may still be resumed. @default []
   */
  workflows?: readonly Workflow[];
}

/**
 * Identity function that gives a config file type checking and completion:
 *
 * ```ts
 * // baton.config.ts
 * import { defineConfig } from '@baton/cli';
 * export default defineConfig({ registry: { plan: async (input) => ({ steps: [input] }) } });
 * ```
 */
export function defineConfig(config: BatonConfig): BatonConfig {
  return config;
}
