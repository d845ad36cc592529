"""A kept page is taken by its stamp, without reading it, only while nothing wrote to it.

The stamp is what ``os.lstat`` says of the new site's file once the removal
of the previous site (``strictbuild.settle``, in the background) removed the
previous site's name of it; any write, link or removal since moves its change
time, and the page is read and hashed again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from strictbuild import reuse as reuse_module
from strictbuild import settle
from strictbuild.problems import ContentProblems
from strictbuild.reuse import (
    MANIFEST_FILE,
    STAMPS_FILE,
    VERIFY_ENV,
    KeptFile,
    PageReuse,
    ReusingWriter,
    bytes_hash,
    copy_file,
    recorded_stamps,
)
from strictbuild.state import building
from strictbuild.swap import _SETTLE
from tests.support import SiteCopy, tree_digest

KEPT = "pages copied unchanged"
#: The token naming the record a job's stamps are for.
JOB_RECORD = os.urandom(8).hex()


def _stamp(path: Path) -> list[int]:
    status = os.lstat(path)
    return [status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns]


def _linked_sites(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A previous site with one page, the new site linking it, and the job naming that link."""
    previous, output = tmp_path / "previous", tmp_path / "output"
    (previous / "en").mkdir(parents=True)
    (output / "en").mkdir(parents=True)
    (previous / "en" / "index.html").write_bytes(b"<p>kept</p>")
    os.link(previous / "en" / "index.html", output / "en" / "index.html")
    job = tmp_path / "job.json"
    job.write_text(
        json.dumps(
            {
                "output": str(output),
                "token": JOB_RECORD,
                "stamps": str(tmp_path / STAMPS_FILE),
                "placed": {"en/index.html": _stamp(output / "en" / "index.html")},
            }
        ),
        encoding="utf-8",
    )
    return previous, output, job


def _stamps_written(tmp_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((tmp_path / STAMPS_FILE).read_text(encoding="utf-8"))
    return data


def test_removing_the_previous_site_stamps_each_linked_page_with_its_new_change_time(tmp_path: Path) -> None:
    previous, output, job = _linked_sites(tmp_path)
    linked = _stamp(output / "en" / "index.html")
    assert settle.main(["--job", str(job), "--previous", str(previous), str(previous)]) == 0
    written = _stamps_written(tmp_path)
    assert written["token"] == JOB_RECORD
    now = _stamp(output / "en" / "index.html")
    assert written["stamps"] == {"en/index.html": now}
    assert now[:3] == linked[:3]  # the same file, its bytes untouched
    assert not previous.exists()
    assert not job.exists()


def test_a_page_written_to_after_the_build_linked_it_is_not_stamped(tmp_path: Path) -> None:
    previous, _output, job = _linked_sites(tmp_path)
    time.sleep(0.02)  # past the file system clock's tick
    with open(previous / "en" / "index.html", "r+b") as handle:  # the same file as the new site's
        handle.write(b"<P>")
    assert settle.main(["--job", str(job), "--previous", str(previous), str(previous)]) == 0
    assert _stamps_written(tmp_path)["stamps"] == {}
    assert not previous.exists()


def _written_site(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A previous site, the new site with a page the build wrote afresh, and the job naming it."""
    previous, output = tmp_path / "previous", tmp_path / "output"
    (previous / "en").mkdir(parents=True)
    (output / "en").mkdir(parents=True)
    (previous / "en" / "index.html").write_bytes(b"<p>old</p>")
    (output / "en" / "index.html").write_bytes(b"<p>new</p>")
    job = tmp_path / "job.json"
    placed = {"en/index.html": _stamp(output / "en" / "index.html")}
    record = {
        "output": str(output),
        "token": JOB_RECORD,
        "stamps": str(tmp_path / STAMPS_FILE),
        "placed": placed,
    }
    job.write_text(json.dumps(record), encoding="utf-8")
    return previous, output, job


def test_a_page_the_build_wrote_is_stamped_as_it_was_written(tmp_path: Path) -> None:
    previous, output, job = _written_site(tmp_path)
    written = _stamp(output / "en" / "index.html")
    assert settle.main(["--job", str(job), "--previous", str(previous), str(previous)]) == 0
    assert _stamps_written(tmp_path)["stamps"] == {"en/index.html": written}
    assert (output / "en" / "index.html").read_bytes() == b"<p>new</p>"


def test_a_page_written_to_after_the_build_wrote_it_is_not_stamped(tmp_path: Path) -> None:
    previous, output, job = _written_site(tmp_path)
    page = output / "en" / "index.html"
    status = page.stat()
    time.sleep(0.02)
    page.write_bytes(b"<p>NEW</p>")  # the same size
    os.utime(page, ns=(status.st_atime_ns, status.st_mtime_ns))  # and times, but the change time
    assert settle.main(["--job", str(job), "--previous", str(previous), str(previous)]) == 0
    assert _stamps_written(tmp_path)["stamps"] == {}


def test_the_settling_runs_as_a_script_of_its_own(tmp_path: Path) -> None:
    previous, _output, job = _linked_sites(tmp_path)
    older = tmp_path / "older"
    older.mkdir()
    done = subprocess.run(
        [
            sys.executable,
            "-I",
            _SETTLE,
            "--job",
            str(job),
            "--previous",
            str(previous),
            str(older),
            str(previous),
        ],
        check=False,
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr
    assert list(_stamps_written(tmp_path)["stamps"]) == ["en/index.html"]
    assert not previous.exists()
    assert not older.exists()


def _stamped_reuse(tmp_path: Path, data: bytes, recorded: bytes, *, verify: bool = False) -> PageReuse:
    """Page reuse whose previous site's page holds ``data``, recorded as ``recorded``, stamped as it is."""
    (tmp_path / "site").mkdir(parents=True)
    page = tmp_path / "site" / "index.html"
    page.write_bytes(data)
    found = PageReuse(output=tmp_path / "site", cache_path=tmp_path / "cache", verify=verify)
    found.previous["index.html"] = ("digest", bytes_hash(recorded))
    found.stamps["index.html"] = tuple(_stamp(page))  # type: ignore[assignment]
    return found


def test_a_page_with_its_stamp_is_kept_without_reading_it(tmp_path: Path) -> None:
    # Bytes other than those recorded, under the stamp: only a reading could tell, and none is made.
    found = _stamped_reuse(tmp_path, b"<p>other bytes</p>", b"<p>recorded</p>")
    kept = found.kept_copy("index.html", "digest")
    assert kept is not None
    assert kept.read is None
    with pytest.raises(ContentProblems, match="changed while this build kept it"):
        _ = kept.data  # asked for, the bytes are checked


def test_a_page_whose_change_time_moved_is_read_and_hashed(tmp_path: Path) -> None:
    found = _stamped_reuse(tmp_path, b"<p>other bytes</p>", b"<p>recorded</p>")
    time.sleep(0.02)
    os.chmod(tmp_path / "site" / "index.html", 0o600)  # moves the change time alone
    assert found.kept_copy("index.html", "digest") is None
    same = _stamped_reuse(tmp_path / "b", b"<p>recorded</p>", b"<p>recorded</p>")
    time.sleep(0.02)
    os.chmod(tmp_path / "b" / "site" / "index.html", 0o600)
    kept = same.kept_copy("index.html", "digest")
    assert kept is not None
    assert kept.read == b"<p>recorded</p>"


def test_with_verify_set_a_stamped_page_is_read_and_other_bytes_stop_the_build(tmp_path: Path) -> None:
    found = _stamped_reuse(tmp_path, b"<p>other bytes</p>", b"<p>recorded</p>", verify=True)
    with pytest.raises(ContentProblems, match="stamped for its bytes, but holds other bytes"):
        found.kept_copy("index.html", "digest")


def test_stamps_of_another_record_are_not_used(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    new, old = os.urandom(8).hex(), os.urandom(8).hex()
    record = {"format": 2, "token": new, "pages": {}}
    (cache / MANIFEST_FILE).write_text(json.dumps(record), encoding="utf-8")
    stamps = {"format": settle.FORMAT, "token": old, "stamps": {"index.html": [1, 2, 3, 4]}}
    (cache / STAMPS_FILE).write_text(json.dumps(stamps), encoding="utf-8")
    assert recorded_stamps(cache) == {}
    stamps["token"] = new
    (cache / STAMPS_FILE).write_text(json.dumps(stamps), encoding="utf-8")
    assert recorded_stamps(cache) == {"index.html": (1, 2, 3, 4)}


class _Site(SiteCopy):
    def __init__(self, base: Path) -> None:
        super().__init__(base, theme=True)

    def settled(self) -> dict[str, Any]:
        """The stamps of the last build's record, once its background removal wrote them."""
        cache = self.base / "cache"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = list(cache.rglob(MANIFEST_FILE))
            if found and (stamps := recorded_stamps(found[0].parent)):
                return dict(stamps)
            time.sleep(0.1)
        raise AssertionError("the previous site's removal wrote no stamps")


def test_a_rebuild_takes_every_stamped_page_by_its_stamp_and_gives_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(VERIFY_ENV, raising=False)
    site = _Site(tmp_path)
    # Each kept file made, as a line "<read or taken> <path>": in a file, since forked
    # children of the build (strictbuild.forked) keep pages too.
    log = tmp_path / "kept.log"

    class Counted(KeptFile):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            line = f"{'taken' if self.read is None else 'read'} {self.path.relative_to(site.output)}\n"
            fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            try:
                os.write(fd, line.encode())
            finally:
                os.close(fd)

    monkeypatch.setattr(reuse_module, "KeptFile", Counted)

    def rebuild() -> tuple[dict[str, Any], set[str], set[str]]:
        stamps = site.settled()
        before = tree_digest(site.output)
        log.unlink(missing_ok=True)
        result = site.build()
        made = [line.split(" ", 1) for line in log.read_text().splitlines()]
        assert result.counts[KEPT] > 0
        assert len(made) >= result.counts[KEPT]  # pages, and the files kept beside them
        assert tree_digest(site.output) == before
        taken = {path for how, path in made if how == "taken"}
        return stamps, taken, {path for _how, path in made}

    # From nothing: each page written is stamped once the build is done, those Pagefind read
    # too (it is given copies, so their change time stays the build's): none is read.
    site.build()
    stamps, taken, kept = rebuild()
    assert taken == kept
    assert set(stamps) >= kept
    # Each page kept is linked and stamped as the previous site is removed: none is read.
    stamps, taken, kept = rebuild()
    assert taken == kept
    assert set(stamps) >= kept


def test_a_job_that_cannot_be_read_leaves_no_stamps_and_still_removes_the_previous_site(
    tmp_path: Path,
) -> None:
    previous, _output, job = _linked_sites(tmp_path)
    job.write_text(
        json.dumps({"output": "x", "token": JOB_RECORD, "stamps": "y", "placed": []}), encoding="utf-8"
    )
    assert settle.main(["--job", str(job), "--previous", str(previous), str(previous)]) == 0
    assert not (tmp_path / STAMPS_FILE).exists()
    assert not previous.exists()
    assert not job.exists()


def test_a_page_written_again_in_the_same_build_loses_what_was_seen_of_its_first_write(
    tmp_path: Path,
) -> None:
    (tmp_path / "staging").mkdir()
    with building() as state:
        reuse = state.slot(PageReuse, lambda: PageReuse(output=tmp_path, cache_path=tmp_path, base=b"site"))
        writer = ReusingWriter(str(tmp_path / "staging"), settings={})
        path = str(tmp_path / "staging" / "index.html")
        with writer._open_w(path, "utf-8") as handle:
            handle.write("first")
        reuse.record("index.html", "digest", b"first", os.stat(path))
        assert "index.html" in reuse.placed
        with writer._open_w(path, "utf-8", override=True) as handle:  # as Pelican overrides a page
            handle.write("again")
        assert "index.html" not in reuse.placed


def test_a_cached_file_that_cannot_be_linked_is_copied_from_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "drawing.svg"
    source.write_bytes(b"<svg/>")
    (tmp_path / "previous").mkdir()
    (tmp_path / "staging").mkdir()
    with building() as state:
        reuse = state.slot(
            PageReuse, lambda: PageReuse(output=tmp_path / "previous", cache_path=tmp_path, base=b"s")
        )
        first = ReusingWriter(str(tmp_path / "previous"), settings={})
        copy_file(first, "chart.svg", str(source))
        # The previous site's file, stamped, now holding other bytes than recorded: only a reading
        # would tell, and a copy must not be made from it.
        page = tmp_path / "previous" / "chart.svg"
        page.write_bytes(b"<svg>")
        reuse.previous, reuse.stamps = dict(reuse.written), {"chart.svg": tuple(_stamp(page))}  # type: ignore[dict-item]
        writer = ReusingWriter(str(tmp_path / "staging"), settings={})
        monkeypatch.setattr(writer, "_link", lambda *_args: False)
        copy_file(writer, "chart.svg", str(source))
    assert (tmp_path / "staging" / "chart.svg").read_bytes() == b"<svg/>"


def test_the_build_s_own_folders_are_removed_after_the_stamping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # They share no file with the site: removing them first would only
    # keep the stamps from a build started meanwhile.
    previous, _output, job = _linked_sites(tmp_path)
    own = tmp_path / ".search-x"
    (own / "bundle").mkdir(parents=True)
    order: list[str] = []
    real_stamp, real_rmtree = settle.stamp_kept, settle.shutil.rmtree

    def stamp(job_path: str, previous_path: str) -> None:
        order.append("stamp")
        real_stamp(job_path, previous_path)

    def rmtree(path: str, ignore_errors: bool = False) -> None:
        order.append(Path(path).name)
        real_rmtree(path, ignore_errors=ignore_errors)

    monkeypatch.setattr(settle, "stamp_kept", stamp)
    monkeypatch.setattr(settle.shutil, "rmtree", rmtree)
    arguments = ["--job", str(job), "--previous", str(previous), str(previous), "--later", str(own)]
    assert settle.main(arguments) == 0
    assert order == ["stamp", previous.name, own.name]
    assert _stamps_written(tmp_path)["stamps"]
    assert not own.exists()
    assert not previous.exists()
