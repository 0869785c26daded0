// The storm's workflow, shared by the worker processes and the test (for the uninterrupted reference run).
// Five chained steps; each sleeps a time derived from the run input (so the reference run sleeps the same),
// and, when a ledger is given, records in the ledger table whether its own step was already checkpointed as
// succeeded when it started ('violation') and that it finished ('done').
import { defineWorkflow } from '@baton/core';

const STEPS = ['s1', 's2', 's3', 's4', 's5'];

/** A deterministic number from a string. */
function hash(text) {
  let value = 7;
  for (const char of text) value = (value * 31 + char.charCodeAt(0)) % 1_000_003;
  return value;
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}

/** `ledger`: { query(sql, values), schema } or undefined for the reference run. */
export function stormWorkflow(ledger, stepMs = 120) {
  const steps = {};
  STEPS.forEach((id, index) => {
    steps[id] = {
      ...(index > 0 ? { needs: [STEPS[index - 1]] } : {}),
      run: async (_input, ctx) => {
        if (ledger) {
          const { rows } = await ledger.query(
            `SELECT 1 FROM "${ledger.schema}".records WHERE run_id = $1 AND type = 'step'
               AND body::jsonb->>'stepId' = $2 AND body::jsonb->>'status' = 'succeeded'`,
            [ctx.runId, id],
          );
          if (rows.length > 0) await ledger.record(ctx.runId, id, 'violation');
        }
        const previous = index > 0 ? ctx.outputs[STEPS[index - 1]] : ctx.input.seed;
        await sleep(stepMs / 2 + (hash(`${ctx.runId}:${id}`) % stepMs), ctx.signal);
        const output = `${previous}>${id}:${hash(`${previous}|${id}`) % 997}`;
        if (ledger) await ledger.record(ctx.runId, id, 'done');
        return output;
      },
    };
  });
  return defineWorkflow({ name: 'storm', version: '1', steps });
}

/** A workflow whose one step waits until cancelled (for the cancel test). */
export function waitingWorkflow(ledger) {
  return defineWorkflow({
    name: 'waiting',
    version: '1',
    steps: {
      wait: {
        run: async (_input, ctx) => {
          await ledger.record(ctx.runId, 'wait', 'start');
          await sleep(600_000, ctx.signal);
          return 'never';
        },
      },
    },
  });
}
