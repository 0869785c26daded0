import { CircuitBreaker, type BreakerOptions, type BreakerState } from '../breaker/circuit-breaker.js';
import type { EventEmitter } from '../events/emitter.js';
import { HealthMonitor } from '../health/health-monitor.js';
import { sleep } from '../internal/abort.js';
import { Semaphore } from '../limits/semaphore.js';
import { TokenBucket } from '../limits/token-bucket.js';
import { LimitWaitExceededError, RateLimitedError } from '../errors/errors.js';
import type { AgentLimitOptions } from './types.js';

const TRANSITION_EVENT = {
  open: 'breaker.opened',
  half_open: 'breaker.half_opened',
  closed: 'breaker.closed',
} as const;

/** Breakers, limits and health per agent key, shared by all runs of one supervisor. */
export class AgentResources {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly semaphores = new Map<string, Semaphore>();
  private readonly buckets = new Map<string, TokenBucket>();
  /** Agent id → the key of the breaker its steps use, when that is not the agent id (`breaker: { key }`). */
  private readonly breakerOfAgent = new Map<string, string>();
  /** Health per agent id (calls and probes alike), one entry per agent. */
  readonly health: HealthMonitor;

  constructor(
    private readonly events: EventEmitter,
    private readonly defaultBreaker: BreakerOptions | undefined,
    private readonly limits: Readonly<Record<string, AgentLimitOptions>>,
    windowSize: number,
  ) {
    const breakerStateOf = (agentId: string) => this.breakers.get(this.breakerOfAgent.get(agentId) ?? agentId)?.state;
    this.health = new HealthMonitor(windowSize, breakerStateOf, (key, from, to, score) => {
      this.events.emit({ type: 'agent.health_changed', at: Date.now(), key, from, to, score });
    });
    for (const [key, limit] of Object.entries(limits)) {
      if (limit.maxConcurrency !== undefined) this.semaphores.set(key, new Semaphore(limit.maxConcurrency));
      if (limit.rate) this.buckets.set(key, new TokenBucket(limit.rate.limit, limit.rate.intervalMs));
    }
  }

  /** The breaker for `key`, created on first use (options of the first caller win). */
  breaker(key: string, options: BreakerOptions | undefined): CircuitBreaker {
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = new CircuitBreaker(key, { ...this.defaultBreaker, ...options }, (transition) => {
        this.events.emit({
          type: TRANSITION_EVENT[transition.to],
          at: Date.now(),
          key,
          from: transition.from,
          reason: transition.reason,
          consecutiveFailures: transition.consecutiveFailures,
        });
        this.health.refresh(key);
        for (const [agentId, breakerKey] of this.breakerOfAgent) if (breakerKey === key) this.health.refresh(agentId);
      });
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  /** Health of `agentId` reports the state of breaker `breakerKey` (the first link of an agent wins). */
  linkAgentBreaker(agentId: string, breakerKey: string): void {
    if (agentId !== breakerKey && !this.breakerOfAgent.has(agentId)) this.breakerOfAgent.set(agentId, breakerKey);
  }

  breakerState(key: string): BreakerState | undefined {
    return this.breakers.get(key)?.state;
  }

  /** True when calls for `key` are limited (so the caller must call `acquire`). */
  isLimited(key: string): boolean {
    return this.semaphores.has(key) || this.buckets.has(key);
  }

  /**
   * Waits for a concurrency slot and a rate token for `key`, never past
   * `deadline`. `onWait` is told when the call has to wait. Returns a release function.
   */
  async acquire(
    key: string,
    signal: AbortSignal,
    deadline: number,
    onWait: (reason: 'concurrency' | 'rate', waitMs?: number) => void,
  ): Promise<() => void> {
    const semaphore = this.semaphores.get(key);
    let release: () => void = () => {};
    if (semaphore?.available) release = await semaphore.acquire(signal);
    else if (semaphore) {
      onWait('concurrency');
      release = await slotBefore(semaphore, key, signal, deadline);
    }
    try {
      const bucket = this.buckets.get(key);
      for (let wait = bucket?.take() ?? 0; wait > 0; wait = bucket!.take()) {
        if (Date.now() + wait > deadline)
          throw new RateLimitedError(`Rate limit of '${key}' needs ${wait} ms, past the deadline`, {
            retryAfterMs: wait,
          });
        onWait('rate', wait);
        await sleep(wait, signal);
      }
      return release;
    } catch (error) {
      release();
      throw error;
    }
  }
}

/** Waits for a slot of `semaphore`, giving up with `LimitWaitExceededError` when `deadline` (epoch ms) passes. */
async function slotBefore(
  semaphore: Semaphore,
  key: string,
  signal: AbortSignal,
  deadline: number,
): Promise<() => void> {
  if (!Number.isFinite(deadline)) return semaphore.acquire(signal);
  const startedAt = Date.now();
  const bounded = new AbortController();
  const onAbort = () => bounded.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(
    () => bounded.abort(new LimitWaitExceededError(key, Date.now() - startedAt)),
    Math.max(0, deadline - startedAt),
  );
  try {
    return await semaphore.acquire(bounded.signal);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}
