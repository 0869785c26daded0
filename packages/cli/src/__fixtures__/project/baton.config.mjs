// Test project for the CLI integration tests (copied to a temp folder per test).
// Every step appends its id to calls.log in the working directory, so tests can
// tell which steps ran and how often.
import { appendFileSync, existsSync } from 'node:fs';

const log = (id) => appendFileSync('calls.log', `${id}\n`);
const pause = (ms, signal) =>
  new Promise((resolve, reject) => {
    const onAbort = () => (clearTimeout(timer), reject(signal.reason));
    const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

export default {
  registry: {
    greet: (input, ctx) => (log(ctx.stepId), `Hello, ${input?.name ?? 'world'}`),
    shout: (text, ctx) => (log(ctx.stepId), `${String(text).toUpperCase()}!`),
    // Waits until a file named gate.open exists (or the run is cancelled).
    gate: async (_input, ctx) => {
      log(ctx.stepId);
      while (!existsSync('gate.open')) await pause(20, ctx.signal);
      return 'opened';
    },
    flaky: (_input, ctx) => {
      log(ctx.stepId);
      if (ctx.attempt === 1) throw new Error('transient glitch');
      return 'ok after retry';
    },
    boom: (_input, ctx) => {
      log(ctx.stepId);
      throw new Error('the tool exploded');
    },
    agent: { id: 'echo-agent', invoke: (input) => ({ echoed: input }) },
  },
};
