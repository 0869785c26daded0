import type { HealthMonitor } from '../health/health-monitor.js';
import type { Agent } from '../workflow/types.js';

/** Calls agents' own `health()` on an interval (a real check, never simulated). */
export class HealthProber {
  private readonly agents = new Map<string, Agent>();
  private readonly inFlight = new Set<string>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly monitor: HealthMonitor,
    private readonly intervalMs: number | undefined,
  ) {}

  /** Starts probing `agent` (if it has `health()` and probing is on). */
  watch(key: string, agent: Agent): void {
    if (!agent.health || this.intervalMs === undefined || this.agents.has(key)) return;
    this.agents.set(key, agent);
    if (!this.timer) {
      this.timer = setInterval(() => this.probeAll(), this.intervalMs);
      this.timer.unref?.(); // probes alone never keep the process alive
    }
  }

  private probeAll(): void {
    for (const [key, agent] of this.agents) {
      if (this.inFlight.has(key)) continue; // a slow check is not stacked
      this.inFlight.add(key);
      void this.probe(key, agent).finally(() => this.inFlight.delete(key));
    }
  }

  private async probe(key: string, agent: Agent): Promise<void> {
    const signal = AbortSignal.timeout(this.intervalMs!);
    try {
      const result = await agent.health!(signal);
      this.monitor.recordProbe(key, result.ok, Date.now(), result.detail);
    } catch (error) {
      this.monitor.recordProbe(key, false, Date.now(), error instanceof Error ? error.message : String(error));
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
