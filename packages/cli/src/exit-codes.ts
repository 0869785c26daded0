/**
 * Process exit codes of the `baton` binary. Scripts may rely on them.
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | success (run succeeded, files valid, store verified) |
 * | 1 | failure (run failed, `validate` found errors, `verify` found corruption, unexpected error) |
 * | 2 | usage error: bad flags or arguments, unreadable config, invalid workflow given to `run`/`resume`, unknown run, changed workflow refused |
 * | 3 | the run was cancelled (Ctrl-C / SIGINT / SIGTERM); it is checkpointed and can be resumed |
 * | 4 | the run's deadline (`--timeout` or `spec.timeout`) passed |
 * | 5 | the run is suspended: it waits for input (`baton runs show` lists the waits; `baton resume --answer` gives it) |
 * | 130 | a second Ctrl-C forced the process to quit before the cancellation was checkpointed |
 */
export const ExitCode = Object.freeze({
  ok: 0,
  failed: 1,
  usage: 2,
  cancelled: 3,
  timedOut: 4,
  suspended: 5,
  forcedQuit: 130,
} as const);

/** One of the values of `ExitCode`. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
