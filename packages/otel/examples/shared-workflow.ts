// The workflow both examples run: a plain step, a flaky agent that succeeds on
// its second attempt, and an agent that reports token usage and makes its own span.
import { trace } from '@opentelemetry/api';
import { defineWorkflow, RetryableError, type Agent } from '@baton/core';

let searchCalls = 0;

/** Fails once (a transient error), then answers: shows a retry in the trace. */
const searcher: Agent<{ topic: string }, string[]> = {
  id: 'search-agent',
  name: 'Searcher',
  provider: 'openai',
  async invoke(input, ctx) {
    searchCalls++;
    if (searchCalls === 1) throw new RetryableError('search backend returned 503');
    ctx.reportUsage({ inputTokens: 120, outputTokens: 48, model: 'gpt-4o-mini' });
    return [`${input.topic}: result 1`, `${input.topic}: result 2`];
  },
};

/** Any span made inside a step (here by "user code") nests under the step's span. */
const writer: Agent<string[], string> = {
  id: 'writer-agent',
  name: 'Writer',
  provider: 'anthropic',
  async invoke(results, ctx) {
    return trace.getTracer('example-user-code').startActiveSpan('format-report', async (span) => {
      ctx.reportUsage({ inputTokens: 300, outputTokens: 150, model: 'claude-test' });
      span.end();
      return results.join('\n');
    });
  },
};

/** plan → search (retried once) → write. */
export const researchWorkflow = defineWorkflow({
  name: 'research',
  version: '1.0.0',
  steps: {
    plan: { run: (input: { topic: string }) => ({ topic: input.topic.trim() }) },
    search: { run: searcher, needs: ['plan'], retry: { maxAttempts: 3, initialDelayMs: 50, jitter: 'none' } },
    write: { run: writer, needs: ['search'] },
  },
});
