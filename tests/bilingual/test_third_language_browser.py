"""The three-language side-by-side page in Chromium: one column per language when
there is room, stacked when there is not, never wider than the screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
from playwright.sync_api import Browser

from tests.site.harness import SUB_PATH, Server, serve, sub_path_answer

pytestmark = pytest.mark.browser

# Each row's cells: their left edges, tops and widths, and the page's overflow.
MEASURE = """() => {
  const rows = [...document.querySelectorAll('.parallel-row')];
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    rows: rows.map(row => [...row.querySelectorAll(':scope > .parallel-cell')].map(cell => {
      const box = cell.getBoundingClientRect();
      return {left: Math.round(box.left), top: Math.round(box.top), width: Math.round(box.width)};
    })),
  };
}"""


@pytest.fixture(scope="module")
def served(trilingual: Path) -> Iterator[str]:
    server: Server = serve(sub_path_answer(trilingual))
    yield f"{server.origin}{SUB_PATH}/"
    server.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "zh-tw", "zh-cn"])
@pytest.mark.parametrize("width", [320, 390, 768, 1280])
def test_every_language_has_its_column_when_there_is_room(
    browser: Browser, served: str, lang: str, width: int, scheme: Literal["light", "dark"]
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{served}{lang}/tram-fares/parallel/", wait_until="load")
    found = page.evaluate(MEASURE)
    context.close()
    rows = found["rows"]
    assert rows, "no rows on the side-by-side page"
    assert found["overflow"] <= 0, f"the page is {found['overflow']} px wider than a {width} px screen"
    for cells in rows:
        assert len(cells) == 3, cells
        tops = {cell["top"] for cell in cells}
        lefts = {cell["left"] for cell in cells}
        if width >= 1024:
            # Side by side: one top, three columns of at least the narrow chart's 288 px.
            assert len(tops) == 1, f"at {width} px the cells of a row start at {sorted(tops)}"
            assert len(lefts) == 3, f"at {width} px the cells of a row share columns: {sorted(lefts)}"
            assert min(cell["width"] for cell in cells) >= 288, cells
        else:
            # Stacked: one column, each cell below the last.
            assert len(lefts) == 1, f"at {width} px the cells of a row are not stacked: {sorted(lefts)}"
            assert len(tops) == 3, cells
