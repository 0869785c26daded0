import { z } from 'zod';
import { CircuitOpenError } from '../errors/errors.js';

/** Breaker settings (validated by `breakerOptionsSchema`). */
export const breakerOptionsSchema = z
  .object({
    /** Open after this many consecutive counted failures. @default 5 */
    consecutiveFailures: z.number().int().min(1).optional(),
    /** Alternatively open when the failure ratio in the window reaches this (0 < r ≤ 1). */
    failureRatio: z.number().finite().gt(0).max(1).optional(),
    /** Sliding window length for `failureRatio`, in calls. @default 20 */
    windowSize: z.number().int().min(1).optional(),
    /** Minimum calls in the window before `failureRatio` applies. @default 10 */
    minimumVolume: z.number().int().min(1).optional(),
    /** Time open before probes are allowed, in ms. @default 30_000 */
    halfOpenAfterMs: z.number().finite().nonnegative().optional(),
    /** Probes allowed at once while half-open. @default 1 */
    halfOpenMaxProbes: z.number().int().min(1).optional(),
    /** Successful probes needed to close again. @default 1 */
    successesToClose: z.number().int().min(1).optional(),
  })
  .strict();

/** Circuit breaker settings. */
export type BreakerOptions = z.input<typeof breakerOptionsSchema>;

/** The three breaker states. */
export type BreakerState = 'closed' | 'open' | 'half_open';

/** A transition, as reported to the listener. */
export interface BreakerTransition {
  key: string;
  from: BreakerState;
  to: BreakerState;
  /** Why: the counted failures or probe outcome. */
  reason: string;
  consecutiveFailures: number;
}

const DEFAULTS = {
  consecutiveFailures: 5,
  windowSize: 20,
  minimumVolume: 10,
  halfOpenAfterMs: 30_000,
  halfOpenMaxProbes: 1,
  successesToClose: 1,
};

/** A permit to make one call; report its outcome exactly once. */
export interface BreakerPermit {
  success(): void;
  /** A counted failure (retryable, rate-limited or timeout). */
  failure(): void;
  /** The call ended in a way that says nothing about the agent (fatal input, cancellation). */
  neutral(): void;
}

/**
 * Closed → open after a threshold; open → half-open after `halfOpenAfterMs`;
 * half-open admits `halfOpenMaxProbes` concurrent probes and closes after
 * `successesToClose` successes (any probe failure reopens it).
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private consecutive = 0;
  private readonly window: boolean[] = [];
  private windowFailures = 0;
  private openedAt = 0;
  private probesInFlight = 0;
  private probeSuccesses = 0;
  private readonly options: typeof DEFAULTS & { failureRatio?: number };

  constructor(
    readonly key: string,
    options: BreakerOptions = {},
    private readonly onTransition: (transition: BreakerTransition) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULTS, ...stripUndefined(breakerOptionsSchema.parse(options)) };
  }

  /** The current state, moving open → half-open when its time has come. */
  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.options.halfOpenAfterMs) {
      this.transition('half_open', `open for ${this.options.halfOpenAfterMs} ms`);
    }
    return this.current;
  }

  /** ms until an open breaker admits a probe (0 when not open). */
  remainingOpenMs(): number {
    return this.state === 'open' ? Math.max(0, this.openedAt + this.options.halfOpenAfterMs - this.now()) : 0;
  }

  /** The wait a half-open refusal carries: `halfOpenAfterMs` (at least 1 ms). */
  private halfOpenRefusalMs(): number {
    return Math.max(1, this.options.halfOpenAfterMs);
  }

  /**
   * Asks to make a call; throws `CircuitOpenError` when refused: while open with the remaining open time, while
   * half-open with all probes in flight with `halfOpenAfterMs` (never 0, so a caller that waits it out does not spin).
   */
  acquire(): BreakerPermit {
    const state = this.state;
    if (state === 'open') throw new CircuitOpenError(this.key, this.remainingOpenMs());
    if (state === 'half_open') {
      // Probes are in flight and their outcome is unknown: a refusal carries a real wait (the breaker's own
      // half-open interval), so a concurrent step does not burn its attempts at 0 ms.
      if (this.probesInFlight >= this.options.halfOpenMaxProbes) {
        throw new CircuitOpenError(this.key, this.halfOpenRefusalMs(), 'half_open');
      }
      this.probesInFlight++;
      return this.permit(true);
    }
    return this.permit(false);
  }

  private permit(probe: boolean): BreakerPermit {
    let settled = false;
    const once = (fn: () => void) => () => {
      if (settled) return;
      settled = true;
      if (probe) this.probesInFlight--;
      fn();
    };
    return {
      success: once(() => this.onSuccess(probe)),
      failure: once(() => this.onFailure(probe)),
      neutral: once(() => {}),
    };
  }

  private onSuccess(probe: boolean): void {
    this.consecutive = 0;
    this.record(false);
    if (probe && this.current === 'half_open' && ++this.probeSuccesses >= this.options.successesToClose) {
      this.transition('closed', `${this.probeSuccesses} successful probe(s)`);
    }
  }

  private onFailure(probe: boolean): void {
    this.consecutive++;
    this.record(true);
    if (probe && this.current === 'half_open') {
      this.transition('open', 'probe failed');
    } else if (this.current === 'closed' && this.thresholdReached()) {
      this.transition('open', this.thresholdReason());
    }
  }

  private record(failed: boolean): void {
    if (this.options.failureRatio === undefined) return;
    this.window.push(failed);
    if (failed) this.windowFailures++;
    if (this.window.length > this.options.windowSize && this.window.shift()) this.windowFailures--;
  }

  private thresholdReached(): boolean {
    if (this.consecutive >= this.options.consecutiveFailures) return true;
    const ratio = this.options.failureRatio;
    return (
      ratio !== undefined &&
      this.window.length >= this.options.minimumVolume &&
      this.windowFailures / this.window.length >= ratio
    );
  }

  private thresholdReason(): string {
    if (this.consecutive >= this.options.consecutiveFailures) return `${this.consecutive} consecutive failures`;
    return `${this.windowFailures} of the last ${this.window.length} calls failed`;
  }

  private transition(to: BreakerState, reason: string): void {
    const from = this.current;
    this.current = to;
    if (to === 'open') this.openedAt = this.now();
    if (to === 'half_open') this.probeSuccesses = 0;
    if (to === 'closed') {
      this.consecutive = 0;
      this.window.length = 0;
      this.windowFailures = 0;
    }
    this.onTransition({ key: this.key, from, to, reason, consecutiveFailures: this.consecutive });
  }

  /** Serializable snapshot for health reports. */
  toJSON(): { key: string; state: BreakerState; consecutiveFailures: number; remainingOpenMs: number } {
    return {
      key: this.key,
      state: this.state,
      consecutiveFailures: this.consecutive,
      remainingOpenMs: this.remainingOpenMs(),
    };
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
