"""cards/wecom.py: the neutral card as a template_card WeCom accepts, limits checked up front."""

from __future__ import annotations

import pytest

from bot.devtools.sim.wecom_rules import SimApiError, check_card
from cards.model import Button, Card, Option, Row, Select
from cards.wecom import CardLimitError, render, replace_name


def approval(**extra) -> Card:
    return Card(
        id="ap-1",
        title="报价审批：华东机械智能仓储系统项目",
        subtitle="金额 12 万元 · 张伟",
        rows=(
            Row("客户", "华东机械", "历史"),
            Row("联系人", "王经理"),
            Row("阶段", "报价谈判"),
            Row("金额", "120,000"),
            Row("产品", "智能仓储系统"),
            Row("截止", "12月3日"),
            Row("备注", "需法务审核特殊条款"),
        ),
        buttons=(
            Button("同意", "ap:ap-1:ok", "primary"),
            Button("驳回", "ap:ap-1:no", "danger"),
            Button("详情", "ap:ap-1:info", "link"),
            Button("转交", "ap:ap-1:fw"),
        ),
        **extra,
    )


def test_button_card() -> None:
    body = render(approval(), "ap-1-abc")
    assert body["card_type"] == "button_interaction" and body["task_id"] == "ap-1-abc"
    assert body["main_title"] == {
        "title": "报价审批：华东机械智能仓储系统项目",
        "desc": "金额 12 万元 · 张伟",
    }
    rows = body["horizontal_content_list"]
    assert len(rows) == 6 and rows[0] == {"keyname": "客户", "value": "华东机械（历史）"}
    # The seventh row does not fit the six WeCom shows: it moves into the plain text, not lost.
    assert rows[-1]["keyname"] == "截止" and "备注：需法务审核特殊条款" in body["sub_title_text"]
    assert [(b["text"], b["style"], b["key"]) for b in body["button_list"]] == [
        ("同意", 1, "ap:ap-1:ok"),
        ("驳回", 3, "ap:ap-1:no"),
        ("详情", 2, "ap:ap-1:info"),
        ("转交", 4, "ap:ap-1:fw"),
    ]
    check_card(body, sending=True)  # what the simulator (WeCom's rules) accepts


def test_long_text_is_shortened_but_keys_never_are() -> None:
    card = Card(
        id="c",
        title="题" * 40,
        rows=(Row("很长的字段名称", "值" * 40, "建议"),),
        buttons=(Button("一个特别特别长的按钮文字", "k:" + "x" * 900),),
    )
    body = render(card, "c-1")
    assert body["main_title"]["title"].endswith("…") and len(body["main_title"]["title"]) == 26
    row = body["horizontal_content_list"][0]
    assert row["keyname"] == "很长的字…" and row["value"].endswith("（建议）")
    assert len(row["value"]) <= 26
    assert body["button_list"][0]["key"] == "k:" + "x" * 900


@pytest.mark.parametrize(
    ("card", "message"),
    [
        (Card(id="c", title="t", buttons=tuple(Button(f"{i}", f"k{i}") for i in range(7))), "6"),
        (Card(id="c", title="t", buttons=(Button("a", "k"), Button("b", "k"))), "unique"),
        (Card(id="c", title="t", buttons=(Button("a", "k" * 1025),)), "1024"),
        (
            Card(
                id="c",
                title="t",
                selects=tuple(Select(f"q{i}", "q", (Option("a", "A"),)) for i in range(4)),
                submit=Button("提交", "s"),
            ),
            "3",
        ),
        (
            Card(
                id="c",
                title="t",
                selects=(Select("q", "q", tuple(Option(f"o{i}", "x") for i in range(11))),),
                submit=Button("提交", "s"),
            ),
            "10",
        ),
        (Card(id="c", title="t", selects=(Select("q", "q", (Option("a", "A"),)),)), "submit"),
        (Card(id="c", title="t"), "link"),
    ],
)
def test_limits_raise_before_sending(card: Card, message: str) -> None:
    with pytest.raises(CardLimitError, match=message):
        render(card, "t-1")


def test_bad_task_ids() -> None:
    for task_id in ("has space", "中文", "x" * 129, ""):
        with pytest.raises(CardLimitError):
            render(approval(), task_id)


def test_selects_become_multiple_interaction() -> None:
    card = Card(
        id="fu-1",
        title="确认跟进记录",
        subtitle="华东机械",
        rows=(Row("联系人", "王经理"),),
        selects=(
            Select(
                "stage", "阶段", (Option("s2", "需求确认"), Option("s3", "方案演示")), selected="s3"
            ),
        ),
        submit=Button("保存", "fu:fu-1:save"),
    )
    body = render(card, "fu-1-x")
    assert body["card_type"] == "multiple_interaction"
    assert body["select_list"] == [
        {
            "question_key": "stage",
            "title": "阶段",
            "selected_id": "s3",
            "option_list": [{"id": "s2", "text": "需求确认"}, {"id": "s3", "text": "方案演示"}],
        }
    ]
    assert body["submit_button"] == {"text": "保存", "key": "fu:fu-1:save"}
    assert body["main_title"]["desc"] == "华东机械；联系人：王经理"
    check_card(body, sending=True)


def test_card_without_actions_opens_the_link() -> None:
    body = render(
        Card(id="n", title="日报", rows=(Row("新增客户", "3"),)),
        "n-1",
        link="https://bot.example/r/1",
    )
    assert body["card_type"] == "text_notice"
    assert body["card_action"] == {"type": 1, "url": "https://bot.example/r/1"}
    check_card(body, sending=True)


def test_replace_name_and_the_simulator_rejects_what_the_renderer_refuses() -> None:
    assert replace_name(approval(closed="已同意 · 张伟 · 14:02")) == "已同意 · 张伟 · 14:02"
    assert replace_name(approval()) == "已处理"
    broken = render(approval(), "t-1") | {"button_list": []}
    with pytest.raises(SimApiError):
        check_card(broken, sending=True)
