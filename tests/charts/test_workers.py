"""Render workers: Ctrl-C is the build's to handle, and an interrupted build kills its workers at once."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest
from pelican.settings import read_settings

from charts import cache
from charts.prepare import prepare_charts
from charts.workers import _Worker
from strictbuild.state import building
from tests.charts.conftest import PROJECT_SETTINGS


def _ignores_sigint(pid: int) -> bool:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("SigIgn:"):
                return bool(int(line.split()[1], 16) & (1 << (signal.SIGINT - 1)))
    return False


def test_a_worker_lives_through_ctrl_c_and_stops_when_told() -> None:
    worker = _Worker(multiprocessing.get_context("spawn"), None)
    pid = worker.process.pid
    assert pid is not None
    ends = time.monotonic() + 60
    while time.monotonic() < ends and not _ignores_sigint(pid):
        time.sleep(0.05)
    os.kill(pid, signal.SIGINT)  # as a terminal's Ctrl-C reaches the whole process group
    time.sleep(0.5)
    assert worker.process.is_alive()
    worker.stop()
    assert worker.process.exitcode == 0


def test_an_interrupted_rendering_kills_its_workers(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    killed: list[str] = []
    kill = multiprocessing.process.BaseProcess.kill

    def noting(process: multiprocessing.process.BaseProcess) -> None:
        killed.append(str(process.name))
        kill(process)

    def interrupted(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "kill", noting)
    monkeypatch.setattr(cache.Progress, "advance", interrupted)  # Ctrl-C once the first chart is drawn
    settings = read_settings(
        str(PROJECT_SETTINGS),
        override={"PATH": str(site / "content"), "CHARTS_WORKERS": 2, "CHARTS_IN_PROCESS_MAX": 0},
    )
    with building(), pytest.raises(KeyboardInterrupt):
        prepare_charts(settings)
    assert len(killed) == 2
    assert multiprocessing.active_children() == []
