// Type-level tests of fromRunnable's inference, compiled by `tsc` (the package's typecheck).
import { workflow } from '@baton/core';
import { AIMessage } from '@langchain/core/messages';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnableLambda } from '@langchain/core/runnables';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { MessagesAnnotation, StateGraph } from '@langchain/langgraph';
import { createAgent } from 'langchain';
import { expectTypeOf } from 'vitest';
import { z } from 'zod';
import { fromRunnable } from './from-runnable.js';

const model = new FakeListChatModel({ responses: ['x'] });
const double = RunnableLambda.from((n: number) => ({ doubled: n * 2 }));
const chain = ChatPromptTemplate.fromTemplate('Summarize {topic}').pipe(model);
const graph = new StateGraph(MessagesAnnotation)
  .addNode('reply', () => ({ messages: [new AIMessage('hi')] }))
  .addEdge('__start__', 'reply')
  .compile();

// A lambda keeps its input and output types.
const doubler = fromRunnable(double, { id: 'double' });
expectTypeOf(doubler.invoke).parameter(0).toEqualTypeOf<number>();
expectTypeOf(doubler.invoke).returns.resolves.toEqualTypeOf<{ doubled: number }>();
// A chat model (or a chain ending in one) gives its text; a model takes any value as its prompt.
const chat = fromRunnable(model, { id: 'chat' });
expectTypeOf(chat.invoke).parameter(0).toEqualTypeOf<unknown>();
expectTypeOf(chat.invoke).returns.resolves.toEqualTypeOf<string>();
expectTypeOf(fromRunnable(chain, { id: 'chain' }).invoke).returns.resolves.toEqualTypeOf<string>();
// A message graph gives its last message's text.
expectTypeOf(fromRunnable(graph, { id: 'graph' }).invoke).returns.resolves.toEqualTypeOf<string>();
// `output` decides: a function's return, or the raw result.
const mapped = fromRunnable(chain, {
  id: 'mapped',
  input: (topic: string) => ({ topic }),
  output: (message: AIMessage) => ({ summary: String(message.content) }),
});
expectTypeOf(mapped.invoke).parameter(0).toEqualTypeOf<string>();
expectTypeOf(mapped.invoke).returns.resolves.toEqualTypeOf<{ summary: string }>();
expectTypeOf(fromRunnable(double, { id: 'raw', output: 'raw' }).invoke).returns.resolves.toEqualTypeOf<{
  doubled: number;
}>();
// Explicit types still work as before.
expectTypeOf(fromRunnable<string, string>(model, { id: 'typed' }).invoke).returns.resolves.toEqualTypeOf<string>();

// Inline in the builder: the step's output type flows on, and a wrong input does not compile.
workflow({ name: 'lc', version: '1' })
  .step('n', () => 21)
  .step('double', { needs: ['n'], run: fromRunnable(double, { id: 'double' }) })
  .step('read', {
    needs: ['double'],
    run: (result) => {
      expectTypeOf(result).toEqualTypeOf<{ doubled: number }>();
      return result.doubled;
    },
  });
workflow({ name: 'lc', version: '1' })
  .step('text', () => 'not a number')
  // @ts-expect-error the lambda takes a number
  .step('double', { needs: ['text'], run: fromRunnable(double, { id: 'double' }) });

// A createAgent agent with a response format gives its structured response; without, its text.
const structured = createAgent({
  model: 'openai:gpt-4o-mini',
  tools: [],
  responseFormat: z.object({ answer: z.string() }),
});
expectTypeOf(fromRunnable(structured, { id: 'agent' }).invoke).returns.resolves.toEqualTypeOf<{ answer: string }>();
expectTypeOf(fromRunnable(createAgent({ model: 'openai:gpt-4o-mini', tools: [] }), { id: 'agent' }).invoke)
  .parameter(0)
  .toEqualTypeOf<unknown>();
expectTypeOf(
  fromRunnable(createAgent({ model: 'openai:gpt-4o-mini', tools: [] }), { id: 'agent' }).invoke,
).returns.resolves.toEqualTypeOf<string>();
