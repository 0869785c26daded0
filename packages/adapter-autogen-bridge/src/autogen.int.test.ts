// Real AutoGen AgentChat (the pinned version in the repo venv) in real Baton workflows, offline:
// the teams in packages/bridge/python/tests/framework_fixtures use ReplayChatCompletionClient.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgePool, BridgeProtocolError } from '@baton/bridge';
import { FRAMEWORK_FIXTURES, FRAMEWORK_PYTHON, missingFramework, scratchDir } from '@baton/bridge/testing';
import { createSupervisor, defineWorkflow, type SupervisorEvent } from '@baton/core';
import { autogenAgent } from './autogen-agent.js';
import type { AutoGenOutput, AutoGenProgress } from './types.js';

const skipReason = missingFramework('autogen_agentchat, autogen_ext.models.replay');
const M = 'baton_fixture_teams';

describe.skipIf(skipReason !== undefined)(
  `AutoGen through the bridge${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let pool: BridgePool;

    beforeAll(() => {
      const scratch = scratchDir();
      // One worker, reused by every test; replaced after a crash or a protocol error.
      pool = new BridgePool({
        python: FRAMEWORK_PYTHON,
        pythonPath: [FRAMEWORK_FIXTURES],
        runners: ['autogen'],
        size: 1,
        killGraceMs: 2_000,
        env: { HOME: scratch, BATON_FIXTURE_STATE_DIR: scratch },
      });
    });
    afterAll(async () => {
      await pool?.close();
    });

    const agent = (target: string) =>
      autogenAgent({ target: target.endsWith('.json') ? target : `${M}:${target}`, pool });

    async function runOne(target: string, input: unknown): Promise<AutoGenOutput> {
      const result = await createSupervisor().run(
        defineWorkflow({ name: 'one', version: '1', steps: { only: { run: agent(target) } } }),
        input,
      );
      expect(result.status, String(result.error)).toBe('succeeded');
      return result.outputs.only as AutoGenOutput;
    }

    async function stats(): Promise<{ slow_tool_calls: number; pid: number }> {
      return JSON.parse((await runOne('stats_team', null)).text!);
    }

    it('runs a round-robin team with a tool inside a workflow: outputs, progress and usage', async () => {
      const workflow = defineWorkflow({
        name: 'team-math',
        version: '1',
        steps: {
          solve: { run: agent('math_team') },
          verdict: { needs: ['solve'], run: (out: AutoGenOutput) => out.stop_reason },
        },
      });
      const supervisor = createSupervisor();
      const events: SupervisorEvent[] = [];
      supervisor.on('*', (event) => {
        events.push(event);
      });

      const result = await supervisor.run(workflow, 'What is 2 + 3?');

      expect(result.status, String(result.error)).toBe('succeeded');
      expect(result.outputs.verdict).toBe("Text 'APPROVE' mentioned");
      const team = result.outputs.solve as AutoGenOutput;
      expect(team.text).toBe('Checked: 2 + 3 = 5. APPROVE');
      expect(team.messages.map((message) => [message.type, message.source])).toEqual([
        ['TextMessage', 'user'],
        ['ToolCallRequestEvent', 'solver'],
        ['ToolCallExecutionEvent', 'solver'],
        ['TextMessage', 'solver'],
        ['TextMessage', 'critic'],
      ]);
      const progress = events.flatMap((event) =>
        event.type === 'step.progress' ? [event.data as AutoGenProgress] : [],
      );
      expect(progress.map((event) => event.type)).toEqual([
        'autogen.TextMessage',
        'model-finish',
        'tool-call',
        'tool-result',
        'model-finish',
        'autogen.TextMessage',
        'model-finish',
        'autogen.TextMessage',
      ]);
      expect(progress[2]).toMatchObject({
        toolName: 'add',
        input: { a: 2, b: 3 },
        source: 'solver',
        framework: 'autogen',
      });
      expect(progress[3]).toMatchObject({ toolName: 'add', output: '5' });
      const usage = events.flatMap((event) => (event.type === 'step.usage' ? [event.usage] : []));
      expect(usage).toHaveLength(1);
      const modelTotal = progress.reduce(
        (sum, event) => sum + (event.type === 'model-finish' ? event.usage.totalTokens : 0),
        0,
      );
      expect(usage[0]!.totalTokens).toBe(modelTotal);
      expect(usage[0]!.inputTokens! + usage[0]!.outputTokens!).toBe(modelTotal);
    });

    it("reports the provider of the team's model client with the usage (none for a replay client)", async () => {
      const providers: (string | undefined)[] = [];
      for (const target of ['openai_team', 'math_team']) {
        const supervisor = createSupervisor();
        supervisor.on('step.usage', (event) => {
          providers.push(event.usage.provider);
        });
        const result = await supervisor.run(
          defineWorkflow({ name: 'p', version: '1', steps: { only: { run: agent(target) } } }),
          'What is 2 + 3?',
        );
        expect(result.status, String(result.error)).toBe('succeeded');
      }
      expect(providers).toEqual(['openai', undefined]);
      expect(agent('openai_team').remote).toBe(true);
    });

    it('resets a shared team between runs and loads a JSON component config', async () => {
      expect((await runOne('shared_team', 'one')).text).toBe('reply 0');
      const second = await runOne('shared_team', { task: 'two' });
      expect(second.text).toBe('reply 1');
      expect(second.messages.map((message) => message.content)).toEqual(['two', 'reply 1']); // no leftovers from run one

      const fromJson = await runOne(join(FRAMEWORK_FIXTURES, 'autogen_team.json'), { n: 1 });
      expect(fromJson.messages.map((message) => message.content)).toEqual([
        '{"n": 1}',
        'first says hello',
        'second says goodbye',
      ]);
      expect(fromJson.stop_reason).toMatch(/^Maximum number of messages 3 reached/);
    });

    it('cancels a team mid-run: the Python side stops, the worker is reused, nothing hangs', async () => {
      const before = await stats();
      const supervisor = createSupervisor();
      const controller = new AbortController();
      supervisor.on('step.progress', (event) => {
        if ((event.data as AutoGenProgress).type === 'tool-result') controller.abort(new Error('enough'));
      });
      const workflow = defineWorkflow({
        name: 'team-cancel',
        version: '1',
        steps: { slow: { run: agent('slow_team') } },
      });

      const result = await supervisor.run(workflow, 'work', { signal: controller.signal });

      expect(result.status).toBe('cancelled');
      const after = await stats();
      expect(after.pid).toBe(before.pid);
      expect(after.slow_tool_calls - before.slow_tool_calls).toBeLessThan(10);
      await new Promise((resolve) => setTimeout(resolve, 600)); // three slow_step durations
      expect((await stats()).slow_tool_calls).toBe(after.slow_tool_calls);
    });

    it('retries a run whose worker was killed mid-run on a fresh worker', async () => {
      const before = await stats();
      const workflow = defineWorkflow({
        name: 'team-crash',
        version: '1',
        steps: {
          fragile: { run: agent('crashing_team'), retry: { maxAttempts: 3, initialDelayMs: 10, jitter: 'none' } },
        },
      });
      const supervisor = createSupervisor();
      const retries: SupervisorEvent[] = [];
      supervisor.on('step.retrying', (event) => {
        retries.push(event);
      });

      const result = await supervisor.run(workflow, 'go');

      expect(result.status, String(result.error)).toBe('succeeded');
      expect(result.steps.fragile!.attempts).toBe(2);
      const output = result.outputs.fragile as AutoGenOutput;
      expect(output.messages.find((message) => message.type === 'ToolCallExecutionEvent')?.content).toMatchObject([
        { content: 'survived: x' },
      ]);
      expect(retries[0]).toMatchObject({
        classification: { kind: 'retryable' },
        error: { code: 'BATON_BRIDGE_CRASH' },
      });
      expect((await stats()).pid).not.toBe(before.pid);
    });

    it('fails a step fatally, without retries, when its worker writes a malformed frame', async () => {
      const workflow = defineWorkflow({
        name: 'team-garbage',
        version: '1',
        steps: { noisy: { run: agent('garbage_team'), retry: { maxAttempts: 3, initialDelayMs: 10 } } },
      });
      const result = await createSupervisor().run(workflow, 'go');

      expect(result.status).toBe('failed');
      expect(result.steps.noisy).toMatchObject({ status: 'failed', attempts: 1 });
      expect(result.error).toBeInstanceOf(BridgeProtocolError);
      expect((await stats()).pid).toBeGreaterThan(0); // a fresh worker serves the next run
    });

    it("surfaces a participant's error with its Python type", async () => {
      const workflow = defineWorkflow({
        name: 'team-error',
        version: '1',
        steps: {
          mute: { run: agent('exhausted_team'), retry: { maxAttempts: 2, initialDelayMs: 10, jitter: 'none' } },
        },
      });
      const result = await createSupervisor().run(workflow, 'hi');

      expect(result.status).toBe('failed');
      expect(result.error).toMatchObject({
        code: 'BATON_BRIDGE_RUN_FAILED',
        message: 'ValueError: No more mock responses available',
        details: { errorType: 'ValueError' },
      });
    });
  },
);
