import type { BreakerState } from '../breaker/circuit-breaker.js';
import type { AgentHealthStatus } from '../events/types.js';

/** One agent's health, as returned by `supervisor.health()`. */
export interface AgentHealthSnapshot {
  /** 0 (down) to 1 (fully healthy). */
  score: number;
  status: AgentHealthStatus;
  /** Calls in the window. */
  calls: number;
  /** Share of successful calls in the window (1 when no calls). */
  successRate: number;
  consecutiveFailures: number;
  /** Exponentially weighted mean latency in ms (α = 0.2). */
  latencyEwmaMs: number | undefined;
  /** 95th percentile latency over the window, in ms. */
  latencyP95Ms: number | undefined;
  breaker: { state: BreakerState } | undefined;
  /** The last result of the agent's own `health()` check, when probed. */
  lastProbe: { ok: boolean; at: number; detail?: string } | undefined;
}

const EWMA_ALPHA = 0.2;

/** Rolling statistics for one agent key. */
class AgentStats {
  private readonly outcomes: boolean[] = [];
  private readonly latencies: number[] = [];
  private successes = 0;
  consecutiveFailures = 0;
  latencyEwmaMs: number | undefined;
  lastProbe: AgentHealthSnapshot['lastProbe'];
  status: AgentHealthStatus = 'unknown';

  constructor(private readonly windowSize: number) {}

  record(ok: boolean, latencyMs: number): void {
    this.outcomes.push(ok);
    this.latencies.push(latencyMs);
    if (ok) this.successes++;
    if (this.outcomes.length > this.windowSize) {
      if (this.outcomes.shift()) this.successes--;
      this.latencies.shift();
    }
    this.consecutiveFailures = ok ? 0 : this.consecutiveFailures + 1;
    this.latencyEwmaMs =
      this.latencyEwmaMs === undefined ? latencyMs : EWMA_ALPHA * latencyMs + (1 - EWMA_ALPHA) * this.latencyEwmaMs;
  }

  snapshot(breaker: BreakerState | undefined): AgentHealthSnapshot {
    const calls = this.outcomes.length;
    const successRate = calls === 0 ? 1 : this.successes / calls;
    const score = healthScore(successRate, breaker, this.lastProbe?.ok);
    const status: AgentHealthStatus =
      calls === 0 && !this.lastProbe ? 'unknown' : score >= 0.9 ? 'healthy' : score >= 0.5 ? 'degraded' : 'unhealthy';
    return {
      score,
      status,
      calls,
      successRate,
      consecutiveFailures: this.consecutiveFailures,
      latencyEwmaMs: this.latencyEwmaMs,
      latencyP95Ms: percentile(this.latencies, 0.95),
      breaker: breaker ? { state: breaker } : undefined,
      lastProbe: this.lastProbe,
    };
  }
}

/** Score: the success rate, zeroed by an open breaker or a failed probe, halved while half-open. */
function healthScore(successRate: number, breaker: BreakerState | undefined, probeOk: boolean | undefined): number {
  if (breaker === 'open' || probeOk === false) return 0;
  return breaker === 'half_open' ? successRate / 2 : successRate;
}

function percentile(values: readonly number[], quantile: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)];
}

/** Tracks per-agent outcomes and reports status changes. */
export class HealthMonitor {
  private readonly stats = new Map<string, AgentStats>();

  constructor(
    private readonly windowSize: number,
    private readonly breakerState: (key: string) => BreakerState | undefined,
    private readonly onChange: (key: string, from: AgentHealthStatus, to: AgentHealthStatus, score: number) => void,
  ) {}

  /** Records one call's outcome. */
  record(key: string, ok: boolean, latencyMs: number): void {
    this.statsFor(key).record(ok, latencyMs);
    this.refresh(key);
  }

  /** Records the result of an agent's own health check. */
  recordProbe(key: string, ok: boolean, at: number, detail?: string): void {
    this.statsFor(key).lastProbe = detail === undefined ? { ok, at } : { ok, at, detail };
    this.refresh(key);
  }

  /** Re-evaluates status (also after breaker transitions). */
  refresh(key: string): void {
    const stats = this.stats.get(key);
    if (!stats) return;
    const snapshot = stats.snapshot(this.breakerState(key));
    if (snapshot.status !== stats.status) {
      const from = stats.status;
      stats.status = snapshot.status;
      this.onChange(key, from, snapshot.status, snapshot.score);
    }
  }

  /** A snapshot of every known agent. */
  snapshot(): Record<string, AgentHealthSnapshot> {
    const result: Record<string, AgentHealthSnapshot> = {};
    for (const [key, stats] of this.stats) result[key] = stats.snapshot(this.breakerState(key));
    return result;
  }

  private statsFor(key: string): AgentStats {
    let stats = this.stats.get(key);
    if (!stats) this.stats.set(key, (stats = new AgentStats(this.windowSize)));
    return stats;
  }
}
