"""Charts: a CJK font found through matplotlib, or a clear Chinese error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from handlers.stats import charts
from handlers.stats.queries import CityCell


@pytest.fixture
def no_fonts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    charts.cjk_font.cache_clear()
    monkeypatch.setattr(charts.fontManager, "ttflist", [])
    yield
    charts.cjk_font.cache_clear()


def test_heatmap_is_a_png_in_a_cjk_font() -> None:
    assert charts.cjk_font().get_name() in charts.CJK_FAMILIES
    cells = [
        CityCell("上海", "展会", 4, 1),
        CityCell("上海", "官网", 2, 2),
        CityCell("广州", "展会", 3, 0),
    ]
    png = charts.heatmap_png("各城市赢单率", cells)
    assert png.startswith(b"\x89PNG")


def test_missing_font_is_a_clear_chinese_error(no_fonts: None) -> None:
    with pytest.raises(charts.ChartError) as caught:
        charts.heatmap_png("各城市赢单率", [CityCell("上海", "展会", 1, 1)])
    assert "找不到中文字体" in str(caught.value) and "fonts-wqy-microhei" in str(caught.value)
