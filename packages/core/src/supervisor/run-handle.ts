import { z } from 'zod';
import { CancelledError, FatalError } from '../errors/errors.js';
import type { EventListener } from '../events/emitter.js';
import type { SupervisorEvent, SupervisorEventType } from '../events/types.js';
import { describeValue } from '../workflow/define-workflow.js';
import type { ResumeOptions, RunOptions, RunResult } from './types.js';

/** Events a run handle's buffer holds by default before it starts dropping high-volume events. */
export const DEFAULT_STREAM_BUFFER_SIZE = 1024;

/**
 * The high-volume, non-lifecycle event types a full run handle buffer drops (oldest first), counted in
 * `RunHandle.dropped`. Every other event of the run (run.*, step.started / retrying / succeeded / failed / cancelled /
 * skipped / restored / fallback / timed_out, step.usage, checkpoint.warning) is never dropped.
 */
export const DROPPABLE_EVENT_TYPES: ReadonlySet<SupervisorEventType> = new Set<SupervisorEventType>([
  'step.progress',
  'step.waiting',
  'checkpoint.appended',
]);

/** Options of the events buffer behind `RunHandle.events`. */
export interface StreamOptions {
  /**
   * Events held for a consumer that reads slower than the run emits. When the buffer is full, a new event first
   * evicts the oldest buffered droppable event (`DROPPABLE_EVENT_TYPES`, counted in `RunHandle.dropped`), so the
   * newest progress survives. When every buffered event is a lifecycle one, a new droppable event is dropped and a
   * new lifecycle event is kept anyway: lifecycle events are never dropped, so only they can take the buffer past
   * this size (they are bounded by the workflow's steps and attempts). A positive integer.
   * @default DEFAULT_STREAM_BUFFER_SIZE (1024)
   */
  bufferSize?: number;
}

/** Options of `supervisor.start`: `run`'s options and the events buffer's. */
export interface StartOptions extends RunOptions, StreamOptions {}

/** Options of `supervisor.startResume`: `resume`'s options and the events buffer's. */
export interface StartResumeOptions extends ResumeOptions, StreamOptions {}

/**
 * A run in progress, returned by `supervisor.start` / `supervisor.startResume`.
 *
 * `events` yields this run's events only (filtered by run id), in emission order, and ends after the run's last event
 * (once `result` settles). It has one consumer: iterating it again continues the same iterator. Leaving a
 * `for await` loop early (`break`, `return`, a throw) unsubscribes from the supervisor and frees the buffer; the run
 * goes on (call `cancel` to stop it). See `StreamOptions.bufferSize` for what a slow consumer loses.
 */
export interface RunHandle<TOutputs extends Record<string, unknown> = Record<string, unknown>> {
  /** The run's id: the one given in the options, else generated before the run starts. */
  readonly runId: string;
  /** This run's events, in order; ends when the run ends. */
  readonly events: AsyncIterableIterator<SupervisorEvent>;
  /**
   * Settles like `supervisor.run` / `resume` would. The handle observes it, so a rejection nobody awaits is not
   * reported as unhandled: read it (or the iterator's end) to learn how the run ended.
   */
  readonly result: Promise<RunResult<TOutputs>>;
  /** Droppable events (`DROPPABLE_EVENT_TYPES`) dropped so far because the buffer was full. */
  readonly dropped: number;
  /**
   * Cancels the run through its AbortSignal, as aborting `options.signal` would: the run ends `cancelled` with a
   * `CancelledError` whose `cause` is `reason`. Does nothing once the run has ended.
   */
  cancel(reason?: unknown): void;
}

const streamOptionsSchema = z.object({ bufferSize: z.number().int().min(1).optional() });

/** Throws a `FatalError` (code `BATON_STREAM_OPTIONS_INVALID`) naming a bad `bufferSize`. */
function validateStreamOptions(options: StreamOptions): void {
  const parsed = streamOptionsSchema.safeParse({ bufferSize: options.bufferSize });
  if (parsed.success) return;
  throw new FatalError(
    `Invalid run handle options: bufferSize must be a positive integer (got ${describeValue(options.bufferSize)})`,
    { code: 'BATON_STREAM_OPTIONS_INVALID', cause: parsed.error },
  );
}

/** What `openRunHandle` needs of a supervisor: its `*` subscription. */
export interface EventSource {
  on(type: '*', listener: EventListener<'*'>): () => void;
}

/**
 * Subscribes to `runId`'s events, then starts the run through `launch` with a signal that `cancel` aborts (and that
 * follows `options.signal`). Stream options are validated (and stripped) before anything starts.
 */
export function openRunHandle<TOptions extends StreamOptions & { signal?: AbortSignal }, TResult extends RunResult>(
  source: EventSource,
  runId: string,
  options: TOptions,
  launch: (options: Omit<TOptions, 'bufferSize'>) => Promise<TResult>,
): RunHandle<TResult extends RunResult<infer O> ? O : never> {
  validateStreamOptions(options);
  const { bufferSize = DEFAULT_STREAM_BUFFER_SIZE, ...runOptions } = options;
  const stream = new RunEventStream(runId, bufferSize);
  stream.attach(source);
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  let result: Promise<TResult>;
  try {
    result = launch({ ...runOptions, signal });
  } catch (error) {
    result = Promise.reject(error);
  }
  let ended = false;
  const end = (): void => {
    ended = true;
    stream.end();
  };
  result.then(end, end);
  return {
    runId,
    events: stream,
    result: result as Promise<never>,
    get dropped() {
      return stream.dropped;
    },
    cancel(reason?: unknown) {
      if (ended || controller.signal.aborted) return;
      controller.abort(
        reason === undefined ? new CancelledError(`Run '${runId}' was cancelled through its handle`) : reason,
      );
    },
  };
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * The bounded, single-consumer buffer between the supervisor's emitter and a `for await` loop. Listeners are
 * synchronous, so events are buffered in emission order; a waiting reader is handed the next event directly.
 * Evicted events leave a hole (`undefined`) that `shift` skips, and `scan` remembers where the oldest droppable event
 * may be, so a flood of progress into a full buffer costs O(1) per event, not a splice.
 */
class RunEventStream implements AsyncIterableIterator<SupervisorEvent> {
  dropped = 0;
  private items: (SupervisorEvent | undefined)[] = [];
  private head = 0;
  /** Events (not holes) in `items[head..]`. */
  private size = 0;
  /** Droppable events in `items[head..]`: lets a lifecycle event skip the eviction scan when there is none. */
  private droppable = 0;
  /** No droppable event is left before this index (all older ones were evicted or read). */
  private scan = 0;
  /** Readers waiting for an event, oldest first (a caller may call `next()` again before the last one settled). */
  private readonly waiters: ((result: IteratorResult<SupervisorEvent, undefined>) => void)[] = [];
  private ended = false;
  private off: (() => void) | undefined;

  constructor(
    private readonly runId: string,
    private readonly capacity: number,
  ) {}

  attach(source: EventSource): void {
    this.off = source.on('*', (event) => {
      if ('runId' in event && event.runId === this.runId) this.push(event);
    });
  }

  private push(event: SupervisorEvent): void {
    if (this.ended) return;
    const waiter = this.waiters.shift();
    if (waiter) return waiter({ done: false, value: event });
    const isDroppable = DROPPABLE_EVENT_TYPES.has(event.type);
    if (this.size >= this.capacity) {
      // Full: make room by dropping the oldest droppable event (the newest progress is the most useful to a UI);
      // when all buffered events are lifecycle ones, a droppable newcomer is dropped and a lifecycle one kept.
      if (this.droppable > 0) this.evictOldestDroppable();
      else if (isDroppable) {
        this.dropped++;
        return;
      }
    }
    this.items.push(event);
    this.size++;
    if (isDroppable) this.droppable++;
    // Evictions leave holes: squeeze them out once they outnumber the events, so the array stays O(bufferSize).
    if (this.items.length - this.head > 2 * Math.max(this.size, this.capacity)) this.compact();
  }

  private compact(): void {
    this.items = this.items.slice(this.head).filter((item) => item !== undefined);
    this.head = 0;
    this.scan = 0;
  }

  private evictOldestDroppable(): void {
    for (let i = Math.max(this.scan, this.head); i < this.items.length; i++) {
      const event = this.items[i];
      if (event && DROPPABLE_EVENT_TYPES.has(event.type)) {
        this.items[i] = undefined;
        this.size--;
        this.droppable--;
        this.dropped++;
        this.scan = i + 1;
        return;
      }
    }
  }

  private shift(): SupervisorEvent {
    while (this.items[this.head] === undefined) this.head++; // skip holes (size > 0: an event follows)
    const event = this.items[this.head]!;
    this.items[this.head++] = undefined;
    this.size--;
    if (DROPPABLE_EVENT_TYPES.has(event.type)) this.droppable--;
    if (this.size === 0) {
      this.items = [];
      this.head = 0;
      this.scan = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.compact(); // now and then, so a long run does not keep a long consumed prefix
    }
    return event;
  }

  /** The run ended: no more events will come; readers drain the buffer, then finish. */
  end(): void {
    this.unsubscribe();
    this.ended = true;
    // A reader waits only when the buffer is empty: tell them all that nothing more comes.
    for (const waiter of this.waiters.splice(0)) waiter(DONE);
  }

  private unsubscribe(): void {
    const off = this.off;
    this.off = undefined;
    off?.();
  }

  next(): Promise<IteratorResult<SupervisorEvent, undefined>> {
    if (this.size > 0) return Promise.resolve({ done: false, value: this.shift() });
    if (this.ended) return Promise.resolve(DONE);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Called by `break` / `return` in a `for await` loop: stop listening and drop what is buffered. */
  return(): Promise<IteratorResult<SupervisorEvent, undefined>> {
    this.unsubscribe();
    this.ended = true;
    this.items = [];
    this.head = 0;
    this.size = 0;
    this.droppable = 0;
    this.scan = 0;
    for (const waiter of this.waiters.splice(0)) waiter(DONE);
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<SupervisorEvent> {
    return this;
  }
}
