import { BatonError } from '@baton/core';

/** Stable codes of `WorkerError`. */
export type WorkerErrorCode =
  | 'BATON_WORKER_OPTIONS_INVALID'
  | 'BATON_WORKER_UNKNOWN_WORKFLOW'
  | 'BATON_WORKER_RUN_QUEUED'
  | 'BATON_WORKER_RUN_UNFINISHED'
  | 'BATON_WORKER_CLOSED';

/**
 * An error of `@baton/worker`: bad options (`BATON_WORKER_OPTIONS_INVALID`, the zod error as `cause`), a job naming a
 * workflow this worker does not have (`BATON_WORKER_UNKNOWN_WORKFLOW`), a run id that already has a queued or active
 * job (`BATON_WORKER_RUN_QUEUED`), a run that ended on this worker without a `run.finished` record, so its job is handed
 * back (`BATON_WORKER_RUN_UNFINISHED`), or a worker/client used after `stop()`/`close()` (`BATON_WORKER_CLOSED`).
 */
export class WorkerError extends BatonError {
  constructor(
    override readonly code: WorkerErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(code, { message, cause: options.cause }, 'fatal');
  }
}
