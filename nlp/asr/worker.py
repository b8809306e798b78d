"""Code that runs inside an ASR worker (a process of the pool, or a thread in "thread" mode).

``init_worker`` is the executor's initializer: it loads one model per worker, once. The loaded
engine lives in a ``threading.local`` because that is the only per-worker storage an executor
initializer can fill: a pool process runs its initializer and all its tasks on its main thread,
and a ThreadPoolExecutor runs each thread's initializer on that thread.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
import wave
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from nlp.asr.errors import AsrError
from nlp.asr.guard import collapse_repeats, looks_looped
from nlp.asr.types import Segment, Transcript
from nlp.audio import TARGET_RATE, AudioError, decode_audio
from nlp.hotwords import echoes_prompt, render_prompt, select_hotwords
from nlp.settings_asr import AsrSettings, LocalEngineName
from nlp.textconv import ChineseConverter

log = logging.getLogger(__name__)


class LocalEngine(Protocol):
    name: str

    def count_tokens(self, text: str) -> int: ...

    def transcribe(self, samples: np.ndarray, prompt: str | None) -> tuple[list[Segment], str]: ...


@dataclass(frozen=True)
class WorkerSpec:
    """Everything a worker needs, picklable for spawned processes."""

    settings: AsrSettings
    engine: LocalEngineName | None
    cpu_threads: int
    seed: int = 0
    log_level: int = logging.WARNING


@dataclass(frozen=True)
class WorkerInfo:
    """Health and cost of one worker (for start-up logs, /healthz and the benchmark)."""

    pid: int
    engine: str | None
    load_s: float
    peak_rss_mb: float


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM), 0.0 where /proc is unavailable.

    Not ``getrusage``: Linux carries ``ru_maxrss`` across exec, so a child started by a big
    parent would report the parent's peak.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0


@dataclass(frozen=True)
class WavAudio:
    """A decoded note re-encoded as 16 kHz mono PCM WAV, for remote engines."""

    wav: bytes
    duration_s: float


class _State(threading.local):
    spec: WorkerSpec | None = None
    engine: LocalEngine | None = None
    converter: ChineseConverter | None = None
    load_error: AsrError | None = None
    load_s: float = 0.0


_state = _State()


def load_engine(spec: WorkerSpec) -> LocalEngine | None:
    """Instantiate the configured local engine (imports stay lazy: torch is heavy)."""
    if spec.engine is None:
        return None
    if spec.engine == "openai-whisper":
        from nlp.asr.engine_openai_whisper import OpenAIWhisperEngine

        return OpenAIWhisperEngine(spec.settings, spec.cpu_threads, seed=spec.seed)
    from nlp.asr.engine_faster import FasterWhisperEngine

    return FasterWhisperEngine(spec.settings, spec.cpu_threads)


def _exit_with_parent(sentinel: int) -> None:
    """Leave when the bot is gone. A bot killed hard (SIGKILL, the OOM killer, a second Ctrl+C)
    cannot stop its pool, and nothing else would: each orphan would keep a model in memory."""
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


def init_worker(spec: WorkerSpec) -> None:
    """Executor initializer. Never raises: a failing initializer breaks the whole pool with an
    opaque error, so a load failure is kept and re-raised, in Chinese, by every task instead."""
    started = time.perf_counter()
    parent = multiprocessing.parent_process()
    if parent is not None:
        # Ctrl+C in a terminal reaches the whole process group. The bot decides when the pool
        # stops (after the notes in flight), so a worker must not die mid-note with a traceback.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        threading.Thread(
            target=_exit_with_parent, args=(parent.sentinel,), name="parent-watch", daemon=True
        ).start()
    if multiprocessing.parent_process() is not None and not logging.getLogger().handlers:
        # A spawned worker starts with logging unconfigured: keep the parent's level and say
        # which worker spoke, so "echoed the hotword prompt" and load errors reach the logs.
        logging.basicConfig(
            level=spec.log_level,
            format="%(asctime)s %(levelname)s [asr-worker %(process)d] %(name)s: %(message)s",
        )
    _state.spec = spec
    _state.converter = ChineseConverter()
    try:
        if spec.engine == "faster-whisper":
            import ctranslate2

            # Temperature fallback samples; a fixed seed makes a note transcribe the same each run.
            ctranslate2.set_random_seed(spec.seed)
        _state.engine = load_engine(spec)
    except AsrError as exc:
        log.error("ASR worker %d could not load %s: %s", os.getpid(), spec.engine, exc)
        _state.load_error = exc
    _state.load_s = time.perf_counter() - started


def _spec(*, need_engine: bool = True) -> WorkerSpec:
    if _state.spec is None:
        raise AsrError("语音识别服务未启动，请稍后重试。", detail="worker used before init_worker")
    if need_engine and _state.load_error is not None:
        raise _state.load_error
    return _state.spec


def ping() -> WorkerInfo:
    """Used by ``AsrService.start`` to make every worker load its model before traffic arrives."""
    spec = _spec(need_engine=True)
    return WorkerInfo(
        pid=os.getpid(), engine=spec.engine, load_s=_state.load_s, peak_rss_mb=peak_rss_mb()
    )


def transcribe_note(data: bytes, hotwords: tuple[str, ...]) -> Transcript:
    """Decode and transcribe one voice note with this worker's engine."""
    started = time.perf_counter()
    spec = _spec()
    engine = _state.engine
    converter = _state.converter
    if engine is None or converter is None:
        raise AsrError("未配置本地语音识别引擎。", detail="no local engine in this worker")
    audio = decode_audio(data, max_seconds=spec.settings.max_seconds)
    names: list[str] = []
    if hotwords and spec.settings.hotwords.enabled:
        names = select_hotwords(
            hotwords,
            max_chars=spec.settings.hotwords.max_chars,
            max_tokens=spec.settings.hotwords.max_tokens,
            count_tokens=engine.count_tokens,
        )
    prompt = render_prompt(names) if names else None
    segments, language = engine.transcribe(audio.samples, prompt)
    raw = converter.to_simplified("".join(s.text.strip() for s in segments))
    if prompt and (echoes_prompt(raw, names) or looks_looped(raw)):
        # The model copied or looped on the name list instead of listening: hear it unbiased.
        log.info("transcript echoed the hotword prompt or looped, decoding again: %r", raw[:80])
        segments, language = engine.transcribe(audio.samples, None)
    cleaned = tuple(
        Segment(s.start, s.end, collapse_repeats(converter.to_simplified(s.text.strip())))
        for s in segments
    )
    # Loops can also span segments (the same short line as segment after segment).
    text = collapse_repeats("".join(s.text for s in cleaned)).strip()
    if not text:
        raise AudioError(
            "no_speech", detail=f"{engine.name} heard nothing in {audio.duration:.1f} s"
        )
    return Transcript(
        text=text,
        duration_s=audio.duration,
        engine=engine.name,
        language=language,
        segments=tuple(s for s in cleaned if s.text),
        elapsed_s=time.perf_counter() - started,
    )


def decode_to_wav(data: bytes) -> WavAudio:
    """Validate and normalise a note for a remote engine (which may not read AMR)."""
    spec = _spec(need_engine=False)
    audio = decode_audio(data, max_seconds=spec.settings.max_seconds)
    pcm = (audio.samples * 32767.0).astype("<i2").tobytes()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(TARGET_RATE)
        out.writeframes(pcm)
    return WavAudio(wav=buffer.getvalue(), duration_s=audio.duration)
