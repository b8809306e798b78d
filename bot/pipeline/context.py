"""What a handler gets: the event, who sent it, and a way to answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.config.models import AppConfig
from bot.config.org import Person
from bot.directory import Directory
from bot.events import Event
from bot.pipeline.commands import CommandInvocation
from bot.pipeline.outbox import Address, Outbox, OutgoingMessage
from bot.replies import Reply
from bot.services import Services
from nlp.intent import IntentGuess

if TYPE_CHECKING:
    from bot.jobs import JobRun
    from bot.pipeline.taps import Tap


@dataclass
class Context:
    event: Event
    config: AppConfig
    directory: Directory
    services: Services
    outbox: Outbox
    inbox_id: int
    person: Person | None = None
    command: CommandInvocation | None = None
    intent: IntentGuess | None = None  # what a text is: a visit note, a request, chit-chat
    tap: Tap[Any] | None = None  # set by the shared tap step for the handler it runs
    job: JobRun | None = None  # set by the job runner for the job it runs
    pending: list[OutgoingMessage] = field(default_factory=list)
    _seq: int = 0

    @property
    def origin(self) -> Address:
        e = self.event
        recipient = f"chat:{e.conversation_id}" if e.conversation_id else e.user_id
        return Address(e.platform, e.app, recipient)

    def _key(self) -> str:
        # Deterministic per handler run: a retried handler re-queues the same keys (no doubles).
        self._seq += 1
        return f"in{self.inbox_id}:{self._seq}"

    def reply(self, *replies: Reply) -> None:
        """Answer where the event came from; sent after the handler finishes."""
        for r in replies:
            self.pending.append(OutgoingMessage(self.origin, r, self._key()))

    def send_to(self, person: Person, *replies: Reply, via: Address | None = None) -> bool:
        """Message another person on their platform (the sender's platform if they are on it;
        ``via`` for events with no platform of their own, such as a job's tick)."""
        address = self.directory.address(person, prefer=via or self.origin)
        if address is None:
            return False
        for r in replies:
            self.pending.append(OutgoingMessage(address, r, self._key()))
        return True

    async def flush(self) -> None:
        """Persist what is queued now, e.g. a receipt before slow work starts."""
        pending, self.pending = self.pending, []
        await self.outbox.add(pending)
