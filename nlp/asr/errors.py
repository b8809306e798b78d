"""Errors raised by the ASR layer; ``message_zh`` is what the rep is shown."""

from __future__ import annotations


class AsrError(Exception):
    """An engine could not produce a transcript (model missing, remote down with no fallback …).

    ``message_zh`` is safe to show to the rep; ``detail`` is for the logs only.
    """

    def __init__(self, message_zh: str, detail: str = "") -> None:
        # Both values go to ``args`` so the error survives pickling across the process pool.
        super().__init__(message_zh, detail)
        self.message_zh = message_zh
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.message_zh} ({self.detail})" if self.detail else self.message_zh
