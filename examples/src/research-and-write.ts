import { defineWorkflow } from '@baton/core';
import { fromModel } from '@baton/adapter-ai-sdk';
import { fromRunnable } from '@baton/adapter-langchain';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { stepCountIs, tool as aiTool } from 'ai';
import { createAgent, tool } from 'langchain';
import { z } from 'zod';
import type { ResearchModels } from './research-models.js';

/** The team's notes the researcher searches: a local stand-in for a web search tool, so the example needs no search API. */
export const NOTES = [
  'Supervisors retry failed steps with capped, jittered backoff and honour Retry-After.',
  'Circuit breakers stop calling an agent that keeps failing and route to a fallback.',
  'Checkpoints let a killed run resume without redoing finished steps.',
  'Typed events report every retry, timeout, tool call and token count.',
  'Cancellation reaches the model call itself, so an aborted step stops streaming.',
];

/** The `limit` notes sharing the most words (4+ letters) with `query`, in their original order on ties. */
export function searchNotes(query: string, limit = 3): string[] {
  const words = new Set(query.toLowerCase().match(/[a-z]{4,}/g) ?? []);
  const score = (note: string) =>
    (note.toLowerCase().match(/[a-z]{4,}/g) ?? []).filter((word) => words.has(word)).length;
  return NOTES.map((note, index) => ({ note, index, score: score(note) }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, limit)
    .map((entry) => entry.note);
}

/** Counts the words of a text (the writer's tool). */
export function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** What the workflow publishes. */
export interface Article {
  headline: string;
  article: string;
  words: number;
}

/**
 * plan (function) → research (LangChain agent with a search tool) → check (function)
 * → write (AI SDK tool loop, only if the check passed) ∥ headline (LangChain prompt | model chain)
 * → publish (function).
 */
export function researchAndWriteWorkflow(models: ResearchModels) {
  const searchTool = tool(async ({ query }: { query: string }) => searchNotes(query).join('\n'), {
    name: 'search_notes',
    description:
      'Searches the team notes on running AI agents reliably. Returns the best matching notes, one per line.',
    schema: z.object({ query: z.string().describe('what to look for') }),
  });
  const countWordsTool = aiTool({
    description: 'Counts the words of a text.',
    inputSchema: z.object({ text: z.string() }),
    execute: async ({ text }) => countWords(text),
  });
  const researcher = fromRunnable<string, string>(
    createAgent({
      model: models.researcher,
      tools: [searchTool],
      systemPrompt:
        'Answer the question from the team notes: call search_notes once, then answer in two or three sentences.',
    }),
    { id: 'researcher', provider: models.provider },
  );
  const headliner = fromRunnable<string, string>(
    ChatPromptTemplate.fromTemplate(
      'Write a headline of at most eight words for this text. Answer with the headline only.\n\n{notes}',
    ).pipe(models.headliner),
    { id: 'headliner', provider: models.provider, input: (notes) => ({ notes }) },
  );
  const writer = fromModel<string>(models.writer, {
    id: 'writer',
    provider: models.provider,
    tools: { countWords: countWordsTool },
    instructions:
      'Write one paragraph of two to four sentences for a general audience. Call countWords once on your draft, then answer with the paragraph only.',
    stopWhen: stepCountIs(4),
  });
  // Real providers get a second chance on a flaky call; the offline models never fail.
  const agentStep = { retry: { maxAttempts: 3 }, timeoutMs: 60_000 };

  return defineWorkflow({
    name: 'research-and-write',
    version: '1.0.0',
    steps: {
      plan: {
        run: (input: { topic: string }) => ({
          topic: input.topic,
          question: `How does ${input.topic} keep multi-agent workflows reliable?`,
        }),
      },
      research: {
        run: researcher,
        needs: ['plan'],
        input: (ctx) => (ctx.outputs.plan as { question: string }).question,
        ...agentStep,
      },
      check: {
        run: (notes: string) => ({ ok: notes.trim().length > 0, words: countWords(notes) }),
        needs: ['research'],
      },
      write: {
        run: writer,
        needs: ['research', 'check'],
        when: (ctx) => (ctx.outputs.check as { ok: boolean }).ok,
        input: (ctx) => `Topic: ${(ctx.input as { topic: string }).topic}\nNotes: ${ctx.outputs.research as string}`,
        ...agentStep,
      },
      headline: { run: headliner, needs: ['research'], ...agentStep },
      publish: {
        run: (deps: { write: string; headline: string }): Article => ({
          headline: deps.headline.trim(),
          article: deps.write.trim(),
          words: countWords(deps.write),
        }),
        needs: ['write', 'headline'],
      },
    },
  });
}
