"""How ``python -m strictbuild`` ends: at once, yet with what exit runs and what was printed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.support import ROOT

ENV = {**os.environ, "PYTHONPATH": f"{ROOT / 'plugins'}:{ROOT}"}


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        env=ENV,
    )


def test_the_exit_code_what_was_printed_and_the_exit_handlers_all_survive() -> None:
    done = _run(
        """
        import atexit, logging, sys
        from strictbuild.driver import exit_now
        atexit.register(lambda: print("handler ran"))
        handler = logging.StreamHandler(sys.stderr)
        logging.getLogger("t").addHandler(handler)
        logging.getLogger("t").warning("logged")
        print("printed", end="")
        sys.stderr.write("unflushed")
        exit_now(3)
        """
    )
    assert done.returncode == 3
    assert done.stdout == "printedhandler ran\n"
    assert done.stderr == "logged\nunflushed"


def test_the_heap_is_not_torn_down_object_by_object() -> None:
    # An object's finalizer runs when the interpreter tears its heap down,
    # and not when the process ends at once.
    done = _run(
        """
        from strictbuild.driver import exit_now
        class Noisy:
            def __del__(self):
                print("torn down")
        kept = Noisy()
        exit_now(0)
        """
    )
    assert done.returncode == 0
    assert "torn down" not in done.stdout


def test_with_another_thread_running_the_process_waits_for_it() -> None:
    done = _run(
        """
        import threading, time
        from strictbuild.driver import exit_now
        def late():
            time.sleep(0.3)
            print("thread finished")
        threading.Thread(target=late).start()
        exit_now(5)
        """
    )
    assert done.returncode == 5
    assert done.stdout == "thread finished\n"


def test_the_command_line_ends_with_the_builds_verdict(tmp_path: Path) -> None:
    settings = tmp_path / "broken.py"
    settings.write_text("PLUGINS = ['strictbuild']\nNOT_A_SETTING = \n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "strictbuild", "--settings", str(settings), "--output", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
        env=ENV,
    )
    assert done.returncode == 1
    assert "problem" in done.stderr, done.stderr


def test_under_a_profiler_the_process_ends_the_usual_way_and_the_profile_is_reported() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-m", "strictbuild", "--settings", "no-such-settings.py"],
        capture_output=True,
        text=True,
        check=False,
        env=ENV,
    )
    # cProfile reports, then exits 0 whatever the program's status (its own way).
    assert "1 problem found" in done.stderr, done.stderr
    assert "function calls" in done.stdout, done.stdout[-2000:]
