"""The benchmark's memory figures: each process below the build measured at its own size.

Each measurement runs in a fresh process of its own, as the bench's builds do:
the test process may have other children (a browser, workers of earlier builds).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

_HOLD = (
    "import time; data = bytearray({mb} * 1024 * 1024); data[::4096] = b'x' * len(data[::4096]); "
    "print('ready', flush=True); time.sleep(30)"
)

_TREE = f"""
import json, os, resource, subprocess, sys
from tools.bench.child import _tree
children = []
for mb in (20, 80):
    command = [sys.executable, "-c", {_HOLD!r}.format(mb=mb)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "ready"
    children.append(child)
found = _tree(os.getpid())
total = sum(kb for _pid, kb in found)
largest = max(kb for pid, kb in found if pid != os.getpid())
own = int(open("/proc/self/statm").read().split()[1]) * resource.getpagesize() // 1024
for child in children:
    child.kill()
    child.wait()
print(json.dumps({{"total": total, "largest": largest, "own": own}}))
"""

_SPAWNED = """
import json, resource, subprocess, time
from tools.bench.child import TreeMemory
held = bytearray(300 * 1024 * 1024)
held[::4096] = b"x" * len(held[::4096])
sampler = TreeMemory()
subprocess.Popen(["sleep", "0.5"], start_new_session=True).wait()
time.sleep(0.1)
sampler.stop()
kernel = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"kernel": kernel, "worker": sampler.worker_peak_kb, "together": sampler.peak_kb}))
"""


_FORKED = """
import json, os, time
from tools.bench.child import TreeMemory
held = bytearray(300 * 1024 * 1024)
held[::4096] = b"x" * len(held[::4096])
pid = os.fork()
if pid == 0:
    own = bytearray(50 * 1024 * 1024)
    own[::4096] = b"y" * len(own[::4096])
    time.sleep(30)
    os._exit(0)
time.sleep(0.5)
sampler = TreeMemory()
time.sleep(TreeMemory.LATEST + 0.5)
sampler.stop()
os.kill(pid, 9)
os.waitpid(pid, 0)
print(json.dumps({"together": sampler.peak_kb, "resident": sampler.resident_peak_kb,
                  "worker": sampler.worker_peak_kb, "readings": sampler.readings}))
"""


def _measure(script: str) -> dict[str, Any]:
    path = os.pathsep.join([str(ROOT), str(ROOT / "tools" / "bench" / "hooks")])
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "PYTHONPATH": path},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_the_tree_sums_every_process_and_names_the_largest_below() -> None:
    found = _measure(_TREE)
    assert 80 * 1024 <= found["largest"] < 120 * 1024, found
    assert found["total"] >= found["own"] + found["largest"] + 20 * 1024, found


def test_a_small_program_started_by_a_large_build_is_measured_at_its_own_size() -> None:
    found = _measure(_SPAWNED)
    # The kernel charges the child the 300 MB its parent held when starting it.
    assert found["kernel"] >= 300 * 1024, found
    assert 0 < found["worker"] < 50 * 1024, found
    assert found["together"] >= 300 * 1024, found


def test_a_forked_child_sharing_the_builds_pages_is_counted_once_in_the_proportional_sum() -> None:
    found = _measure(_FORKED)
    assert found["readings"] >= 2, found
    # 300 MB in both processes' resident sizes, shared, and 50 MB of the child's own.
    assert found["resident"] >= 650 * 1024, found
    assert 350 * 1024 <= found["together"] < 420 * 1024, found
    # A fork of the build is no worker.
    assert found["worker"] == 0, found
