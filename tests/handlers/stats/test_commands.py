"""The stats commands through the real app: every command for every role sees only its scope."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import create_app
from bot.clock import ManualClock
from bot.config.models import AppConfig
from bot.config.org import Person, Role
from bot.replies import File, Image, Markdown, Text, reply_text
from storage.models import CardInstance
from tests.handlers.stats.world import NOW, seed_stats_world
from tests.support.harness import Harness, build_harness, make_config


async def start(config: AppConfig, tmp_path: Path, aiohttp_client) -> Harness:
    media = config.database.model_copy(update={"media_dir": str(tmp_path / "media")})
    config = config.model_copy(update={"database": media})
    harness = build_harness(config, clock=ManualClock(NOW))  # the shipped features
    harness.client = await aiohttp_client(
        create_app(harness.runtime.config, runtime=harness.runtime)
    )
    await seed_stats_world()
    return harness


@pytest.fixture
async def bot(sqlite_url: str, tmp_path: Path, aiohttp_client) -> AsyncIterator[Harness]:
    yield await start(make_config(sqlite_url), tmp_path, aiohttp_client)


@pytest.fixture
async def regional_bot(db_url: str, tmp_path: Path, aiohttp_client) -> AsyncIterator[Harness]:
    """Two directors: 陈志远 keeps 华东 (王丽's teams), 李强 takes 华南 (黄涛's and 何静's)."""
    config = make_config(db_url)
    south = Person(id="li.qiang", name="李强", role=Role.director, title="华南区总监")
    people = [
        p.model_copy(update={"supervisor": "li.qiang"}) if p.id in ("huang.tao", "he.jing") else p
        for p in config.people
    ]
    config = config.model_copy(update={"people": (*people, south)})
    yield await start(config, tmp_path, aiohttp_client)


async def ask(bot: Harness, user: str, text: str) -> str:
    await bot.say(user, text)
    [sent] = await bot.next_sent()
    assert isinstance(sent.reply, Markdown | Text)
    return reply_text(sent.reply)


# role → person, and what each command shows them (hand-computed from world.py)
EXPECTED = {
    "rep": (
        "zhang.wei",
        {
            "/漏斗": "新建商机 3 个：赢单 1（33%），输单 0，进行中 2",
            "/转化 渠道": "- 展会：线索 1，商机 2 → 赢单 1（50%），30.0万",
            "/停留": "- 首次接触：中位数 3.0 天，P80 4.0 天（2 次）",
            "/排行": "按成单数：\n1. 张伟：1 单（30.0万）",
            "/停滞": "停滞商机 1 个",
        },
    ),
    "supervisor": (
        "zhao.lei",
        {
            "/漏斗": "新建商机 4 个：赢单 1（25%），输单 1，进行中 2",
            "/转化 渠道": "- 展会：线索 1，商机 3 → 赢单 1（33%），30.0万",
            "/停留": "- 首次接触：中位数 3.0 天，P80 4.0 天（3 次）",  # [2, 3, 4]
            "/排行": "1. 张伟：1 单（30.0万）\n2. 李娜：1 单（8.0万）",
            "/停滞": "停滞商机 1 个",
        },
    ),
    "manager": (
        "wang.li",
        {
            "/漏斗": "新建商机 5 个：赢单 1（20%），输单 1，进行中 3",
            "/转化 渠道": "- 官网：线索 0，商机 2 → 赢单 0（0%），0元",
            "/停留": "- 首次接触：中位数 3.0 天，P80 8.0 天（4 次）",
            "/排行": "1. 张伟：1 单（30.0万）\n2. 李娜：1 单（8.0万）",
            "/停滞": "停滞商机 2 个",
        },
    ),
    "director": (
        "chen.zhiyuan",
        {
            "/漏斗": "新建商机 6 个：赢单 2（33%），输单 1，进行中 3",
            "/转化 渠道": "- 转介绍：线索 1，商机 1 → 赢单 1（100%），50.0万",
            "/停留": "- 首次接触：中位数 3.0 天，P80 4.0 天（5 次）",
            "/排行": "1. 周杰：1 单（50.0万）\n2. 张伟：1 单（30.0万）\n3. 李娜：1 单（8.0万）",
            "/停滞": "停滞商机 2 个",
        },
    ),
    "admin": (
        "lin.feng",
        {
            "/漏斗": "新建商机 6 个：赢单 2（33%），输单 1，进行中 3",
            "/转化 渠道": "- 展会：线索 1，商机 3 → 赢单 1（33%），30.0万\n"
            "- 官网：线索 0，商机 2 → 赢单 0（0%），0元\n"
            "- 转介绍：线索 1，商机 1 → 赢单 1（100%），50.0万",
            "/停留": "- 首次接触：中位数 3.0 天，P80 4.0 天（5 次）",
            "/排行": "1. 周杰：1 单（50.0万）\n2. 张伟：1 单（30.0万）\n3. 李娜：1 单（8.0万）",
            "/停滞": "停滞商机 2 个",
        },
    ),
}
# With a director per region: each sees their region's people only (hand-computed: 华东 is
# 张伟, 李娜, 刘洋 — D1 D2 D3 D5 D7 and D6; 华南 is 周杰 and 吴芳 — D4).
REGIONAL = {
    "chen.zhiyuan": (
        {
            "/漏斗": "新建商机 5 个：赢单 1（20%），输单 1，进行中 3",
            "/转化 渠道": "- 展会：线索 1，商机 3 → 赢单 1（33%），30.0万\n"
            "- 官网：线索 0，商机 2 → 赢单 0（0%），0元",
            "/停留": "- 首次接触：中位数 3.0 天，P80 8.0 天（4 次）",  # [2, 3, 4, 8]
            "/排行": "按成单数：\n1. 张伟：1 单（30.0万）\n2. 李娜：1 单（8.0万）",
            "/停滞": "停滞商机 2 个",
        },
        ("周杰", "转介绍", "南方纺织"),
    ),
    "li.qiang": (
        {
            "/漏斗": "新建商机 1 个：赢单 1（100%），输单 0，进行中 0",
            "/转化 渠道": "按渠道：新建商机 → 赢单\n- 转介绍：线索 1，商机 1 → 赢单 1（100%），50.0万",
            "/停留": "- 首次接触：中位数 2.0 天，P80 2.0 天（1 次）",
            "/排行": "按成单数：\n1. 周杰：1 单（50.0万）",
            "/停滞": "停滞商机 0 个",
        },
        ("张伟", "李娜", "展会", "金桥物流"),
    ),
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
async def test_each_command_sees_the_role_scope(bot: Harness, role: str) -> None:
    person, answers = EXPECTED[role]
    for command, expected in answers.items():
        text = await ask(bot, person, command)
        assert expected in text, (role, command, text)
    if role in ("rep", "supervisor"):
        # Nobody outside the scope appears anywhere.
        assert "周杰" not in await ask(bot, person, "/排行 金额")
        assert "远航制造" not in await ask(bot, person, "/停滞")


@pytest.mark.parametrize("director", sorted(REGIONAL))
async def test_a_director_sees_their_region_only(regional_bot: Harness, director: str) -> None:
    answers, outside = REGIONAL[director]
    for command, expected in answers.items():
        text = await ask(regional_bot, director, command)
        assert expected in text, (director, command, text)
        assert not [name for name in outside if name in text], (director, command, text)
        if command != "/停滞":  # the other region's deals are not in these numbers either
            assert "全公司" not in text


@pytest.mark.parametrize("person", ["xu.qing", "ma.jun"])
async def test_legal_and_finance_may_not_use_stats(bot: Harness, person: str) -> None:
    for command in ("/漏斗", "/转化 渠道", "/停留", "/排行", "/停滞", "/预测", "/热力图", "/导出"):
        text = await ask(bot, person, command)
        assert "不能使用" in text and "新建商机" not in text
    assert (await ask(bot, person, "本月漏斗怎么样")).endswith(
        "不能查看销售统计。发送 /帮助 查看你可以使用的命令。"
    )


async def test_asking_for_someone_outside_the_scope_is_refused(bot: Harness) -> None:
    assert await ask(bot, "zhang.wei", "/漏斗 李娜") == "你只能查看自己的数据。"
    assert await ask(bot, "zhao.lei", "/漏斗 刘洋") == "你只能查看自己和下属的数据。"
    inside = await ask(bot, "zhao.lei", "/漏斗 本月 李娜")
    assert "新建商机 1 个：赢单 0（0%），输单 1，进行中 0" in inside and "李娜" in inside
    assert "新建商机 1 个" in await ask(bot, "chen.zhiyuan", "/funnel 华南")  # English alias


async def test_plain_language_gets_the_same_answer(bot: Harness) -> None:
    typed = await ask(bot, "wang.li", "/漏斗 本月 华东")
    spoken = await ask(bot, "wang.li", "华东本月漏斗怎么样")
    assert typed == spoken and "新建商机 5 个" in typed
    assert "1. 张伟：1 单" in await ask(bot, "zhao.lei", "这个月谁签得最多")


# One plain form per command, through the whole path: the intent reader (rules against the
# organisation's clients), the dispatcher's confident-request stage and the stats feature.
SPOKEN = [
    ("华东本月漏斗怎么样", ["漏斗 · 2026年11月 · 华东 · 我的团队"]),
    ("哪个渠道效果最好", ["转化（渠道） · 2026年11月 · 我的团队"]),
    ("各个阶段平均待多长时间", ["停留 · 2026年11月 · 我的团队"]),
    ("这个月谁签得最多", ["排行 · 2026年11月 · 我的团队"]),
    ("卡住的商机有几个", ["停滞 · 我的团队"]),
    ("本月预计业绩多少", ["预测 · 2026年11月 · 我的团队", Image]),
    ("各城市转化怎么样", ["热力图 · 2026年11月 · 我的团队", Image]),
    ("帮我导一下本月报表", [Text, File]),
]


async def test_plain_words_for_every_command_are_answered_not_asked_about(bot: Harness) -> None:
    for text, expected in SPOKEN:
        await bot.say("wang.li", text)
        sent = await bot.next_sent(len(expected))
        for message, want in zip(sent, expected, strict=True):
            if isinstance(want, str):
                assert isinstance(message.reply, Markdown), (text, message.reply)
                assert message.reply.title == want, text
            else:
                assert isinstance(message.reply, want), (text, message.reply)
    assert await CardInstance.all().count() == 0  # no "这是一条拜访记录吗？" card, no draft


async def test_bad_argument_shows_usage(bot: Harness) -> None:
    text = await ask(bot, "wang.li", "/漏斗 火星")
    assert "看不懂“火星”" in text and "用法：/漏斗" in text
