"""Plain result types; frozen dataclasses so they pickle cheaply out of the worker processes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    """A stretch of recognised speech, times in seconds from the start of the note."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Transcript:
    """What the follow-up handler gets for one voice note; ``text`` is always Simplified Chinese."""

    text: str
    duration_s: float
    engine: str
    language: str
    segments: tuple[Segment, ...] = ()
    elapsed_s: float = 0.0
    # Set when the configured engine was not the one that produced ``text`` (remote timed out …).
    fallback_reason: str | None = None
    # Other transcripts of the same audio, e.g. DingTalk's own when we also ran local ASR.
    alternatives: tuple[str, ...] = ()
