"""Citation and glossary previews in Chromium: hover, keyboard focus, Escape, no script.

Screenshots of an open preview in each language are saved under the pytest
temporary folder (or $CITATIONS_SCREENSHOTS when set) for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import Reader
from tests.site.harness import SUB_PATH, serve, sub_path_answer

from .test_site import build_site, copy_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("citations-browser")
    result = build_site(copy_site(tmp), tmp / "output")
    assert result.ok, "\n".join(map(str, result.problems))
    server = serve(sub_path_answer(tmp / "output"))
    yield f"{server.origin}{SUB_PATH}/"
    server.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 800, "height": 600})
    yield context.new_page()
    context.close()


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CITATIONS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            [
                "The Alpha Daily",
                "晶片出口新規定上路",
                "New chip export rules take effect",
                "10 December 2025",
            ],
        ),
        ("zh-tw", ["阿爾法日報", "晶片出口新規定上路", "2025年12月10日"]),
    ],
)
def test_hover_shows_the_preview(
    page: Page, base_url: str, tmp_path: Path, lang: str, words: list[str]
) -> None:
    page.goto(f"{base_url}{lang}/alpha/")
    preview = page.locator("#preview-alpha2025")
    assert preview.is_hidden()
    page.locator("#cite-alpha2025-1").hover()
    preview.wait_for(state="visible")
    text = preview.inner_text()
    for word in words:
        assert word in text
    assert preview.get_attribute("role") == "tooltip"
    assert page.locator("#cite-alpha2025-1").get_attribute("aria-describedby") == "preview-alpha2025"
    # The preview sits just below its citation, inside the window.
    link, box = page.locator("#cite-alpha2025-1").bounding_box(), preview.bounding_box()
    assert link is not None
    assert box is not None
    assert 0 <= box["y"] - (link["y"] + link["height"]) <= 12
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 800
    page.screenshot(path=str(shots(tmp_path) / f"citation-preview-{lang}.png"))
    # Moving onto the preview keeps it open (its text can be selected).
    preview.hover()
    page.wait_for_timeout(400)
    assert preview.is_visible()
    page.mouse.move(5, 5)
    preview.wait_for(state="hidden")


def test_keyboard_focus_shows_and_escape_closes(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}en/alpha/")
    page.locator("#cite-alpha2025-1").focus()
    preview = page.locator("#preview-alpha2025")
    preview.wait_for(state="visible")
    page.keyboard.press("Escape")
    preview.wait_for(state="hidden")
    page.keyboard.press("Tab")
    # The group "[@beta2024; @alpha2025]" is printed in number order: 1, 2.
    assert page.evaluate("document.activeElement.id") == "cite-alpha2025-2"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "cite-beta2024-1"
    page.locator("#preview-beta2024").wait_for(state="visible")
    assert preview.is_hidden()


def test_glossary_term_definition_on_focus(page: Page, base_url: str, tmp_path: Path) -> None:
    page.goto(f"{base_url}zh-tw/alpha/")
    page.locator("a.glossary-term").first.focus()
    definition = page.locator("#definition-nvidia")
    definition.wait_for(state="visible")
    assert "美國的繪圖與AI晶片設計公司" in definition.inner_text()
    page.screenshot(path=str(shots(tmp_path) / "glossary-preview-zh-tw.png"))
    page.keyboard.press("Escape")
    definition.wait_for(state="hidden")


def test_without_scripts_a_citation_is_a_plain_link(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}en/alpha/")
    page.locator("#cite-beta2024-1").click()
    assert page.url.endswith("en/alpha/#source-beta2024")
    assert page.locator("#source-beta2024").is_visible()
    assert page.locator("#preview-beta2024").is_hidden()
    context.close()


def test_brief_pages_load_cleanly(browser: Browser, base_url: str) -> None:
    context = browser.new_context()
    reader = Reader(context.new_page(), allowed_origins=[base_url.split(SUB_PATH)[0]])
    for path in ("en/alpha/", "zh-tw/alpha/", "en/sources/", "zh-tw/glossary/"):
        problems = reader.open(base_url + path).problems()
        assert not problems, "\n".join(problems)
    context.close()
