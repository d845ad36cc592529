"""A build leaves no receiver connected: the next build in the same process starts clean."""

from __future__ import annotations

from collections.abc import Callable

import blinker

from strictbuild.driver import BuildResult
from tests.charts.conftest import build_site, site  # noqa: F401


def _listening() -> dict[str, set[object]]:
    return {name: set(sig.receivers) for name, sig in blinker.default_namespace.items()}


def test_every_receiver_a_build_connected_is_disconnected_after_it(
    build_site: Callable[..., BuildResult],  # noqa: F811
) -> None:
    before = _listening()
    result = build_site()
    assert result.ok, result.problems
    after = _listening()
    left = {name: after[name] - before.get(name, set()) for name in after}
    assert not any(left.values()), {name: len(keys) for name, keys in left.items() if keys}


def test_a_receiver_connected_before_the_build_stays(
    build_site: Callable[..., BuildResult],  # noqa: F811
) -> None:
    heard: list[object] = []

    def listener(sender: object, **_: object) -> None:
        heard.append(sender)

    finalized = blinker.signal("pelican_finalized")
    finalized.connect(listener)
    try:
        assert build_site().ok
        assert len(heard) == 1
        assert id(listener) in finalized.receivers
    finally:
        finalized.disconnect(listener)
