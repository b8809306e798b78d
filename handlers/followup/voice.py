"""Voice notes: keep the original, acknowledge at once, transcribe off the event loop.

The rep hears back within a second ("收到 32 秒语音，正在识别…") however long recognition takes,
and the audio is stored before recognition starts, so an unusable file is never a lost note.
"""

from __future__ import annotations

import asyncio
import logging

from bot.channels.base import MediaError
from bot.config.org import Person
from bot.events import VoiceEvent
from bot.media import MediaFetcher
from bot.pipeline.context import Context
from bot.replies import Text
from handlers.followup.flow import FollowupFlow
from nlp.asr.errors import AsrError
from nlp.asr.service import AsrService
from nlp.audio import AudioError, mime_type, sniff_format
from nlp.textconv import ChineseConverter
from storage.media import MediaStore

log = logging.getLogger(__name__)


class VoiceNotes:
    """Owns the ASR service; the model loads on first use (or at startup when preloaded)."""

    def __init__(self, asr: AsrService, media: MediaStore) -> None:
        self.asr = asr
        self.media = media
        self.converter = ChineseConverter()
        self._started: asyncio.Task[None] | None = None

    def preload(self) -> None:
        if self._started is None:
            self._started = asyncio.create_task(self.asr.start())

    async def ready(self) -> AsrService:
        self.preload()
        assert self._started is not None
        await asyncio.shield(self._started)
        return self.asr

    async def close(self) -> None:
        if self._started is not None and not self._started.done():
            self._started.cancel()
        await self.asr.close()


async def hotwords_for(flow: FollowupFlow, person: Person) -> list[str]:
    catalog = await flow.catalogs.get()
    own = [c for c in catalog.clients if c.owner_id == person.id]
    words = [c.name for c in own] + [n for c in own for n in c.contacts]
    words += [p.name for p in flow.config.products]
    return list(dict.fromkeys(words))


async def transcribe_note(
    ctx: Context,
    event: VoiceEvent,
    person: Person,
    flow: FollowupFlow,
    fetcher: MediaFetcher,
    voice: VoiceNotes,
) -> tuple[str, list[int]] | None:
    """(text, stored audio ids), or None after telling the rep what went wrong."""
    settings = flow.config.asr
    if event.recognition and event.recognition.strip() and settings.platform_trust_alone:
        # DingTalk already heard it: no download, no local recognition.
        return voice.converter.to_simplified(event.recognition.strip()), []
    try:
        data = await fetcher.fetch(event)
    except MediaError as exc:
        log.warning("voice note could not be fetched: %s", exc)
        ctx.reply(Text(exc.message_zh))
        return None
    stored = await voice.media.save(data, mime_type(sniff_format(data)))
    asr = await voice.ready()
    try:
        seconds = await asr.probe_duration(data)
        ctx.reply(Text(f"收到 {max(round(seconds), 1)} 秒语音，正在识别…"))
        await ctx.flush()
        transcript = await asr.transcribe(
            data, hotwords=await hotwords_for(flow, person), platform_text=event.recognition
        )
    except (AudioError, AsrError) as exc:
        log.warning("voice note not transcribed", extra={"media": stored.id, "reason": str(exc)})
        ctx.reply(Text(f"{exc.message_zh}（原始语音已保存）"))
        return None
    return transcript.text, [stored.id]
