"""Neutral text replies → DingTalk message bodies; long text split; sessionWebhooks remembered."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from bot.clock import Clock
from bot.events import Event
from bot.replies import Markdown, Text

WEBHOOK_MARGIN_MS = 60_000  # do not start a send on a webhook that expires within a minute


def split_text(text: str, max_bytes: int) -> list[str]:
    """Pieces of at most ``max_bytes`` UTF-8 bytes, cut at line ends where possible."""
    if len(text.encode()) <= max_bytes:
        return [text]
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        if len((current + line).encode()) <= max_bytes:
            current += line
            continue
        if current:
            pieces.append(current)
            current = ""
        while len(line.encode()) > max_bytes:  # a single overlong line: cut by characters
            cut = _fit(line, max_bytes)
            pieces.append(line[:cut])
            line = line[cut:]
        current = line
    if current:
        pieces.append(current)
    return [p.rstrip("\n") for p in pieces if p.strip()]


def _fit(text: str, max_bytes: int) -> int:
    size = 0
    for i, ch in enumerate(text):
        size += len(ch.encode())
        if size > max_bytes:
            return max(i, 1)
    return len(text)


def text_pieces(reply: Text | Markdown, max_bytes: int) -> list[Text | Markdown]:
    if isinstance(reply, Text):
        return [Text(t) for t in split_text(reply.text, max_bytes)]
    parts = split_text(reply.text, max_bytes)
    return [
        Markdown(reply.title if i == 0 else f"{reply.title}（续）", t) for i, t in enumerate(parts)
    ]


def robot_message(piece: Text | Markdown) -> tuple[str, dict[str, Any]]:
    """(msgKey, msgParam) for oToMessages/batchSend and groupMessages/send."""
    if isinstance(piece, Text):
        return "sampleText", {"content": piece.text}
    return "sampleMarkdown", {"title": piece.title, "text": piece.text}


def webhook_body(piece: Text | Markdown) -> dict[str, Any]:
    if isinstance(piece, Text):
        return {"msgtype": "text", "text": {"content": piece.text}}
    return {"msgtype": "markdown", "markdown": {"title": piece.title, "text": piece.text}}


def recipient_of(event: Event) -> str:
    """The outbox recipient a reply to ``event`` is addressed to (see Context.origin)."""
    return f"chat:{event.conversation_id}" if event.conversation_id else event.user_id


@dataclass(frozen=True)
class _Hook:
    url: str
    expires_ms: int


class SessionWebhooks:
    """The latest sessionWebhook per recipient, in this process only.

    An optimisation, never a source of truth: a reply sent by another replica, after a restart,
    or after the hook expired goes through the OpenAPI, which always works.
    """

    def __init__(self, clock: Clock, max_entries: int = 10_000) -> None:
        self.clock = clock
        self.max_entries = max_entries
        self._hooks: OrderedDict[str, _Hook] = OrderedDict()

    def remember(self, event: Event) -> None:
        url = str(event.reply_hint.get("session_webhook") or "")
        expires = int(event.reply_hint.get("session_webhook_expires_ms") or 0)
        if not url or expires <= self.clock.ms():
            return
        key = recipient_of(event)
        known = self._hooks.get(key)
        if known is not None and known.expires_ms >= expires:
            return  # a replayed older message must not replace a newer hook
        self._hooks[key] = _Hook(url, expires)
        self._hooks.move_to_end(key)
        while len(self._hooks) > self.max_entries:
            self._hooks.popitem(last=False)

    def get(self, recipient: str) -> str | None:
        hook = self._hooks.get(recipient)
        if hook is None:
            return None
        if hook.expires_ms - WEBHOOK_MARGIN_MS <= self.clock.ms():
            del self._hooks[recipient]
            return None
        return hook.url

    def forget(self, recipient: str) -> None:
        self._hooks.pop(recipient, None)
