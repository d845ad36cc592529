"""The benchmark's budgets: each verdict follows the stated rule from the measured figures."""

from __future__ import annotations

from typing import Any

from tools.bench.run import Row, Run, budgets


def _run(
    wall: float,
    *,
    images: int = 0,
    parses: int = 0,
    main_mb: float = 100,
    worker_mb: float = 0,
    together_mb: float | None = None,
) -> Run:
    return Run(
        seconds=wall,
        wall=wall,
        maxrss_mb=main_mb,
        main_mb=main_mb,
        worker_mb=worker_mb,
        together_mb=main_mb + 2 * worker_mb if together_mb is None else together_mb,
        parses=parses,
        renders=images,
        svg_renders=images // 2,
        image_renders=images,
        render_seconds=images * 0.2,
        concurrency=2 if images else 0,
        render_pids=2 if images else 0,
    )


def _verdicts(**override: Any) -> dict[str, tuple[bool, str]]:
    runs = {
        "baseline": _run(10.0),
        "full": _run(22.0, images=400, parses=2000, worker_mb=120),
        "no change": _run(10.0),
        "one brief": _run(12.0, parses=1),
        "one chart's data": _run(11.0, images=4),
    }
    runs.update(override)
    rows = [Row(2000, name, [run], charts=100) for name, run in runs.items()]
    return {name.split(" (")[0]: (ok, detail) for name, ok, detail in budgets(rows, [2000], 2)}


def _verdict(verdicts: dict[str, tuple[bool, str]], start: str) -> tuple[bool, str]:
    (found,) = [v for name, v in verdicts.items() if name.startswith(start)]
    return found


def test_cold_build_may_take_a_quarter_more_than_plain_pelican_plus_100_ms_per_image_per_core() -> None:
    # 1.25 × 10 + 400 × 0.1 ÷ 2 = 32.5 s
    assert _verdict(_verdicts(), "cold build")[0]
    ok, detail = _verdict(_verdicts(full=_run(33.0, images=400, worker_mb=120)), "cold build")
    assert not ok, detail
    assert "= 32.5 s" in detail, detail


def test_memory_counts_the_main_process_and_the_workers_together() -> None:
    assert _verdict(_verdicts(), "memory")[0]  # 100 + 2 × 120
    ok, detail = _verdict(_verdicts(full=_run(22.0, images=400, worker_mb=160)), "memory")
    assert not ok, detail  # 100 + 2 × 160 = 420 MB
    assert detail.startswith("420 MB"), detail
    # The sum sampled at once is what counts; each process's own peak bounds it from above.
    sampled = _run(22.0, images=400, worker_mb=160, together_mb=390)
    ok, detail = _verdict(_verdicts(full=sampled), "memory")
    assert ok, detail
    assert detail.startswith("390 MB"), detail
    assert "420 MB if each were at its own peak" in detail, detail


def test_rebuilds_are_held_to_the_cold_plain_pelican_build() -> None:
    assert _verdict(_verdicts(), "no-change rebuild")[0]
    assert not _verdict(_verdicts(**{"no change": _run(10.5)}), "no-change rebuild")[0]
    assert not _verdict(_verdicts(**{"no change": _run(5.0, images=2)}), "no-change rebuild")[0]
    assert _verdict(_verdicts(), "one changed brief")[0]
    assert not _verdict(_verdicts(**{"one brief": _run(12.5, parses=1)}), "one changed brief")[0]
    assert not _verdict(_verdicts(**{"one brief": _run(5.0, parses=3)}), "one changed brief")[0]


def test_one_changed_chart_renders_at_most_one_charts_images() -> None:
    assert _verdict(_verdicts(), "one changed chart")[0]  # 4 images; a chart has 400 ÷ 100
    assert not _verdict(_verdicts(**{"one chart's data": _run(11.0, images=8)}), "one changed chart")[0]
    assert not _verdict(_verdicts(**{"one chart's data": _run(11.0)}), "one changed chart")[0]


def test_a_build_is_held_to_plain_pelican_built_beside_it() -> None:
    """With plain builds run beside a scenario's runs, their median is the measure, not the first three's."""

    def verdicts(beside: list[float], scenario: str = "one brief") -> dict[str, tuple[bool, str]]:
        runs = {
            "baseline": _run(10.0),
            "full": _run(33.0, images=400, parses=2000, worker_mb=120),
            "no change": _run(10.5),
            "one brief": _run(13.0, parses=1),
        }
        rows = [Row(2000, name, [run], charts=100) for name, run in runs.items()]
        (row,) = [row for row in rows if row.scenario == scenario]
        row.beside = [_run(wall) for wall in beside]
        return {name.split(" (")[0]: (ok, detail) for name, ok, detail in budgets(rows, [2000], 2)}

    # 13 s against the first three's 10 s: 1.3×.
    ok, detail = _verdict(verdicts([]), "one changed brief")
    assert not ok, detail
    assert "1.2 × 10.0 = 12.0 s" in detail, detail
    # Plain Pelican took 11, 11.5 and 12 s beside it: 1.2 × 11.5 = 13.8 s.
    ok, detail = _verdict(verdicts([11.0, 12.0, 11.5]), "one changed brief")
    assert ok, detail
    assert "1.2 × 11.5 = 13.8 s" in detail, detail
    assert "the median of 3 plain builds run beside it (the 1 at the start: median 10.0 s)" in detail, detail
    # And beside runs faster than the first three hold it to less.
    ok, detail = _verdict(verdicts([9.0, 9.0, 9.0]), "one changed brief")
    assert not ok, detail
    # The cold build and the no-change rebuild too: 33 s against 1.25 × 10 + 20 = 32.5 s fails,
    # against 1.25 × 11 + 20 = 33.75 s passes; 10.5 s against 10 s fails, against 11 s passes.
    assert not _verdict(verdicts([]), "cold build")[0]
    ok, detail = _verdict(verdicts([11.0, 11.0], "full"), "cold build")
    assert ok, detail
    assert "1.25 × 11.0 + 400 × 0.1 ÷ 2 = 33.8 s" in detail, detail
    assert not _verdict(verdicts([]), "no-change rebuild")[0]
    ok, detail = _verdict(verdicts([11.0, 11.0, 11.0], "no change"), "no-change rebuild")
    assert ok, detail
    assert "1.0 × 11.0 s" in detail, detail
