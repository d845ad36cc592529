"""Folders a build removes after it: by the background removal once the site is in place, else as it ends."""

from __future__ import annotations

import time
from pathlib import Path

from strictbuild.state import building
from strictbuild.swap import remove_later, replace_ahead, replace_output


def _folder(base: Path, name: str) -> Path:
    folder = base / name
    (folder / "inside").mkdir(parents=True)
    for number in range(50):
        (folder / "inside" / f"{number}.txt").write_text("a file", encoding="utf-8")
    return folder


def test_a_folder_goes_with_the_previous_site_once_the_new_one_is_in_place(tmp_path: Path) -> None:
    output, staging = tmp_path / "output", tmp_path / ".output-staging"
    (output / "old.html").parent.mkdir()
    (output / "old.html").write_text("old", encoding="utf-8")
    staging.mkdir()
    (staging / "new.html").write_text("new", encoding="utf-8")
    folder = _folder(tmp_path, ".search-a")
    with building():
        replace_ahead()
        remove_later(folder)
        remove_later(folder)  # asked twice: removed once
        assert folder.is_dir()  # not now: the build goes on
        replace_output(output, staging)
    assert (output / "new.html").read_text(encoding="utf-8") == "new"
    ends = time.monotonic() + 60
    while time.monotonic() < ends and (folder.exists() or list(tmp_path.glob(".output-previous-*"))):
        time.sleep(0.05)
    assert not folder.exists()
    assert not list(tmp_path.glob(".output-previous-*"))


def test_a_build_that_does_not_replace_the_site_removes_the_folder_as_it_ends(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ".search-b")
    with building():
        replace_ahead()
        remove_later(folder)
        assert folder.is_dir()
    assert not folder.exists()


def test_a_build_that_will_not_replace_a_site_removes_the_folder_at_once(tmp_path: Path) -> None:
    # Plain Pelican: nothing closes its state, so nothing could remove the folder later.
    folder = _folder(tmp_path, ".search-d")
    with building():
        remove_later(folder)
        assert not folder.exists()


def test_outside_a_build_the_folder_is_removed_at_once(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ".search-c")
    # The tests' own state is a build: leave it for this call.
    from strictbuild.state import _CURRENT

    token = _CURRENT.set(None)
    try:
        remove_later(folder)
    finally:
        _CURRENT.reset(token)
    assert not folder.exists()
