"""Plain-language requests: is this text a visit note, a request, or chit-chat?

Rules first (``nlp.intent.classify``, against the organisation's client names); the optional
LLM only when the rules are unsure and ``nlp.llm`` is enabled. The dispatcher asks before any
feature sees a text, so a manager's "华东本月漏斗怎么样" reaches the feature that answers it and
never becomes a visit-note draft.
"""

from __future__ import annotations

import logging

import aiohttp

from bot.config.models import AppConfig
from bot.config.org import Person
from handlers.shared.catalog import CatalogService
from nlp.intent import UNSURE, IntentGuess, classify

log = logging.getLogger(__name__)


class IntentService:
    def __init__(self, config: AppConfig, catalogs: CatalogService) -> None:
        self.config = config
        self.catalogs = catalogs
        self._session: aiohttp.ClientSession | None = None  # for the optional LLM, opened on use

    async def read(self, text: str, person: Person) -> IntentGuess:
        catalog = await self.catalogs.get()
        guess = classify(text, catalog=catalog)
        if guess.confidence >= UNSURE or not self.config.nlp.llm.enabled:
            return guess
        second = await self._llm(text)
        if second is None:
            return guess
        log.info(
            "intent decided by the LLM",
            extra={"rules": guess.kind.value, "llm": second.kind.value, "who": person.id},
        )
        return second

    async def _llm(self, text: str) -> IntentGuess | None:
        from nlp.intent_llm import llm_classify

        if self._session is None:
            self._session = aiohttp.ClientSession()
        return await llm_classify(text, settings=self.config.nlp.llm, session=self._session)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
