// Type-level tests: a bridge agent is `unknown` in and out unless its types are declared.
import { workflow } from '@baton/core';
import { expectTypeOf } from 'vitest';
import { z } from 'zod';
import { createBridgeAgent } from './create-bridge-agent.js';

const options = { id: 'py', runner: 'echo', target: 'my_app:run' };
const untyped = createBridgeAgent(options);
expectTypeOf(untyped.invoke).returns.toEqualTypeOf<unknown>();
const typed = createBridgeAgent<{ topic: string }, { summary: string }>(options);
expectTypeOf(typed.invoke).parameter(0).toEqualTypeOf<{ topic: string }>();
expectTypeOf(typed.invoke).returns.resolves.toEqualTypeOf<{ summary: string }>();

// In the builder: a declared type flows on; an output schema types (and checks) an undeclared one.
workflow({ name: 'bridge', version: '1', input: z.object({ topic: z.string() }) })
  .step('summary', typed)
  .step('read', { needs: ['summary'], run: (result) => result.summary.length });
workflow({ name: 'bridge', version: '1' })
  .step('summary', { run: untyped, output: z.object({ summary: z.string() }) })
  .step('read', { needs: ['summary'], run: (result) => result.summary.length });
workflow({ name: 'bridge', version: '1' })
  .step('summary', untyped)
  // @ts-expect-error an undeclared output is unknown: no field access without a type or schema
  .step('read', { needs: ['summary'], run: (result) => result.summary });
