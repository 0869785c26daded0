import { checkpointStoreConformance } from '@baton/core/testing/conformance';
import { realStore, s3TestEnv, uniquePrefix, wipePrefix } from '../testing/s3-test-env.js';
import type { S3CheckpointStore } from './s3-checkpoint-store.js';

const env = s3TestEnv();

if (env) {
  const opened: S3CheckpointStore[] = [];
  const open = (prefix: string) => {
    const store = realStore(env, prefix);
    opened.push(store);
    return store;
  };
  checkpointStoreConformance({
    name: `S3CheckpointStore on the real S3 server at ${String(env.clientConfig.endpoint ?? 'AWS')}`,
    create: () => open(uniquePrefix('conformance')),
    reopen: (store) => open((store as S3CheckpointStore).prefix),
    destroy: async (store) => {
      const prefix = (store as S3CheckpointStore).prefix;
      for (const each of opened.splice(0)) await each.close();
      await wipePrefix(env, prefix);
    },
  });
}
