"""Operations: the metrics the issue lists are on /metrics with real values, and one request id
follows a message from the callback through the worker to the delivered reply."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from bot.config import load_config_text
from bot.logs import setup_logging
from scheduler.state import note_run
from storage.models import Approval, InboxMessage, OutboxMessage
from tests.bot.test_app import reply_to
from tests.support.harness import ROOT, Harness

LISTED = (
    "salesbot_callbacks_total",
    "salesbot_callback_seconds",
    "salesbot_inbox_depth",
    "salesbot_inbox_oldest_age_seconds",
    "salesbot_outbox_depth",
    "salesbot_outbox_oldest_age_seconds",
    "salesbot_outbox_failures_total",
    "salesbot_outbox_retrying",
    "salesbot_outbox_given_up",
    "salesbot_asr_queue",
    "salesbot_asr_realtime_factor",
    "salesbot_approvals_past_sla",
    "salesbot_scheduler_lag_seconds",
)


@contextmanager
def app_log(bot: Harness) -> Iterator[io.StringIO]:
    """What the app's own log setup writes meanwhile; the test runner's handlers come back after."""
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    setup_logging(bot.runtime.config, stream)
    try:
        yield stream
    finally:
        for h in list(root.handlers):
            root.removeHandler(h)
        for h in saved[0]:
            root.addHandler(h)
        root.setLevel(saved[1])


async def test_request_id_follows_a_message_to_its_reply(bot: Harness) -> None:
    """At the level config.yaml ships with (INFO), through the app's own log setup: the id is on
    the callback's, the handling's and the delivery's line, as an operator's journal shows them."""
    shipped = load_config_text((ROOT / "config.yaml").read_text(encoding="utf-8"), env={})
    assert bot.runtime.config.logging == shipped.logging
    with app_log(bot) as stream:
        await reply_to(bot, "zhang.wei", "/帮助")
        await reply_to(bot, "li.na", "/帮助")
    first = await InboxMessage.filter(user_key__contains="zhang.wei").first()
    assert first is not None and first.request_id
    replies = await OutboxMessage.filter(request_id=first.request_id).count()
    assert replies == 1
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    mine = [line["msg"] for line in lines if line.get("request_id") == first.request_id]
    assert mine == ["event received", "event handled", "reply delivered"]
    # The other message has its own id, on its own lines.
    ids = {line.get("request_id") for line in lines if line["logger"].startswith("bot.pipeline")}
    assert len(ids) == 2


async def test_callbacks_stored_together_share_one_line_naming_each_id(bot: Harness) -> None:
    """A burst is logged per stored batch, not per callback (a line per message would slow the
    acknowledgements); each request id is still on its callback's line, ready for grep."""
    channel = bot.channel
    with app_log(bot) as stream:
        await asyncio.gather(
            *(channel.inject(channel.text_event(u, "/帮助")) for u in ("zhang.wei", "li.na"))
        )
    ids = sorted(str(r.request_id) for r in await InboxMessage.all())
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    received = [line for line in lines if line["msg"].endswith("received")]
    assert [(r["msg"], r["count"]) for r in received] == [("events received", 2)]
    assert sorted(received[0]["request_ids"].split(",")) == ids


async def test_the_listed_metrics_are_exported_with_values(bot: Harness) -> None:
    assert bot.client is not None
    now = bot.runtime.clock.now()
    await Approval.create(
        template="t", requester_id="zhang.wei", title="a", sla_due_at=now - timedelta(hours=1)
    )
    await Approval.create(
        template="t", requester_id="zhang.wei", title="b", sla_due_at=now + timedelta(hours=1)
    )
    # The stall scan's 09:00 slot started 2.5 s late (job_runs, where the runner records it).
    slot = now.replace(hour=1, minute=0, second=0, microsecond=0)
    await note_run(bot.runtime.db, "stall", slot, slot + timedelta(seconds=2.5), False)
    bot.runtime.metrics.asr_started()
    bot.runtime.metrics.asr_finished("bundled", 10.0, 3.0)
    resp = await bot.client.get("/metrics")
    body = await resp.text()
    for name in LISTED:
        assert name in body, name
    assert "salesbot_approvals_past_sla 1.0" in body
    assert "salesbot_inbox_depth 0.0" in body
    assert 'salesbot_scheduler_lag_seconds{job="stall"} 2.5' in body
    assert 'salesbot_asr_realtime_factor_bucket{engine="bundled",le="0.3"} 1.0' in body
    assert "salesbot_asr_queue 0.0" in body


async def test_every_dashboard_and_alert_expression_uses_exported_metrics(bot: Harness) -> None:
    import re

    from tests.support.harness import ROOT

    assert bot.client is not None
    await reply_to(bot, "zhang.wei", "/帮助")
    body = await (await bot.client.get("/metrics")).text()
    exported = set(re.findall(r"^# TYPE (\w+) ", body, re.M))
    dashboard = json.loads((ROOT / "docs" / "grafana-dashboard.json").read_text(encoding="utf-8"))
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    assert len(exprs) >= 10
    import yaml

    rules = yaml.safe_load((ROOT / "docs" / "deploy" / "alerts.yml").read_text(encoding="utf-8"))
    exprs += [r["expr"] for g in rules["groups"] for r in g["rules"]]
    for expr in exprs:
        for name in re.findall(r"salesbot_\w+", expr):
            # A histogram is typed under its base name; a counter under its _total name.
            base = re.sub(r"_(bucket|sum|count)$", "", name)
            assert name in exported or base in exported, (name, expr)


async def test_asr_reports_its_queue_and_real_time_factor_to_the_metrics() -> None:
    import pytest
    from prometheus_client import generate_latest

    from bot.metrics import Metrics
    from nlp.asr.errors import AsrError
    from nlp.asr.service import AsrService
    from nlp.settings_asr import AsrSettings
    from tests.support.harness import ROOT

    metrics = Metrics()
    asr = AsrService(AsrSettings(executor="thread"), observer=metrics)
    note = (ROOT / "tests" / "data" / "audio" / "visit_quote.amr").read_bytes()
    # DingTalk's own transcript: no local engine needed, yet the note's length is measured.
    transcript = await asr.transcribe(note, platform_text="客户说明天答复")
    body = generate_latest(metrics.registry).decode()
    assert 'salesbot_asr_realtime_factor_count{engine="platform"} 1.0' in body
    assert transcript.duration_s > 1 and "salesbot_asr_queue 0.0" in body
    with pytest.raises(AsrError):  # the engine was never started: a failure, still dequeued
        await asr.transcribe(note)
    body = generate_latest(metrics.registry).decode()
    assert "salesbot_asr_queue 0.0" in body
    assert 'salesbot_asr_realtime_factor_count{engine="failed"}' not in body
