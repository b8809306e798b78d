"""Checking a request: every problem at once, in Chinese, with what to send; typed values."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.config import load_config
from handlers.approvals.fields import attachment_name, check, missing_attachments, problems_text
from handlers.approvals.guided_card import Ask, next_ask
from handlers.approvals.parse import parse_answer, parse_args, template_for_command
from handlers.approvals.values import read_amount, read_date, read_percent

ROOT = Path(__file__).resolve().parents[3]
CONFIG = load_config(ROOT / "config.yaml", env={})
QUOTE = CONFIG.approvals["quote"]
TODAY = date(2026, 12, 3)
FILES = ("产品配置表", "技术参数说明")


def test_a_complete_quote_is_typed_and_has_no_problems() -> None:
    got = check(
        QUOTE, {"client": "华东机械", "amount": "30万", "discount": "5%"}, FILES, today=TODAY
    )
    assert got.ok
    assert got.form == {"client": "华东机械", "amount": 300_000.0, "discount": 5.0}


def test_every_problem_is_reported_at_once_with_what_to_send() -> None:
    got = check(QUOTE, {"amount": "0", "discount": "35%"}, ("产品配置表",), today=TODAY)
    assert got.problems == [
        "缺少「客户」：请发送客户名称，例如 华东机械",
        "「报价金额」必须大于 0元（现在是 0元）",
        "「折扣」不能超过 30%（现在是 35%）",
        "缺少附件「技术参数说明」：请把文件或图片直接发给我",
    ]
    text = problems_text(QUOTE, got.problems)
    assert text.splitlines()[0] == "报价审批还不能提交，请补充以下 4 项："
    assert "4. 缺少附件「技术参数说明」" in text
    # A plain text would read as a visit note: fields are filled by sending the command again.
    assert text.splitlines()[-1] == "缺的内容请再发一次 /报价 加上，补齐后我会自动提交。"
    only_files = problems_text(QUOTE, ["缺少附件「产品配置表」：请把文件或图片直接发给我"])
    assert only_files.splitlines()[-1] == "补齐后我会自动提交。"


def test_boundaries_of_the_rules() -> None:
    ok = check(QUOTE, {"client": "甲", "amount": 0.01, "discount": 30}, FILES, today=TODAY)
    assert ok.ok
    over = check(QUOTE, {"client": "甲", "amount": 1, "discount": 30.5}, FILES, today=TODAY)
    assert over.problems == ["「折扣」不能超过 30%（现在是 30.5%）"]


def test_unreadable_values_say_how_to_write_them() -> None:
    got = check(QUOTE, {"client": "甲", "amount": "很多", "discount": "一点"}, FILES, today=TODAY)
    assert got.problems == [
        "「报价金额」看不懂：“很多”。请发送例如 30万",
        "「折扣」看不懂：“一点”。请发送例如 折扣5%",
    ]


def test_choice_date_and_bool_fields() -> None:
    contract = CONFIG.approvals["contract"]
    got = check(
        contract,
        {"client": "甲", "amount": "50万", "payment": "月结"},
        ("合同文本",),
        today=TODAY,
    )
    assert got.problems == ["「付款方式」只能是：一次性付款、分期付款、验收后付款（现在是“月结”）"]
    support = CONFIG.approvals["support"]
    got = check(
        support,
        {"client": "甲", "topic": "调试", "date": "1月8日", "onsite": "是"},
        (),
        today=TODAY,
    )
    assert got.form == {"client": "甲", "topic": "调试", "date": "2027-01-08", "onsite": True}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("30万", 300_000),
        ("30.5万", 305_000),
        ("300000", 300_000),
        ("三十万元", 300_000),
        ("x", None),
    ],
)
def test_read_amount(text: str, value: float | None) -> None:
    assert read_amount(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("5%", 5), ("5", 5), ("百分之五", 5), ("95折", 5), ("九五折", 5), ("9折", 10), ("八折", 20)],
)
def test_read_percent(text: str, value: float) -> None:
    assert read_percent(text) == value


def test_read_date_rolls_a_past_day_into_next_year() -> None:
    assert read_date("12月5日", TODAY) == date(2026, 12, 5)
    assert read_date("十二月一日", TODAY) == date(2027, 12, 1)
    assert read_date("2026-02-30", TODAY) is None


def test_chat_arguments_fill_the_fields() -> None:
    parsed = parse_args(QUOTE, "华东机械 30万 折扣5%")
    assert parsed.raw == {"client": "华东机械", "amount": "30万", "discount": "5%"}
    labelled = parse_args(QUOTE, "金额30万 华东机械 特殊条款：质保三年 95折")
    assert labelled.raw == {
        "amount": "30万",
        "client": "华东机械",
        "special_terms": "质保三年",
        "discount": "95折",
    }
    assert parse_args(QUOTE, "华东机械 30万 特殊条款x 多余").unused == ["多余"]


def test_a_short_label_takes_only_a_value_of_its_type() -> None:
    support = CONFIG.approvals["support"]
    # 需要到现场 is also written 现场, but "现场调试" is what the support is about, as the
    # command's own example (/技术支持 华东机械 现场调试) means it.
    assert parse_args(support, "华东机械 现场调试").raw == {
        "client": "华东机械",
        "topic": "现场调试",
    }
    assert parse_args(support, "华东机械 仓储调试 现场：是").raw == {
        "client": "华东机械",
        "topic": "仓储调试",
        "onsite": "是",
    }
    assert parse_args(support, "华东机械 仓储调试 需要到现场调试").raw["onsite"] == "调试"


def test_a_command_sent_again_gives_its_text_to_the_fields_the_draft_still_lacks() -> None:
    support = CONFIG.approvals["support"]
    assert parse_args(support, "仓储系统上线调试").raw == {"client": "仓储系统上线调试"}
    again = parse_args(support, "仓储系统上线调试", filled=["client"])
    assert again.raw == {"topic": "仓储系统上线调试"}
    assert parse_args(QUOTE, "35万", filled=["client", "amount"]).raw == {"amount": "35万"}


def test_an_answer_fills_the_asked_field_or_the_fields_it_names() -> None:
    amount, discount = QUOTE.field("amount"), QUOTE.field("discount")
    assert amount is not None and discount is not None
    assert parse_answer(QUOTE, discount, "5") == {"discount": "5"}  # a bare number: the asked one
    assert parse_answer(QUOTE, discount, "折扣50%") == {"discount": "50%"}
    assert parse_answer(QUOTE, amount, "30万 折扣5%") == {"amount": "30万", "discount": "5%"}
    assert parse_answer(QUOTE, amount, "30万 含税") == {"amount": "30万 含税"}  # read as a whole
    terms = QUOTE.field("special_terms")
    assert terms is not None
    assert parse_answer(QUOTE, terms, "特殊条款：质保 三年") == {"special_terms": "质保 三年"}


def test_the_guided_card_asks_missing_or_wrong_fields_in_order_then_files() -> None:
    got = check(QUOTE, {"discount": "35%"}, (), today=TODAY)
    assert got.missing == ["client", "amount"]
    assert got.invalid == {"discount": "「折扣」不能超过 30%（现在是 35%）"}
    assert next_ask(QUOTE, got, ()) == Ask("客户", "client")
    wrong = check(QUOTE, {"client": "甲", "amount": "30万", "discount": "35%"}, (), today=TODAY)
    assert next_ask(QUOTE, wrong, ()) == Ask("折扣", "discount", wrong.invalid["discount"])
    files = check(QUOTE, {"client": "甲", "amount": "30万"}, ("产品配置表",), today=TODAY)
    assert next_ask(QUOTE, files, ("产品配置表",)) == Ask("技术参数说明")
    assert next_ask(QUOTE, files, FILES) is None


def test_commands_find_their_templates() -> None:
    found = template_for_command(CONFIG.approvals, "技术支持")
    assert found is not None and found[0] == "support"
    assert template_for_command(CONFIG.approvals, "报价审批") == ("quote", QUOTE)
    assert template_for_command(CONFIG.approvals, "请假") is None


def test_a_file_fills_the_attachment_its_name_mentions_else_the_next_gap() -> None:
    missing = missing_attachments(QUOTE, ())
    assert missing == ["产品配置表", "技术参数说明"]
    assert attachment_name("技术参数说明v2.pdf", missing) == "技术参数说明"
    assert attachment_name("IMG_0412.jpg", missing) == "产品配置表"
    assert attachment_name("x.pdf", []) is None
