"""Each report's numbers against the hand-computed world (tests/handlers/stats/world.py)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.config.models import AppConfig
from handlers.stats.compute import build_report
from handlers.stats.model import Kind, StatsQuery
from handlers.stats.periods import parse_period
from handlers.stats.sql import Filters
from storage.db import Database
from tests.handlers.stats.world import NOW

TZ = ZoneInfo("Asia/Shanghai")
ALL = Filters()
EAST_1 = frozenset({"zhang.wei", "li.na", "zhao.lei"})


async def report(
    db: Database, config: AppConfig, kind: Kind, f: Filters = ALL, **kw: object
) -> list[str]:
    period = kw.pop("period", None)
    query = StatsQuery(kind, period=parse_period(str(period), NOW, TZ) if period else None, **kw)  # type: ignore[arg-type]
    r = await build_report(db, config, query, f, NOW, "测试")
    return r.lines


async def test_funnel_this_month_everyone(world_db: Database, config: AppConfig) -> None:
    # November cohort: D1 D2 D3 D4 D5 D7. Furthest: won, 需求确认, 方案演示(lost), won, 方案演示, 首次接触.
    lines = await report(world_db, config, Kind.funnel)
    assert lines[1] == "新建商机 6 个：赢单 2（33%），输单 1，进行中 3"
    assert lines[2:7] == [
        "- 首次接触：6（较上一阶段 100%）",
        "- 需求确认：5（较上一阶段 83%）",  # D5 skipped it but went further
        "- 方案演示：4（较上一阶段 80%）",
        "- 报价谈判：2（较上一阶段 50%）",
        "- 赢单：2（较上一阶段 100%）",
    ]
    # 成单 is what closed as won in November, whenever created: D1 30万, D4 50万, D6 8万.
    assert lines[7] == "本期成单 3 单，成单金额 88.0万，客单价 29.3万（按成交日期）"


async def test_funnel_filters_and_scope(world_db: Database, config: AppConfig) -> None:
    east = await report(world_db, config, Kind.funnel, Filters(region="east"))
    assert east[1] == "新建商机 5 个：赢单 1（20%），输单 1，进行中 3"
    team = await report(world_db, config, Kind.funnel, Filters(owners=EAST_1))
    assert team[1] == "新建商机 4 个：赢单 1（25%），输单 1，进行中 2"  # D1 D2 D3 D7
    own = await report(world_db, config, Kind.funnel, Filters(owners=frozenset({"zhang.wei"})))
    assert own[1] == "新建商机 3 个：赢单 1（33%），输单 0，进行中 2"
    software = await report(world_db, config, Kind.funnel, Filters(product_line="软件"))
    assert software[1] == "新建商机 4 个：赢单 1（25%），输单 1，进行中 2"  # D1 D3 D5 D7
    nobody = await report(world_db, config, Kind.funnel, Filters(owners=frozenset()))
    assert nobody[1] == "新建商机 0 个：赢单 0（—），输单 0，进行中 0"


async def test_funnel_last_month(world_db: Database, config: AppConfig) -> None:
    lines = await report(world_db, config, Kind.funnel, period="上月")  # October: D6 only
    assert lines[1] == "新建商机 1 个：赢单 1（100%），输单 0，进行中 0"
    assert lines[3] == "- 需求确认：1（较上一阶段 100%）"
    # It went 需求确认 → 赢单 directly: a won deal counts as having passed every stage.
    assert lines[4] == "- 方案演示：1（较上一阶段 100%）"


async def test_conversion_by_source_and_region(world_db: Database, config: AppConfig) -> None:
    lines = await report(world_db, config, Kind.conversion, dimension="source")
    # 展会: D1(won) D3 D7; 官网: D2 D5; 转介绍: D4(won). Valid leads among November clients:
    # C1 (phone) for 展会, none for 官网 (C2 no phone, C5 nothing), C4 (follow-up) for 转介绍.
    assert lines[2:] == [
        "- 展会：线索 1，商机 3 → 赢单 1（33%），30.0万",
        "- 官网：线索 0，商机 2 → 赢单 0（0%），0元",
        "- 转介绍：线索 1，商机 1 → 赢单 1（100%），50.0万",
    ]
    region = await report(world_db, config, Kind.conversion, dimension="region")
    assert region[2:] == [
        "- 华东：商机 5 → 赢单 1（20%），30.0万",
        "- 华南：商机 1 → 赢单 1（100%），50.0万",
    ]
    product = await report(
        world_db, config, Kind.conversion, Filters(owners=EAST_1), dimension="product"
    )
    assert product[2:] == [
        "- 软件：商机 3 → 赢单 1（33%），30.0万",  # D1 D3 D7
        "- 平台：商机 1 → 赢单 0（0%），0元",  # D2
    ]


async def test_dwell_median_and_p80(world_db: Database, config: AppConfig) -> None:
    # Stays that ended in November: 首次接触 [2,2,3,4,8]; 需求确认 [2,4,4,19] (D6 from Oct 20);
    # 方案演示 [2,5,10]; 报价谈判 [5,8]. Nearest rank: median = rank ceil(n/2), P80 = ceil(0.8n).
    lines = await report(world_db, config, Kind.dwell)
    assert lines[2:] == [
        "- 首次接触：中位数 3.0 天，P80 4.0 天（5 次）",
        "- 需求确认：中位数 4.0 天，P80 19.0 天（4 次）",
        "- 方案演示：中位数 5.0 天，P80 10.0 天（3 次）",
        "- 报价谈判：中位数 5.0 天，P80 8.0 天（2 次）",
    ]
    own = await report(world_db, config, Kind.dwell, Filters(owners=frozenset({"zhou.jie"})))
    assert own[2] == "- 首次接触：中位数 2.0 天，P80 2.0 天（1 次）"
    assert own[5] == "- 报价谈判：中位数 8.0 天，P80 8.0 天（1 次）"


async def test_leaderboards(world_db: Database, config: AppConfig) -> None:
    # Won in November (closed_at): D1 张伟 30万, D4 周杰 50万, D6 李娜 8万 (created in October).
    won = await report(world_db, config, Kind.leaderboard, metric="won")
    assert won[2:] == [
        "1. 周杰：1 单（50.0万）",
        "2. 张伟：1 单（30.0万）",
        "3. 李娜：1 单（8.0万）",
    ]
    visits = await report(world_db, config, Kind.leaderboard, metric="visits")
    assert visits[2:] == ["1. 张伟：3", "2. 周杰：2", "3. 李娜：1"]  # 李娜's October visit is out
    new = await report(world_db, config, Kind.leaderboard, metric="new_clients")
    assert new[2:] == ["1. 周杰：1", "2. 张伟：1"]  # C4, C1; ties by name
    team = await report(world_db, config, Kind.leaderboard, Filters(owners=EAST_1), metric="amount")
    assert team[2:] == ["1. 张伟：30.0万（1 单）", "2. 李娜：8.0万（1 单）"]


async def test_a_product_line_says_where_it_cannot_narrow_a_leaderboard(
    world_db: Database, config: AppConfig
) -> None:
    software = Filters(product_line="软件")
    # Won deals have a line: 软件 won in November is D1 only (D4 and D6 are 服务).
    won = await report(world_db, config, Kind.leaderboard, software, metric="won")
    assert won[1:] == ["按成单数：", "1. 张伟：1 单（30.0万）"]
    # Visits and new clients have none: every line's figures, and the answer says so.
    visits = await report(world_db, config, Kind.leaderboard, software, metric="visits")
    assert visits[1:] == [
        "（拜访不分产品线：“软件”的筛选不适用，以下是全部产品线的拜访。）",
        "按拜访数：",
        "1. 张伟：3",
        "2. 周杰：2",
        "3. 李娜：1",
    ]
    new = await report(world_db, config, Kind.leaderboard, software, metric="new_clients")
    assert new[1] == "（新客户不分产品线：“软件”的筛选不适用，以下是全部产品线的新客户。）"
    assert new[3:] == ["1. 周杰：1", "2. 张伟：1"]
    plain = await report(world_db, config, Kind.leaderboard, metric="visits")
    assert plain[1] == "按拜访数："  # no line asked for, nothing to say
    # Conversion by source: the deals follow the line, the valid leads (clients) cannot.
    sources = await report(world_db, config, Kind.conversion, software, dimension="source")
    assert sources[1] == "（有效线索不分产品线：“软件”的筛选不适用，以下是全部产品线的有效线索。）"
    assert sources[2] == "按渠道：新建商机 → 赢单"


async def test_stalled_deals(world_db: Database, config: AppConfig) -> None:
    lines = await report(world_db, config, Kind.stalled)
    assert lines[1:] == [
        "停滞商机 2 个（超过阶段时限）：",
        "- 金桥物流 · 张伟 · 需求确认 第 18 天（时限 10）· 10.0万",
        "- 远航制造 · 刘洋 · 方案演示 第 7 天（时限 5）· 15.0万",
    ]
    team = await report(world_db, config, Kind.stalled, Filters(owners=EAST_1))
    assert team[1:] == [
        "停滞商机 1 个（超过阶段时限）：",
        "- 金桥物流 · 张伟 · 需求确认 第 18 天（时限 10）· 10.0万",
    ]
    none = await report(world_db, config, Kind.stalled, Filters(owners=frozenset({"zhou.jie"})))
    assert none[1:] == ["停滞商机 0 个（超过阶段时限）：", "没有停滞的商机。"]


def test_period_words() -> None:
    now = datetime(2026, 11, 27, 2, 0, tzinfo=ZoneInfo("UTC"))
    for text, key, start in [
        ("本月", "2026-11", "2026-11-01"),
        ("这个月", "2026-11", "2026-11-01"),
        ("上月", "2026-10", "2026-10-01"),
        ("上个月", "2026-10", "2026-10-01"),
        ("本季", "2026-Q4", "2026-10-01"),
        ("本周", "2026-W48", "2026-11-23"),
        ("2026-09", "2026-09", "2026-09-01"),
        ("2025年12月", "2025-12", "2025-12-01"),
    ]:
        p = parse_period(text, now, TZ)
        assert p is not None and p.key == key and p.start.date().isoformat() == start, text
        assert p.start.tzinfo is not None and p.end > p.start
    assert parse_period("明年", now, TZ) is None
    jan = parse_period("上月", datetime(2027, 1, 5, tzinfo=TZ), TZ)
    assert jan is not None and jan.key == "2026-12" and jan.end.date().isoformat() == "2027-01-01"
