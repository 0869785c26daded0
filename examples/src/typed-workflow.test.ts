import { createSupervisor, SchemaValidationError } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { typedResearch } from './typed-workflow.js';

describe('typed workflow example', () => {
  it('runs with the schema defaults filled in', async () => {
    const result = await createSupervisor().run(typedResearch, { topic: 'tides' });
    expect(result.status).toBe('succeeded');
    expect(result.outputs.plan).toEqual({ topic: 'tides', questions: ['what', 'why'] });
    expect(result.outputs.write).toBe('# tides\ntides: what\ntides: why\n(2 questions)');
  });

  it('rejects an input the schema refuses, naming the path', async () => {
    const error = await createSupervisor()
      .run(typedResearch, { topic: '' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SchemaValidationError);
    expect((error as SchemaValidationError).issues[0]!.path).toEqual(['topic']);
  });
});
