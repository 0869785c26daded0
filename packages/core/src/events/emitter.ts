import type { SupervisorEvent, SupervisorEventOf, SupervisorEventType } from './types.js';

/** A listener for one event type, or `*` for all. */
export type EventListener<T extends SupervisorEventType | '*'> = (
  event: T extends SupervisorEventType ? SupervisorEventOf<T> : SupervisorEvent,
) => void;

/**
 * A small typed emitter. Listeners are isolated: one that throws is reported
 * through `onListenerError` and never reaches the code that emitted.
 */
export class EventEmitter {
  private readonly byType = new Map<string, Set<(event: SupervisorEvent) => void>>();
  private anyCount = 0;

  constructor(private readonly onListenerError: (error: unknown, event: SupervisorEvent) => void) {}

  on<T extends SupervisorEventType | '*'>(type: T, listener: EventListener<T>): () => void {
    let set = this.byType.get(type);
    if (!set) this.byType.set(type, (set = new Set()));
    const wrapped = listener as (event: SupervisorEvent) => void;
    set.add(wrapped);
    if (type === '*') this.anyCount++;
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      set.delete(wrapped);
      if (type === '*') this.anyCount--;
    };
  }

  /** True if anyone listens for `type`: lets hot paths skip building events nobody reads. */
  has(type: SupervisorEventType): boolean {
    return this.anyCount > 0 || (this.byType.get(type)?.size ?? 0) > 0;
  }

  emit(event: SupervisorEvent): void {
    this.deliver(this.byType.get(event.type), event);
    if (this.anyCount > 0) this.deliver(this.byType.get('*'), event);
  }

  private deliver(listeners: Set<(event: SupervisorEvent) => void> | undefined, event: SupervisorEvent): void {
    if (!listeners) return;
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        try {
          this.onListenerError(error, event);
        } catch {
          // The error reporter itself failed; nothing left to tell.
        }
      }
    }
  }
}
