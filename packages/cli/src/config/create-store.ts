import { resolve } from 'node:path';
import type { CheckpointStore } from '@baton/core';
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import { CliError } from '../errors.js';
import type { BatonConfig, FsStoreConfig, PgStoreConfig } from './define-config.js';
import { registerConnectionSecret } from './redact.js';

/** Default folder of the fs store, under the project folder. */
export const DEFAULT_STORE_DIR = '.baton';

/** Builds the configured store; `storeDir` (the `--store-dir` flag) forces an fs store in that folder. */
export async function createStore(
  config: BatonConfig,
  projectDir: string,
  options: { storeDir?: string | undefined; configFile?: string | undefined },
): Promise<CheckpointStore> {
  if (options.storeDir) return createFsStore({ type: 'fs', dir: resolve(options.storeDir) }, projectDir);
  const store = config.store ?? { type: 'fs' };
  if (!('type' in store) || typeof store.type !== 'string') return store as CheckpointStore;
  if (store.type === 'fs') return createFsStore(store as FsStoreConfig, projectDir);
  const configFile = options.configFile ?? '(no config file)';
  if (store.type === 'pg') return createPgStore(store as PgStoreConfig, configFile);
  return createS3Store(store as Record<string, unknown>, configFile);
}

function createFsStore(config: FsStoreConfig, projectDir: string): CheckpointStore {
  const dir = resolve(projectDir, config.dir ?? DEFAULT_STORE_DIR);
  return new FsCheckpointStore({ dir, ...(config.durability ? { durability: config.durability as never } : {}) });
}

async function createS3Store(config: Record<string, unknown>, configFile: string): Promise<CheckpointStore> {
  const { type: _type, ...options } = config;
  const module = await importOptionalStore<S3Module>(
    '@baton/checkpoint-s3',
    configFile,
    'store.type is "s3" but @baton/checkpoint-s3 is not installed (pnpm add @baton/checkpoint-s3 @aws-sdk/client-s3)',
  );
  return new module.S3CheckpointStore(withEnvDefaults(options, module.s3OptionsFromEnv?.()));
}

interface S3Module {
  S3CheckpointStore: new (options: unknown) => CheckpointStore;
  s3OptionsFromEnv?: () => { bucket: string; clientConfig: object } | undefined;
}

/**
 * `BATON_S3_BUCKET`, `BATON_S3_ENDPOINT`, ... fill in what the config leaves
 * out (so `{ type: 's3' }` alone works from the environment); the config wins.
 */
function withEnvDefaults(
  options: Record<string, unknown>,
  fromEnv: { bucket: string; clientConfig: object } | undefined,
): Record<string, unknown> {
  if (!fromEnv) return options;
  const hasClient = ['client', 'clientConfig', 'objectClient'].some((key) => options[key] !== undefined);
  return { bucket: fromEnv.bucket, ...(hasClient ? {} : { clientConfig: fromEnv.clientConfig }), ...options };
}

/**
 * Imports an optional store package, or throws a config `CliError` saying what to install. The specifier is a
 * variable so bundlers and TypeScript do not require the package.
 */
export async function importOptionalStore<Module>(
  specifier: string,
  configFile: string,
  reason: string,
): Promise<Module> {
  try {
    return (await import(specifier)) as Module;
  } catch (error) {
    throw CliError.config(configFile, reason, error);
  }
}

interface PgModule {
  PostgresCheckpointStore: new (options: object) => CheckpointStore & { migrate(): Promise<unknown> };
  pgOptionsFromEnv?: () => { connectionString: string } | undefined;
}

/**
 * A `PostgresCheckpointStore` on `config.connectionString`, else `BATON_PG_URL`; its password is registered
 * for redaction before anything can fail. Migrated (idempotent) unless `migrate: false`.
 */
async function createPgStore(config: PgStoreConfig, configFile: string): Promise<CheckpointStore> {
  const { type: _type, migrate = true, connectionString: configured, ...options } = config;
  if (configured) registerConnectionSecret(configured);
  const module = await importOptionalStore<PgModule>(
    '@baton/checkpoint-pg',
    configFile,
    'store.type is "pg" but @baton/checkpoint-pg (or pg) is not installed (pnpm add @baton/checkpoint-pg pg)',
  );
  const connectionString = configured ?? module.pgOptionsFromEnv?.()?.connectionString;
  if (!connectionString) {
    throw CliError.config(configFile, 'store.type is "pg" but store.connectionString is not set, nor is BATON_PG_URL');
  }
  registerConnectionSecret(connectionString);
  const store = new module.PostgresCheckpointStore({ ...options, connectionString });
  if (migrate) {
    try {
      await store.migrate();
    } catch (error) {
      await store.close?.().catch(() => undefined);
      throw error;
    }
  }
  return store;
}
