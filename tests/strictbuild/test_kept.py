"""Values kept between builds: a value found wrong under verification is not kept for the next build."""

from __future__ import annotations

import marshal
from pathlib import Path

from strictbuild.kept import KeptValues
from strictbuild.state import building


def test_a_kept_value_found_wrong_is_reported_and_dropped(tmp_path: Path) -> None:
    path = tmp_path / "values"
    reported: list[str] = []
    with building():
        kept = KeptValues(str(path), {b"key": b"stale", b"other": b"fine"}, {}, verify=True)
        value = kept.take_back_or_make(
            b"key",
            lambda: "fresh",
            encode=lambda made: made.encode(),
            decode=lambda data: data.decode(),
            differs=lambda: reported.append("differs"),
        )
        assert kept.get(b"other") == b"fine"
        kept.save()
    assert value == "fresh"
    assert reported == ["differs"]
    assert marshal.loads(path.read_bytes()) == {b"other": b"fine"}  # noqa: S302 (the test's own file)


def test_a_kept_value_found_right_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "values"
    with building():
        kept = KeptValues(str(path), {b"key": b"same"}, {}, verify=True)
        value = kept.take_back_or_make(
            b"key",
            lambda: "same",
            encode=lambda made: made.encode(),
            decode=lambda data: data.decode(),
            differs=lambda: None,
        )
        kept.save()
    assert value == "same"
    assert not path.exists()  # nothing changed: the file is not written again
