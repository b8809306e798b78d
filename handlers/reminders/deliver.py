"""The ``deliver`` job: every push due now, one message per person.

It claims the due pushes into a batch named by its inbox row, so a retried run sends the same
batch with the same outbox keys (``in<row>:<n>``) and nothing twice; a person with several
pushes due together gets one message (a card when some are tasks, with 完成 / 推迟).
"""

from __future__ import annotations

import logging
from itertools import groupby

from bot.directory import Directory
from bot.jobs import JobRun, Push
from bot.pipeline.context import Context
from bot.replies import CardMessage, Text
from cards.store import CardStore
from handlers.reminders.cards import merged_text, reminder_card
from scheduler.pushes import PushStore, StoredPush

log = logging.getLogger(__name__)


async def deliver_pushes(
    ctx: Context, run: JobRun, pushes: PushStore, cards: CardStore, directory: Directory
) -> None:
    if run.dry_run:  # show what is due, claim nothing
        for person_id, group in groupby(await pushes.due(run.now), key=lambda p: p.person_id):
            items = list(group)
            run.push(
                Push(
                    f"preview:{person_id}",
                    person_id,
                    items[0].kind,
                    merged_text([p.text for p in items]),
                )
            )
        return
    batch = ctx.inbox_id
    claimed = await pushes.claim(batch, run.now)
    for n, (person_id, group) in enumerate(groupby(claimed, key=lambda p: p.person_id)):
        items = list(group)
        person = directory.get(person_id)
        if person is None:
            log.warning("push for someone not in the org", extra={"person": person_id})
            continue
        reply = await _message(f"rm-{batch}-{n}", person_id, items, cards)
        if not ctx.send_to(person, reply, via=pushes.prefer):
            log.warning("no channel reaches this person", extra={"person": person_id})


async def _message(
    card_id: str, person_id: str, items: list[StoredPush], cards: CardStore
) -> Text | CardMessage:
    texts = [p.text for p in items]
    tasks = [(i, p.task_id) for i, p in enumerate(items, 1) if p.task_id is not None]
    if not tasks:
        return Text(merged_text(texts))
    if await cards.get(card_id) is None:  # a retried run finds the card it stored before
        card = reminder_card(card_id, texts, tasks)
        await cards.create(
            card,
            kind="reminder",
            owner_id=person_id,
            data={"tasks": [t for _, t in tasks]},
            actors=[person_id],
        )
    return CardMessage(card_id)
