// Real CrewAI (the pinned version in the repo venv) in real Baton workflows, offline: the crews in
// packages/bridge/python/tests/framework_fixtures use a scripted BaseLLM subclass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgePool, BridgeProtocolError } from '@baton/bridge';
import { FRAMEWORK_FIXTURES, FRAMEWORK_PYTHON, missingFramework, scratchDir } from '@baton/bridge/testing';
import { createSupervisor, defineWorkflow, type SupervisorEvent } from '@baton/core';
import { crewAIAgent } from './crewai-agent.js';
import type { CrewAIOutput, CrewAIProgress } from './types.js';

const skipReason = missingFramework('crewai');
const M = 'baton_fixture_crews';
type Report = { title: string; words: number };

describe.skipIf(skipReason !== undefined)(
  `CrewAI through the bridge${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let pool: BridgePool;
    const stderr: string[] = [];

    beforeAll(() => {
      const scratch = scratchDir();
      // One worker, reused by every test (CrewAI takes seconds to import); replaced after a crash.
      pool = new BridgePool({
        python: FRAMEWORK_PYTHON,
        pythonPath: [FRAMEWORK_FIXTURES],
        runners: ['crewai'],
        size: 1,
        killGraceMs: 2_000,
        env: { HOME: scratch, XDG_DATA_HOME: scratch, BATON_FIXTURE_STATE_DIR: scratch },
        onStderr: (chunk) => {
          stderr.push(chunk);
        },
      });
    });
    afterAll(async () => {
      await pool?.close();
    });

    const agent = (fixture: string) => crewAIAgent<Report>({ target: `${M}:${fixture}`, pool });

    async function stats(): Promise<{ llm_calls: number; slow_tool_calls: number; pid: number }> {
      const output = await runOne(agent('stats_crew'), {});
      return JSON.parse(output.raw);
    }

    async function runOne(step: ReturnType<typeof agent>, input: unknown): Promise<CrewAIOutput<Report>> {
      const supervisor = createSupervisor();
      const result = await supervisor.run(
        defineWorkflow({ name: 'one', version: '1', steps: { only: { run: step } } }),
        input,
      );
      expect(result.status, String(result.error)).toBe('succeeded');
      return result.outputs.only as CrewAIOutput<Report>;
    }

    it("reports a well-known provider with the usage when the crew's LLM names it, and marks the agent remote", async () => {
      const supervisor = createSupervisor();
      const events: SupervisorEvent[] = [];
      supervisor.on('*', (event) => {
        events.push(event);
      });
      const step = agent('anthropic_crew');
      expect(step.remote).toBe(true);
      const result = await supervisor.run(
        defineWorkflow({ name: 'p', version: '1', steps: { only: { run: step } } }),
        {},
      );
      expect(result.status, String(result.error)).toBe('succeeded');
      const usage = events.flatMap((event) => (event.type === 'step.usage' ? [event] : []));
      expect(usage).toEqual([
        expect.objectContaining({ remote: true, usage: expect.objectContaining({ provider: 'anthropic' }) }),
      ]);
      expect(events.find((event) => event.type === 'step.started')).toMatchObject({ remote: true });
    });

    it('runs a two-agent crew with a tool inside a workflow: outputs, progress and usage', async () => {
      const workflow = defineWorkflow({
        name: 'crew-research',
        version: '1',
        steps: {
          research: { run: agent('research_crew') },
          headline: {
            needs: ['research'],
            run: (out: CrewAIOutput<Report>) => `${out.json_dict?.title} (${out.json_dict?.words} words)`,
          },
        },
      });
      const supervisor = createSupervisor();
      const events: SupervisorEvent[] = [];
      supervisor.on('*', (event) => {
        events.push(event);
      });

      const result = await supervisor.run(workflow, { topic: 'bees' });

      expect(result.status, String(result.error)).toBe('succeeded');
      expect(result.outputs.headline).toBe('Bees (3 words)');
      const crew = result.outputs.research as CrewAIOutput<Report>;
      expect(crew.json_dict).toEqual({ title: 'Bees', words: 3 });
      expect(crew.tasks_output.map((task) => [task.name, task.agent])).toEqual([
        ['research', 'Researcher'],
        ['write', 'Writer'],
      ]);
      expect(crew.tasks_output[0]!.raw).toBe('Bees make honey; the summary has 3 words.');
      expect(crew.token_usage).toMatchObject({
        prompt_tokens: 300,
        completion_tokens: 60,
        total_tokens: 360,
        successful_requests: 3,
      });

      const usage = events.flatMap((event) => (event.type === 'step.usage' ? [event.usage] : []));
      expect(usage).toEqual([
        { inputTokens: 300, outputTokens: 60, totalTokens: 360, model: 'scripted-llm,scripted-writer' },
      ]);
      const progress = events.flatMap((event) =>
        event.type === 'step.progress' && event.stepId === 'research' ? [event.data as CrewAIProgress] : [],
      );
      const milestones = progress
        .map((event) => event.type)
        .filter((type) => ['crewai.task_started', 'tool-call', 'tool-result', 'crewai.task_completed'].includes(type));
      expect(milestones).toEqual([
        'crewai.task_started',
        'tool-call',
        'tool-result',
        'crewai.task_completed',
        'crewai.task_started',
        'crewai.task_completed',
      ]);
      expect(progress.find((event) => event.type === 'tool-call')).toMatchObject({
        toolName: 'word_count',
        input: { text: 'bees make honey' },
        agent: 'Researcher',
        framework: 'crewai',
      });
      expect(progress.filter((event) => event.type === 'model-finish')).toHaveLength(3);
    });

    it('cancels a crew mid-run: the Python side stops, the worker is reused, nothing hangs', async () => {
      const before = await stats();
      const supervisor = createSupervisor();
      const controller = new AbortController();
      supervisor.on('step.progress', (event) => {
        if ((event.data as CrewAIProgress).type === 'tool-call') controller.abort(new Error('enough'));
      });
      const workflow = defineWorkflow({
        name: 'crew-cancel',
        version: '1',
        steps: { slow: { run: agent('slow_crew') } },
      });

      const result = await supervisor.run(workflow, {}, { signal: controller.signal });

      expect(result.status).toBe('cancelled');
      expect(result.steps.slow!.status).toBe('cancelled');
      const after = await stats();
      expect(after.pid).toBe(before.pid); // the crew stopped at its next call: no kill needed
      expect(after.slow_tool_calls - before.slow_tool_calls).toBeLessThan(5);
      await new Promise((resolve) => setTimeout(resolve, 600)); // three slow_step durations
      expect((await stats()).slow_tool_calls).toBe(after.slow_tool_calls); // nothing still running
    });

    it('retries a run whose worker was killed mid-run on a fresh worker', async () => {
      const before = await stats();
      const supervisor = createSupervisor();
      const retries: SupervisorEvent[] = [];
      supervisor.on('step.retrying', (event) => {
        retries.push(event);
      });
      const workflow = defineWorkflow({
        name: 'crew-crash',
        version: '1',
        steps: {
          fragile: { run: agent('crashing_crew'), retry: { maxAttempts: 3, initialDelayMs: 10, jitter: 'none' } },
        },
      });

      const result = await supervisor.run(workflow, {});

      expect(result.status, String(result.error)).toBe('succeeded');
      expect((result.outputs.fragile as CrewAIOutput).raw).toBe('recovered after a crash');
      expect(result.steps.fragile!.attempts).toBe(2);
      expect(retries).toHaveLength(1);
      expect(retries[0]).toMatchObject({
        classification: { kind: 'retryable' },
        error: { code: 'BATON_BRIDGE_CRASH' },
      });
      expect((await stats()).pid).not.toBe(before.pid);
    });

    it('fails a step fatally, without retries, when its worker writes a malformed frame', async () => {
      const workflow = defineWorkflow({
        name: 'crew-garbage',
        version: '1',
        steps: { noisy: { run: agent('garbage_crew'), retry: { maxAttempts: 3, initialDelayMs: 10 } } },
      });
      const result = await createSupervisor().run(workflow, {});

      expect(result.status).toBe('failed');
      expect(result.steps.noisy).toMatchObject({ status: 'failed', attempts: 1 });
      expect(result.error).toBeInstanceOf(BridgeProtocolError);
      expect((result.error as BridgeProtocolError).frame).toContain('this is not JSON-RPC');
      expect((await stats()).llm_calls).toBeGreaterThanOrEqual(1); // the pool replaced the worker
    });

    it('reports a bad target and a bad input as fatal, without retries', async () => {
      const runStep = (step: { run: ReturnType<typeof agent>; input?: () => unknown }) =>
        createSupervisor().run(
          defineWorkflow({
            name: 'crew-bad',
            version: '1',
            steps: { bad: { ...step, retry: { maxAttempts: 3, initialDelayMs: 10 } } },
          }),
          {},
        );

      const notACrew = await runStep({ run: agent('not_a_crew') });
      expect(notACrew.steps.bad).toMatchObject({ status: 'failed', attempts: 1 });
      expect(notACrew.error).toMatchObject({ code: 'BATON_BRIDGE_CONFIG', kind: 'fatal' });
      expect(notACrew.error?.message).toContain('not a Crew');

      const badInput = await runStep({ run: agent('research_crew'), input: () => ['not', 'an', 'object'] });
      expect(badInput.steps.bad).toMatchObject({ status: 'failed', attempts: 1 });
      expect(badInput.error).toMatchObject({ code: 'BATON_CREWAI_INPUT', kind: 'fatal' });
    });
  },
);
