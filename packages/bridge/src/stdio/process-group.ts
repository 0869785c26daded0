/**
 * Sends `signal` to the worker's whole process group (it was spawned detached, so its pid is
 * the group id), reaching any children it started. Falls back to the single process where
 * groups do not exist. Never throws: the target may already be gone.
 */
export function signalProcessGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  if (process.platform !== 'win32') {
    try {
      process.kill(-pid, signal);
      return;
    } catch {
      // ESRCH (group gone) or EPERM: try the process itself below.
    }
  }
  try {
    process.kill(pid, signal);
  } catch {
    // Already exited.
  }
}
