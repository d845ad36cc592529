"""Objects that survived a full collection are left out of the next ones while a build runs, and only then."""

from __future__ import annotations

import gc
import weakref

from strictbuild.heap import survivors_frozen


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_survivors_of_a_full_collection_are_frozen_until_the_block_ends() -> None:
    callbacks = list(gc.callbacks)
    kept = [_Node() for _ in range(1000)]
    with survivors_frozen():
        gc.collect()
        frozen = gc.get_freeze_count()
        assert frozen >= len(kept)
        gc.collect(1)  # a young collection freezes nothing more
        # (the count may drop: a frozen object its reference count frees leaves it)
        assert gc.get_freeze_count() <= frozen
    assert gc.get_freeze_count() == 0
    assert gc.callbacks == callbacks


def test_a_cycle_left_unreachable_after_freezing_is_collected_once_the_block_ends() -> None:
    first, second = _Node(), _Node()
    first.other, second.other = second, first
    alive = weakref.ref(first)
    with survivors_frozen():
        gc.collect()  # the cycle survives it: it is frozen
        del first, second
        gc.collect()
        assert alive() is not None  # unreachable, but frozen
    gc.collect()
    assert alive() is None


def test_objects_the_process_froze_itself_stay_frozen() -> None:
    callbacks = list(gc.callbacks)
    gc.freeze()
    try:
        with survivors_frozen():
            assert gc.callbacks == callbacks  # no freezing of its own
            gc.collect()
        # Still frozen: the count may drop a little, as a frozen object its reference count frees leaves it.
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
