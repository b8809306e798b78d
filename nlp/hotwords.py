"""Turn the org's names into a short Whisper prompt that biases spelling without derailing it.

Whisper reads the prompt as "text that came before". A long list invites it to continue the list
instead of transcribing (Whisper base looped and ran 4.6x slower on one), so the prompt is short —
the most relevant names first, capped far below Whisper's 224 prompt tokens — and a transcript that
echoes the prompt is detected (:func:`echoes_prompt`) so the engine can decode again without it.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

DEFAULT_MAX_CHARS = 12
DEFAULT_MAX_TOKENS = 32
# Longer than this is a description, not a name; a single character biases everything.
_MAX_WORD_CHARS = 16
_MIN_WORD_CHARS = 2
SEPARATOR = "、"
_ECHO_SEPARATORS = ("、", "，", ",", " ", "；")
_LIST_SPLIT = re.compile(r"[、，,；;。.\s]+")
_SPACES = re.compile(r"\s+")
# Characters that would read as sentence structure inside the prompt.
_STRIP = "，,。.;；:：、!！?？\"'“”‘’()（）[]【】<>《》"


def _normalise(word: str) -> str:
    word = unicodedata.normalize("NFKC", word)
    word = _SPACES.sub(" ", word).strip().strip(_STRIP).strip()
    return word


def collect_hotwords(*groups: Iterable[str | None]) -> list[str]:
    """Flatten name groups in priority order (the rep's own clients first), deduplicated.

    A name contained in one already taken is dropped: "华东机械" after "华东机械有限公司" adds no
    characters the model has not already seen.
    """
    picked: list[str] = []
    seen: set[str] = set()
    for group in groups:
        for raw in group:
            if not raw:
                continue
            word = _normalise(raw)
            key = word.casefold()
            if not (_MIN_WORD_CHARS <= len(word) <= _MAX_WORD_CHARS) or key in seen:
                continue
            if any(key in taken.casefold() for taken in picked):
                continue
            seen.add(key)
            picked.append(word)
    return picked


def select_hotwords(
    words: Iterable[str],
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    count_tokens: Callable[[str], int] | None = None,
) -> list[str]:
    """As many of ``words`` (in order) as fit the budget.

    ``max_chars`` counts the names only; ``max_tokens`` is checked with ``count_tokens`` (the
    engine's own tokenizer) when given, because one rare character can cost three BPE tokens.
    """
    names: list[str] = []
    used = 0
    for word in collect_hotwords(words):
        if used + len(word) > max_chars:
            continue  # a shorter name further down may still fit
        if count_tokens is not None and count_tokens(render_prompt([*names, word])) > max_tokens:
            continue
        names.append(word)
        used += len(word)
    return names


def render_prompt(names: Sequence[str]) -> str:
    """The prompt text for ``names``: a plain 、-separated list.

    Measured on Whisper base: a lead-in sentence ("拜访记录，涉及…") was copied into transcripts,
    and a ，-separated list looped; a bare 、-list biased spelling with the fewest echoes.
    """
    return SEPARATOR.join(names)


def build_prompt(
    words: Iterable[str],
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    count_tokens: Callable[[str], int] | None = None,
) -> str | None:
    """``render_prompt(select_hotwords(...))``, or ``None`` when no name fits."""
    names = select_hotwords(
        words, max_chars=max_chars, max_tokens=max_tokens, count_tokens=count_tokens
    )
    return render_prompt(names) if names else None


def echoes_prompt(text: str, names: Sequence[str]) -> bool:
    """True when ``text`` looks copied from the prompt rather than heard.

    Whisper copying its prompt reproduces neighbouring names with a list separator between them
    ("王经理、智能仓储系统"), or a list made of bits of the prompt ("科技、华东机械、东方"); a rep
    naming clients in speech puts other words around them.
    """
    for first, second in itertools.pairwise(names):
        for sep in _ECHO_SEPARATORS:
            if f"{first}{sep}{second}" in text:
                return True
    prompt = render_prompt(names)
    pieces = [piece for piece in _LIST_SPLIT.split(text) if piece]
    copied = sum(1 for piece in pieces if len(piece) >= _MIN_WORD_CHARS and piece in prompt)
    return len(pieces) >= 2 and copied >= max(2, (len(pieces) + 1) // 2)
