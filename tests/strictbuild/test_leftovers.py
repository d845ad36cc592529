"""What a killed build left behind is removed once it is old enough, and nothing else."""

from __future__ import annotations

import os
import time
from pathlib import Path

from strictbuild.leftovers import STALE_SECONDS, remove_stale


def _aged(path: Path, seconds: float) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)
    return path


def test_only_what_matches_and_is_older_than_the_age_is_removed(tmp_path: Path) -> None:
    old_folder = tmp_path / ".tmp-old"
    (old_folder / "inside").mkdir(parents=True)
    (old_folder / "inside" / "page.html").write_text("left", encoding="utf-8")
    _aged(old_folder, STALE_SECONDS + 60)
    young_folder = tmp_path / ".tmp-young"
    young_folder.mkdir()
    _aged(young_folder, STALE_SECONDS - 60)  # a build beside this one may be writing it
    old_file = tmp_path / ".tmp-file"
    old_file.touch()
    _aged(old_file, STALE_SECONDS + 60)
    other = tmp_path / "kept.html"
    other.write_text("a page", encoding="utf-8")
    _aged(other, STALE_SECONDS * 2)

    removed = remove_stale(tmp_path, ".tmp-*")

    assert sorted(removed) == sorted([old_folder, old_file])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tmp-young", "kept.html"]


def test_a_stale_link_is_removed_and_what_it_links_to_is_not(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "page.html").write_text("someone else's", encoding="utf-8")
    link = tmp_path / "cache" / ".settle-1.json"
    link.parent.mkdir()
    link.symlink_to(target)
    _aged(link, STALE_SECONDS + 60)

    assert remove_stale(link.parent, ".settle-*.json") == [link]
    assert not os.path.lexists(link)
    assert (target / "page.html").read_text(encoding="utf-8") == "someone else's"


def test_the_age_is_the_callers(tmp_path: Path) -> None:
    left = tmp_path / ".search-1"
    left.mkdir()
    _aged(left, 120)
    assert remove_stale(tmp_path, ".search-*") == []
    assert remove_stale(tmp_path, ".search-*", age=60) == [left]
    assert not left.exists()


def test_a_folder_that_is_not_there_has_nothing_stale(tmp_path: Path) -> None:
    # The first build of a site has no cache folder yet.
    missing = tmp_path / "cache"
    assert remove_stale(missing, ".tmp-*") == []
    assert not missing.exists()


def test_a_stale_broken_link_is_removed(tmp_path: Path) -> None:
    # A killed build's link to a folder that was removed since.
    link = tmp_path / ".tmp-gone"
    link.symlink_to(tmp_path / "removed-meanwhile")
    _aged(link, STALE_SECONDS + 60)
    young = tmp_path / ".tmp-young"
    young.symlink_to(tmp_path / "not-there-either")

    assert remove_stale(tmp_path, ".tmp-*") == [link]
    assert not os.path.lexists(link)
    assert os.path.lexists(young)
