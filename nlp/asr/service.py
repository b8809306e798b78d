"""``AsrService``: the one async entry point the bot uses for voice notes.

CPU work (decoding and recognition) runs in a bounded executor, one model per worker, loaded once
when the service starts; the event loop only awaits futures and, for the remote engine, HTTP.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from types import TracebackType
from typing import Protocol, Self, TypeVar

import aiohttp

from nlp.asr import worker
from nlp.asr.engine_remote import RemoteAsrError, RemoteTranscriber
from nlp.asr.errors import AsrError
from nlp.asr.types import Transcript
from nlp.audio import AudioError, probe_duration
from nlp.hotwords import build_prompt
from nlp.settings_asr import AsrSettings
from nlp.textconv import ChineseConverter

log = logging.getLogger(__name__)

T = TypeVar("T")

_FAILED = "语音识别服务暂时不可用，请稍后重试，或直接发送文字。"


def worker_threads(settings: AsrSettings) -> int:
    """CPU threads per worker: explicit, or the machine's cores shared evenly between workers."""
    if settings.cpu_threads:
        return settings.cpu_threads
    return max(1, (os.cpu_count() or 1) // settings.workers)


class AsrObserver(Protocol):
    """Told when a transcription starts and ends (the app's metrics: queue, real-time factor;
    /状态 reads them there)."""

    def asr_started(self) -> None: ...

    def asr_finished(self, engine: str, audio_s: float, took_s: float) -> None: ...


class AsrService:
    """Transcribes voice notes with the engine chosen in :class:`AsrSettings`.

    Use as ``async with AsrService(settings) as asr:`` or call :meth:`start` / :meth:`close`
    (the app does so in its cleanup context).
    """

    def __init__(self, settings: AsrSettings, observer: AsrObserver | None = None) -> None:
        self._settings = settings
        self._observer = observer
        self._converter = ChineseConverter()
        self._executor: Executor | None = None
        self._session: aiohttp.ClientSession | None = None
        self._remote: RemoteTranscriber | None = None
        self._spec = worker.WorkerSpec(
            settings=settings,
            engine=settings.local_engine(),
            cpu_threads=worker_threads(settings),
            log_level=logging.getLogger("nlp").getEffectiveLevel(),
        )

    @property
    def settings(self) -> AsrSettings:
        return self._settings

    @property
    def started(self) -> bool:
        return self._executor is not None

    # --- lifecycle -----------------------------------------------------------------------------

    def _new_executor(self) -> Executor:
        if self._settings.executor == "thread":
            return ThreadPoolExecutor(
                max_workers=self._settings.workers,
                thread_name_prefix="asr",
                initializer=worker.init_worker,
                initargs=(self._spec,),
            )
        # "spawn", not fork: forking a process that runs an event loop, aiohttp and database
        # threads copies their locks in whatever state they are in.
        return ProcessPoolExecutor(
            max_workers=self._settings.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=worker.init_worker,
            initargs=(self._spec,),
        )

    async def start(self) -> None:
        """Start the workers and wait until each has loaded its model (errors surface here)."""
        if self._executor is not None:
            return
        self._executor = self._new_executor()
        if self._uses_remote():
            self._session = aiohttp.ClientSession()
            self._remote = RemoteTranscriber(self._settings.remote, self._session)
        started = time.perf_counter()
        try:
            # One ping per worker makes the pool start them all now rather than on first use.
            infos = await asyncio.gather(
                *(self._run(worker.ping) for _ in range(self._settings.workers))
            )
        except BaseException:
            await self.close()
            raise
        log.info(
            "ASR ready: engine=%s local=%s workers=%d (%s) threads=%d in %.1f s",
            self._settings.engine,
            self._spec.engine,
            len({info.pid for info in infos}),
            self._settings.executor,
            self._spec.cpu_threads,
            time.perf_counter() - started,
        )

    async def close(self) -> None:
        executor, self._executor = self._executor, None
        session, self._session = self._session, None
        self._remote = None
        if session is not None:
            await session.close()
        if executor is not None:
            await asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True)

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # --- public API ----------------------------------------------------------------------------

    async def ping(self) -> worker.WorkerInfo:
        """One worker's health (pid, engine, model load time, peak memory); for /healthz."""
        return await self._run(worker.ping)

    async def probe_duration(self, data: bytes) -> float:
        """Seconds of audio, fast enough for an immediate "收到 32 秒语音，正在识别…" receipt.

        Runs beside (not behind) queued transcriptions: header/packet parsing only, no decoding.
        Raises :class:`AudioError` for empty, non-audio or corrupt input.
        """
        return await asyncio.to_thread(probe_duration, data)

    async def transcribe(
        self,
        data: bytes,
        *,
        hotwords: list[str] | None = None,
        platform_text: str | None = None,
    ) -> Transcript:
        """Transcript of one voice note in Simplified Chinese.

        ``hotwords``: client, contact and product names, most relevant first.
        ``platform_text``: DingTalk's own transcript, when it sent one. With
        ``platform_trust_alone`` it is the answer (whatever the engine); otherwise our engine runs
        too, leads, and the platform's text is kept in ``alternatives`` — or used when ours fails.
        Raises :class:`AudioError` (unusable audio) or :class:`AsrError` (engine failure); both
        carry ``message_zh`` for the rep.
        """
        if self._observer is None:
            return await self._transcribe(data, hotwords, platform_text)
        self._observer.asr_started()
        result: Transcript | None = None
        try:
            result = await self._transcribe(data, hotwords, platform_text)
            return result
        finally:
            if result is None:
                self._observer.asr_finished("failed", 0.0, 0.0)
            else:
                self._observer.asr_finished(result.engine, result.duration_s, result.elapsed_s)

    async def _transcribe(
        self, data: bytes, hotwords: list[str] | None, platform_text: str | None
    ) -> Transcript:
        started = time.perf_counter()
        words = tuple(hotwords or ())
        given = self._converter.to_simplified((platform_text or "").strip())
        if given and self._settings.platform_trust_alone:
            result = await self._platform_only(data, given)
        elif given:
            result = await self._ours_beside_platform(data, words, given)
        else:
            result = await self._ours(data, words)
            if self._settings.engine == "platform":
                result = replace(
                    result, fallback_reason="platform: no transcript from the platform"
                )
        return replace(result, elapsed_s=time.perf_counter() - started)

    # --- engines -------------------------------------------------------------------------------

    def _uses_remote(self) -> bool:
        s = self._settings
        return s.engine == "openai-compatible" or (
            s.engine == "platform" and s.platform_fallback == "openai-compatible"
        )

    async def _run(self, fn: Callable[..., T], *args: object) -> T:
        if self._executor is None:
            raise AsrError(_FAILED, detail="AsrService used before start()")
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, fn, *args)
        except (AudioError, AsrError):
            raise
        except BrokenProcessPool as exc:
            # A worker died (out of memory, killed): replace the pool so the next note works.
            log.error("ASR worker pool broke, restarting it: %r", exc)
            broken, self._executor = self._executor, self._new_executor()
            if broken is not None:
                broken.shutdown(wait=False, cancel_futures=True)
            raise AsrError(_FAILED, detail=f"worker pool broke: {exc!r}") from exc
        except Exception as exc:
            # A bug or an engine error we did not anticipate: the rep still gets a reply (and the
            # handler keeps the original audio); the traceback goes to the log.
            log.exception("ASR task %s failed unexpectedly", getattr(fn, "__name__", fn))
            raise AsrError(_FAILED, detail=f"{type(exc).__name__}: {exc}") from exc

    async def _local(self, data: bytes, words: tuple[str, ...]) -> Transcript:
        if self._spec.engine is None:
            raise AsrError(_FAILED, detail="no local engine configured and the remote one failed")
        return await self._run(worker.transcribe_note, data, words)

    async def _remote_or_fallback(self, data: bytes, words: tuple[str, ...]) -> Transcript:
        audio = await self._run(worker.decode_to_wav, data)
        if self._remote is None:
            raise AsrError(_FAILED, detail="remote engine used before start()")
        prompt = None
        if words and self._settings.hotwords.enabled:
            prompt = build_prompt(
                words,
                max_chars=self._settings.hotwords.max_chars,
                max_tokens=self._settings.hotwords.max_tokens,
            )
        try:
            text = await self._remote.transcribe(
                audio.wav, language=self._settings.language, prompt=prompt
            )
        except RemoteAsrError as exc:
            log.warning("remote ASR failed (%s); falling back to %s", exc.reason, self._spec.engine)
            if self._spec.engine is None:
                raise AsrError(_FAILED, detail=f"remote ASR failed: {exc.reason}") from exc
            local = await self._local(data, words)
            return replace(local, fallback_reason=f"openai-compatible: {exc.reason}")
        text = self._converter.to_simplified(text.strip())
        if not text:
            raise AudioError("no_speech", detail="remote engine returned an empty transcript")
        return Transcript(
            text=text,
            duration_s=audio.duration_s,
            engine="openai-compatible",
            language=self._settings.language,
        )

    async def _ours(self, data: bytes, words: tuple[str, ...]) -> Transcript:
        engine = self._settings.engine
        if engine == "platform":
            engine = self._settings.platform_fallback
        if engine == "openai-compatible":
            return await self._remote_or_fallback(data, words)
        return await self._local(data, words)

    async def _platform_only(self, data: bytes, given: str) -> Transcript:
        try:
            duration = await self.probe_duration(data)
        except AudioError as exc:
            # The platform understood the note even if we cannot parse the file: keep the text.
            log.warning("platform transcript kept, audio unreadable: %s", exc)
            duration = 0.0
        return Transcript(
            text=given, duration_s=duration, engine="platform", language=self._settings.language
        )

    async def _ours_beside_platform(
        self, data: bytes, words: tuple[str, ...], given: str
    ) -> Transcript:
        try:
            ours = await self._ours(data, words)
        except (AudioError, AsrError) as exc:
            # We could not hear it but DingTalk did: its transcript beats an error reply.
            log.warning("our ASR failed, keeping the platform transcript: %s", exc)
            return Transcript(
                text=given,
                duration_s=0.0,
                engine="platform",
                language=self._settings.language,
                fallback_reason=f"local ASR failed: {exc}",
            )
        return replace(ours, alternatives=(*ours.alternatives, given))
