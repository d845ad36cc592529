"""The previous site survives every way a build can end badly.

A failed build, an exception in a plugin, a write that fails because the
disk is full, and an interrupted build (SIGINT, SIGTERM) each leave
``output/`` byte for byte as it was, remove the unfinished site and print no
traceback.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.support import ROOT, brief, build_content, tree_digest, write_site

GOOD = {
    "pages/about.en.md": brief("about", "en", title="About"),
    "pages/about.zh-TW.md": brief("about", "zh-TW", title="關於"),
}

# A plugin for these tests only: it fails or waits where a test asks it to,
# through environment variables, so the build is stopped at a known point.
TEST_PLUGIN = '''
"""Test plugin: crash or wait at chosen points of a build."""
import os
import time

from pelican import signals

from markdown_reader import markdown_it_ready


def _written(path, context):
    marker = os.environ.get("SURVIVES_WAIT_MARKER")
    if marker and not os.path.exists(marker):
        with open(marker, "w") as handle:
            handle.write(path)
        time.sleep(120)


def _finalized(generators):
    if os.environ.get("SURVIVES_CRASH") != "finalized":
        return
    for generator in generators:
        for page in [*getattr(generator, "pages", []), *getattr(generator, "translations", [])]:
            if page.slug == "about" and page.lang == "zh-TW":
                raise KeyError("no such thing")


def _syntax(md, **kwargs):
    def rule(state):
        if os.environ.get("SURVIVES_CRASH") == "reader" and "boom" in state.src:
            raise ValueError("the syntax plugin broke")

    md.core.ruler.push("survives_crash", rule)


def register():
    signals.content_written.connect(_written)
    signals.all_generators_finalized.connect(_finalized)
    markdown_it_ready.connect(_syntax)
'''


def _project(tmp_path: Path) -> tuple[Path, Path]:
    """A good site built once, its settings file, and the test plugin beside it."""
    content = write_site(tmp_path, GOOD)
    plugin = tmp_path / "testplugins" / "survives"
    plugin.mkdir(parents=True)
    (plugin / "__init__.py").write_text(textwrap.dedent(TEST_PLUGIN), encoding="utf-8")
    settings = tmp_path / "settings.py"
    settings.write_text(
        "from pelicanconf import *  # noqa: F403\n"
        f"PATH = {str(content)!r}\n"
        f"THEME = {str(ROOT / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}, {str(tmp_path / 'testplugins')!r}]\n"
        "PLUGINS = [*PLUGINS, 'survives']  # noqa: F405\n"
        f"CACHE_PATH = {str(tmp_path / 'cache')!r}\n",
        encoding="utf-8",
    )
    return content, settings


def _command(settings: Path, output: Path, *options: str, **env: str) -> subprocess.Popen[str]:
    environment = {
        "PYTHONPATH": f"{ROOT / 'plugins'}:{ROOT}",
        "PATH": "/usr/bin:/bin",
        "PYTHONDONTWRITEBYTECODE": "1",
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "strictbuild", "--settings", str(settings), "--output", str(output), *options],
        cwd=settings.parent,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A shell that started pytest in the background may have set SIGINT
        # to be ignored, which the child would inherit.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, Path, dict[str, str]]:
    """Content, settings, output of a first good build, and the output's digest."""
    content, settings = _project(tmp_path)
    output = tmp_path / "output"
    first = _command(settings, output)
    _out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    # The next build would change every page, so an unfinished swap would show.
    write_site(content.parent, {"pages/about.en.md": brief("about", "en", title="Changed")})
    return content, settings, output, tree_digest(output)


def _leftovers(output: Path) -> list[str]:
    return sorted(p.name for p in output.parent.glob(f".{output.name}-building-*"))


@pytest.mark.parametrize(("signum", "name"), [(signal.SIGINT, "SIGINT"), (signal.SIGTERM, "SIGTERM")])
def test_interrupted_build_leaves_output(
    signum: int, name: str, built: tuple[Path, Path, Path, dict[str, str]]
) -> None:
    _content, settings, output, before = built
    marker = settings.parent / "writing"
    build = _command(settings, output, SURVIVES_WAIT_MARKER=str(marker))
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert build.poll() is None, build.communicate()
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.05)
    # The build is now writing its new site beside output/.
    assert _leftovers(output), "no unfinished site beside output/ while writing"
    build.send_signal(signum)
    _out, err = build.communicate(timeout=60)
    assert build.returncode == 128 + signum, err
    assert f"Build interrupted ({name}); {output} was left as it was." in err
    assert "Traceback" not in err
    assert tree_digest(output) == before
    assert _leftovers(output) == []


def test_full_disk_leaves_output(built: tuple[Path, Path, Path, dict[str, str]]) -> None:
    """A real failed write: the kernel refuses to grow a file past RLIMIT_FSIZE.

    A tmpfs of a few kilobytes would be a truer full disk, but mounting one
    needs root; the file-size limit makes the same write() calls fail with
    EFBIG, portably and for this process alone.
    """
    _content, settings, output, before = built
    # Bigger than any settings or cache file the build reads, smaller than a page.
    limit = 2000

    def limited() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write, do not kill the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {
        "PYTHONPATH": f"{ROOT / 'plugins'}:{ROOT}",
        "PATH": "/usr/bin:/bin",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    run = subprocess.run(
        [sys.executable, "-m", "strictbuild", "--settings", str(settings), "--output", str(output)],
        cwd=settings.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=limited,
        timeout=300,
    )
    assert run.returncode == 1, run.stderr
    assert "could not write the site: File too large" in run.stderr
    assert "Traceback" not in run.stderr
    assert tree_digest(output) == before
    assert _leftovers(output) == []


def test_no_space_left_leaves_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer's disk fills up mid-build (ENOSPC, as a full disk reports it)."""
    from pelican.writers import Writer

    content = write_site(tmp_path, GOOD)
    output = tmp_path / "output"
    assert build_content(content, output).ok
    before = tree_digest(output)
    write_site(content.parent, {"pages/about.en.md": brief("about", "en", title="Changed")})
    original = Writer.write_file
    calls: list[str] = []

    def filling(self: Writer, name: str, *args: object, **kwargs: object) -> object:
        calls.append(name)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.path.join(self.output_path, name))
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(Writer, "write_file", filling)
    result = build_content(content, output)
    assert not result.ok
    assert [str(p) for p in result.problems] == [
        f"{calls[1]}:0: could not write the site: No space left on device"
    ]
    assert tree_digest(output) == before
    assert _leftovers(output) == []


def test_reader_plugin_exception_names_the_file(built: tuple[Path, Path, Path, dict[str, str]]) -> None:
    content, settings, output, before = built
    write_site(content.parent, {"pages/about.zh-TW.md": brief("about", "zh-TW", body="A boom here.")})
    build = _command(settings, output, SURVIVES_CRASH="reader")
    _out, err = build.communicate(timeout=300)
    assert build.returncode == 1
    assert (
        f"{content.relative_to(settings.parent)}/pages/about.zh-TW.md:1: internal error while reading "
        "this file: ValueError: the syntax plugin broke"
    ) in err
    assert "Traceback" not in err
    assert tree_digest(output) == before


def test_plugin_exception_names_the_file(built: tuple[Path, Path, Path, dict[str, str]]) -> None:
    content, settings, output, before = built
    build = _command(settings, output, SURVIVES_CRASH="finalized")
    _out, err = build.communicate(timeout=300)
    assert build.returncode == 1
    assert (
        f"{content.relative_to(settings.parent)}/pages/about.zh-TW.md:0: internal error while building: "
        "KeyError: 'no such thing'"
    ) in err
    assert "Traceback" not in err
    assert tree_digest(output) == before
    assert _leftovers(output) == []


def test_settings_file_error_is_reported_with_its_line(tmp_path: Path) -> None:
    _content, settings = _project(tmp_path)
    settings.write_text(settings.read_text(encoding="utf-8") + "TYPO = undefined_name\n", encoding="utf-8")
    output = tmp_path / "output"
    output.mkdir()
    (output / "keep.txt").write_text("previous", encoding="utf-8")
    build = _command(settings, output)
    _out, err = build.communicate(timeout=120)
    assert build.returncode == 1
    assert "settings.py:7: the settings file could not be read: NameError: name 'undefined_name'" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in output.iterdir()) == ["keep.txt"]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_stopping_a_watching_build_is_quiet(signum: int, tmp_path: Path) -> None:
    _content, settings = _project(tmp_path)
    output = tmp_path / "output"
    watching = _command(settings, output, "--watch")
    deadline = time.monotonic() + 120
    while not (output / "en" / "about" / "index.html").exists():
        assert watching.poll() is None, watching.communicate()
        assert time.monotonic() < deadline, "the first build never finished"
        time.sleep(0.1)
    time.sleep(1)  # let the watcher start
    watching.send_signal(signum)
    _out, err = watching.communicate(timeout=60)
    assert watching.returncode == 0, err
    assert f"Stopped watching; {output} holds the last good build." in err
    assert "Traceback" not in err
