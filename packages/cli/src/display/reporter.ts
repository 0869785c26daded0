import type { SupervisorEvent } from '@baton/core';

/** Something that shows a run's progress: the live display, the plain log, or nothing. */
export interface ProgressReporter {
  onEvent(event: SupervisorEvent): void;
  /**
   * Releases the terminal (timers, cursor). Idempotent. `keep: false` (the run
   * never started, e.g. its id was taken) erases the display instead of leaving the last frame.
   */
  finish(options?: { keep?: boolean }): void;
  /** Prints a message (e.g. "cancelling...") without garbling the display. */
  note(message: string): void;
}

/** A reporter that shows nothing (`--quiet`). */
export const silentReporter: ProgressReporter = { onEvent() {}, finish() {}, note() {} };
