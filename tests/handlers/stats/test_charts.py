"""Charts: a CJK font found through matplotlib, or a clear Chinese error."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import pytest
from matplotlib.font_manager import FontEntry

from bot.fonts import has_glyph
from bot.ops.doctor_local import check_font
from handlers.stats import charts
from handlers.stats.queries import CityCell

# Ships with matplotlib: Latin glyphs, no Chinese ones.
DEJAVU = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def installed_cjk_file() -> Path:
    """A font file with Chinese glyphs on this machine, as fontconfig lists it."""
    out = subprocess.run(
        ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False
    ).stdout
    files = sorted(line.split(":")[0].strip() for line in out.splitlines() if line.strip())
    assert files, "no Chinese font installed: run make system-deps (fonts-wqy-microhei)"
    return Path(files[0])


@pytest.fixture
def fonts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[FontEntry]]:
    """matplotlib's font list, replaced by what the test puts in it."""
    injected: list[FontEntry] = []
    charts.cjk_font.cache_clear()
    monkeypatch.setattr(charts.fontManager, "ttflist", injected)
    yield injected
    charts.cjk_font.cache_clear()


def test_heatmap_is_a_png_in_a_cjk_font() -> None:
    assert has_glyph(charts.cjk_font().get_file(), "销")
    cells = [
        CityCell("上海", "展会", 4, 1),
        CityCell("上海", "官网", 2, 2),
        CityCell("广州", "展会", 3, 0),
    ]
    png = charts.heatmap_png("各城市赢单率", cells)
    assert png.startswith(b"\x89PNG")


def test_missing_font_is_a_clear_chinese_error(fonts: list[FontEntry]) -> None:
    with pytest.raises(charts.ChartError) as caught:
        charts.heatmap_png("各城市赢单率", [CityCell("上海", "展会", 1, 1)])
    assert "找不到中文字体" in str(caught.value) and "fonts-wqy-microhei" in str(caught.value)


def test_charts_and_doctor_take_a_chinese_font_by_any_family_name(
    fonts: list[FontEntry],
) -> None:
    # With only fonts-noto-cjk installed, matplotlib registers its first face: "Noto Sans CJK JP".
    cjk = installed_cjk_file()
    fonts += [
        FontEntry(fname=str(DEJAVU), name="DejaVu Sans"),
        FontEntry(fname=str(cjk), name="Noto Sans CJK JP"),
    ]
    finding = check_font(fonts)
    assert finding.status == "ok" and finding.detail == f"Noto Sans CJK JP（{cjk}）"
    assert Path(charts.cjk_font().get_file()) == cjk
    assert charts.heatmap_png("各城市赢单率", [CityCell("上海", "展会", 1, 1)]).startswith(
        b"\x89PNG"
    )


def test_a_font_named_like_a_chinese_one_without_its_glyphs_is_no_font(
    fonts: list[FontEntry],
) -> None:
    fonts.append(FontEntry(fname=str(DEJAVU), name="WenQuanYi Micro Hei"))
    assert check_font(fonts).status == "fail"
    with pytest.raises(charts.ChartError):
        charts.cjk_font()
