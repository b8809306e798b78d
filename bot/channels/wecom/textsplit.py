"""Split text for WeCom's 2048-byte limit without cutting a character (or, if possible, a line)."""

from __future__ import annotations


def split_utf8(text: str, limit: int) -> list[str]:
    """Parts of at most ``limit`` UTF-8 bytes that join back into ``text``.

    A part ends after a line break when one falls in its second half, otherwise at the last
    whole character that fits.
    """
    data = text.encode()
    if len(data) <= limit:
        return [text]
    parts: list[str] = []
    start = 0
    while len(data) - start > limit:
        end = start + limit
        newline = data.rfind(b"\n", start + limit // 2, end)
        if newline != -1:
            end = newline + 1
        else:
            while data[end] & 0xC0 == 0x80:  # a continuation byte: step back to a character start
                end -= 1
        parts.append(data[start:end].decode())
        start = end
    parts.append(data[start:].decode())
    return parts
