"""Cut fonts: chart images drawn with faces cut to the build's characters are byte for byte the same."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont
from pelican.settings import read_settings

from charts import render as render_module
from charts import subsets
from charts.cache import prune
from charts.catalog import load_chart
from charts.fonts import find_font
from charts.job import FILES
from charts.prepare import PreparedCharts, prepare_charts, render_job
from charts.sources import load_sources
from charts.spec import measurer
from charts.subsets import FontSet, cut, family_faces, job_chars, plan
from charts.workers import render_in_workers
from strictbuild import progress
from strictbuild.state import building
from tests.charts.conftest import PROJECT_SETTINGS

PROJECT = PROJECT_SETTINGS.parent
CHINESE = find_font("zh-tw") or "Noto Sans CJK TC"


def _prepare(cache: Path, counts: dict[str, int] | None = None, **override: object) -> PreparedCharts:
    """Render the site's own charts (five, in two languages) in two workers into ``cache``."""
    settings = read_settings(
        str(PROJECT_SETTINGS),
        override={
            "PATH": str(PROJECT / "content"),
            "CHARTS_WORKERS": 2,
            "CHARTS_IN_PROCESS_MAX": 0,
            "CHARTS_CACHE_PATH": str(cache),
            **override,
        },
    )
    opened, token = progress.begin()
    try:
        with building():
            prepared = prepare_charts(settings)
    finally:
        progress.end(token)
    if counts is not None:
        counts.update(opened.counts)
    assert prepared.problems == []
    return prepared


def _bytes(prepared: PreparedCharts) -> dict[tuple[str, str, str], bytes]:
    return {
        (*key, kind): Path(rendered.path(kind)).read_bytes()
        for key, rendered in prepared.rendered.items()
        for kind in FILES
    }


def test_the_site_charts_drawn_with_cut_fonts_are_byte_identical(tmp_path: Path) -> None:
    whole = _prepare(tmp_path / "whole", CHARTS_FONT_SUBSET_MIN=0)
    counts: dict[str, int] = {}
    cut_run = _prepare(tmp_path / "cut", counts, CHARTS_FONT_SUBSET_MIN=1)
    # Every one of the 10 renderings (English charts whose source names are
    # Chinese among them, which fall back to a CJK face) used the cut faces.
    assert counts["charts drawn with cut fonts"] == 10
    assert len(whole.rendered) == 10
    assert _bytes(cut_run) == _bytes(whole)
    sets = sorted((tmp_path / "cut" / subsets.FOLDER).iterdir())
    fonts = {json.loads((folder / "faces.json").read_text(encoding="utf-8"))["font"] for folder in sets}
    assert fonts == {CHINESE, find_font("en")}
    # A second cold build finds the cut faces in the cache: nothing is cut again.
    for chart in (tmp_path / "cut").iterdir():
        if chart.name != subsets.FOLDER:
            shutil.rmtree(chart)
    again: dict[str, int] = {}
    before = {folder: folder.stat().st_ino for folder in sets}
    assert _bytes(_prepare(tmp_path / "cut", again, CHARTS_FONT_SUBSET_MIN=1)) == _bytes(whole)
    assert again["charts drawn with cut fonts"] == 10
    assert {folder: folder.stat().st_ino for folder in sets} == before


def _face(path: Path) -> tuple[set[str], int, set[int]]:
    font = TTFont(str(path), lazy=True)
    names = {str(record.toUnicode()) for record in font["name"].names if record.nameID in (1, 16)}
    return names, font["OS/2"].usWeightClass, set(font.getBestCmap())


def test_cut_faces_keep_the_names_weights_and_characters(tmp_path: Path) -> None:
    text = "".join(sorted(set("國產晶片的占比 Chips 2025 年")))
    target = tmp_path / "set"
    cut(str(target), CHINESE, family_faces(CHINESE), text)
    faces = sorted((target / "faces").iterdir())
    assert [face.name.split(".")[0].split("-")[1] for face in faces] == ["400", "700"]
    wanted = {ord(c) for c in text}
    for face, whole in zip(faces, json.loads((target / "faces.json").read_text())["cut"], strict=True):
        names, weight, cmap = _face(face)
        source = TTFont(whole[0], fontNumber=whole[1], lazy=True)
        assert CHINESE in names
        assert weight == source["OS/2"].usWeightClass
        assert cmap == set(source.getBestCmap()) & wanted  # exactly the wanted characters the face has
        assert face.stat().st_size < os.path.getsize(whole[0]) / 20
    assert (target / subsets.CHARS).read_text(encoding="utf-8") == text


def test_a_character_only_some_faces_of_the_family_have_is_not_kept(tmp_path: Path) -> None:
    family = dict(family_faces("DejaVu Sans"))
    regular, bold = (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    )
    assert regular in family
    assert bold in family
    # A bold face of the family that lacks "é", which the regular face has.
    fewer = TTFont(bold)
    options = subset.Options()
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="ab")
    subsetter.subset(fewer)
    fewer.save(str(tmp_path / "fewer-bold.ttf"))
    target = tmp_path / "set"
    cut(str(target), "DejaVu Sans", [(regular, 0), (str(tmp_path / "fewer-bold.ttf"), 0)], "abé中")
    # "é" is dropped; "中" is in no DejaVu face: kept (it falls back past the copies as before).
    assert (target / subsets.CHARS).read_text(encoding="utf-8") == "ab中"


def test_a_family_without_a_single_regular_face_is_not_cut(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no single upright face"):
        cut(str(tmp_path / "set"), "No Such Family", family_faces("DejaVu Sans"), "ab")
    assert not (tmp_path / "set").exists()


def _site_job(lang: str, cache: Path) -> tuple[Any, Any]:
    settings = read_settings(
        str(PROJECT_SETTINGS), override={"PATH": str(PROJECT / "content"), "CHARTS_CACHE_PATH": str(cache)}
    )
    with building():
        registry = load_sources(settings)
        definition, problems = load_chart(
            str(PROJECT / "content" / "charts" / "h200_timeline.py"), settings, registry
        )
        assert problems == []
        assert definition is not None
        fonts = {"en": find_font("en") or "", "zh-TW": CHINESE}
        job = render_job(settings, definition, lang, registry, fonts)
    return job, definition


def test_a_worker_draws_nothing_beyond_its_cut_faces(tmp_path: Path) -> None:
    job, definition = _site_job("zh-TW", tmp_path)
    target = str(tmp_path / "rendering")
    job = type(job)(**{**job.__dict__, "target": target, "framed_target": target + "-framed"})
    chars = job_chars(job, definition)
    title = job.title[0]
    render_module.limit_text(chars - {title}, job.font)
    try:
        with pytest.raises(render_module.BeyondFonts):
            render_module.render(job)
        assert not os.path.exists(target)  # nothing written
        render_module.limit_text(chars, "Another Family")
        with pytest.raises(render_module.BeyondFonts):
            render_module.render(job)
        render_module.limit_text(chars, job.font)
        assert render_module.render(job) == []
    finally:
        render_module.limit_text(None)
    assert os.path.isfile(os.path.join(target, FILES["meta"]))


def test_every_character_of_a_chart_is_counted(tmp_path: Path) -> None:
    job, definition = _site_job("zh-TW", tmp_path)
    chars = job_chars(job, definition)
    assert set(job.title) <= chars
    assert set(job.source_line) <= chars
    assert set("星期日上午") <= chars  # the date locale's words
    assert set("0123456789,.%\u2212") <= chars
    assert set(definition.source_code.decode("utf-8")) <= chars


def test_plan_cuts_only_for_enough_renderings_and_reuses_what_it_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job, definition = _site_job("zh-TW", tmp_path)
    jobs = [(job, definition)]
    placed = {**job.__dict__, "target": str(tmp_path / "t")}
    todo = [type(job)(**placed)]
    settings: dict[str, Any] = {"CHARTS_FONT_SUBSET_MIN": 2}
    assert plan(jobs, todo, settings, str(tmp_path)) == {}  # one rendering: not worth a cut
    assert not (tmp_path / subsets.FOLDER).exists()
    settings["CHARTS_FONT_SUBSET_MIN"] = 1
    first = plan(jobs, todo, settings, str(tmp_path))
    assert list(first) == [str(tmp_path / "t")]
    fontset = first[str(tmp_path / "t")]
    assert fontset.font == CHINESE
    assert Path(fontset.config()).read_text(encoding="utf-8").index("<dir>") < Path(
        fontset.config()
    ).read_text(encoding="utf-8").index("<include")

    def no_cut(tasks: object) -> list[tuple[str, str, str]]:
        raise AssertionError("cut again")

    monkeypatch.setattr(subsets, "_cut_elsewhere", no_cut)
    assert plan(jobs, todo, settings, str(tmp_path)) == first
    settings["CHARTS_FONT_SUBSET_MIN"] = 0
    assert plan(jobs, todo, settings, str(tmp_path)) == {}
    # A job with a character the set was not cut for is drawn with the whole fonts.
    other = type(job)(**{**placed, "title": job.title + "鑫"})
    settings["CHARTS_FONT_SUBSET_MIN"] = 5
    assert plan([(other, definition)], [other], settings, str(tmp_path)) == {}
    # A build drawing only English charts keeps the Chinese set for the next one.
    english, _ = _site_job("en", tmp_path)
    english = type(english)(**{**english.__dict__, "target": str(tmp_path / "e")})
    assert plan([*jobs, (english, definition)], [english], settings, str(tmp_path)) == {}
    assert Path(fontset.folder).is_dir()


def test_old_cut_fonts_are_pruned_and_the_chart_prune_leaves_them(tmp_path: Path) -> None:
    folder = tmp_path / subsets.FOLDER
    for number in range(4):
        made = folder / f"abc-{number}"
        made.mkdir(parents=True)
        os.utime(made, ns=(number * 10**9, number * 10**9))
    (folder / "old-0").mkdir()
    os.utime(folder / "old-0", ns=(0, 0))
    (folder / "old-1").mkdir()  # used within the hour, maybe by another build: kept
    subsets._prune(str(folder), {str(folder / "abc-0")}, {"abc"})
    assert sorted(p.name for p in folder.iterdir()) == ["abc-0", "abc-2", "abc-3", "old-1"]
    prune(str(tmp_path), set())
    assert folder.is_dir()


def test_the_font_list_puts_the_cut_faces_before_the_system_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "none"))
    fontset = FontSet(str(tmp_path), "X", frozenset("ab"))
    text = Path(fontset.config()).read_text(encoding="utf-8")
    assert text.index(f"<dir>{tmp_path / 'faces'}</dir>") < text.index("/etc/fonts/local.conf")
    assert text.index("/etc/fonts/local.conf") < text.index("/etc/fonts/fonts.conf")
    # An unparsable user file is read differently through an include: no cut at all.
    (tmp_path / "xdg" / "fontconfig").mkdir(parents=True)
    (tmp_path / "xdg" / "fontconfig" / "fonts.conf").write_text("<fontconfig>", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert subsets.system_configs() is None
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative")
    assert subsets.system_configs() is None
    given = tmp_path / "given.conf"
    given.write_text("<fontconfig></fontconfig>", encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(given))
    assert subsets.system_configs() == [str(given)]
    for unsure in ("/somewhere/missing.conf", "given.conf"):
        monkeypatch.setenv("FONTCONFIG_FILE", unsure)
        assert subsets.system_configs() is None
        assert plan([], [object()], {"CHARTS_FONT_SUBSET_MIN": 1}, str(tmp_path)) == {}  # type: ignore[list-item]
        with pytest.raises(OSError, match="cannot be listed"):
            fontset.config()


def test_text_measured_but_never_drawn_is_checked_too() -> None:
    measure = measurer(f"'{CHINESE}', sans-serif")
    render_module.limit_text(frozenset("abx "), CHINESE)  # the measurer also measures "x x"
    try:
        assert measure("ab", 13, False) > 0
        with pytest.raises(render_module.BeyondFonts):
            measure("a→b", 13, False)
    finally:
        render_module.limit_text(None)


def test_escaped_characters_of_the_module_are_counted(tmp_path: Path) -> None:
    job, definition = _site_job("en", tmp_path)
    source = definition.source_code + b'\nARROW = "\\u2192 \\N{BLACK STAR}"\n'
    chars = job_chars(job, type(definition)(**{**definition.__dict__, "source_code": source}))
    assert {"\u2192", "\u2605"} <= chars


def test_a_worker_given_cut_faces_lays_text_out_with_them(tmp_path: Path) -> None:
    job, definition = _site_job("zh-TW", tmp_path)
    chars = job_chars(job, definition)
    target = tmp_path / "set"
    cut(str(target), CHINESE, family_faces(CHINESE), "".join(sorted(chars)))
    # Make the cut faces twice as wide: text measured with them must come out wider.
    for face in (target / "faces").iterdir():
        font = TTFont(str(face))
        font["hmtx"].metrics = {name: (width * 2, lsb) for name, (width, lsb) in font["hmtx"].metrics.items()}
        font.save(str(face))
    wide = FontSet(str(target), CHINESE, chars)
    jobs = [
        type(job)(
            **{**job.__dict__, "target": str(tmp_path / name), "framed_target": str(tmp_path / f"{name}-f")}
        )
        for name in ("with", "without")
    ]
    problems, _ = render_in_workers(
        jobs, 2, memory_limit_mb=10_000, batch_size=1, done=lambda: None, fonts={jobs[0].target: wide}
    )
    assert problems == []
    meta = [
        json.loads((tmp_path / name / FILES["meta"]).read_text(encoding="utf-8"))
        for name in ("with", "without")
    ]
    svgs = [(tmp_path / name / FILES["svg"]).read_text(encoding="utf-8") for name in ("with", "without")]
    assert svgs[0] != svgs[1]
    assert meta[0]["height"] > meta[1]["height"]  # wider text wraps onto more lines


def test_a_chart_beyond_the_cut_faces_is_drawn_again_with_the_whole_fonts(tmp_path: Path) -> None:
    job, definition = _site_job("zh-TW", tmp_path)
    chars = job_chars(job, definition)
    target = tmp_path / "set"
    cut(str(target), CHINESE, family_faces(CHINESE), "".join(sorted(chars)))
    short = FontSet(str(target), CHINESE, chars - {job.title[0]})  # one character of the title missing
    full = FontSet(str(target), CHINESE, chars)
    jobs = [
        type(job)(
            **{**job.__dict__, "target": str(tmp_path / name), "framed_target": str(tmp_path / f"{name}-f")}
        )
        for name in ("short", "full", "whole")
    ]
    opened, token = progress.begin()
    try:
        problems, _ = render_in_workers(
            jobs,
            2,
            memory_limit_mb=10_000,
            batch_size=1,
            done=lambda: None,
            fonts={jobs[0].target: short, jobs[1].target: full},
        )
    finally:
        progress.end(token)
    assert problems == []
    # Only the job its faces cover counts as drawn with them; all three files are the same.
    assert opened.counts["charts drawn with cut fonts"] == 1
    for kind in ("svg", "svg_narrow", "vega"):
        drawn = {(tmp_path / name / FILES[kind]).read_bytes() for name in ("short", "full", "whole")}
        assert len(drawn) == 1
    pngs = {(tmp_path / f"{name}-f" / FILES["png"]).read_bytes() for name in ("short", "full", "whole")}
    assert len(pngs) == 1
