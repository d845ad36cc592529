"""The ```{chart} id``` block, without Pelican."""

from __future__ import annotations

from typing import Any

from charts.markdown import chart_plugin, placeholder
from markdown_reader import make_markdown


def render(text: str, ids: set[str]) -> tuple[str, dict[str, Any]]:
    md = make_markdown([lambda md: chart_plugin(md, chart_ids=ids)])
    env: dict[str, Any] = {"source_path": "content/briefs/x.en.md", "line_offset": 7, "extracted": {}}
    return md.render(text, env), env


def test_known_chart_renders_a_placeholder_and_is_extracted() -> None:
    html, env = render("Intro.\n\n```{chart} h200-timeline\n```\n", {"h200-timeline"})
    assert placeholder("h200-timeline") in html
    assert env["extracted"]["charts"] == [{"id": "h200-timeline", "line": 10}]
    assert not env.get("problems")


def test_unknown_chart_id_is_a_path_line_error() -> None:
    html, env = render("Intro.\n\n```{chart} no-such-chart\n```\n", {"h200-timeline"})
    assert "data-chart-slot" not in html
    [problem] = env["problems"]
    assert str(problem).startswith("content/briefs/x.en.md:10: unknown chart id 'no-such-chart'")
    assert "h200-timeline" in problem.message
    assert env["extracted"]["charts"] == []


def test_missing_id_and_body_are_errors() -> None:
    _, env = render("```{chart}\n```\n\n```{chart} a\nsome text\n```\n", {"a"})
    messages = [p.message for p in env["problems"]]
    assert any("must name a chart id" in m for m in messages)
    assert any("must be empty" in m for m in messages)


def test_other_fences_are_untouched() -> None:
    html, env = render("```python\nprint(1)\n```\n", {"a"})
    assert '<code class="language-python">' in html
    assert env["extracted"]["charts"] == []
