"""Compact typed button payloads: ``<prefix>:<card id>:<action>[:<arg>]``.

Only what routes the tap travels on the card; everything else is loaded from the database. The
result fits WeCom's 1024-byte key limit and DingTalk's action ids with room to spare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PART = re.compile(r"^[A-Za-z0-9_.@-]*$")
MAX_BYTES = 256


@dataclass(frozen=True)
class CardPayload:
    prefix: str  # the feature that owns the card, e.g. "fu" (follow-up), "ap" (approval)
    card_id: str
    action: str
    arg: str = ""

    def pack(self) -> str:
        parts = [self.prefix, self.card_id, self.action] + ([self.arg] if self.arg else [])
        for p in parts:
            if not _PART.match(p):
                raise ValueError(f"payload part {p!r} has characters outside [A-Za-z0-9_.@-]")
        packed = ":".join(parts)
        if len(packed.encode()) > MAX_BYTES:
            raise ValueError("payload too long")
        return packed

    @classmethod
    def unpack(cls, text: str) -> CardPayload | None:
        parts = text.split(":")
        if len(parts) not in (3, 4) or not all(_PART.match(p) for p in parts):
            return None
        return cls(parts[0], parts[1], parts[2], parts[3] if len(parts) == 4 else "")
