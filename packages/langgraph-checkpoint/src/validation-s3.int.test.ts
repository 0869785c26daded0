import { S3CheckpointStore } from '@baton/checkpoint-s3';
import { s3TestEnv, uniquePrefix, wipePrefix } from './testing/s3-env.js';
import { validateBatonSaver } from './testing/validation.js';

const env = s3TestEnv();

if (env) {
  validateBatonSaver({
    name: `S3CheckpointStore at ${String(env.clientConfig.endpoint ?? 'AWS')}`,
    create: () =>
      new S3CheckpointStore({ bucket: env.bucket, clientConfig: env.clientConfig, prefix: uniquePrefix('validation') }),
    async destroy(store) {
      await store.close?.();
      await wipePrefix(env, (store as S3CheckpointStore).prefix);
    },
  });
}
