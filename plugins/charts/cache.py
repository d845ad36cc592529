"""Render every chart once, in parallel, and reuse what is already rendered.

A rendering is stored under ``.cache/charts/<id>/<lang>-<key>/`` where the
key hashes all it depends on: the module source, the data, the registry
entries it cites, its words, the locale, the font and the versions of the
tools and of this plugin's code. The files that carry the site's name and
address (the framed SVG and the PNG) sit beside it in
``<lang>-<key>-framed-<framed key>/``, whose key adds those words: a build
for another address (a test server's port, ``make publish`` after
``make html``) draws only them again. A rebuild with nothing changed finds
every key and renders nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from strictbuild import ContentError
from strictbuild.progress import Progress
from strictbuild.progress import count as count_in_build

from .api import LAYOUTS
from .catalog import ChartDefinition
from .job import FILES, FRAMED, RenderJob
from .render import render
from .subsets import FOLDER as FONTS_FOLDER
from .subsets import plan as plan_fonts
from .workers import render_in_workers

_CODE = ("api.py", "catalog.py", "render.py", "job.py", "spec.py", "frame.py", "subsets.py")


@dataclass(frozen=True)
class Rendered:
    """Where one chart's files are, in one language, and its size."""

    chart_id: str
    lang: str
    folder: str
    width: float
    height: float
    #: the size of the narrow (phone) layout; ``width``/``height`` are the wide one's
    narrow_width: float = 0.0
    narrow_height: float = 0.0
    #: the folder of the files that carry the site's address (:data:`charts.job.FRAMED`)
    framed_folder: str = ""

    def path(self, kind: str) -> str:
        """The file of ``kind`` (see :data:`charts.job.FILES`)."""
        return os.path.join(self.framed_folder if kind in FRAMED else self.folder, FILES[kind])


@dataclass
class RenderReport:
    """The outcome of :func:`render_charts`."""

    rendered: dict[tuple[str, str], Rendered]
    problems: list[ContentError]
    #: how many chart renderings were made (not found in the cache)
    fresh: int


def tool_versions() -> dict[str, str]:
    """Versions of what shapes the output, and a hash of this plugin's rendering code."""
    versions = {name: metadata.version(name) for name in ("altair", "vl-convert-python", "fonttools")}
    here = os.path.dirname(os.path.abspath(__file__))
    digest = hashlib.sha256()
    for name in _CODE:
        with open(os.path.join(here, name), "rb") as handle:
            digest.update(handle.read())
    versions["charts-plugin"] = digest.hexdigest()[:16]
    return versions


def cache_folder(settings: Mapping[str, Any]) -> str:
    """The cache folder (setting ``CHARTS_CACHE_PATH``, relative to the project)."""
    project = os.path.dirname(os.path.abspath(str(settings.get("PATH", "content"))))
    return os.path.join(project, str(settings.get("CHARTS_CACHE_PATH", ".cache/charts")))


def cache_key(
    job: RenderJob, definition: ChartDefinition, registry: Mapping[str, Any], versions: Mapping[str, str]
) -> str:
    """The hash that names a rendering's address-free files: equal keys mean byte-identical files.

    The words that carry the site's name and address (``credit_lines``,
    ``png_text``) and the PNG's scale are left out: :func:`framed_key` adds them.
    """
    digest = hashlib.sha256()
    digest.update(definition.source_code)
    digest.update(b"\0")
    digest.update(definition.data_bytes)
    cited = {key: registry.get(key) for key in definition.sources}
    words = {
        "lang": job.lang,
        "title": job.title,
        "source_line": job.source_line,
        # The rows as the reader sees them (source names, not keys).
        "rows": [dict(row) for row in job.rows],
        "format": job.format_locale,
        "time": job.time_format_locale,
        "font": job.font,
        "layouts": LAYOUTS,
        "cited": cited,
        "versions": dict(versions),
    }
    digest.update(json.dumps(words, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()[:24]


def framed_key(job: RenderJob, key: str) -> str:
    """The hash that names the framed SVG and PNG drawn from the rendering ``key``."""
    words = {
        "key": key,
        "credit_lines": list(job.credit_lines),
        "png_text": [list(pair) for pair in job.png_text],
        "scale": job.png_scale,
    }
    text = json.dumps(words, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _load(job: RenderJob) -> Rendered:
    with open(os.path.join(job.target, FILES["meta"]), encoding="utf-8") as handle:
        meta = json.load(handle)
    return Rendered(
        job.chart_id,
        job.lang,
        job.target,
        float(meta["width"]),
        float(meta["height"]),
        float(meta.get("width_narrow", 0)),
        float(meta.get("height_narrow", 0)),
        job.framed_target,
    )


def _done(job: RenderJob) -> bool:
    """Whether both folders of ``job`` are complete (each appears whole or not at all)."""
    return os.path.isfile(os.path.join(job.target, FILES["meta"])) and os.path.isfile(
        os.path.join(job.framed_target, FILES["png"])
    )


def workers(settings: Mapping[str, Any], jobs: int) -> int:
    """How many processes to render with: ``CHARTS_WORKERS`` or every core."""
    wanted = int(settings.get("CHARTS_WORKERS") or os.cpu_count() or 1)
    return max(1, min(wanted, jobs))


def render_charts(
    jobs: Sequence[tuple[RenderJob, ChartDefinition]],
    settings: Mapping[str, Any],
    registry: Mapping[str, Any],
    *,
    prune_unused: bool = False,
) -> RenderReport:
    """Render what the cache lacks, in a process pool, and return every rendering.

    With ``prune_unused``, renderings of charts and versions not in ``jobs``
    are removed afterwards (only if every job rendered).
    """
    versions = tool_versions()
    root = cache_folder(settings)
    todo: list[RenderJob] = []
    planned: list[RenderJob] = []
    reframed = 0
    for job, definition in jobs:
        key = cache_key(job, definition, registry, versions)
        target = os.path.join(root, job.chart_id, f"{job.lang}-{key}")
        framed = f"{target}-framed-{framed_key(job, key)}"
        placed = RenderJob(**{**job.__dict__, "target": target, "framed_target": framed})
        planned.append(placed)
        if not _done(placed):
            todo.append(placed)
            reframed += os.path.isfile(os.path.join(target, FILES["meta"]))
    problems: list[ContentError] = []
    count = workers(settings, len(todo))
    # Starting spawn workers (each imports vl-convert) costs more than
    # rendering a couple of charts, as after one chart's data changed.
    in_process = int(settings.get("CHARTS_IN_PROCESS_MAX", 2))
    line = Progress("charts rendered", len(todo))
    if len(todo) <= in_process or count == 1:
        for job in todo:
            problems.extend(render(job))
            line.advance()
    elif todo:
        fonts = plan_fonts(jobs, todo, settings, root)
        found, replaced = render_in_workers(
            todo,
            count,
            memory_limit_mb=float(settings.get("CHARTS_WORKER_MEMORY_MB", 250)),
            batch_size=max(1, min(8, len(todo) // (count * 4))),
            done=line.advance,
            fonts=fonts,
        )
        problems.extend(found)
        if replaced:
            count_in_build("chart workers replaced", replaced)
    line.close()
    count_in_build("charts rendered", len(todo) - reframed)
    count_in_build("charts from the cache", len(planned) - len(todo))
    if reframed:
        count_in_build("charts framed for another address", reframed)
    rendered: dict[tuple[str, str], Rendered] = {}
    for job in planned:
        if _done(job):
            rendered[(job.chart_id, job.lang)] = _load(job)
    if prune_unused and not problems:
        prune(root, {job.target for job in planned} | {job.framed_target for job in planned})
    return RenderReport(rendered, problems, len(todo))


def prune(root: str, keep: set[str]) -> None:
    """Remove renderings the build no longer uses, so the cache does not grow forever.

    Only run after a clean render: a build that failed keeps the previous
    renderings, so fixing the mistake renders nothing new. Beside the framed
    files in use, the newest other framing of a kept rendering stays too, so
    that ``make html`` and ``make publish`` (two addresses) take turns
    without drawing their PNGs again.
    """
    if not os.path.isdir(root):
        return
    keep = keep | _other_framings(keep)
    keep_charts = {os.path.dirname(path) for path in keep}
    for chart in sorted(os.listdir(root)):
        folder = os.path.join(root, chart)
        if not os.path.isdir(folder) or chart == FONTS_FOLDER:  # cut fonts prune themselves
            continue
        if folder not in keep_charts:
            shutil.rmtree(folder, ignore_errors=True)
            continue
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if path not in keep:
                shutil.rmtree(path, ignore_errors=True)


def _other_framings(keep: set[str]) -> set[str]:
    """The newest framed folder of each kept rendering that ``keep`` does not name."""
    newest: dict[str, tuple[int, str]] = {}
    for path in keep:
        folder = os.path.dirname(path)
        if "-framed-" in os.path.basename(path) or not os.path.isdir(folder):
            continue
        prefix = os.path.basename(path) + "-framed-"
        for name in os.listdir(folder):
            other = os.path.join(folder, name)
            if name.startswith(prefix) and other not in keep:
                stamp = os.stat(other).st_mtime_ns
                if path not in newest or stamp > newest[path][0]:
                    newest[path] = (stamp, other)
    return {other for _, other in newest.values()}
