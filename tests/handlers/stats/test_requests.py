"""Plain-language stats requests: a labelled table of what users type → the query it means."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config import load_config_text
from handlers.stats.model import INTENT_TOPICS, Kind
from handlers.stats.requests import parse_stats_request
from handlers.stats.vocab import parse_args
from nlp.extract.evaluation import load_catalog
from nlp.intent import UNSURE, classify
from nlp.intent import Kind as IntentKind
from tests.support.harness import ROOT

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
CONFIG = load_config_text((ROOT / "config.yaml").read_text(encoding="utf-8"), env={})

# text → (kind, period key or None, {field: value})
# The labelled set lives in tests/data so the intent benchmark can read it too:
# text → command (None: not a stats request), period key relative to NOW, and the arguments.
CASES = json.loads((ROOT / "tests" / "data" / "stats_requests.json").read_text(encoding="utf-8"))
LABELLED = [(c["text"], Kind(c["command"]), c["period"], c["args"]) for c in CASES if c["command"]]
NOT_STATS = [c["text"] for c in CASES if c["command"] is None]
TOPIC_OF = {c["text"]: c["topic"] for c in CASES if c["command"]}
CATALOG = load_catalog(ROOT / "tests" / "data" / "catalog.json")


@pytest.mark.parametrize(("text", "kind", "period", "fields"), LABELLED)
def test_plain_language_forms(
    text: str, kind: Kind, period: str | None, fields: dict[str, str]
) -> None:
    query = parse_stats_request(text, NOW, TZ, CONFIG)
    assert query is not None, text
    assert query.kind is kind
    assert (query.period.key if query.period else None) == period
    assert INTENT_TOPICS[TOPIC_OF[text]] is kind  # the intent benchmark's topic names agree
    for name in ("region", "team", "person", "product_line", "dimension", "metric"):
        assert getattr(query, name) == fields.get(name), (text, name)


@pytest.mark.parametrize(("text", "kind"), [(text, kind) for text, kind, _, _ in LABELLED])
def test_the_intent_reader_is_sure_each_form_is_its_stats_request(text: str, kind: Kind) -> None:
    # The dispatcher hands a text to the stats feature only as a request at UNSURE or above;
    # below it the bot asks "这是一条拜访记录吗？" instead of answering.
    guess = classify(text, catalog=CATALOG)
    assert guess.kind is IntentKind.request and guess.topic is not None, (text, guess)
    assert INTENT_TOPICS[guess.topic.value] is kind, (text, guess)
    assert guess.confidence >= UNSURE, (text, guess)


@pytest.mark.parametrize("text", NOT_STATS)
def test_visit_notes_and_chat_are_not_stats(text: str) -> None:
    assert parse_stats_request(text, NOW, TZ, CONFIG) is None


def test_command_arguments_build_the_same_query() -> None:
    typed = parse_args(Kind.funnel, "本月 华东", NOW, TZ, CONFIG)
    spoken = parse_stats_request("华东本月漏斗怎么样", NOW, TZ, CONFIG)
    assert typed == spoken
    conv = parse_args(Kind.conversion, "渠道 上月", NOW, TZ, CONFIG)
    assert conv == parse_stats_request("上个月渠道转化", NOW, TZ, CONFIG)
    rank = parse_args(Kind.leaderboard, "拜访 2026-10 华东一组", NOW, TZ, CONFIG)
    assert not isinstance(rank, str)
    assert (rank.metric, rank.period and rank.period.key, rank.team) == (
        "visits",
        "2026-10",
        "east-1",
    )


def test_unknown_argument_is_explained() -> None:
    error = parse_args(Kind.funnel, "本月 火星", NOW, TZ, CONFIG)
    assert isinstance(error, str) and "“火星”" in error
