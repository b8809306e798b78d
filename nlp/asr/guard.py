"""Decoding limits that keep Whisper from looping, hallucinating or running away.

A naive hotword list once made Whisper base repeat itself and decode 4.6x slower. Each limit here
bounds one way that happens; ``benchmarks/asr.py`` measures them with and without hotwords.
"""

from __future__ import annotations

import math
import re
from typing import Any

# Whisper's decoder context is 448 tokens; the start-of-transcript sequence takes up to 4.
_WHISPER_MAX_LENGTH = 448
_SOT_TOKENS = 4

# Fast Mandarin is ~6 characters/s; with Whisper's byte-level BPE, timestamps and punctuation that
# stays below ~10 tokens per second of speech. A window longer than its audio can justify is a loop.
TOKENS_PER_SECOND = 12
TOKEN_MARGIN = 24
MIN_NEW_TOKENS = 48
WINDOW_SECONDS = 30.0

# Fewer fallback steps than Whisper's default six: each step re-decodes the whole window, which is
# what turned a looping window into a 4.6x slowdown.
TEMPERATURES = (0.0, 0.4, 0.8)
COMPRESSION_RATIO_THRESHOLD = 2.4
LOG_PROB_THRESHOLD = -1.0
NO_SPEECH_THRESHOLD = 0.6
REPETITION_PENALTY = 1.1
NO_REPEAT_NGRAM_SIZE = 0

# A loop is a phrase repeated back to back: 1-2 characters four or more times ("对对对" is speech,
# "鲜鲜鲜鲜鲜鲜" is not), longer phrases (up to a whole echoed name list) three or more times.
_SHORT_REPEATS = re.compile(r"(.{1,2}?)\1{3,}", re.DOTALL)
_LONG_REPEATS = re.compile(r"(.{3,40}?)\1{2,}", re.DOTALL)


def max_new_tokens(duration_s: float, prompt_tokens: int) -> int:
    """Token budget for one 30 s window of a note lasting ``duration_s``."""
    seconds = min(max(duration_s, 0.0), WINDOW_SECONDS)
    budget = max(MIN_NEW_TOKENS, math.ceil(seconds * TOKENS_PER_SECOND) + TOKEN_MARGIN)
    room = _WHISPER_MAX_LENGTH - _SOT_TOKENS - 1 - max(prompt_tokens, 0)
    return max(1, min(budget, room))


def faster_whisper_options(
    *,
    language: str,
    beam_size: int,
    vad: bool,
    duration_s: float,
    prompt: str | None,
    prompt_tokens: int,
) -> dict[str, Any]:
    """Keyword arguments for ``WhisperModel.transcribe``; shared by the service and the benchmark.

    The name list goes in ``hotwords`` rather than ``initial_prompt``: both become "previous text"
    for the decoder, but ``hotwords`` is repeated for every 30 s window of a longer note while
    ``initial_prompt`` (with ``condition_on_previous_text=False``) only reaches the first.
    """
    return {
        "language": language,
        "task": "transcribe",
        "beam_size": beam_size,
        "best_of": beam_size,
        "temperature": list(TEMPERATURES),
        "compression_ratio_threshold": COMPRESSION_RATIO_THRESHOLD,
        "log_prob_threshold": LOG_PROB_THRESHOLD,
        "no_speech_threshold": NO_SPEECH_THRESHOLD,
        "repetition_penalty": REPETITION_PENALTY,
        "no_repeat_ngram_size": NO_REPEAT_NGRAM_SIZE,
        # Conditioning on earlier windows is how one hallucination spreads to the rest of a note.
        "condition_on_previous_text": False,
        "initial_prompt": None,
        "hotwords": prompt or None,
        "max_new_tokens": max_new_tokens(duration_s, prompt_tokens),
        "vad_filter": vad,
        "without_timestamps": False,
    }


def collapse_repeats(text: str) -> str:
    """Keep one copy of each looped phrase (the last line of defence after the decoding limits)."""
    return _SHORT_REPEATS.sub(r"\1", _LONG_REPEATS.sub(r"\1", text))


def looks_looped(text: str) -> bool:
    """True when collapsing loops removes a noticeable share of ``text``."""
    return len(collapse_repeats(text)) < 0.7 * len(text)
