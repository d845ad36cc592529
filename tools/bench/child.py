"""Run one build in this process and report what it did, as JSON on stdout.

Started by :mod:`tools.bench.run` as a fresh process per build, so that each
build's time and peak memory are its own. Usage::

    BENCH_EVENTS=events.jsonl python tools/bench/child.py full|baseline SETTINGS OUTPUT

``full`` is the project's build (``strictbuild``), ``baseline`` plain Pelican.
Every chart rendering call and every Markdown file parsed is appended to the
``BENCH_EVENTS`` file as a JSON line (see ``hooks/bench_events.py``; with
``hooks/`` on ``PYTHONPATH`` the chart workers count their renders too).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
import time
from pathlib import Path

from bench_events import count_parses


def _count_parses() -> None:
    """Count every Markdown file a reader parses (cached files are not parsed)."""
    readers: list[type] = []
    try:
        from markdown_reader.reader import MarkdownItReader

        readers.append(MarkdownItReader)
    except ImportError:
        pass
    try:
        from bench_baseline import CommonMarkReader

        readers.append(CommonMarkReader)
    except ImportError:
        pass
    count_parses(readers)


def _trace_memory(top: int) -> None:
    """Print, to stderr, where the memory still held at the end of the build was allocated."""
    import tracemalloc

    from pelican import signals

    tracemalloc.start(8)

    def snapshot(_pelican: object) -> None:
        stats = tracemalloc.take_snapshot().statistics("traceback")
        current, peak = tracemalloc.get_traced_memory()
        print(f"traced: {current / 2**20:.0f} MB held, {peak / 2**20:.0f} MB peak", file=sys.stderr)
        for stat in stats[:top]:
            print(f"{stat.size / 2**20:8.1f} MB {stat.count:9d} blocks", file=sys.stderr)
            for frame in stat.traceback.format()[-8:]:
                print("    " + frame.strip(), file=sys.stderr)

    signals.finalized.connect(snapshot, weak=False)


def _tree(pid: int) -> list[tuple[int, int]]:
    """``pid`` and every process below it, each with its resident memory in KB (Linux /proc)."""
    found = []
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    todo = [pid]
    while todo:
        current = todo.pop()
        proc = Path("/proc") / str(current)
        try:
            resident = int((proc / "statm").read_text().split()[1]) * page_kb
            for task in (proc / "task").iterdir():
                todo.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
        found.append((current, resident))
    return found


def _proportional_kb(pids: list[int]) -> int:
    """The proportional set sizes of ``pids`` summed, in KB: a page n processes share counts 1/n in each."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except (OSError, ValueError):
            continue
    return total


def _cmdline(pid: int) -> bytes:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes()
    except OSError:
        return b""


class TreeMemory:
    """This process's and its workers' memory, sampled.

    Every 50 ms the resident sizes (``/proc/<pid>/statm``, cheap): the
    largest sum seen at once (``resident_peak_kb``), which counts a page two
    processes share in each, and the largest one process below this one
    that is not a fork of it (``worker_peak_kb``: chart workers, Pagefind;
    a forked child's resident size is mostly the pages it shares with the
    build). The proportional set sizes (``/proc/<pid>/smaps_rollup``, which
    walks each process's page tables: about 13 ms per 600 MB, too costly
    every 50 ms) whenever the resident sum passes the highest it had at such
    a reading, at most every 0.5 s, and at least every 2 s: the largest sum
    (``peak_kb``) is the build's memory in use, in which a page a forked
    writer shares with the build process counts once. The kernel's own
    peak for the children (``RUSAGE_CHILDREN``) is no measure of the
    workers: a child started by a large process is charged that process's
    size at the start (Linux keeps the peak of the memory it replaces when
    it starts a program), so a 600 MB build that starts a 20 MB program
    reports 600 MB for it.
    """

    #: Seconds between two resident readings, and at least and at most between two proportional ones.
    RESIDENT = 0.05
    SOONEST = 0.5
    LATEST = 2.0

    def __init__(self) -> None:
        self.peak_kb = 0
        self.resident_peak_kb = 0
        self.worker_peak_kb = 0
        #: proportional readings taken
        self.readings = 0
        self._own = _cmdline(os.getpid())
        self._forks: dict[int, bool] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        if Path("/proc/self/task").is_dir():
            self._thread.start()

    def _is_fork(self, pid: int) -> bool:
        found = self._forks.get(pid)
        if found is None:
            found = self._forks[pid] = _cmdline(pid) == self._own
        return found

    def _proportional(self, found: list[tuple[int, int]]) -> None:
        self.peak_kb = max(self.peak_kb, _proportional_kb([pid for pid, _kb in found]))
        self.readings += 1

    def _sample(self) -> None:
        last = -self.LATEST
        high = 0  # the resident sum at the highest proportional reading
        while not self._stop.wait(self.RESIDENT):
            found = _tree(os.getpid())
            resident = sum(kb for _pid, kb in found)
            self.resident_peak_kb = max(self.resident_peak_kb, resident)
            below = [kb for pid, kb in found if pid != os.getpid() and not self._is_fork(pid)]
            self.worker_peak_kb = max([self.worker_peak_kb, *below])
            now = time.monotonic()
            if (resident > high and now - last >= self.SOONEST) or now - last >= self.LATEST:
                self._proportional(found)
                high, last = max(high, resident), now

    def stop(self) -> int:
        """Stop sampling; the largest proportional sum seen (0 where /proc is missing)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
            self._proportional(_tree(os.getpid()))
        return self.peak_kb


def main(argv: list[str]) -> int:
    """Run the build named on the command line and print its report.

    ``BENCH_TRACEMALLOC=N`` prints the N largest allocation sites still held
    when the build finishes (slow; for finding what holds memory).
    """
    kind, settings_path, output = argv
    _count_parses()
    if os.environ.get("BENCH_TRACEMALLOC"):
        _trace_memory(int(os.environ["BENCH_TRACEMALLOC"]))
    together = TreeMemory()
    started = time.perf_counter()
    problems: list[str] = []
    if kind == "full":
        from strictbuild.driver import build

        result = build(settings_path, output)
        problems = [str(p) for p in result.problems]
    else:
        from pelican import Pelican
        from pelican.settings import read_settings

        settings = read_settings(settings_path, override={"OUTPUT_PATH": output})
        Pelican(settings).run()
    seconds = time.perf_counter() - started
    together_kb = together.stop()
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = {
        "ok": not problems,
        "problems": problems[:20],
        "problem_count": len(problems),
        "seconds": seconds,
        "maxrss_kb": own.ru_maxrss,
        # the kernel's figure, which charges a child its parent's size (see TreeMemory)
        "workers_maxrss_kb": workers.ru_maxrss,
        # sampled: the largest resident size of any one process below the build
        "workers_peak_kb": together.worker_peak_kb,
        # proportional set sizes summed, sampled (see TreeMemory), so a short peak can be missed;
        # never below the main's own peak
        "together_kb": max(together_kb, own.ru_maxrss),
        # resident sizes summed every 50 ms (a page shared by two processes counted in each);
        # never below the main's own peak
        "together_resident_kb": max(together.resident_peak_kb, own.ru_maxrss),
        "cpu_seconds": own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime,
    }
    print(json.dumps(report))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    code = main(sys.argv[1:])
    if sys.argv[1:2] == ["full"]:
        # As ``python -m strictbuild`` ends, so the time is what a user waits.
        from strictbuild.driver import exit_now

        exit_now(code)
    sys.exit(code)
