"""When a text might be a request rather than a visit note, ask once instead of guessing."""

from __future__ import annotations

import hashlib
from enum import StrEnum

from bot.config.org import Person
from bot.pipeline.context import Context
from bot.replies import CardMessage
from cards.actions import CardAction
from cards.model import Button, Card
from handlers.followup.flow import FollowupFlow

KIND = "note_check"
NOT_RECORDED = "好的，这条消息不记为拜访。想查数据或客户，发送 /帮助 查看可用的命令。"


class Answer(StrEnum):
    yes = "yes"
    no = "no"


class NoteCheck(CardAction, prefix="nq"):
    op: Answer


def question_card(card_id: str, text: str) -> Card:
    excerpt = text if len(text) <= 60 else text[:58] + "…"
    return Card(
        card_id,
        "这是一条拜访记录吗？",
        "我不确定这条消息是拜访记录还是查询",
        note=f"原话：{excerpt}",
        buttons=(
            Button("是，整理成拜访记录", NoteCheck(card_id, 0, Answer.yes).pack(), "primary"),
            Button("不是", NoteCheck(card_id, 0, Answer.no).pack()),
        ),
    )


async def ask_if_note(ctx: Context, person: Person, text: str, flow: FollowupFlow) -> None:
    # One question per inbox message: a retried handler finds the card it already made.
    digest = hashlib.sha1(f"{ctx.event.platform}:{ctx.event.dedupe_key}".encode()).hexdigest()
    card_id = f"nq-{digest[:10]}"
    if await flow.cards.get(card_id) is None:
        await flow.cards.create(
            question_card(card_id, text),
            kind=KIND,
            owner_id=person.id,
            data={"text": text, "time": ctx.event.time.isoformat()},
        )
    ctx.reply(CardMessage(card_id))
