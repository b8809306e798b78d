"""Plain-language stats requests: "华东本月漏斗怎么样" → the query /漏斗 本月 华东 builds.

Rules, not a model: a short message naming what it wants (漏斗, 转化, 谁…最多, 停滞 …) with a
question or request cue. Visit notes ("今天拜访了华东机械…") are long narratives and stay with
the follow-up feature.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.config.models import AppConfig
from handlers.stats.model import Kind, StatsQuery
from handlers.stats.periods import find_period
from handlers.stats.vocab import Vocabulary, apply

MAX_LENGTH = 30  # a question about numbers is short; a visit note is not
LONG_CLAUSES = 16
# What the message is about, tried in order (the first match decides).
INTENTS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (Kind.export, re.compile(r"导出|导一下|excel|表格|报表文件", re.I)),
    (Kind.heatmap, re.compile(r"热力图|各城市|哪个城市|城市.{0,4}(转化|成交|分布)")),
    (
        Kind.forecast,
        re.compile(
            r"预测|能(做|完成|签|拿|冲)到?多少|预计.{0,6}(业绩|收入|营收|成交)|业绩预估|能完成.{0,3}目标"
        ),
    ),
    (
        Kind.stalled,
        re.compile(r"停滞|卡住|卡着|没(有)?推进|不动了|没动静|没动的|很久没(跟进|联系|动)"),
    ),
    (
        Kind.dwell,
        re.compile(r"停留|(每个|各个?)阶段.{0,6}(多久|几天|多长)|阶段.{0,2}(时长|耗时)|销售周期"),
    ),
    (Kind.conversion, re.compile(r"转化|哪个(渠道|来源)|(渠道|来源).{0,4}(效果|成交)")),
    (Kind.funnel, re.compile(r"漏斗|pipeline|各阶段.{0,4}(多少|几个|分布)|商机分布", re.I)),
    (
        Kind.leaderboard,
        re.compile(r"排行|排名|谁.{0,8}(最多|最高|最好|第一|最少)|前[三五十几]名|top", re.I),
    ),
)
ASKING = re.compile(
    r"[?？吗呢几]|怎么样|如何|多少|多久|多长|哪些|哪个|有没有|谁|看看|看一下|查|给我|列|发我|情况|统计"
)
STRONG = frozenset({Kind.funnel, Kind.heatmap, Kind.export, Kind.leaderboard, Kind.forecast})
NARRATIVE = re.compile(r"拜访了|见了|今天去|客户说|聊了|演示了|报价了|电话沟通")


def parse_stats_request(
    text: str, now: datetime, tz: ZoneInfo, config: AppConfig
) -> StatsQuery | None:
    """The stats query a plain message asks for, or None when it is not a stats request."""
    text = text.strip()
    if not text or text.startswith(("/", "／")) or len(text) > MAX_LENGTH:
        return None
    if NARRATIVE.search(text):
        return None
    if len(text) > LONG_CLAUSES and ("，" in text or "," in text):
        return None  # a question about numbers is one clause; a story has several
    kind = next((k for k, pattern in INTENTS if pattern.search(text)), None)
    if kind is None:
        return None
    query = StatsQuery(kind)
    rest = text
    found = find_period(text, now, tz)
    if found is not None:
        query, rest = replace(query, period=found[0]), found[1]
    words = Vocabulary.of(config).scan(rest)
    for field, value in words:
        query = apply(query, field, value)
    # Words that also occur in notes ("项目停滞", "转化") need a question, a period or a stats
    # word (渠道, 区域 …) around them. A region name alone is no evidence: 华东机械 is a client.
    stats_word = any(field in ("dimension", "metric") for field, _ in words)
    if kind not in STRONG and not (ASKING.search(text) or found or stats_word or len(text) <= 6):
        return None
    if kind is Kind.conversion and query.dimension is None:
        query = replace(query, dimension="source")
    return query
