import { resolve } from 'node:path';
import type { CheckpointStore } from '@baton/core';
import { FsCheckpointStore } from '@baton/checkpoint-fs';
import { CliError } from '../errors.js';
import type { BatonConfig, FsStoreConfig } from './define-config.js';

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
  return createS3Store(store as Record<string, unknown>, options.configFile ?? '(no config file)');
}

function createFsStore(config: FsStoreConfig, projectDir: string): CheckpointStore {
  const dir = resolve(projectDir, config.dir ?? DEFAULT_STORE_DIR);
  return new FsCheckpointStore({ dir, ...(config.durability ? { durability: config.durability as never } : {}) });
}

async function createS3Store(config: Record<string, unknown>, configFile: string): Promise<CheckpointStore> {
  const { type: _type, ...options } = config;
  let module: S3Module;
  try {
    // A variable specifier keeps bundlers and TypeScript from requiring the optional package.
    const specifier = '@baton/checkpoint-s3';
    module = (await import(specifier)) as S3Module;
  } catch (error) {
    throw CliError.config(
      configFile,
      'store.type is "s3" but @baton/checkpoint-s3 is not installed (pnpm add @baton/checkpoint-s3 @aws-sdk/client-s3)',
      error,
    );
  }
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
