import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, PYTHON } from '../__fixtures__/harness.js';
import { BridgeProtocolError } from '../errors/bridge-protocol-error.js';
import { BridgeWorker } from './bridge-worker.js';

const workers: BridgeWorker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.kill()));
});

/** A worker whose process is `fake_worker.py` in `mode`; it answers once it has `runs` run requests. */
function fakeWorker(mode: string, runs: number): BridgeWorker {
  const worker = new BridgeWorker({
    python: PYTHON,
    pythonArgs: [`${FIXTURES}fake_worker.py`],
    useBundledPython: false,
    env: { FAKE_MODE: mode, FAKE_RUNS: String(runs) },
    killGraceMs: 500,
    pingIntervalMs: 600_000,
  });
  workers.push(worker);
  return worker;
}

async function outcome(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => error,
  );
}

function runParams(callId: string) {
  return { callId, runner: 'echo', target: '', input: null, runId: 'run-v' };
}

// Each scenario writes the violation and then valid frames (progress and a reply for call B)
// in ONE write, so the client reads them in the same chunk as the violation.
const cases = [
  { mode: 'seq-out-of-order', runs: 1, message: /progress seq 2 after 0 for call B/ },
  { mode: 'unknown-id', runs: 1, message: /reply to request id 999, which is not pending/ },
  { mode: 'malformed', runs: 1, message: /malformed frame \(not JSON\)/ },
  { mode: 'duplicate-reply', runs: 2, message: /duplicate reply to request id 2/ },
  { mode: 'progress-after-reply', runs: 2, message: /progress for call "A" after its reply/ },
] as const;

describe('after a protocol violation no frame from the worker settles or feeds a call', () => {
  for (const { mode, runs, message } of cases) {
    it(`${mode}: pending call fails with BridgeProtocolError; buffered reply and progress are ignored`, async () => {
      const worker = fakeWorker(mode, runs);
      const events: unknown[] = [];
      // With two runs, A is the one the worker answers (validly) before it breaks the protocol.
      const first = runs === 2 ? outcome(worker.run(runParams('A'))) : undefined;
      const victim = outcome(worker.run(runParams('B'), { onProgress: (event) => events.push(event) }));
      const error = (await victim) as BridgeProtocolError;
      expect(error).toBeInstanceOf(BridgeProtocolError);
      expect(error.code).toBe('BATON_BRIDGE_PROTOCOL');
      expect(error.message).toMatch(message);
      expect(error.message).toContain('offending frame: ');
      expect(events).toEqual([]);
      if (mode === 'malformed') expect(error.cause).toBeInstanceOf(SyntaxError);
      if (mode === 'progress-after-reply') expect(await first).toBe(error); // A's value came from the broken worker
      if (mode === 'duplicate-reply') expect(await first).toEqual({ resolved: { output: 'first' } });
      await worker.exited;
      expect(worker.state).toBe('closed');
    });
  }
});
