import { providerName } from './provider-name.js';

/**
 * The smallest shape `fromRunnable` needs: LangChain `Runnable`s, LangChain v1
 * agents from `createAgent` (a `ReactAgent`, which is not a `Runnable` subclass)
 * and compiled LangGraph graphs all have it.
 */
// biome-ignore lint/suspicious/noExplicitAny: the structural type of any LangChain runnable
export interface RunnableLike<TInput = any, TOutput = any> {
  // biome-ignore lint/suspicious/noExplicitAny: the structural type of any LangChain runnable
  invoke(input: TInput, config?: any): Promise<TOutput>;
  getName?(suffix?: string): string;
  name?: string;
}

/**
 * How the adapter treats a runnable's input and output by default:
 * `chat-model` and `llm` take a prompt (string or messages); `messages-graph`
 * (a `createAgent` agent, a LangGraph graph with a `messages` channel) takes
 * `{ messages }` state; any other `runnable` gets the step input unchanged.
 */
export type RunnableKind = 'chat-model' | 'llm' | 'messages-graph' | 'runnable';

// biome-ignore lint/suspicious/noExplicitAny: the structural type of any LangChain runnable
type Probe = Record<string, any>;

/** Tells the kind of a runnable by duck typing (no `instanceof`, so two copies of `@langchain/core` work). */
export function runnableKind(runnable: RunnableLike): RunnableKind {
  const model = unwrapBinding(runnable);
  const modelType = typeof model._modelType === 'function' ? safely(() => model._modelType()) : undefined;
  if (modelType === 'base_chat_model') return 'chat-model';
  if (modelType === 'base_llm') return 'llm';
  const graph = (runnable as Probe).graph ?? runnable;
  const channels = safely(() => (graph as Probe).channels);
  if (channels && typeof channels === 'object' && 'messages' in channels) return 'messages-graph';
  return 'runnable';
}

/**
 * The model provider for traces, as a well-known `gen_ai.provider.name`: from `ls_provider` of a chat model
 * (`openai`, `google_vertexai` → `gcp.vertex_ai`), or the `provider:` prefix of a `createAgent` model string.
 * `undefined` for anything else: LangChain's default `ls_provider` is the class name (`FakeListChatModel`).
 */
export function inferProvider(runnable: RunnableLike): string | undefined {
  const agentModel = (runnable as Probe).options?.model;
  if (typeof agentModel === 'string')
    return agentModel.includes(':') ? providerName(agentModel.split(':')[0]) : undefined;
  const model = agentModel && typeof agentModel === 'object' ? unwrapBinding(agentModel) : unwrapBinding(runnable);
  if (typeof model.getLsParams !== 'function') return undefined;
  const provider = safely(() => model.getLsParams({})?.ls_provider);
  return typeof provider === 'string' ? providerName(provider) : undefined;
}

/** A display name: the runnable's own (`runName`, graph name, class name). */
export function inferName(runnable: RunnableLike): string | undefined {
  const name = typeof runnable.getName === 'function' ? safely(() => runnable.getName!()) : runnable.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** `model.bindTools(...)` and `.withConfig(...)` wrap the model in `RunnableBinding`s. */
function unwrapBinding(runnable: unknown): Probe {
  let current = runnable as Probe;
  for (let depth = 0; depth < 8 && current.bound && typeof current.bound === 'object'; depth++) current = current.bound;
  return current;
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined; // probing a foreign object must never break agent construction
  }
}
