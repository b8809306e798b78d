from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from nlp.extract import Catalog, StageDef, default_stages, extract, with_cues

NOW = datetime(2026, 11, 27, 18, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def stage(text: str, catalog: Catalog | None = None) -> str | None:
    return extract(text, now=NOW, catalog=catalog or Catalog()).stage


def test_default_funnel_matches_the_product():
    stages = default_stages()
    assert [s.name for s in stages] == [
        "首次接触",
        "需求确认",
        "方案演示",
        "报价谈判",
        "赢单",
        "输单",
    ]
    assert [s.kind for s in stages] == ["open"] * 4 + ["won", "lost"]
    assert all(s.cues for s in stages)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第一次拜访，留了联系方式", "首次接触"),
        ("今天第一次去他们公司拜访", "首次接触"),
        ("需求基本明确了，预算五十万", "需求确认"),
        ("今天给客户演示了系统", "方案演示"),
        ("客户试用了一周", "方案演示"),
        ("把报价发过去了", "报价谈判"),
        ("在谈付款方式", "报价谈判"),
        ("合同今天签了", "赢单"),
        ("尾款已经结清", "赢单"),
        ("客户选了竞品，丢单了", "输单"),
        ("项目叫停了", "输单"),
        ("今年预算冻结了", "输单"),
        ("没中标", "输单"),
    ],
)
def test_table_cues(text, expected):
    assert stage(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("演示了一下，客户当场签了合同", "赢单"),  # a signature beats a demo in passing
        ("上周演示过，今天报了价", "报价谈判"),
        ("预算五十万，看了我们的演示", "方案演示"),
        ("上次丢单了，这次签下来了", "赢单"),  # won and lost: the later mention wins
    ],
)
def test_strongest_cue_wins(text, expected):
    assert stage(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "还没报价",
        "没有签合同",
        "下周安排演示",
        "约了明天下午三点过去演示",
        "月底前出正式报价",
        "准备走采购流程了",
        "想先看看演示",
        "试用下周一开始",
        "预算还没定",
        "今年的预算已经用完了",
        "签了保密协议",
        "说签约没问题",  # talk about signing is not signing
    ],
)
def test_negations_and_plans_do_not_count(text):
    assert stage(text) is None


def test_planned_signature_means_closing():
    assert stage("下周一签合同") == "报价谈判"
    assert stage("年底前把合同签了") == "报价谈判"
    assert stage("合同元旦前能签下来") == "报价谈判"


def test_hedged_loss_is_not_a_loss():
    assert stage("方案他们看过了，但预算可能会冻结") == "方案演示"


def test_already_done_beats_a_plan_word():
    assert stage("报价已经发了") == "报价谈判"


def test_after_sale_cue_counts_even_when_planned():
    assert stage("我们的实施团队下周一进场") == "赢单"


def test_competitor_owns_its_cues():
    catalog = Catalog(competitors=["用友", "德力机械"])
    assert stage("竞争对手也在报价", catalog) is None
    assert stage("最后还是选了用友", catalog) == "输单"
    assert stage("最后德力机械签了", catalog) == "输单"
    assert stage("比用友的报价高了20%", catalog) is None


def test_cue_overrides_replace_a_stage_list():
    stages = default_stages({"方案演示": ["路演", "样板间…参观"]})
    catalog = Catalog(stages=stages)
    assert stage("给客户做了一场路演", catalog) == "方案演示"
    assert stage("带客户去样板间实地参观了", catalog) == "方案演示"
    assert stage("给客户演示了系统", catalog) is None


def test_custom_funnel_ranks_by_order():
    funnel = [
        StageDef("线索", ["留资"], "open", 0),
        StageDef("商务", ["报价"], "open", 1),
        StageDef("成交", ["签约"], "won", 2),
        StageDef("流失", ["放弃"], "lost", 3),
    ]
    catalog = Catalog(stages=with_cues(funnel, {}))
    assert stage("客户留资了，也报价了", catalog) == "商务"
    assert stage("客户放弃了", catalog) == "流失"
