"""The worker as child subreaper: descendants that left its session still die with it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")

# Runs in its own process, so prctl does not change the test runner. Prints the double-forked,
# setsid grandchild's pid, what the sweep signalled, and whether the grandchild is still alive.
SCRIPT = """
import os, sys, time
from baton_bridge.reaper import become_subreaper, kill_descendants, live_descendants
subreaper = become_subreaper()
read, write = os.pipe()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.write(write, str(os.getpid()).encode())
        time.sleep(3600)
    os._exit(0)
os.wait()
os.close(write)
grandchild = int(os.read(read, 64))
found = grandchild in (live_descendants() or [])
signalled = kill_descendants(grace=0.2, bound=2.0)
print(subreaper, found, signalled, grandchild in (live_descendants() or []), grandchild)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_CHILD_SUBREAPER and /proc are Linux-only")
def test_double_forked_setsid_grandchild_is_reparented_to_us_and_killed():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env={**os.environ, "PYTHONPATH": SRC},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout.split()
    grandchild = int(out[4])
    try:
        assert out[:4] == ["True", "True", "1", "False"]
    finally:
        try:
            os.kill(grandchild, 9)
        except OSError:
            pass


def test_no_proc_means_no_op(monkeypatch):
    from baton_bridge import reaper

    monkeypatch.setattr(reaper, "_process_table", lambda: None)
    assert reaper.live_descendants() is None
    assert reaper.kill_descendants(grace=0, bound=0.1) == 0
