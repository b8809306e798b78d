"""Client for any OpenAI-compatible ``/v1/audio/transcriptions`` server (Whisper/FunASR on a GPU box).

Runs on the event loop (it only waits on the network); the service falls back to the local engine
when this raises :class:`RemoteAsrError`.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp

from nlp.settings_asr import RemoteAsrSettings

log = logging.getLogger(__name__)

_RETRYABLE_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


class RemoteAsrError(Exception):
    """The remote server gave no usable transcript; ``reason`` is for logs and ``fallback_reason``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def transcriptions_url(base_url: str) -> str:
    """``{base_url}/v1/audio/transcriptions``, tolerating a base URL that already ends in /v1."""
    base = base_url.rstrip("/")
    if not base.endswith("/v1"):
        base += "/v1"
    return f"{base}/audio/transcriptions"


class RemoteTranscriber:
    """POSTs WAV audio with timeout and exponential-backoff retries."""

    def __init__(self, settings: RemoteAsrSettings, session: aiohttp.ClientSession) -> None:
        if not settings.base_url:
            raise ValueError("remote ASR needs asr.remote.base_url")
        self._settings = settings
        self._session = session
        self._url = transcriptions_url(settings.base_url)

    def _form(self, wav: bytes, language: str, prompt: str | None) -> aiohttp.FormData:
        form = aiohttp.FormData()
        form.add_field("file", wav, filename="note.wav", content_type="audio/wav")
        form.add_field("model", self._settings.model)
        form.add_field("language", language)
        form.add_field("response_format", "json")
        if prompt:
            form.add_field("prompt", prompt)
        return form

    def _headers(self) -> dict[str, str]:
        if self._settings.api_key is None:
            return {}
        return {"Authorization": f"Bearer {self._settings.api_key.get_secret_value()}"}

    async def _attempt(self, wav: bytes, language: str, prompt: str | None) -> str:
        timeout = aiohttp.ClientTimeout(total=self._settings.timeout_s)
        async with self._session.post(
            self._url,
            data=self._form(wav, language, prompt),
            headers=self._headers(),
            timeout=timeout,
        ) as response:
            if response.status != 200:
                body = (await response.text())[:200]
                raise _HttpStatusError(response.status, body)
            payload = await response.json(content_type=None)
        text = payload.get("text") if isinstance(payload, dict) else None
        if not isinstance(text, str):
            raise RemoteAsrError(f"response has no text field: {str(payload)[:200]}")
        return text

    async def transcribe(self, wav: bytes, *, language: str, prompt: str | None) -> str:
        """The server's transcript, or :class:`RemoteAsrError` once retries are used up."""
        attempts = self._settings.retries + 1
        last = "no attempt made"
        for attempt in range(attempts):
            if attempt:
                await asyncio.sleep(self._settings.backoff_s * 2 ** (attempt - 1))
            try:
                return await self._attempt(wav, language, prompt)
            except TimeoutError:
                last = f"timed out after {self._settings.timeout_s:g} s"
            except _HttpStatusError as exc:
                last = f"HTTP {exc.status}: {exc.body}"
                if exc.status not in _RETRYABLE_STATUS:
                    break
            except (aiohttp.ClientError, ValueError) as exc:
                # ValueError: the body was not JSON.
                last = f"{type(exc).__name__}: {exc}"
            log.warning("remote ASR attempt %d/%d failed: %s", attempt + 1, attempts, last)
        raise RemoteAsrError(last)


class _HttpStatusError(Exception):
    def __init__(self, status: int, body: str) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body
