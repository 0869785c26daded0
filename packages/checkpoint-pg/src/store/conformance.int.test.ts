import { checkpointStoreConformance } from '@baton/core/testing/conformance';
import { dropSchema, pgTestUrl, realStore, uniqueSchema } from '../testing/pg-test-env.js';
import type { PostgresCheckpointStore } from './pg-checkpoint-store.js';

const url = pgTestUrl();

if (url) {
  const schema = uniqueSchema('conformance');
  const opened: PostgresCheckpointStore[] = [];
  const open = async () => {
    const store = await realStore(url, schema);
    opened.push(store);
    return store;
  };
  checkpointStoreConformance({
    name: `PostgresCheckpointStore on the real PostgreSQL server (schema ${schema})`,
    create: open,
    reopen: open,
    destroy: async () => {
      for (const each of opened.splice(0)) await each.close();
    },
    afterAll: () => dropSchema(url, schema),
  });
}
