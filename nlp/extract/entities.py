"""Products from the catalogue (by name, alias, core and sound) and competitors."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.names import split_name, syllables

_GENERIC_TAIL = re.compile(r"(?:系统|平台|模块|服务|软件)$")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_MIN_SOUND = 4
_NEGATED = re.compile(r"(?:不需要|不要|不用|没有|不考虑|不含|去掉)[^,，。]{0,3}$")


@dataclass(frozen=True)
class ProductRef:
    name: str
    aliases: Sequence[str] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "aliases", tuple(self.aliases))


class TermMatcher:
    """Longest-first, case-insensitive matcher from surface words to canonical names.

    With ``pinyin=True`` a Han term of four or more characters is also found by its sound when
    it shares at least two characters with what was written (ASR: 只能仓储 for 智能仓储)."""

    def __init__(self, terms: Sequence[tuple[str, str]], *, pinyin: bool = False) -> None:
        self._canonical = {surface.lower(): name for surface, name in terms if surface.strip()}
        words = sorted(self._canonical, key=len, reverse=True)
        self._pattern = (
            re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None
        )
        self._sounds: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = {}
        for word in words if pinyin else ():
            if len(word) >= _MIN_SOUND and _HAN.fullmatch(word):
                key = tuple(syllables(word))
                self._sounds.setdefault((key[0], key[1]), []).append((key, word))

    def find(
        self, text: str, *, skip_negated: bool = False, syl: Sequence[str] | None = None
    ) -> list[tuple[int, int, str]]:
        """Terms in ``text``; ``syl`` is ``syllables(text.lower())`` when the caller has it."""
        if self._pattern is None:
            return []
        found = [(m.start(), m.end(), m.group().lower()) for m in self._pattern.finditer(text)]
        if self._sounds:
            found += self._by_sound(text, found, syllables(text.lower()) if syl is None else syl)
        out = []
        for start, end, word in sorted(found):
            if skip_negated and _NEGATED.search(text[max(0, start - 8) : start]):
                continue
            out.append((start, end, self._canonical[word]))
        return out

    def _by_sound(
        self, text: str, taken: list[tuple[int, int, str]], syl: Sequence[str]
    ) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        for i in range(len(syl) - 1):
            for key, word in self._sounds.get((syl[i], syl[i + 1]), ()):
                end = i + len(key)
                heard = text[i:end]
                if tuple(syl[i:end]) != key or heard.lower() == word:
                    continue
                if sum(a == b for a, b in zip(heard, word, strict=False)) < 2:
                    continue
                if any(s < end and i < e for s, e, _ in taken + found):
                    continue
                found.append((i, end, word))
        return found


def product_matcher(products: Sequence[ProductRef]) -> TermMatcher:
    """Products by name, alias, core (智能仓储系统 → 智能仓储) and sound."""
    terms = [(p.name, p.name) for p in products]
    terms += [(alias, p.name) for p in products for alias in p.aliases]
    for p in products:
        core = _GENERIC_TAIL.sub("", p.name)
        if core != p.name and (len(core) >= 3 or (core.isascii() and len(core) >= 2)):
            terms.append((core, p.name))
    return TermMatcher(terms, pinyin=True)


def competitor_matcher(competitors: Sequence[str]) -> TermMatcher:
    """Competitors by name and by the core of a company-shaped name (德力机械 → 德力)."""
    terms = [(c, c) for c in competitors]
    for name in competitors:
        core, suffix = split_name(name)
        if suffix and len(core) >= 2:
            terms.append((core, name))
    return TermMatcher(terms)


def unique(names: Sequence[str]) -> list[str]:
    """Order-preserving de-duplication."""
    return list(dict.fromkeys(names))
