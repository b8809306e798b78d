"""Plain-language stats requests: a labelled table of what users type → the query it means."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config import load_config_text
from handlers.stats.model import Kind
from handlers.stats.requests import parse_stats_request
from handlers.stats.vocab import parse_args
from tests.support.harness import ROOT

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
CONFIG = load_config_text((ROOT / "config.yaml").read_text(encoding="utf-8"), env={})

# text → (kind, period key or None, {field: value})
LABELLED: list[tuple[str, Kind, str | None, dict[str, str]]] = [
    ("华东本月漏斗怎么样", Kind.funnel, "2026-11", {"region": "east"}),
    ("这个月谁签得最多", Kind.leaderboard, "2026-11", {"metric": "won"}),
    ("上个月渠道转化", Kind.conversion, "2026-10", {"dimension": "source"}),
    ("有哪些单子停滞了", Kind.stalled, None, {}),
    ("这个月能做多少", Kind.forecast, "2026-11", {}),
    ("看看漏斗", Kind.funnel, None, {}),
    ("华南区上月漏斗", Kind.funnel, "2026-10", {"region": "south"}),
    ("张伟本月的漏斗怎么样", Kind.funnel, "2026-11", {"person": "zhang.wei"}),
    ("华东一组这个月漏斗", Kind.funnel, "2026-11", {"team": "east-1"}),
    ("软件产品线本季漏斗", Kind.funnel, "2026-Q4", {"product_line": "软件"}),
    ("本月谁业绩最高", Kind.leaderboard, "2026-11", {"metric": "amount"}),
    ("这周谁拜访最多", Kind.leaderboard, "2026-W48", {"metric": "visits"}),
    ("本月新客户排行", Kind.leaderboard, "2026-11", {"metric": "new_clients"}),
    ("销售排名", Kind.leaderboard, None, {}),
    ("各区域转化率怎么样", Kind.conversion, None, {"dimension": "region"}),
    ("按产品看转化", Kind.conversion, None, {"dimension": "product"}),
    ("哪个渠道效果最好", Kind.conversion, None, {"dimension": "source"}),
    ("2026-09 渠道转化", Kind.conversion, "2026-09", {"dimension": "source"}),
    ("哪些商机卡住了？", Kind.stalled, None, {}),
    ("华东有没有停滞的单子", Kind.stalled, None, {"region": "east"}),
    ("每个阶段平均停留多久", Kind.dwell, None, {}),
    ("上月各阶段停留时间", Kind.dwell, "2026-10", {}),
    ("预测一下本月业绩", Kind.forecast, "2026-11", {}),
    ("本月预计业绩多少", Kind.forecast, "2026-11", {}),
    ("城市热力图", Kind.heatmap, None, {}),
    ("各城市转化怎么样", Kind.heatmap, None, {}),
    ("导出本月数据", Kind.export, "2026-11", {}),
    ("把上个月的报表导出成Excel", Kind.export, "2026-10", {}),
    ("转化怎么样", Kind.conversion, None, {"dimension": "source"}),
]
NOT_STATS = [
    "今天拜访了华东机械王经理，报价三十万，下周三之前发合同",
    "金桥物流项目停滞了，客户说预算冻结，下个月再谈",
    "和恒达科技电话沟通，确认了需求",
    "给南方纺织演示了仓储系统，反馈不错",
    "客户说想看看我们的转化案例",
    "",
    "/漏斗 本月",
    "你好",
]


@pytest.mark.parametrize(("text", "kind", "period", "fields"), LABELLED)
def test_plain_language_forms(
    text: str, kind: Kind, period: str | None, fields: dict[str, str]
) -> None:
    query = parse_stats_request(text, NOW, TZ, CONFIG)
    assert query is not None, text
    assert query.kind is kind
    assert (query.period.key if query.period else None) == period
    for name in ("region", "team", "person", "product_line", "dimension", "metric"):
        assert getattr(query, name) == fields.get(name), (text, name)


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
