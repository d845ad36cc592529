"""Bad content stops the build with path:line errors and leaves output/ as it was."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT, brief, build_content, tree_digest, write_site

GOOD = {
    "pages/about.en.md": brief("about", "en", title="About"),
    "pages/about.zh-TW.md": brief("about", "zh-TW", title="關於"),
}

# name: (files added to a good site, expected "path:line: message" pattern)
BAD_INPUTS: dict[str, tuple[dict[str, str | bytes], str]] = {
    "front matter not YAML": (
        {"pages/bad.en.md": "---\ntitle: A\nslug: [unclosed\nlang: en\n---\n\nText.\n"},
        r"content/pages/bad\.en\.md:[34]:\d+: front matter is not valid YAML",
    ),
    "a date that is no real date": (
        {"pages/bad.en.md": "---\ntitle: A\nslug: bad\nlang: en\ndate: 2026-13-01\n---\n\nText.\n"},
        r"content/pages/bad\.en\.md:5:7: front matter: '2026-13-01' is not a real date",
    ),
    "missing title": (
        {"pages/bad.en.md": "---\nslug: bad\nlang: en\n---\n\nText.\n"},
        r"content/pages/bad\.en\.md:1: front matter is missing 'title'",
    ),
    "missing slug": (
        {"pages/bad.en.md": "---\ntitle: A\nlang: en\n---\n\nText.\n"},
        r"content/pages/bad\.en\.md:1: front matter is missing 'slug'",
    ),
    "missing lang": (
        {"pages/bad.en.md": "---\ntitle: A\nslug: bad\n---\n\nText.\n"},
        r"content/pages/bad\.en\.md:1: front matter is missing 'lang'",
    ),
    "unknown lang": (
        {"pages/bad.fr.md": "---\ntitle: A\nslug: bad\nlang: fr\n---\n\nText.\n"},
        r"content/pages/bad\.fr\.md:4: unknown language 'fr'",
    ),
    "same slug and lang twice": (
        {"pages/copy.en.md": brief("about", "en", title="Another about")},
        r"content/pages/(about|copy)\.en\.md:3: .*slug 'about'.*lang.*en",
    ),
    "not UTF-8": (
        {"pages/bad.en.md": "---\ntitle: A\nslug: bad\nlang: en\n---\n\nCaf\xe9\n".encode("latin-1")},
        r"content/pages/bad\.en\.md:7:4: the file is not UTF-8 \(byte 0xe9\)",
    ),
    "control character in the body": (
        {"pages/about.en.md": brief("about", "en", body="Bell\x07 here.")},
        r"content/pages/about\.en\.md:8:5: the file contains a control character \(U\+0007",
    ),
    "control character in front matter": (
        {"pages/about.en.md": brief("about", "en", title="Ab\x00out")},
        r"content/pages/about\.en\.md:2:10: the file contains a control character \(U\+0000",
    ),
    "lone carriage return": (
        {"pages/about.en.md": brief("about", "en", body="One\rtwo.")},
        r"content/pages/about\.en\.md:8:4: the file contains a control character \(U\+000D CARRIAGE RETURN",
    ),
    "C1 control character": (
        {"pages/about.en.md": brief("about", "en", body="Next\x85line.")},
        r"content/pages/about\.en\.md:8:5: the file contains a control character \(U\+0085",
    ),
    "control character in the sources registry": (
        {"sources.yaml": '- key: a\n  outlet: {en: "A\x1b", zh-TW: A}\n'},
        r"content/sources\.yaml:2:18: the file contains a control character \(U\+001B",
    ),
    "invalid UTF-8 in the glossary": (
        {"glossary.yaml": b"- key: a\n  term: {en: \xff}\n"},
        r"content/glossary\.yaml:2:14: the file is not UTF-8 \(byte 0xff\)",
    ),
    "sources registry key twice": (
        {"sources.yaml": "- key: a\n  outlet: {en: A, zh-TW: A}\n  outlet: {en: B, zh-TW: B}\n"},
        r"content/sources\.yaml:3:3: the file: key 'outlet' is given twice \(first at line 2\)",
    ),
    "glossary alias": (
        {"glossary.yaml": "- key: a\n  term: &t {en: A, zh-TW: A}\n- key: b\n  term: *t\n"},
        r"content/glossary\.yaml:2:9: the file: anchors are not allowed \(&t\)",
    ),
    "glossary tag": (
        {"glossary.yaml": "- key: a\n  term: !!python/name:os.system {en: A, zh-TW: A}\n"},
        r"content/glossary\.yaml:2:9: the file: tags are not allowed",
    ),
    "front matter key twice": (
        {"pages/about.en.md": brief("about", "en", summary2="x").replace("summary2", "title")},
        r"content/pages/about\.en\.md:6:1: front matter: key 'title' is given twice \(first at line 2\)",
    ),
    "front matter anchor": (
        {"pages/about.en.md": "---\ntitle: &t About\nslug: about\nlang: en\nsummary: *t\n---\n\nText.\n"},
        r"content/pages/about\.en\.md:2:8: front matter: anchors are not allowed \(&t\)",
    ),
    "front matter alias": (
        {"pages/about.en.md": "---\ntitle: About\nslug: about\nlang: en\nsummary: *t\n---\n\nText.\n"},
        r"content/pages/about\.en\.md:5:10: front matter: aliases are not allowed \(\*t\)",
    ),
    "front matter tag": (
        {"pages/about.en.md": brief("about", "en", order="!!float 1")},
        r"content/pages/about\.en\.md:6:8: front matter: tags are not allowed",
    ),
    "front matter wrong type": (
        {"pages/about.en.md": brief("about", "en", order="first")},
        r"content/pages/about\.en\.md:6: 'order' must be a whole number, got 'first'",
    ),
    "empty file": ({"pages/bad.en.md": ""}, r"content/pages/bad\.en\.md:1: the file is empty"),
    "raw script": (
        {"pages/about.en.md": brief("about", "en", body="Text.\n\n<script>alert(1)</script>")},
        r"content/pages/about\.en\.md:10: raw HTML is not allowed",
    ),
    "onerror attribute": (
        {"pages/about.en.md": brief("about", "en", body='An <img src="x" onerror="alert(1)">')},
        r"content/pages/about\.en\.md:8: raw HTML is not allowed.*onerror",
    ),
    "javascript link": (
        {"pages/about.en.md": brief("about", "en", body="A [link](javascript:alert(1)).")},
        r"content/pages/about\.en\.md:8: unsafe link target refused",
    ),
    "unknown front-matter field": (
        {"pages/about.en.md": brief("about", "en", summry="typo")},
        r"content/pages/about\.en\.md:6: unknown front-matter field 'summry'",
    ),
}


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A good site already built once, and the digest of its output."""
    content = write_site(tmp_path, GOOD)
    output = tmp_path / "output"
    result = build_content(content, output)
    assert result.ok, result.problems
    return content, output, tree_digest(output)


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_reported_and_output_kept(case: str, site: tuple[Path, Path, dict[str, str]]) -> None:
    content, output, before = site
    files, pattern = BAD_INPUTS[case]
    write_site(content.parent, files)
    result = build_content(content, output)
    assert not result.ok
    rendered = [str(p) for p in result.problems]
    assert any(re.search(pattern, line) for line in rendered), rendered
    assert tree_digest(output) == before


def test_every_problem_is_listed_in_one_run(site: tuple[Path, Path, dict[str, str]]) -> None:
    content, output, before = site
    write_site(
        content.parent,
        {
            "pages/one.en.md": "---\ntitle: A\nslug: one\n---\n",
            "pages/two.en.md": "",
            "pages/three.en.md": brief("three", "en", body="[x](vbscript:msgbox(1))"),
        },
    )
    result = build_content(content, output)
    paths = {p.path for p in result.problems}
    assert {"content/pages/one.en.md", "content/pages/two.en.md", "content/pages/three.en.md"} <= paths
    assert tree_digest(output) == before


def test_command_line_exits_non_zero_and_names_the_file(tmp_path: Path) -> None:
    content = write_site(tmp_path, {**GOOD, "pages/bad.en.md": "---\ntitle: A\nslug: bad\nlang: xx\n---\n"})
    settings = tmp_path / "settings.py"
    settings.write_text(
        f"from pelicanconf import *  # noqa: F403\nPATH = {str(content)!r}\n"
        f"THEME = {str(ROOT / 'theme')!r}\nPLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n",
        encoding="utf-8",
    )
    output = tmp_path / "output"
    output.mkdir()
    (output / "keep.txt").write_text("previous build", encoding="utf-8")
    env = {"PYTHONPATH": f"{ROOT / 'plugins'}:{ROOT}", "PATH": "/usr/bin:/bin"}
    run = subprocess.run(
        [sys.executable, "-m", "strictbuild", "--settings", str(settings), "--output", str(output)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "content/pages/bad.en.md:4: unknown language 'xx'" in run.stderr
    assert (output / "keep.txt").read_text(encoding="utf-8") == "previous build"
    assert sorted(p.name for p in output.iterdir()) == ["keep.txt"]


def test_byte_order_mark_and_crlf_are_accepted(site: tuple[Path, Path, dict[str, str]]) -> None:
    content, output, _before = site
    text = brief("about", "en", title="About CRLF", body="Line one\nline two.")
    text = "\ufeff" + text.replace("\n", "\r\n")
    write_site(content.parent, {"pages/about.en.md": text.encode("utf-8")})
    result = build_content(content, output)
    assert result.ok, result.problems
    page = (output / "en" / "about" / "index.html").read_text(encoding="utf-8")
    assert "About CRLF" in page
    assert "\r" not in page
