"""The Chinese font the charts draw with: one finder for the charts and for ``salesbot doctor``.

A font qualifies when it has Chinese glyphs, whatever its family is called: Debian's
fonts-noto-cjk registers with matplotlib as "Noto Sans CJK JP" (the first face of its .ttc),
which no list of family names would have guessed. Well-known families are tried first.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

# A character every chart label needs; a font without it draws boxes.
CJK_PROBE = "销"
PREFERRED = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Droid Sans Fallback",
)


class FontFile(Protocol):
    """What matplotlib's ``font_manager.FontEntry`` has and the finder reads."""

    @property
    def name(self) -> str: ...

    @property
    def fname(self) -> str: ...


def has_glyph(path: str, char: str = CJK_PROBE) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        return bool(FT2Font(path).get_char_index(ord(char)))
    except (OSError, RuntimeError):  # unreadable or not a font FreeType knows
        return False


def find_cjk_font(fonts: Iterable[FontFile] | None = None) -> tuple[str, Path] | None:
    """The family name and file of a font with Chinese glyphs, preferring the well-known
    families; ``fonts`` defaults to every font matplotlib knows about."""
    if fonts is None:
        from matplotlib.font_manager import fontManager

        fonts = fontManager.ttflist
    rank = {name: i for i, name in enumerate(PREFERRED)}
    for font in sorted(fonts, key=lambda f: rank.get(f.name, len(PREFERRED))):
        if has_glyph(font.fname):
            return font.name, Path(font.fname)
    return None
