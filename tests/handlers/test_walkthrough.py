"""docs/architecture.md, "How to add a feature", is true of the code.

The section's code block is tests/handlers/walkthrough_sample.py, character for character; this
test adds that sample feature to the shipped ones the way the steps say (before the follow-up,
with its schedule a field of ``Schedules``), starts the real app and exercises its command, card
action, permissions and job. The other claims the steps make are checked here too.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from pydantic import ValidationError, field_validator

from bot.app import build_runtime, create_app
from bot.clock import ManualClock
from bot.config.models import AppConfig
from bot.config.schedule import Schedules, check_schedule
from bot.feature import Feature, StartupError
from bot.pipeline.context import Context
from bot.pipeline.dispatcher import TOPIC_LABELS
from bot.pipeline.router import Router
from bot.replies import CardMessage, CardUpdate, Markdown, Text
from handlers.features import features
from nlp.intent import Topic
from storage.models import AuditLog, CardInstance
from tests.handlers import walkthrough_sample as samples
from tests.support.crm import NOW, seed_world
from tests.support.harness import ROOT, Harness, build_harness, make_config
from tests.support.jobs import pushes, run_slot, sh

SECTION = "## How to add a feature"


def doc_section() -> str:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + 1)
    return text[start:end]


def test_the_docs_code_is_the_sample_this_test_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", doc_section(), re.S)
    assert len(blocks) == 1
    sample = (ROOT / "tests" / "handlers" / "walkthrough_sample.py").read_text(encoding="utf-8")
    assert blocks[0] == sample


class SampleSchedules(Schedules):
    """Step 7: the job's schedule is a field of ``Schedules`` (config forbids unknown keys)."""

    samples_scan: str = "every 10m"

    @field_validator("samples_scan")
    @classmethod
    def _samples(cls, value: str) -> str:
        return check_schedule(value)


def with_samples_schedule(config: AppConfig) -> AppConfig:
    schedules = SampleSchedules(**config.schedules.model_dump())
    return config.model_copy(update={"schedules": schedules})


def shipped_with_samples() -> list[Feature]:
    """Step 1: listed in handlers/features.py, before the follow-up."""
    *others, followup = features()
    assert followup.name == "followup"
    return [*others, samples.FEATURE, followup]


def test_a_schedule_key_config_does_not_know_is_refused() -> None:
    with pytest.raises(ValidationError, match="samples_scan"):
        Schedules.model_validate({"samples_scan": "every 10m"})
    assert SampleSchedules.model_validate({"samples_scan": "every 10m"}).samples_scan


def test_without_its_schedule_field_the_sample_does_not_start(sqlite_url: str) -> None:
    with pytest.raises(StartupError, match=r"schedules\.samples_scan"):
        build_runtime(make_config(sqlite_url), features=shipped_with_samples())


def test_a_topic_is_claimed_by_one_feature_only(sqlite_url: str) -> None:
    """Step 5: approvals already claims its topic; the shipped features leave only `status`."""
    router = Router("again")

    @router.request(Topic.approvals)
    async def mine_too(ctx: Context) -> None:
        return None

    with pytest.raises(StartupError, match="request topic 'approvals' is claimed twice"):
        build_runtime(make_config(sqlite_url), features=[*features(), Feature("again", router)])
    runtime = build_runtime(make_config(sqlite_url))
    assert {t.value for t in Topic} - runtime.dispatcher.request_topics == {"status"}
    assert set(TOPIC_LABELS) == {t.value for t in Topic}  # "not available yet" names each


@pytest.fixture
async def bot(db_url: str, aiohttp_client) -> AsyncIterator[Harness]:  # type: ignore[no-untyped-def]
    config = with_samples_schedule(make_config(db_url))
    h = build_harness(config, clock=ManualClock(NOW), features=shipped_with_samples())
    h.client = await aiohttp_client(create_app(config, runtime=h.runtime))
    await seed_world()  # 华东机械 is 张伟's client; 赵磊 is his supervisor
    yield h


def by_recipient(sent: list) -> dict[str, object]:  # type: ignore[type-arg]
    return {m.recipient: m.reply for m in sent}


async def test_the_sample_feature_works_as_the_walkthrough_says(bot: Harness) -> None:
    # Step 2 + 3: the command, its permission and /帮助.
    await bot.say("xu.qing", "/寄样 华东机械")
    (refused,) = await bot.next_sent()
    assert refused.reply == Text(
        "你的角色（法务）不能使用 /寄样。发送 /帮助 查看你可以使用的命令。"
    )
    for who, listed in (("zhang.wei", True), ("xu.qing", False)):
        await bot.say(who, "/帮助")
        (help_,) = await bot.next_sent()
        assert isinstance(help_.reply, Markdown)
        assert ("`/寄样`" in help_.reply.text) is listed, who

    await bot.say("zhang.wei", "/寄样 华东机械")
    sent = by_recipient(await bot.next_sent(2))
    assert sent["zhang.wei"] == Text("已提交，等待 赵磊 确认。")
    card = sent["zhao.lei"]
    assert isinstance(card, CardMessage)
    instance = await CardInstance.get(id=card.card_id)
    assert (instance.kind, instance.status, instance.version) == ("sample", "open", 1)

    # Step 7: the job, as of a given time; its key makes a second run push nothing new.
    await run_slot(bot, "samples_due", sh(2026, 11, 27, 16))  # the same day: not yet
    assert await pushes(bot.runtime.db) == []
    await run_slot(bot, "samples_due", sh(2026, 11, 30, 10))  # Monday
    await run_slot(bot, "samples_due", sh(2026, 11, 30, 10, 10))
    (push,) = await pushes(bot.runtime.db)
    assert (push["key"], push["person_id"], push["kind"]) == (
        f"samples:{card.card_id}:zhao.lei",
        "zhao.lei",
        "sample_due",
    )
    await run_slot(bot, "deliver", sh(2026, 11, 30, 10, 11))
    (reminded,) = await bot.next_sent()
    assert (reminded.recipient, reminded.reply) == ("zhao.lei", Text("华东机械 的寄样申请还在等你确认。"))  # fmt: skip

    # Step 4: the tap's permission, then the card's actors, then the handler.
    await bot.tap("li.na", card.card_id, "同意")
    (no_role,) = await bot.next_sent()
    assert no_role.reply == Text("你的角色（销售）不能确认寄样。发送 /帮助 查看你可以使用的命令。")
    await bot.tap("wang.li", card.card_id, "同意")
    (not_theirs,) = await bot.next_sent()
    assert not_theirs.reply == Text("这张卡片需要由赵磊处理，你不能操作。")
    await bot.tap("zhao.lei", card.card_id, "同意")
    sent = by_recipient(await bot.next_sent(2))
    assert sent == {
        "zhang.wei": Text("赵磊同意给 华东机械 寄样品。"),
        "zhao.lei": CardUpdate(card.card_id),
    }
    decided = await CardInstance.get(id=card.card_id)
    assert (decided.status, decided.version) == ("closed", 2)
    audit = await AuditLog.get(action="samples.decide")
    assert audit.actor == "zhao.lei" and audit.details["op"] == "ok"
    assert await AuditLog.filter(action="card.refused").count() == 2

    # A decided request is no longer reminded.
    await run_slot(bot, "samples_due", sh(2026, 12, 1, 10))
    assert len(await pushes(bot.runtime.db)) == 1
