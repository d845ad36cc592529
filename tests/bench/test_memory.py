"""The benchmark's memory figures: each process below the build measured at its own size."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools" / "bench" / "hooks"))

from tools.bench.child import TreeMemory, _tree_kb

_HOLD = (
    "import sys, time; data = bytearray({mb} * 1024 * 1024); data[::4096] = b'x' * len(data[::4096]); "
    "print('ready', flush=True); time.sleep(30)"
)


def _start(mb: int) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", _HOLD.format(mb=mb)], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


def test_the_tree_sums_every_process_and_names_the_largest_below() -> None:
    small, large = _start(20), _start(80)
    try:
        total, largest = _tree_kb(os.getpid())
        own = int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() // 1024
    finally:
        for process in (small, large):
            process.kill()
            process.wait()
    assert 80 * 1024 <= largest < 120 * 1024, largest
    assert total >= own + largest + 20 * 1024, (total, own, largest)


def test_a_small_program_started_by_a_large_build_is_measured_at_its_own_size() -> None:
    held = bytearray(300 * 1024 * 1024)
    held[::4096] = b"x" * len(held[::4096])
    sampler = TreeMemory()
    child = subprocess.Popen(["sleep", "0.5"], start_new_session=True)
    child.wait()
    time.sleep(0.1)
    sampler.stop()
    # The kernel charges the child the 300 MB its parent held when starting it.
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss >= 300 * 1024
    assert 0 < sampler.worker_peak_kb < 50 * 1024, sampler.worker_peak_kb
    assert sampler.peak_kb >= 300 * 1024
    del held
