"""Settings for local builds. Settings only: all logic lives in plugins/."""

from __future__ import annotations

SITENAME = "Chips and Controls"
# The licence of the site's own text and charts, stated in every page's footer,
# on each chart page, in the embeds and in the chart images (the third-party
# sources the site quotes keep their own terms). Texts may be given per language.
SITE_LICENSE = {
    "name": "CC BY 4.0",
    "title": {"en": "Creative Commons Attribution 4.0 International", "zh-TW": "創用CC 姓名標示 4.0 國際"},
    "url": {
        "en": "https://creativecommons.org/licenses/by/4.0/",
        "zh-TW": "https://creativecommons.org/licenses/by/4.0/deed.zh-hant",
    },
}
SITE_DESCRIPTION = "Bilingual explainers on chips, export controls and China, with sources and charts."
AUTHOR = "Chips and Controls"

# The absolute address of the site. Local builds use the preview server;
# publishconf.py takes it from the SITEURL environment variable. Pages link
# to each other with relative URLs, so a build works under any sub-path.
SITEURL = ""
PUBLIC_URL = "http://127.0.0.1:8000"
RELATIVE_URLS = True

PATH = "content"
ARTICLE_PATHS = ["briefs"]
PAGE_PATHS = ["pages"]
# GitHub Pages must not run Jekyll over the site (it would drop files and
# folders whose names start with an underscore).
STATIC_PATHS = ["extra/nojekyll"]
EXTRA_PATH_METADATA = {"extra/nojekyll": {"path": ".nojekyll"}}
IGNORE_FILES = [".*", "__pycache__", "*.py", "*.csv", "*.yaml"]
THEME = "theme"
TIMEZONE = "UTC"

PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "strictbuild",
    "markdown_reader",
    "bilingual",
    "citations",
    # search's generator comes after those writing the pages it indexes
    # (briefs, pages, glossary) and before the charts' and parallel's, so
    # Pagefind runs while those write their pages (plugins/search/index.py);
    # bilingual adds its generator (homes, feeds) after every other plugin's.
    "search",
    "crosslinks",
    "charts",
    "contents",
    "updates",
    "parallel",
]

# Languages, in the order the site lists them (see plugins/strictbuild/site.py
# for every field and its default). `path` is the URL segment, `html` the value
# of <html lang> (and of hreflang), `locale` the Babel locale of dates, numbers
# and the interface catalog, `sitename` the site's name in the language,
# `date_format` a Babel pattern or format name for long dates, `citation` the
# punctuation of references (a preset, latin or cjk, or its fields one by one),
# `bibtex_langid` and `chart_font` (fontconfig language) have defaults derived
# from the locale and the code. DEFAULT_LANG is the language of / and
# x-default; the interface strings (msgids) are written in it.
DEFAULT_LANG = "en"
SITE_LANGUAGES = {
    "en": {
        "name": "English",
        "path": "en",
        "html": "en",
        "locale": "en_GB",
        "sitename": "Chips and Controls",
        # Babel's "long" English is US-style; the site writes day-month-year.
        "date_format": "d MMMM y",
    },
    "zh-TW": {
        "name": "繁體中文",
        "path": "zh-tw",
        "html": "zh-Hant-TW",
        "locale": "zh_Hant_TW",
        "sitename": "晶片與管制",
        "citation": "cjk",
    },
}

# Front-matter fields beyond the reader's own (see markdown_reader.BASE_FIELDS).
# drift_ack: intended differences between a brief and its translation,
# a list of {value, reason} (see plugins/bilingual/drift.py).
# updated, updates: the date of the latest change and a dated log of updates
# and corrections, [{date, kind: update|correction, text}] (see plugins/updates).
MARKDOWN_EXTRA_FIELDS = {"drift_ack": "any", "updated": "date", "updates": "any"}

# Briefs and pages live at /{lang}/{slug}/ in both languages.
ARTICLE_URL = ARTICLE_LANG_URL = "{lang_path}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_LANG_SAVE_AS = "{lang_path}/{slug}/index.html"
PAGE_URL = PAGE_LANG_URL = "{lang_path}/{slug}/"
PAGE_SAVE_AS = PAGE_LANG_SAVE_AS = "{lang_path}/{slug}/index.html"
# Drafts are not published at all.
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = ""
ARTICLE_TRANSLATION_ID = PAGE_TRANSLATION_ID = "slug"

# Pelican's date-based, author, category and tag pages are not part of the site.
DIRECT_TEMPLATES: list[str] = []
INDEX_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = TAGS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
DEFAULT_CATEGORY = "briefs"
DEFAULT_PAGINATION = False

FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Sources and glossary (files relative to PATH). Every registry entry must be
# cited somewhere: an entry never cited stops the build.
CITATIONS_REGISTRY = "sources.yaml"
CITATIONS_GLOSSARY = "glossary.yaml"
CITATIONS_STRICT_UNUSED = True
CITATIONS_SOURCES_URL = "{lang_path}/sources/"
CITATIONS_GLOSSARY_URL = "{lang_path}/glossary/"

# Templates: autoescaping on; whitespace trimmed for stable, small HTML.
JINJA_ENVIRONMENT = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": ["jinja2.ext.i18n"],
    # Each build makes a new environment, so templates never change under it;
    # without this, every include in a loop stats its file again.
    "auto_reload": False,
}

# Dates and names are formatted with Babel per page language, never with the
# process locale: pin it, so the build neither depends on $LANG nor fails
# (Pelican warns, and warnings are fatal) where $LANG names a missing locale.
LOCALE = ["C.UTF-8", "C.utf8", "C"]

# Parsed content is cached between builds, keyed by a hash of each file's
# bytes (not its mtime, which a checkout or copy changes), so a rebuild parses
# only the files that changed. strictbuild drops the whole cache when the
# settings, the plugins' code, the installed packages or a file below changes,
# since every brief is parsed against them. Output is the same either way.
CACHE_PATH = ".cache/content"  # relative to this file; git-ignored
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
CHECK_MODIFIED_METHOD = "blake2b"
GZIP_CACHE = False  # compressing tens of MB of HTML costs more than reading it
CONTENT_CACHE_DEPENDENCIES = [CITATIONS_REGISTRY, CITATIONS_GLOSSARY, "charts/*.py"]  # relative to PATH
OUTPUT_SOURCES = False
TYPOGRIFY = False
SUMMARY_MAX_LENGTH = None

# Charts (plugins/charts): modules in content/charts/, data in content/data/.
CHARTS_PATH = "charts"  # relative to PATH
CHARTS_CACHE_PATH = ".cache/charts"  # relative to the project; git-ignored
CHARTS_WORKERS = 0  # processes that render charts; 0 = every core
CHARTS_IN_PROCESS_MAX = 2  # up to this many charts to render: no worker processes
CHARTS_URL = "{lang_path}/charts/{id}/"
CHARTS_SOURCE_URL = "{lang_path}/sources/#source-{key}"  # where a chart's source line links
CHARTS_PNG_SCALE = 2
# The embed frame: the taller layout's height plus room for the title, the
# collapsed notes, the source line and the licence, enough for the frame to
# show the whole chart without the resize script at 320, 600 and 900 px (at
# 320 px these wrap to more lines: 200 px left the longest 57 px short).
CHARTS_EMBED_EXTRA_HEIGHT = 270
CHARTS_EMBED_EXTRA_WIDTH = 24  # the embed page's side padding
# Number and date formats of each language (d3-format / d3-time-format locale
# names; d3-format has no zh-TW, and zh-CN's digits and grouping are the same).
CHARTS_LOCALES = {
    "en": {"format": "en-US", "time": "en-US"},
    "zh-TW": {"format": "zh-CN", "time": "zh-TW"},
}
# The main navigation of every language, in order: a page by its slug (labelled
# with its title), or a generated page by URL (labelled with an interface
# string, shown when the plugin writing it is part of the build). The entry
# marked `search` becomes a search box where scripts run.
SITE_NAVIGATION = [
    {"page": "timeline"},
    {"page": "methodology"},
    {"url": "{lang_path}/glossary/", "label": "Glossary", "plugin": "citations"},
    {"url": "{lang_path}/search/", "label": "Search", "plugin": "search", "search": True},
]

# Search (plugins/search): Pagefind indexes the written site, one index per
# language, into this folder of the output.
SEARCH_URL = "{lang_path}/search/"
SEARCH_BUNDLE = "pagefind"
