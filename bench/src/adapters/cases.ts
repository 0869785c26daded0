/**
 * The pairs the adapter bench times: each is a direct call of a LangChain runnable
 * or an AI SDK model and the same call through `@baton/adapter-langchain` or
 * `@baton/adapter-ai-sdk`, doing the same work on the same fake model.
 */
import {
  createSupervisor,
  defineWorkflow,
  MemoryCheckpointStore,
  type Agent,
  type NodeFn,
  type Supervisor,
} from '@baton/core';
import { fromFunction, fromModel } from '@baton/adapter-ai-sdk';
import { fromRunnable } from '@baton/adapter-langchain';
import { generateText, streamText, ToolLoopAgent } from 'ai';
import {
  ANSWER,
  fakeChatModel,
  forgetCalls,
  lambda,
  minimalContext,
  mockModel,
  PROMPT,
  StreamingHandler,
} from './fixtures.js';

/** One comparison: `direct` and `adapter` must produce the same answer (checked before timing). */
export interface Pair {
  /** What goes through the adapter. */
  adapter: string;
  /** What it is compared with. */
  direct: string;
  directOp: () => unknown;
  adapterOp: () => unknown;
  /** Before each sample, outside the timed region. */
  fresh?: () => void;
  /** Throws unless both sides did the work claimed (right answer, tokens really streamed, ...). */
  check: () => Promise<void>;
}

function expectAnswer(label: string, value: unknown): void {
  const text = typeof value === 'string' ? value : (value as { text?: unknown } | undefined)?.text;
  if (text !== ANSWER && value !== PROMPT.length)
    throw new Error(`${label}: expected ${JSON.stringify(ANSWER)}, got ${JSON.stringify(value)}`);
}

async function checkBoth(pair: Pick<Pair, 'adapter' | 'direct' | 'directOp' | 'adapterOp'>): Promise<void> {
  expectAnswer(pair.direct, await pair.directOp());
  expectAnswer(pair.adapter, await pair.adapterOp());
}

/** Read a `streamText`-style result to its end, as a user who wants the tokens does. */
async function drain(result: { fullStream: AsyncIterable<unknown>; text: PromiseLike<string> }): Promise<string> {
  for await (const _part of result.fullStream);
  return result.text;
}

/** Calls of `agent.invoke(input, ctx)` with a minimal context. */
export function directPairs(): Pair[] {
  const ctx = minimalContext();
  const signal = ctx.signal;
  const chat = fakeChatModel();
  const handler = new StreamingHandler();
  const run = lambda();
  const model = mockModel();
  const fresh = () => forgetCalls(model);
  const loop = new ToolLoopAgent({ model, maxRetries: 0 });
  const generate = () => generateText({ model, prompt: PROMPT, abortSignal: signal, maxRetries: 0 });

  const tokensOff = fromRunnable<string, string>(chat, { id: 'chat', emitTokens: false });
  const tokensOn = fromRunnable<string, string>(chat, { id: 'chat' });
  const lambdaAgent = fromRunnable<string, number>(run, { id: 'lambda' });
  const generateAgent = fromFunction<string>(
    (prompt, call) => generateText({ model, prompt, abortSignal: call.abortSignal, maxRetries: call.maxRetries }),
    { id: 'gen' },
  );
  const streamAgent = fromFunction<string>(
    (prompt, call) => streamText({ model, prompt, abortSignal: call.abortSignal, maxRetries: call.maxRetries }),
    { id: 'stream' },
  );
  const modelGenerate = fromModel<string>(model, { id: 'model', stream: false });
  const modelStream = fromModel<string>(model, { id: 'model' });

  const pairs: Omit<Pair, 'check'>[] = [
    {
      adapter: 'fromRunnable(fake chat model), emitTokens: false',
      direct: 'model.invoke(prompt, { signal })',
      directOp: () => chat.invoke(PROMPT, { signal }),
      adapterOp: () => tokensOff.invoke(PROMPT, ctx),
    },
    {
      adapter: 'fromRunnable(fake chat model), tokens on (27 chunks)',
      direct: 'model.invoke(prompt, { signal })',
      directOp: () => chat.invoke(PROMPT, { signal }),
      adapterOp: () => tokensOn.invoke(PROMPT, ctx),
    },
    {
      adapter: 'fromRunnable(fake chat model), tokens on (27 chunks)',
      direct: 'model.invoke with an awaited streaming handler',
      directOp: () => chat.invoke(PROMPT, { signal, callbacks: [handler] }),
      adapterOp: () => tokensOn.invoke(PROMPT, ctx),
    },
    {
      adapter: 'fromRunnable(RunnableLambda)',
      direct: 'lambda.invoke(input, { signal })',
      directOp: () => run.invoke(PROMPT, { signal }),
      adapterOp: () => lambdaAgent.invoke(PROMPT, ctx),
    },
    {
      adapter: 'fromFunction(generateText)',
      direct: 'generateText(mock)',
      directOp: generate,
      adapterOp: () => generateAgent.invoke(PROMPT, ctx),
      fresh,
    },
    {
      adapter: 'fromFunction(streamText), tokens on (4 deltas)',
      direct: 'streamText(mock), fullStream read to the end',
      directOp: () => drain(streamText({ model, prompt: PROMPT, abortSignal: signal, maxRetries: 0 })),
      adapterOp: () => streamAgent.invoke(PROMPT, ctx),
      fresh,
    },
    {
      adapter: 'fromModel(mock), stream: false',
      direct: 'generateText(mock)',
      directOp: generate,
      adapterOp: () => modelGenerate.invoke(PROMPT, ctx),
      fresh,
    },
    {
      adapter: 'fromModel(mock), stream: false',
      direct: 'new ToolLoopAgent({ model }).generate()',
      directOp: () => loop.generate({ prompt: PROMPT, abortSignal: signal }),
      adapterOp: () => modelGenerate.invoke(PROMPT, ctx),
      fresh,
    },
    {
      adapter: 'fromModel(mock), streamed, tokens on (4 deltas)',
      direct: 'new ToolLoopAgent({ model }).stream(), read to the end',
      directOp: async () => drain(await loop.stream({ prompt: PROMPT, abortSignal: signal })),
      adapterOp: () => modelStream.invoke(PROMPT, ctx),
      fresh,
    },
  ];
  return pairs.map((pair) => ({
    ...pair,
    check: async () => {
      const before = ctx.emitted;
      const tokensBefore = handler.tokens;
      await checkBoth(pair);
      if (pair.adapter.includes('tokens on') && ctx.emitted === before)
        throw new Error(`${pair.adapter}: emitted no progress`);
      if (pair.direct.includes('streaming handler') && handler.tokens === tokensBefore)
        throw new Error(`${pair.direct}: no token reached the handler`);
    },
  }));
}

/** A one-step workflow on a fresh supervisor per sample (the memory store keeps every run). */
function oneStep(name: string, run: NodeFn | Agent): { op: () => Promise<unknown>; fresh: () => void } {
  const workflow = defineWorkflow({ name, version: '1', steps: { call: { run } } });
  let supervisor: Supervisor;
  const fresh = () => {
    supervisor = createSupervisor({ store: new MemoryCheckpointStore() });
    // Events on, as users run it: progress and usage events are built and delivered.
    supervisor.on('*', () => {});
  };
  fresh();
  return {
    fresh,
    op: async () => {
      const result = await supervisor.run(workflow, PROMPT);
      if (result.status !== 'succeeded') throw result.error ?? new Error(`${name}: run ${result.status}`);
      return (result.outputs as Record<string, unknown>).call;
    },
  };
}

/** The same calls as whole supervisor runs: a function step calling the model vs the adapter as the step's agent. */
export function supervisedPairs(): Pair[] {
  const chat = fakeChatModel();
  const model = mockModel();
  const loop = new ToolLoopAgent({ model, maxRetries: 0 });
  const cases: [string, string, NodeFn, Agent][] = [
    [
      'fromRunnable(fake chat model), emitTokens: false',
      'step fn: (await model.invoke(input, { signal })).text',
      async (input: string, ctx) => (await chat.invoke(input, { signal: ctx.signal })).text,
      fromRunnable(chat, { id: 'chat', emitTokens: false }),
    ],
    [
      'fromRunnable(fake chat model), tokens on (27 chunks)',
      'step fn: (await model.invoke(input, { signal })).text',
      async (input: string, ctx) => (await chat.invoke(input, { signal: ctx.signal })).text,
      fromRunnable(chat, { id: 'chat' }),
    ],
    [
      'fromFunction(generateText)',
      'step fn: (await generateText(mock)).text',
      async (input: string, ctx) =>
        (await generateText({ model, prompt: input, abortSignal: ctx.signal, maxRetries: 0 })).text,
      fromFunction<string>(
        (prompt, call) => generateText({ model, prompt, abortSignal: call.abortSignal, maxRetries: call.maxRetries }),
        { id: 'gen' },
      ),
    ],
    [
      'fromModel(mock), streamed, tokens on (4 deltas)',
      'step fn: ToolLoopAgent.stream() read to the end',
      async (input: string, ctx) => drain(await loop.stream({ prompt: input, abortSignal: ctx.signal })),
      fromModel(model, { id: 'model' }),
    ],
  ];
  return cases.map(([adapter, direct, fn, agent]) => {
    const plain = oneStep('bench-direct', fn);
    const wrapped = oneStep('bench-adapter', agent);
    const pair = { adapter, direct, directOp: plain.op, adapterOp: wrapped.op };
    return {
      ...pair,
      fresh: () => {
        forgetCalls(model);
        plain.fresh();
        wrapped.fresh();
      },
      check: () => checkBoth(pair),
    };
  });
}
