"""Traditional → Simplified Chinese for transcripts (Whisper often answers in Traditional)."""

from __future__ import annotations

import opencc


class ChineseConverter:
    """Wraps one OpenCC converter; build one per owner (the ASR service or a worker) and reuse it.

    OpenCC loads its dictionaries on construction (a few milliseconds and ~1 MB), so converting
    each transcript through a fresh instance would waste that; a shared module-level instance would
    be a hidden singleton. The owner decides the lifetime.
    """

    def __init__(self, config: str = "t2s") -> None:
        self._converter = opencc.OpenCC(config)

    def to_simplified(self, text: str) -> str:
        """Simplified form of ``text``; non-Chinese characters pass through unchanged."""
        if not text:
            return text
        return self._converter.convert(text)


def to_simplified(text: str) -> str:
    """One-off conversion for scripts and the CLI; long-lived code should own a ChineseConverter."""
    return ChineseConverter().to_simplified(text)
