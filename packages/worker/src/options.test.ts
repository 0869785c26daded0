import { defineWorkflow } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { WorkerError } from './errors.js';
import { parseClientOptions, parseWorkerOptions } from './options.js';

const workflow = defineWorkflow({ name: 'w', version: '1', steps: { a: { run: () => 1 } } });

describe('worker and client options', () => {
  it('accepts valid options unchanged', () => {
    const options = { connectionString: 'postgres://x', workflows: [workflow], concurrency: 2 };
    expect(parseWorkerOptions(options)).toBe(options);
    expect(parseClientOptions({ connectionString: 'postgres://x', pollIntervalMs: 50 })).toEqual({
      connectionString: 'postgres://x',
      pollIntervalMs: 50,
    });
  });

  it('names the bad option and keeps the zod error as cause', () => {
    let caught: unknown;
    try {
      parseWorkerOptions({ connectionString: 'postgres://x', workflows: [workflow], concurrency: 0 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WorkerError);
    expect(caught).toMatchObject({ code: 'BATON_WORKER_OPTIONS_INVALID' });
    expect((caught as Error).message).toMatch(/^createWorker: option 'concurrency' is invalid: /);
    expect((caught as Error).cause).toBeDefined();
  });

  it('refuses a heartbeat below pg-boss minimum of 10 s, a bad schema name and unknown keys', () => {
    expect(() =>
      parseWorkerOptions({ connectionString: 'x', workflows: [workflow], queueOptions: { heartbeatSeconds: 5 } }),
    ).toThrow("createWorker: option 'queueOptions.heartbeatSeconds' is invalid");
    expect(() => parseClientOptions({ connectionString: 'x', storeSchema: 'Bad-Name' })).toThrow(
      "createClient: option 'storeSchema' is invalid",
    );
    expect(() => parseClientOptions({ connectionString: 'x', extra: 1 } as never)).toThrow(
      "createClient: option '(options)' is invalid",
    );
    expect(() => parseWorkerOptions({ connectionString: 'x', workflows: [] })).toThrow(
      "createWorker: option 'workflows' is invalid",
    );
  });
});
