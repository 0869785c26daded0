import { PostgresCheckpointStore } from '@baton/checkpoint-pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliError } from '../errors.js';
import { createStore, importOptionalStore } from './create-store.js';
import { clearKnownSecrets, redactSecrets } from './redact.js';

afterEach(() => {
  vi.unstubAllEnvs();
  clearKnownSecrets();
});

describe('createStore with store: { type: "pg" }', () => {
  it('builds a PostgresCheckpointStore from the config (no connection made with migrate: false)', async () => {
    const store = await createStore(
      {
        store: {
          type: 'pg',
          connectionString: 'postgres://app:Zr7Pq2Lx9@127.0.0.1:1/app',
          schema: 'prod',
          migrate: false,
        },
      },
      '/project',
      { configFile: '/project/baton.config.json' },
    );
    try {
      expect(store).toBeInstanceOf(PostgresCheckpointStore);
      expect((store as PostgresCheckpointStore).schema).toBe('prod');
      // The password is registered before any message could quote it.
      expect(redactSecrets('password Zr7Pq2Lx9 refused')).toBe('password *** refused');
    } finally {
      await store.close?.();
    }
  });

  it('takes the connection string from BATON_PG_URL when the config has none', async () => {
    vi.stubEnv('BATON_PG_URL', 'postgres://env:Hy6Wc3Nd8@127.0.0.1:1/env');
    const store = await createStore({ store: { type: 'pg', migrate: false } }, '/project', {});
    try {
      expect(store).toBeInstanceOf(PostgresCheckpointStore);
      expect(redactSecrets('Hy6Wc3Nd8')).toBe('***');
    } finally {
      await store.close?.();
    }
  });

  it('says what is missing when neither the config nor BATON_PG_URL gives a connection string', async () => {
    vi.stubEnv('BATON_PG_URL', '');
    await expect(
      createStore({ store: { type: 'pg' } }, '/project', { configFile: '/p/baton.config.mjs' }),
    ).rejects.toThrow(
      'Invalid config /p/baton.config.mjs: store.type is "pg" but store.connectionString is not set, nor is BATON_PG_URL',
    );
  });

  it('lets --store-dir override a pg config with an fs store', async () => {
    const store = await createStore({ store: { type: 'pg' } }, '/project', { storeDir: '/tmp/baton-cli-x' });
    expect(store).not.toBeInstanceOf(PostgresCheckpointStore);
  });
});

describe('importOptionalStore', () => {
  it('turns a missing optional package into a config error that says what to install, keeping the cause', async () => {
    const error = await importOptionalStore(
      '@baton/no-such-store',
      '/p/baton.config.mjs',
      'install it (pnpm add x)',
    ).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({
      code: 'BATON_CLI_CONFIG',
      message: 'Invalid config /p/baton.config.mjs: install it (pnpm add x)',
      cause: expect.objectContaining({ code: 'ERR_MODULE_NOT_FOUND' }),
    });
  });
});
