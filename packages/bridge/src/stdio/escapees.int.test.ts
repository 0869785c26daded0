import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, FIXTURES, PYTHON } from '../__fixtures__/harness.js';
import { BridgeWorker } from './bridge-worker.js';

const leftovers: number[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL'); // never leave a sleeper behind when the test fails
    } catch {
      // gone
    }
  }
});

/** Alive = exists and is not a zombie (a zombie holds no pipe and runs no code). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '');
  } catch {
    return false;
  }
}

describe.runIf(process.platform === 'linux')('close() leaves no descendant behind', () => {
  it('kills a start_new_session child and a double-fork+setsid grandchild; the stderr pipe closes', async () => {
    const worker = new BridgeWorker({ python: PYTHON, pythonPath: [FIXTURES], killGraceMs: 2_000 });
    const result = await worker.run({
      callId: 'c1',
      runner: 'callable',
      target: 'bridge_fixtures:spawn_escapees',
      input: null,
      runId: 'run-e',
    });
    const { session, daemon } = result.output as { session: number; daemon: number };
    leftovers.push(session, daemon);
    expect(alive(session) && alive(daemon)).toBe(true);
    expect(worker.stderrOpen).toBe(true);
    await worker.close();
    // Bounded polling (no timed assertion): 200 × 10 ms.
    await eventually(() => !alive(session) && !alive(daemon), 200, 10);
    await eventually(() => !worker.stderrOpen, 200, 10);
  });

  it('after kill() (SIGTERM path) both are gone too', async () => {
    const worker = new BridgeWorker({ python: PYTHON, pythonPath: [FIXTURES], killGraceMs: 2_000 });
    const result = await worker.run({
      callId: 'c2',
      runner: 'callable',
      target: 'bridge_fixtures:spawn_escapees',
      input: null,
      runId: 'run-e',
    });
    const { session, daemon } = result.output as { session: number; daemon: number };
    leftovers.push(session, daemon);
    await worker.kill();
    await eventually(() => !alive(session) && !alive(daemon), 200, 10);
    await eventually(() => !worker.stderrOpen, 200, 10);
  });

  it('a worker ignoring SIGTERM is SIGKILLed unswept: the client kills the descendants it recorded', async () => {
    const worker = new BridgeWorker({ python: PYTHON, pythonPath: [FIXTURES], killGraceMs: 300 });
    const result = await worker.run({
      callId: 'c3',
      runner: 'callable',
      target: 'bridge_fixtures:spawn_escapees_ignoring_sigterm',
      input: null,
      runId: 'run-e',
    });
    const { session, daemon } = result.output as { session: number; daemon: number };
    leftovers.push(session, daemon);
    await worker.kill();
    await eventually(() => !alive(session) && !alive(daemon), 200, 10);
    await eventually(() => !worker.stderrOpen, 200, 10);
  });
});
