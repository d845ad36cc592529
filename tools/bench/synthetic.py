"""A synthetic site for the benchmark, in the project's own content model.

N briefs in English and Traditional Chinese with citations, glossary terms,
cross-links and, in every fourth brief, a chart (module and CSV), plus the
sources registry, the glossary and an about page. The same Markdown, with the
project's syntax stripped, is written beside it for the baseline build.

Everything is written under one folder given by the caller (a temporary
folder), never into the project's ``content/``. The text is deterministic: the
same N gives the same site.
"""

from __future__ import annotations

import datetime
import random
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

#: Features of the content model, each used only when the plugin that
#: understands it is enabled (Pelican refuses an unknown ``{brief}`` link, so
#: a cross-link cannot be written before the plugin that resolves it exists).
ALL_FEATURES = frozenset({"citations", "glossary", "crosslinks", "charts"})
FEATURE_PLUGINS = {
    "citations": "citations",
    "glossary": "citations",
    "crosslinks": "crosslinks",
    "charts": "charts",
}

LANGS = ("en", "zh-TW")
CHART_EVERY = 4

_EN_SUBJECTS = (
    "the licence regime",
    "equipment exports",
    "the procurement list",
    "data-centre capacity",
    "domestic accelerators",
    "allied controls",
    "foundry output",
    "memory supply",
)
_ZH_SUBJECTS = (
    "許可制度",
    "設備出口",
    "採購清單",
    "資料中心容量",
    "國產加速器",
    "盟國管制",
    "晶圓代工產能",
    "記憶體供應",
)
_EN_VERBS = ("rose to", "fell to", "held at", "reached", "settled near", "was put at")
_ZH_VERBS = ("升至", "降至", "維持在", "達到", "接近", "估計為")


@dataclass(frozen=True)
class SyntheticSite:
    """Where a synthetic site was written and what it holds."""

    root: Path
    briefs: int
    features: frozenset[str]
    chart_ids: tuple[str, ...]
    full_settings: Path
    baseline_settings: Path
    slugs: tuple[str, ...] = field(default=())

    @property
    def content(self) -> Path:
        """The synthetic site's content folder."""
        return self.root / "content"

    def brief_path(self, index: int, lang: str = "en") -> Path:
        """The Markdown file of one brief in one language."""
        return self.content / "briefs" / f"{self.slugs[index]}.{lang}.md"

    def chart_data_path(self, chart_id: str) -> Path:
        """The CSV of one chart."""
        return self.content / "data" / f"{chart_id}.csv"


def features_for(plugins: Iterable[str]) -> frozenset[str]:
    """The features the enabled plugins understand."""
    enabled = set(plugins)
    return frozenset(f for f, plugin in FEATURE_PLUGINS.items() if plugin in enabled)


def slug_of(index: int) -> str:
    """The slug of brief ``index``."""
    return f"brief-{index:04d}"


def chart_id_of(index: int) -> str:
    """The id of the chart placed in brief ``index``."""
    return f"bench-chart-{index:04d}"


def source_count(briefs: int) -> int:
    """How many registry entries: every one is cited by some brief."""
    return max(1, min(briefs, 40))


def term_count(briefs: int) -> int:
    """How many glossary terms: every one is marked in some brief."""
    return max(1, min(briefs, 30))


def _source_key(index: int) -> str:
    return f"src{index:03d}"


def _term_key(index: int) -> str:
    return f"term{index:02d}"


def _sources_yaml(count: int) -> str:
    entries = []
    start = datetime.date(2025, 1, 1)
    for i in range(count):
        entries.append(
            {
                "key": _source_key(i),
                "outlet": {"en": f"Bench Daily {i}", "zh-TW": f"基準日報{i}"},
                "author": {"en": f"Reporter {i}", "zh-TW": f"記者{i}"},
                "headline": {"original": f"基準報導第{i}號", "en": f"Bench report number {i}"},
                "language": "zh-Hant",
                "date": start + datetime.timedelta(days=i),
                "date_certainty": "exact",
                "reliability": {
                    "en": "A synthetic news report written for the benchmark.",
                    "zh-TW": "為效能測試產生的虛構新聞報導。",
                },
            }
        )
    return yaml.safe_dump(entries, allow_unicode=True, sort_keys=False)


def _glossary_yaml(count: int) -> str:
    entries = [
        {
            "key": _term_key(i),
            "term": {"en": f"Widget {i}", "zh-TW": f"元件{i}"},
            "definition": {"en": f"A synthetic term number {i}.", "zh-TW": f"第{i}個虛構術語。"},
        }
        for i in range(count)
    ]
    return yaml.safe_dump(entries, allow_unicode=True, sort_keys=False)


def _chart_module(chart_id: str, sources: list[str], values: list[tuple[int, int]]) -> str:
    described_en = "; ".join(f"{year}: {value}" for year, value in values)
    described_zh = "；".join(f"{year}年：{value}" for year, value in values)
    return textwrap.dedent(
        f'''\
        """{chart_id}: a synthetic yearly series for the benchmark."""

        from __future__ import annotations

        import altair as alt

        from charts.api import ChartContext

        ID = "{chart_id}"
        DATA = "data/{chart_id}.csv"
        SOURCES = {sources!r}
        TITLE = {{"en": "Synthetic series {chart_id}", "zh-TW": "虛構數列 {chart_id}"}}
        DESCRIPTION = {{
            "en": "Yearly values, {described_en}.",
            "zh-TW": "各年數值，{described_zh}。",
        }}
        NOTES = {{"en": "Synthetic data.", "zh-TW": "虛構資料。"}}
        LABELS = {{
            "year": {{"en": "Year", "zh-TW": "年份"}},
            "value": {{"en": "Value", "zh-TW": "數值"}},
            "series": {{"en": "Series", "zh-TW": "數列"}},
            "source": {{"en": "Source", "zh-TW": "來源"}},
        }}


        def chart(ctx: ChartContext) -> alt.TopLevelMixin:
            """Build the chart in ctx.lang."""
            return (
                alt.Chart(ctx.data)
                .mark_bar()
                .encode(
                    x=alt.X("year:O", title=ctx.label("year")),
                    y=alt.Y("value:Q", title=ctx.label("value")),
                    color=alt.Color("series:N", title=ctx.label("series")),
                    tooltip=[
                        alt.Tooltip("year:O", title=ctx.label("year")),
                        alt.Tooltip("value:Q", title=ctx.label("value")),
                        alt.Tooltip("source:N", title=ctx.label("source")),
                    ],
                )
            )
        '''
    )


def _chart_csv(values: list[tuple[int, int]], source: str) -> str:
    rows = ["year,value,series@en,series@zh-TW,source"]
    rows += [f"{year},{value},Output,產量,{source}" for year, value in values]
    return "\n".join(rows) + "\n"


@dataclass
class _Brief:
    index: int
    en: str
    zh: str


def _brief(index: int, briefs: int, features: frozenset[str]) -> _Brief:
    """One brief in both languages, with the same citations, charts and numbers."""
    # Seeded, so the same N always gives the same text (not for secrecy).
    rng = random.Random(index)  # noqa: S311
    slug = slug_of(index)
    sources = source_count(briefs)
    terms = term_count(briefs)
    others = [slug_of((index + k) % briefs) for k in (1, 2) if (index + k) % briefs != index]
    related = sorted(set(others))
    date = datetime.date(2025, 1, 1) + datetime.timedelta(days=index % 700)
    subject = index % len(_EN_SUBJECTS)

    def cite(keys: list[str]) -> str:
        if "citations" not in features:
            return ""
        return "[" + "; ".join(f"@{k}" for k in keys) + "]"

    def term(label: str, key: str) -> str:
        return f"[{label}]{{term={key}}}" if "glossary" in features else label

    def link(label: str, target: str) -> str:
        return f"[{label}]({{brief}}{target})" if "crosslinks" in features else label

    en_parts: list[str] = []
    zh_parts: list[str] = []
    sections = [("Background", "背景"), ("What changed", "有何改變"), ("Outlook", "展望")]
    paragraph = 0
    for number, (en_head, zh_head) in enumerate(sections):
        en_parts.append(f"## {en_head}")
        zh_parts.append(f"## {zh_head}")
        if number == 1 and "charts" in features and index % CHART_EVERY == 0:
            block = f"```{{chart}} {chart_id_of(index)}\n```"
            en_parts.append(block)
            zh_parts.append(block)
        for _ in range(3):
            en_sentences: list[str] = []
            zh_sentences: list[str] = []
            for s in range(4):
                key = _source_key((index + paragraph * 4 + s) % sources)
                pct = rng.randint(2, 98)
                year = rng.randint(2015, 2030)
                verb = rng.randrange(len(_EN_VERBS))
                what_en = _EN_SUBJECTS[(subject + s) % len(_EN_SUBJECTS)]
                what_zh = _ZH_SUBJECTS[(subject + s) % len(_ZH_SUBJECTS)]
                if s == 0 and paragraph < 3:
                    k = _term_key((index + paragraph) % terms)
                    n = int(k[4:])
                    what_en = term(f"Widget {n}", k) + " in " + what_en
                    what_zh = term(f"元件{n}", k) + "的" + what_zh
                en_sentences.append(
                    f"By {year} the share of {what_en} {_EN_VERBS[verb]} {pct}% of the total, "
                    f"according to the report {cite([key])}."
                )
                zh_sentences.append(
                    f"報導指出，到{year}年{what_zh}的占比{_ZH_VERBS[verb]}總量的{pct}%{cite([key])}。"
                )
            if paragraph in (2, 5) and others:
                target = others[0] if paragraph == 2 else others[-1]
                en_sentences.append(f"See also {link('the related brief', target)}.")
                zh_sentences.append(f"另見{link('相關簡報', target)}。")
            # One line per paragraph: the drift check joins soft line breaks
            # without a space ("near\n15%" reads as "near15%"), so wrapped
            # English loses numbers that start a line.
            en_parts.append(" ".join(en_sentences))
            zh_parts.append("".join(zh_sentences))
            paragraph += 1

    def front(lang: str, title: str, summary: str) -> str:
        fields = {
            "title": title,
            "slug": slug,
            "lang": lang,
            "date": date.isoformat(),
            "summary": summary,
            "order": index + 1,
            "related": related,
        }
        return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n\n"

    en = front("en", f"Brief {index}: {_EN_SUBJECTS[subject]}", f"What changed in {_EN_SUBJECTS[subject]}.")
    zh = front("zh-TW", f"簡報{index}：{_ZH_SUBJECTS[subject]}", f"{_ZH_SUBJECTS[subject]}有何改變。")
    return _Brief(index, en + "\n\n".join(en_parts) + "\n", zh + "\n\n".join(zh_parts) + "\n")


_CITATION = re.compile(r" ?\[@[^\]]*\]")
_TERM = re.compile(r"\[([^\]]*)\]\{term=[^}]*\}")
_BRIEF_LINK = re.compile(r"\]\(\{brief\}([a-z0-9-]+)\)")
_CHART = re.compile(r"```\{chart\}[^\n]*\n```\n*")


def strip_syntax(markdown: str) -> str:
    """The same Markdown with the project's syntax removed, for the baseline.

    Citations are dropped, glossary terms become their text, cross-links
    become plain relative links and chart blocks are removed.
    """
    markdown = _CHART.sub("", markdown)
    markdown = _CITATION.sub("", markdown)
    markdown = _TERM.sub(r"\1", markdown)
    return _BRIEF_LINK.sub(r"](../\1/)", markdown)


_ABOUT = {
    "en": "---\ntitle: About\nslug: about\nlang: en\nsummary: About the benchmark site.\n---\n\n"
    "A synthetic site for measuring build speed.\n",
    "zh-TW": "---\ntitle: 關於\nslug: about\nlang: zh-TW\nsummary: 關於效能測試網站。\n---\n\n"
    "用來測量建置速度的虛構網站。\n",
}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _full_settings(project: Path, root: Path) -> str:
    return textwrap.dedent(
        f'''\
        """Benchmark settings: the project's own, pointed at the synthetic site."""

        import sys

        sys.path.insert(0, {str(project)!r})
        from pelicanconf import *  # noqa: F403

        PATH = {str(root / "content")!r}
        THEME = {str(project / "theme")!r}
        PLUGIN_PATHS = [{str(project / "plugins")!r}]
        CACHE_PATH = {str(root / "cache")!r}
        '''
    )


def _baseline_settings(project: Path, root: Path) -> str:
    return textwrap.dedent(
        f'''\
        """Baseline settings: plain Pelican, the stock CommonMark reader, no other plugin."""

        PATH = {str(root / "baseline" / "content")!r}
        ARTICLE_PATHS = ["briefs"]
        PAGE_PATHS = ["pages"]
        PLUGIN_PATHS = [{str(project / "tools" / "bench" / "plugins")!r}]
        PLUGINS = ["bench_baseline"]
        TIMEZONE = "UTC"
        DEFAULT_LANG = "en"
        SITEURL = ""
        RELATIVE_URLS = True
        ARTICLE_TRANSLATION_ID = PAGE_TRANSLATION_ID = "slug"
        ARTICLE_URL = ARTICLE_LANG_URL = "{{lang}}/{{slug}}/"
        ARTICLE_SAVE_AS = ARTICLE_LANG_SAVE_AS = "{{lang}}/{{slug}}/index.html"
        PAGE_URL = PAGE_LANG_URL = "{{lang}}/{{slug}}/"
        PAGE_SAVE_AS = PAGE_LANG_SAVE_AS = "{{lang}}/{{slug}}/index.html"
        FEED_ALL_ATOM = None
        CATEGORY_FEED_ATOM = None
        TRANSLATION_FEED_ATOM = None
        AUTHOR_FEED_ATOM = None
        AUTHOR_FEED_RSS = None
        CACHE_CONTENT = False
        LOAD_CONTENT_CACHE = False
        '''
    )


def generate(
    root: Path,
    briefs: int,
    *,
    project: Path,
    features: frozenset[str] = ALL_FEATURES,
) -> SyntheticSite:
    """Write a synthetic site of ``briefs`` briefs × 2 languages under ``root``.

    ``project`` is the project checkout whose theme and plugins the full build
    uses; ``features`` the parts of the content model to use (see
    :func:`features_for`).
    """
    if briefs < 1:
        msg = f"a synthetic site needs at least one brief, got {briefs}"
        raise ValueError(msg)
    root = root.resolve()
    content = root / "content"
    baseline = root / "baseline" / "content"
    chart_ids: list[str] = []
    for index in range(briefs):
        brief = _brief(index, briefs, features)
        for lang, text in (("en", brief.en), ("zh-TW", brief.zh)):
            name = f"briefs/{slug_of(index)}.{lang}.md"
            _write(content / name, text)
            _write(baseline / name, strip_syntax(text))
        if "charts" in features and index % CHART_EVERY == 0:
            chart_id = chart_id_of(index)
            rng = random.Random(f"chart-{index}")  # noqa: S311
            values = [(2016 + y, rng.randint(10, 500)) for y in range(8)]
            source = _source_key(index % source_count(briefs))
            module = chart_id.replace("-", "_")
            _write(content / "charts" / f"{module}.py", _chart_module(chart_id, [source], values))
            _write(content / "data" / f"{chart_id}.csv", _chart_csv(values, source))
            chart_ids.append(chart_id)
    for lang, text in _ABOUT.items():
        _write(content / "pages" / f"about.{lang}.md", text)
        _write(baseline / "pages" / f"about.{lang}.md", text)
    _write(content / "sources.yaml", _sources_yaml(source_count(briefs)))
    _write(content / "glossary.yaml", _glossary_yaml(term_count(briefs)))
    full_settings = root / "settings_full.py"
    baseline_settings = root / "settings_baseline.py"
    _write(full_settings, _full_settings(project.resolve(), root))
    _write(baseline_settings, _baseline_settings(project.resolve(), root))
    return SyntheticSite(
        root=root,
        briefs=briefs,
        features=features,
        chart_ids=tuple(chart_ids),
        full_settings=full_settings,
        baseline_settings=baseline_settings,
        slugs=tuple(slug_of(i) for i in range(briefs)),
    )
