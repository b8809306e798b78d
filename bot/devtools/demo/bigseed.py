"""A large, deterministic sales history for benchmarks and the forecast backtest.

``generate`` is pure (same scale, seed and clock → the same rows) and vectorised with numpy:
200 reps, 20,000 clients, 100,000 deals and 1,000,000 follow-ups take seconds to build. Stage
durations and advance rates differ by lead source and region, so conversion and dwell answers
have something to show. ``bulkload`` writes the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from bot.devtools.demo.seed import PREFIXES, SUFFIXES, SURNAMES  # one list of names

OPEN_STAGES = ("首次接触", "需求确认", "方案演示", "报价谈判")
WON, LOST = "赢单", "输单"
REGIONS = (
    ("east", "华东", ("上海", "杭州", "苏州", "南京", "宁波", "合肥")),
    ("south", "华南", ("广州", "深圳", "东莞", "佛山", "厦门", "福州")),
    ("north", "华北", ("北京", "天津", "石家庄", "济南", "青岛", "太原")),
    ("west", "西南", ("成都", "重庆", "昆明", "贵阳", "南宁", "西安")),
    ("central", "华中", ("武汉", "长沙", "郑州", "南昌", "沈阳", "大连")),
)
# source: (advance multiplier, duration multiplier) — referrals close more and faster.
SOURCES = {
    "转介绍": (1.25, 0.7),
    "渠道伙伴": (1.10, 0.9),
    "展会": (1.00, 1.0),
    "官网": (0.92, 1.1),
    "社交媒体": (0.85, 1.2),
    "电话拓客": (0.75, 1.4),
}
REGION_FACTORS = {
    "east": (1.08, 0.9),
    "south": (1.0, 1.0),
    "north": (0.95, 1.1),
    "west": (0.88, 1.25),
    "central": (0.97, 1.05),
}
ADVANCE = np.array([0.78, 0.72, 0.66, 0.62])  # chance to move on from each open stage
MEDIAN_DAYS = np.array([4.0, 7.0, 6.0, 9.0])  # typical stay in each open stage
LINES = (("软件", 350_000), ("平台", 500_000), ("服务", 120_000))
GIVEN = "伟芳娜敏静磊军洋勇艳杰涛明超霞平刚"


@dataclass(frozen=True)
class Scale:
    reps: int
    clients: int
    deals: int
    followups: int
    months: int = 18

    @classmethod
    def named(cls, name: str) -> Scale:
        if name == "large":
            return cls(reps=200, clients=20_000, deals=100_000, followups=1_000_000)
        if name == "medium":
            return cls(reps=60, clients=4_000, deals=20_000, followups=200_000)
        raise ValueError(f"unknown scale {name!r}")


@dataclass
class BigData:
    """Rows as tuples in table column order (see bulkload.COLUMNS)."""

    teams: list[tuple[object, ...]]
    people: list[tuple[object, ...]]
    clients: list[tuple[object, ...]]
    contacts: list[tuple[object, ...]]
    deals: list[tuple[object, ...]]
    history: list[tuple[object, ...]]
    followups: list[tuple[object, ...]]


def _org(
    scale: Scale,
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], list[str], list[str]]:
    """Teams of ten reps, four teams a region; a supervisor per team, a manager per region."""
    now = datetime(2000, 1, 1, tzinfo=UTC)
    teams: list[tuple[object, ...]] = []
    people: list[tuple[object, ...]] = [
        ("bd-director", "总监甲", "director", None, "销售总监", now, None)
    ]
    team_count = max(1, (scale.reps + 9) // 10)
    rep_ids: list[str] = []
    rep_regions: list[str] = []
    for r_id, r_name, _ in REGIONS:
        people.append(
            (f"bm-{r_id}", f"{r_name}经理", "manager", "bd-director", f"{r_name}经理", now, None)
        )
    for t in range(team_count):
        region_id, region_name, _ = REGIONS[t % len(REGIONS)]
        team_id = f"bt{t + 1:02d}"
        sup = f"bs{t + 1:02d}"
        teams.append(
            (team_id, f"{region_name}{t // len(REGIONS) + 1}组", region_id, region_name, sup)
        )
        people.append(
            (sup, f"主管{t + 1:02d}", "supervisor", f"bm-{region_id}", "主管", now, team_id)
        )
    for i in range(scale.reps):
        t = i % team_count
        region_id = REGIONS[t % len(REGIONS)][0]
        rid = f"br{i + 1:03d}"
        name = (
            SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)] + f"{i + 1:03d}"
        )
        people.append((rid, name, "rep", f"bs{t + 1:02d}", "销售", now, f"bt{t + 1:02d}"))
        rep_ids.append(rid)
        rep_regions.append(region_id)
    return teams, people, rep_ids, rep_regions


def generate(scale: Scale, *, seed: int, now: datetime) -> BigData:
    rng = np.random.default_rng(seed)
    teams, people, rep_ids, rep_regions = _org(scale)
    start = now - timedelta(days=round(scale.months * 30.44))
    span_s = (now - start).total_seconds()
    sources = list(SOURCES)

    # ---- clients
    owner = rng.integers(0, len(rep_ids), scale.clients)
    region_of = np.array(rep_regions)[owner]
    region_index = {r[0]: i for i, r in enumerate(REGIONS)}
    city_pick = rng.integers(0, 6, scale.clients)
    source = rng.integers(0, len(sources), scale.clients)
    c_created = rng.uniform(0, span_s * 0.97, scale.clients)
    clients: list[tuple[object, ...]] = []
    contacts: list[tuple[object, ...]] = []
    has_phone = rng.random(scale.clients) < 0.7
    for i in range(scale.clients):
        reg = str(region_of[i])
        city = REGIONS[region_index[reg]][2][int(city_pick[i])]
        name = f"{city}{PREFIXES[i % len(PREFIXES)]}{SUFFIXES[(i // len(PREFIXES)) % len(SUFFIXES)]}{i + 1:05d}"
        made = start + timedelta(seconds=float(c_created[i]))
        clients.append(
            (
                i + 1,
                name,
                "[]",
                reg,
                city,
                "制造",
                sources[int(source[i])],
                made,
                made,
                rep_ids[int(owner[i])],
            )
        )
        phone = f"13{i % 10}{i:08d}"[:11] if has_phone[i] else None
        contacts.append(
            (
                i + 1,
                SURNAMES[i % len(SURNAMES)] + "经理",
                "经理",
                phone,
                True,
                rep_ids[int(owner[i])],
                made,
                i + 1,
            )
        )

    # ---- deals: a walk through the open stages with source/region-specific odds and pace
    n = scale.deals
    client = rng.integers(0, scale.clients, n)
    d_source = source[client]
    d_region = region_of[client]
    adv_m = np.array([SOURCES[s][0] for s in sources])[d_source] * np.array(
        [REGION_FACTORS[r][0] for r in d_region]
    )
    pace = np.array([SOURCES[s][1] for s in sources])[d_source] * np.array(
        [REGION_FACTORS[r][1] for r in d_region]
    )
    created = c_created[client] + rng.exponential(45 * 86400, n)
    created = np.minimum(created, span_s - 3600)
    advance = np.minimum(0.97, ADVANCE[None, :] * adv_m[:, None] ** 0.45)
    moves_on = rng.random((n, 4)) < advance
    # furthest open stage reached before losing; 4 = won
    furthest = np.where(moves_on.all(axis=1), 4, np.argmin(moves_on, axis=1))
    stay = MEDIAN_DAYS[None, :] * pace[:, None] * rng.lognormal(0, 0.55, (n, 4)) * 86400
    entry = created[:, None] + np.concatenate([np.zeros((n, 1)), np.cumsum(stay, axis=1)], axis=1)
    # closing time: won at entry[4]; lost part-way through the stage it failed in
    lose_at = (
        entry[np.arange(n), np.minimum(furthest, 3)]
        + rng.uniform(0.3, 1.0, n) * stay[np.arange(n), np.minimum(furthest, 3)]
    )
    close = np.where(furthest == 4, entry[:, 4], lose_at)
    closed = close < span_s
    line = rng.integers(0, len(LINES), n)
    amount = np.round(np.array([v for _, v in LINES])[line] * rng.lognormal(0, 0.6, n), -3)

    deals: list[tuple[object, ...]] = []
    history: list[tuple[object, ...]] = []
    h_id = 0

    def at(seconds: float) -> datetime:
        return start + timedelta(seconds=float(seconds))

    for i in range(n):
        c = int(client[i])
        rep = rep_ids[int(owner[c])]
        k = int(furthest[i])
        if closed[i]:
            reached = min(k, 3)
            status = "won" if k == 4 else "lost"
            stage = WON if k == 4 else LOST
            entered = close[i]
        else:
            reached = int(np.searchsorted(entry[i, :4], span_s, side="right")) - 1
            status, stage, entered = "open", OPEN_STAGES[reached], entry[i, reached]
        previous: str | None = None
        for s in range(reached + 1):
            h_id += 1
            history.append((h_id, previous, OPEN_STAGES[s], at(entry[i, s]), rep, None, i + 1))
            previous = OPEN_STAGES[s]
        if closed[i]:
            h_id += 1
            history.append((h_id, previous, stage, at(close[i]), rep, None, i + 1))
        name, _ = LINES[int(line[i])]
        deals.append((
            i + 1, f"{clients[c][1]}项目", stage, status, float(amount[i]), sources[int(d_source[i])],
            str(d_region[i]), name, "[]", None, at(entered), None,
            at(close[i]) if closed[i] else None, None, at(created[i]), at(entered), c + 1, rep,
        ))  # fmt: skip

    # ---- follow-ups: spread over each deal's life, about as many per deal
    per_deal = rng.multinomial(scale.followups, np.full(n, 1 / n))
    deal_of = np.repeat(np.arange(n), per_deal)
    life_end = np.where(closed, close, span_s)
    when = created[deal_of] + rng.random(deal_of.size) * (life_end[deal_of] - created[deal_of])
    followups: list[tuple[object, ...]] = []
    for j in range(deal_of.size):
        i = int(deal_of[j])
        t = at(when[j])
        followups.append(
            (
                j + 1,
                "拜访客户，沟通进展",
                None,
                "[]",
                "{}",
                "{}",
                t,
                t,
                None,
                int(client[i]) + 1,
                i + 1,
                deals[i][17],
            )
        )
    return BigData(teams, people, clients, contacts, deals, history, followups)
