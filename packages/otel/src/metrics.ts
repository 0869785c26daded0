import type {
  Attributes,
  BatchObservableCallback,
  Counter,
  Histogram,
  Meter,
  ObservableGauge,
  UpDownCounter,
} from '@opentelemetry/api';
import {
  ATTR_BATON_AGENT_KEY,
  ATTR_BATON_BREAKER_KEY,
  ATTR_BATON_BREAKER_STATE,
  METRIC_AGENT_HEALTH,
  METRIC_BREAKER_STATE,
  METRIC_BREAKER_REFUSALS,
  METRIC_BREAKER_TRIPS,
  METRIC_CHECKPOINT_APPEND_DURATION,
  METRIC_GEN_AI_TOKEN_USAGE,
  METRIC_RUN_DURATION,
  METRIC_RUNS_ACTIVE,
  METRIC_STEP_DURATION,
  METRIC_STEP_RETRIES,
} from './attributes.js';

/** Buckets in seconds: a step is anything from a 5 ms function to a 10-minute agent loop. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
/** Buckets the GenAI conventions prescribe for `gen_ai.client.token.usage`. */
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const FAST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const BREAKER_STATES = ['closed', 'open', 'half_open'] as const;

/** The part of `supervisor.health()` the gauges read. */
export type HealthSource = () => Readonly<
  Record<string, { score?: number; breaker?: { state: string } | undefined } | undefined>
>;

/**
 * The instruments. Attributes are limited to values bounded by the workflow
 * definitions (workflow name, step id, status, error kind/type, agent and
 * breaker keys): run ids, attempts and delays never become metric attributes.
 */
export class BatonMetrics {
  readonly runDuration: Histogram;
  readonly stepDuration: Histogram;
  readonly stepRetries: Counter;
  readonly runsActive: UpDownCounter;
  readonly breakerTrips: Counter;
  readonly breakerRefusals: Counter;
  readonly checkpointAppendDuration: Histogram;
  readonly tokenUsage: Histogram;
  private readonly breakerState: ObservableGauge;
  private readonly agentHealth: ObservableGauge;
  private readonly observe: BatchObservableCallback;

  constructor(
    private readonly meter: Meter,
    health: HealthSource | undefined,
  ) {
    this.runDuration = meter.createHistogram(METRIC_RUN_DURATION, {
      unit: 's',
      description: 'Duration of workflow runs (one run or resume call).',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.stepDuration = meter.createHistogram(METRIC_STEP_DURATION, {
      unit: 's',
      description: 'Duration of steps, all attempts included.',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.stepRetries = meter.createCounter(METRIC_STEP_RETRIES, {
      unit: '{retry}',
      description: 'Step attempts that failed and were retried.',
    });
    this.runsActive = meter.createUpDownCounter(METRIC_RUNS_ACTIVE, {
      unit: '{run}',
      description: 'Runs executing now.',
    });
    this.breakerTrips = meter.createCounter(METRIC_BREAKER_TRIPS, {
      unit: '{trip}',
      description: 'Times a circuit breaker opened.',
    });
    this.breakerRefusals = meter.createCounter(METRIC_BREAKER_REFUSALS, {
      unit: '{refusal}',
      description: 'Step attempts a circuit breaker refused (no call was made; not counted as retries).',
    });
    this.checkpointAppendDuration = meter.createHistogram(METRIC_CHECKPOINT_APPEND_DURATION, {
      unit: 's',
      description: 'Latency of checkpoint appends.',
      advice: { explicitBucketBoundaries: FAST_BUCKETS },
    });
    this.tokenUsage = meter.createHistogram(METRIC_GEN_AI_TOKEN_USAGE, {
      unit: '{token}',
      description: 'Number of input and output tokens used.',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    });
    this.breakerState = meter.createObservableGauge(METRIC_BREAKER_STATE, {
      unit: '1',
      description: 'Circuit breaker state: 1 on the series of the current state, 0 on the others.',
    });
    this.agentHealth = meter.createObservableGauge(METRIC_AGENT_HEALTH, {
      unit: '1',
      description: 'Agent health score, 0 (down) to 1.',
    });
    this.observe = (result) => {
      if (!health) return;
      for (const [key, snapshot] of Object.entries(health())) {
        if (!snapshot) continue;
        if (typeof snapshot.score === 'number')
          result.observe(this.agentHealth, snapshot.score, { [ATTR_BATON_AGENT_KEY]: key });
        const state = snapshot.breaker?.state;
        if (state === undefined) continue;
        for (const candidate of BREAKER_STATES) {
          result.observe(this.breakerState, candidate === state ? 1 : 0, {
            [ATTR_BATON_BREAKER_KEY]: key,
            [ATTR_BATON_BREAKER_STATE]: candidate,
          });
        }
      }
    };
    meter.addBatchObservableCallback(this.observe, [this.breakerState, this.agentHealth]);
  }

  /** Stops the gauges from calling back into the supervisor. */
  close(): void {
    this.meter.removeBatchObservableCallback(this.observe, [this.breakerState, this.agentHealth]);
  }
}

const MAX_CACHED_ATTRIBUTE_SETS = 10_000;

/**
 * Reuses metric attribute objects per distinct combination: the hot path
 * records two or three points per step, and building (and collecting) fresh
 * objects each time was a visible part of the per-step overhead. The
 * combinations are bounded by the workflow definitions; the cap is a guard.
 *
 * Keys are one to three strings, looked up in nested maps: joining them into
 * one string key on every point cost more (a new string to build and hash per
 * lookup) than the lookups themselves.
 */
export class AttributeCache {
  private readonly root = new Map<string, Map<string, Map<string, Attributes>>>();
  private size = 0;

  /** The attributes cached for `(a, b, c)`, built by `build` (and cached, below the cap) on first use. */
  get(a: string, b: string, c: string, build: () => Attributes): Attributes {
    let level1 = this.root.get(a);
    if (level1 === undefined) {
      level1 = new Map();
      this.root.set(a, level1);
    }
    let level2 = level1.get(b);
    if (level2 === undefined) {
      level2 = new Map();
      level1.set(b, level2);
    }
    let attributes = level2.get(c);
    if (attributes === undefined) {
      attributes = build();
      if (this.size < MAX_CACHED_ATTRIBUTE_SETS) {
        level2.set(c, attributes);
        this.size++;
      }
    }
    return attributes;
  }
}

/** Milliseconds to seconds, the unit the conventions use for durations. */
export function seconds(ms: number): number {
  return ms / 1000;
}

/** Drops `undefined` values so optional attributes stay off the series. */
export function compact(attributes: Record<string, string | number | boolean | undefined>): Attributes {
  const result: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) result[key] = value;
  return result;
}
