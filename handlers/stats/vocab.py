"""The words stats arguments are made of: regions, teams, people, product lines, dimensions and
leaderboard metrics, read from the config; and the slash-command argument parser."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.config.models import AppConfig
from handlers.stats.model import Dimension, Kind, LeaderMetric, StatsQuery
from handlers.stats.periods import find_period

DIMENSION_WORDS: dict[str, Dimension] = {
    "渠道": "source",
    "来源": "source",
    "线索来源": "source",
    "source": "source",
    "区域": "region",
    "地区": "region",
    "大区": "region",
    "region": "region",
    "产品线": "product",
    "产品": "product",
    "product": "product",
}
METRIC_WORDS: dict[str, LeaderMetric] = {
    "成单": "won",
    "签单": "won",
    "赢单": "won",
    "签约": "won",
    "签": "won",
    "金额": "amount",
    "业绩": "amount",
    "销售额": "amount",
    "拜访": "visits",
    "跟进": "visits",
    "新客户": "new_clients",
    "拓客": "new_clients",
    "线索": "new_clients",
}


@dataclass(frozen=True)
class Vocabulary:
    """word → (field of StatsQuery, value)."""

    words: dict[str, tuple[str, Any]]

    @classmethod
    def of(cls, config: AppConfig) -> Vocabulary:
        words: dict[str, tuple[str, Any]] = {}
        for w, m in METRIC_WORDS.items():
            words[w] = ("metric", m)
        for w, d in DIMENSION_WORDS.items():
            words[w] = ("dimension", d)
        for p in config.products:
            if p.line:
                for name in (p.name, *p.aliases):
                    words[name] = ("product_line", p.line)
        for line in {p.line for p in config.products if p.line}:
            words[line] = ("product_line", line)
        for person in config.people:
            words[person.name] = ("person", person.id)
            words[person.id] = ("person", person.id)
        for t in config.teams:
            words[t.name] = ("team", t.id)
            words[t.id] = ("team", t.id)
        for r in config.regions:
            words[r.name] = ("region", r.id)
            words[r.name + "区"] = ("region", r.id)
            words[r.id] = ("region", r.id)
        return cls(words)

    def scan(self, text: str) -> list[tuple[str, Any]]:
        """Every known word inside ``text``, longest first, without overlaps."""
        taken = [False] * len(text)
        found: list[tuple[int, str, Any]] = []
        for word in sorted(self.words, key=len, reverse=True):
            start = text.find(word)
            while start >= 0:
                end = start + len(word)
                if not any(taken[start:end]):
                    taken[start:end] = [True] * len(word)
                    found.append((start, *self.words[word]))
                start = text.find(word, end)
        return [(f, v) for _, f, v in sorted(found, key=lambda x: x[0])]


def apply(query: StatsQuery, field: str, value: Any) -> StatsQuery:
    # A leaderboard takes a metric, a conversion a dimension; elsewhere they are ignored.
    if field == "metric" and query.kind is not Kind.leaderboard:
        return query
    if field == "dimension" and query.kind is not Kind.conversion:
        return query
    if getattr(query, field) is not None:
        return query  # the first mention wins
    return replace(query, **{field: value})


def parse_args(
    kind: Kind, text: str, now: datetime, tz: ZoneInfo, config: AppConfig
) -> StatsQuery | str:
    """The arguments of a slash command; a Chinese error message when a word is not understood."""
    query = StatsQuery(kind)
    rest = text.strip()
    found = find_period(rest, now, tz)
    if found is not None:
        query = replace(query, period=found[0])
        rest = found[1]
    vocab = Vocabulary.of(config)
    for token in rest.replace("，", " ").replace(",", " ").split():
        hit = vocab.words.get(token) or vocab.words.get(token.lower())
        if hit is None:
            return (
                f"看不懂“{token}”。期间可写 本周、本月、上月、本季 或 2026-10；"
                "也可以写区域、团队、姓名或产品线。"
            )
        query = apply(query, *hit)
    return query
