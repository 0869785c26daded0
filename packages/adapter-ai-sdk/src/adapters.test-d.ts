// Type-level tests of the factories' inference, compiled by `tsc` (the package's typecheck).
import { workflow } from '@baton/core';
import { generateText, streamText, ToolLoopAgent } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { expectTypeOf } from 'vitest';
import { fromAgent } from './from-agent.js';
import { fromFunction } from './from-function.js';
import { fromModel } from './from-model.js';

const model = new MockLanguageModelV3();

// fromModel / fromAgent: any input becomes a prompt; the output is the text, or what `output` returns.
const writer = fromModel(model, { id: 'writer' });
expectTypeOf(writer.invoke).parameter(0).toEqualTypeOf<unknown>();
expectTypeOf(writer.invoke).returns.resolves.toEqualTypeOf<string>();
const counted = fromModel(model, {
  id: 'counted',
  input: (topic: { name: string }) => ({ prompt: topic.name }),
  output: (result) => ({ words: result.text.split(' ').length }),
});
expectTypeOf(counted.invoke).parameter(0).toEqualTypeOf<{ name: string }>();
expectTypeOf(counted.invoke).returns.resolves.toEqualTypeOf<{ words: number }>();
const agent = fromAgent(new ToolLoopAgent({ model }), { id: 'agent', output: (result) => result.steps });
expectTypeOf(agent.invoke).returns.resolves.toEqualTypeOf<number>();

// fromFunction: input from the function, output the SDK result's text or the function's own value.
const summarize = fromFunction(
  (text: string, { abortSignal, maxRetries }) => streamText({ model, prompt: text, abortSignal, maxRetries }),
  { id: 'summarize' },
);
expectTypeOf(summarize.invoke).parameter(0).toEqualTypeOf<string>();
expectTypeOf(summarize.invoke).returns.resolves.toEqualTypeOf<string>();
const generated = fromFunction((text: string) => generateText({ model, prompt: text }), { id: 'generated' });
expectTypeOf(generated.invoke).returns.resolves.toEqualTypeOf<string>();
const custom = fromFunction(async (n: number) => ({ doubled: n * 2 }), { id: 'custom' });
expectTypeOf(custom.invoke).returns.resolves.toEqualTypeOf<{ doubled: number }>();
// Explicit type arguments keep their old meaning.
expectTypeOf(fromFunction<string>(() => 'x', { id: 'old' }).invoke).returns.resolves.toEqualTypeOf<string>();

// Inline in the builder: types flow on; a wrong input does not compile.
workflow({ name: 'ai', version: '1' })
  .step('n', () => 2)
  .step('double', { needs: ['n'], run: custom })
  .step('read', { needs: ['double'], run: (result) => result.doubled });
workflow({ name: 'ai', version: '1' })
  .step('n', () => 2)
  // @ts-expect-error summarize takes a string
  .step('summary', { needs: ['n'], run: summarize });
