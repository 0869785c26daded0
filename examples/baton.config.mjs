// Project config for `baton run examples/demo.yaml`: the agents the workflow
// file names with `uses:`, and the checkpoint store (files in examples/.baton/).
// Plain functions are steps; objects with `id` and `invoke` are agents (with a
// circuit breaker each). Real projects put adapter-built agents here, e.g.
// `fromRunnable(chain)` from @baton/adapter-langchain.

/** Waits `ms`, or rejects as soon as the run is cancelled (Ctrl-C). */
const pause = (ms, signal) =>
  new Promise((resolve, reject) => {
    const onAbort = () => (clearTimeout(timer), reject(signal.reason));
    const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/** A search backend that is down: every call fails (retryable), until its breaker opens. */
const primarySearch = {
  id: 'primary-search',
  async invoke(_plan, ctx) {
    await pause(150, ctx.signal);
    throw Object.assign(new Error('search backend unavailable (503)'), { status: 503 });
  },
};

/** The fallback the supervisor calls once the primary's breaker is open. */
const backupSearch = {
  id: 'backup-search',
  async invoke(plan, ctx) {
    await pause(400, ctx.signal);
    return [`${plan.topic}: overview`, `${plan.topic}: history`];
  },
};

let checkCalls = 0;

/** @type {import('@baton/cli').BatonConfig} */
export default {
  store: { type: 'fs', dir: '.baton' },
  registry: {
    plan: async (input, ctx) => {
      await pause(300, ctx.signal);
      return { topic: input?.topic ?? 'circuit breakers', angles: ['facts', 'sources'] };
    },
    'primary-search': primarySearch,
    'backup-search': backupSearch,
    // Fails its first call so the display shows a retry.
    check: async (plan, ctx) => {
      await pause(500, ctx.signal);
      checkCalls++;
      if (checkCalls === 1) throw new Error('fact checker timed out once');
      return { ok: true, topic: plan.topic };
    },
    write: async (deps, ctx) => {
      await pause(300, ctx.signal);
      return `Report on ${deps.check.topic}: ${deps.search.join('; ')}`;
    },
    escalate: () => 'escalated to a human',
  },
};
