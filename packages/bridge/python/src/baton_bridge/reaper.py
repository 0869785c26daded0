"""Keeps the worker's descendants from outliving it.

On Linux the worker makes itself a *child subreaper* (``prctl(PR_SET_CHILD_SUBREAPER)``): a
descendant whose parent exits - a double fork, a daemonizing framework helper - is re-parented
to the worker instead of to init, so it stays findable under the worker in ``/proc``, even when
it called ``setsid()`` and left the worker's process group. On shutdown (and on SIGTERM) the
worker walks ``/proc`` for every live descendant, sends SIGTERM, then SIGKILL after a short
grace, and reaps what it can, all within a fixed bound.

Elsewhere (macOS, Windows) there is no subreaper and no ``/proc``: both functions are no-ops
and only the client's process-group kill applies.

What still escapes: descendants that left before ``become_subreaper()`` ran (nothing user-level
runs before it), and everything when the worker itself is SIGKILLed (no code runs then; the
client's own process-group kill and ``/proc`` snapshot are the only net).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time

#: From <linux/prctl.h>.
PR_SET_CHILD_SUBREAPER = 36

#: SIGTERM to SIGKILL, for each descendant.
TERM_GRACE_SECONDS = 0.5
#: Upper bound on the whole sweep, however many descendants keep appearing.
SWEEP_BOUND_SECONDS = 2.0


def become_subreaper() -> bool:
    """Makes this process a child subreaper (Linux only). True if it is one now."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _process_table() -> dict[int, tuple[int, str]] | None:
    """``pid -> (ppid, state)`` from ``/proc``; None where there is no ``/proc``."""
    try:
        entries = os.listdir("/proc")
    except OSError:
        return None
    table: dict[int, tuple[int, str]] = {}
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read().decode("ascii", "replace")
        except OSError:
            continue  # exited while we looked
        # The command name (field 2) may contain spaces and parentheses: split after the last ')'.
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) >= 2:
            table[int(entry)] = (int(fields[1]), fields[0])
    return table


def live_descendants(root: int | None = None) -> list[int] | None:
    """Pids of every live (not zombie) descendant of ``root`` (default: this process)."""
    table = _process_table()
    if table is None:
        return None
    children: dict[int, list[int]] = {}
    for pid, (ppid, _state) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, queue = [], list(children.get(root if root is not None else os.getpid(), []))
    while queue:
        pid = queue.pop()
        if table[pid][1] not in ("Z", "X"):
            found.append(pid)
        queue.extend(children.get(pid, []))
    return found


def _reap_exited() -> None:
    """Collects exit statuses of children that are gone (shutdown only: nobody else waits then)."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except (ChildProcessError, OSError):
            return
        if pid == 0:
            return


def kill_descendants(grace: float = TERM_GRACE_SECONDS, bound: float = SWEEP_BOUND_SECONDS) -> int:
    """SIGTERM every live descendant, SIGKILL those still there after ``grace``; returns how many
    were signalled. Stops after ``bound`` seconds whatever is left. No-op without ``/proc``."""
    deadline = time.monotonic() + bound
    termed: dict[int, float] = {}
    while True:
        _reap_exited()
        alive = live_descendants()
        if not alive or time.monotonic() >= deadline:
            return len(termed)
        now = time.monotonic()
        for pid in alive:
            if pid not in termed:
                termed[pid], signum = now, signal.SIGTERM
            elif now - termed[pid] >= grace:
                signum = signal.SIGKILL
            else:
                continue
            try:
                os.kill(pid, signum)
            except OSError:
                pass  # gone already, or not ours to signal
        time.sleep(0.02)


def install_sigterm_handler() -> None:
    """On SIGTERM: sweep the descendants, then exit 143 (the client kills with SIGTERM first)."""

    def on_sigterm(signum: int, frame: object) -> None:
        kill_descendants()
        os._exit(128 + signal.SIGTERM)

    try:
        signal.signal(signal.SIGTERM, on_sigterm)
    except ValueError:
        pass  # not the main thread (embedded use): keep the default
