import { createSupervisor, type AgentProgress, type SupervisorEvent } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { countWords, NOTES, researchAndWriteWorkflow, searchNotes } from './research-and-write.js';
import { chooseModels, offlineArticle, offlineHeadline } from './research-models.js';

describe('the research-and-write example, offline', () => {
  it('runs the LangChain agent, the AI SDK tool loop and the functions, with tool calls as step.progress events', async () => {
    const models = await chooseModels({}, 'Baton');
    expect(models.provider).toBe('offline');

    const supervisor = createSupervisor();
    const events: SupervisorEvent[] = [];
    supervisor.on('*', (event) => events.push(event));
    const result = await supervisor.run(researchAndWriteWorkflow(models), { topic: 'Baton' });

    expect(result.status).toBe('succeeded');
    const notes = searchNotes('Baton reliability').join(' ');
    const article = offlineArticle('Baton');
    expect(result.outputs).toEqual({
      plan: { topic: 'Baton', question: 'How does Baton keep multi-agent workflows reliable?' },
      research: notes,
      check: { ok: true, words: countWords(notes) },
      write: article,
      headline: offlineHeadline('Baton'),
      publish: { headline: offlineHeadline('Baton'), article, words: countWords(article) },
    });

    const progress = events.flatMap((event) =>
      event.type === 'step.progress'
        ? [{ stepId: event.stepId, agentId: event.agentId, ...(event.data as AgentProgress) }]
        : [],
    );
    // The LangChain agent's tool run...
    expect(progress).toContainEqual({
      stepId: 'research',
      agentId: 'researcher',
      type: 'tool-call',
      toolName: 'search_notes',
      toolCallId: 'search-1',
      input: { query: 'Baton reliability' },
    });
    expect(progress).toContainEqual({
      stepId: 'research',
      agentId: 'researcher',
      type: 'tool-result',
      toolName: 'search_notes',
      toolCallId: 'search-1',
      output: searchNotes('Baton reliability').join('\n'),
    });
    // ...the AI SDK loop's...
    expect(progress).toContainEqual({
      stepId: 'write',
      agentId: 'writer',
      type: 'tool-call',
      toolName: 'countWords',
      toolCallId: 'count-1',
      input: { text: 'Baton keeps multi-agent work on track.' },
    });
    expect(progress).toContainEqual({
      stepId: 'write',
      agentId: 'writer',
      type: 'tool-result',
      toolName: 'countWords',
      toolCallId: 'count-1',
      output: 6,
    });
    // ...and streamed tokens of both frameworks (the headline chain streams LangChain's fake model character by character).
    const tokens = (stepId: string) =>
      progress.flatMap((p) => (p.stepId === stepId && p.type === 'token' ? [p.text] : [])).join('');
    expect(tokens('headline')).toBe(offlineHeadline('Baton'));
    expect(tokens('write')).toBe(article);

    const usage = events.flatMap((event) =>
      event.type === 'step.usage' ? [[event.stepId, event.usage.totalTokens]] : [],
    );
    expect(usage).toEqual([
      ['research', 160],
      ['write', 220],
      ['write', 285],
    ]);
  });

  it('picks a real provider only when its key is set, without calling it', async () => {
    await expect(chooseModels({ OPENAI_API_KEY: 'sk-test-not-used' }, 'x')).resolves.toMatchObject({
      provider: 'openai',
      description: expect.stringContaining('gpt-4.1-mini'),
    });
    await expect(
      chooseModels({ ANTHROPIC_API_KEY: 'test-not-used', ANTHROPIC_MODEL: 'claude-x' }, 'x'),
    ).resolves.toMatchObject({ provider: 'anthropic', description: expect.stringContaining('claude-x') });
  });

  it('searches the notes by shared words, keeping their order on ties', () => {
    expect(searchNotes('circuit breakers and fallback', 1)).toEqual([NOTES[1]]);
    expect(searchNotes('nothing matches here')).toEqual(NOTES.slice(0, 3));
  });
});
