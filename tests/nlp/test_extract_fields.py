import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from nlp.extract import (
    CONTRACT_KEYS,
    REQUIRED_FIELDS,
    Catalog,
    ClientRef,
    ProductRef,
    extract,
)
from nlp.extract.contacts import find_contact
from nlp.extract.sentiment import risk_flags, sentiment_of

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 18, 30, tzinfo=SH)
CATALOG = Catalog(
    clients=[
        ClientRef("c1", "华东机械", owner_id="r1", contacts=["王建国"]),
        ClientRef("c2", "恒达科技", ["恒达"], owner_id="r1"),
        ClientRef("c3", "金桥物流", owner_id="r2"),
        ClientRef("c4", "云帆科技", owner_id="r2"),
        ClientRef("c5", "云帆物流", owner_id="r3"),
    ],
    products=[
        ProductRef("CRM系统", ["CRM", "客户管理系统"]),
        ProductRef("移动审批", ["审批模块"]),
        ProductRef("智能仓储系统", ["仓储系统", "WMS"]),
    ],
    competitors=["德力机械", "用友"],
)


def run(text: str, rep: str | None = "r1"):
    return extract(text, now=NOW, catalog=CATALOG, rep_id=rep)


@pytest.mark.parametrize(
    ("text", "client", "kind"),
    [
        ("今天拜访了花东机械王经理", "华东机械", "pinyin"),
        ("嗯那个今天去了趟恒大科技", "恒达科技", "pinyin"),
        ("金乔物流的张工说方案可以", "金桥物流", "pinyin"),
        ("恒大那边还没回复", "恒达科技", "pinyin"),
        ("华东机械有限公司的合同签了", "华东机械", "exact"),
        ("今天第一次拜访华南重工", "华南重工", "new"),
        ("去了华东重工，见了采购", "华东重工", "new"),  # never forced onto 华东机械
    ],
)
def test_client_in_free_text(text, client, kind):
    result = run(text)
    assert result.client_name == client
    assert result.client.kind == kind


def test_no_client_named():
    result = run("今天跟王总聊了一下，挺顺利")
    assert result.client.kind == "none"
    assert "client" in result.missing


def test_near_tie_is_ambiguous_unless_one_is_the_reps():
    ambiguous = run("下午去了云帆那边", rep="r1")
    assert ambiguous.client.kind == "ambiguous"
    assert {a.name for a in ambiguous.client.alternatives} == {"云帆科技", "云帆物流"}
    assert "client" in ambiguous.missing
    assert run("下午去了云帆那边", rep="r2").client_name == "云帆科技"


def test_competitor_is_not_the_client():
    result = run("竞品是德力机械，今天拜访了金桥物流")
    assert result.client_name == "金桥物流"
    assert result.competitors == ("德力机械",)


def test_competitor_from_context():
    result = run("恒达科技李明说竞争对手也在报价，叫什么鼎新科技，报价比我们低")
    assert result.client_name == "恒达科技"
    assert result.competitors == ("鼎新科技",)
    assert "竞品介入" in result.risks


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今天见了王经理", "王经理"),
        ("李总说下周给答复", "李总"),
        ("张工提了很多问题", "张工"),
        ("陈主任在开会", "陈主任"),
        ("刘总监很认可", "刘总监"),
        ("赵秘书接待的", "赵秘书"),
        ("对接人是采购部的孙经理", "孙经理"),
        ("对方的技术总监姓钱", "钱总监"),
        ("跟老刘吃了个饭", "老刘"),
        ("他们总共要100台", None),
        ("想先小范围试用", None),
        ("对方总监说再看看", None),
    ],
)
def test_contacts(text, expected):
    assert find_contact(text) == expected


def test_catalogued_contact_of_the_matched_client_wins():
    assert run("华东机械王建国和李总都在").contact == "王建国"


def test_products_by_name_alias_and_case_but_not_when_declined():
    result = run("客户对crm和审批模块感兴趣，不需要仓储系统")
    assert result.products == ("CRM系统", "移动审批")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("客户很满意，认可我们的方案", "positive"),
        ("客户不满意，还在犹豫", "negative"),
        ("今天聊了聊", "neutral"),
        ("没发现大问题", "positive"),
    ],
)
def test_sentiment(text, expected):
    assert sentiment_of(text) == expected


def test_risk_flags():
    flags = risk_flags("客户嫌贵，预算冻结了，电话也没回复，一直在拖")
    assert {"价格异议", "预算风险", "客户失联", "进度拖延"} <= set(flags)


@pytest.mark.parametrize(
    ("text", "action", "due"),
    [
        ("下周三之前把方案发过去", "把方案发过去", date(2026, 12, 2)),
        ("客户恒达科技，下一步：12月30日前签合同", "签合同", date(2026, 12, 30)),
        ("下一步安排培训，月底前完成上线", "安排培训", date(2026, 11, 30)),
        ("合同下周三之前发过来", "合同发过来", date(2026, 12, 2)),
        ("我准备一下资料，下周一给他发过去", "资料", date(2026, 11, 30)),
    ],
)
def test_next_action_and_due(text, action, due):
    result = run(text)
    assert result.next_action is not None and action in result.next_action
    assert result.next_action_due == due


@pytest.mark.parametrize(
    "text",
    ["估计下周能签下来", "明年再说", "今天跟进了几个客户", "年底前都不会采购", "说明年还有二期"],
)
def test_expectations_and_reports_are_not_actions(text):
    assert run(text).next_action is None


def test_next_action_time_is_kept():
    result = run("我约了明天下午三点过去演示")
    assert result.next_action == "约了过去演示"
    assert result.next_action_at == datetime(2026, 11, 28, 15, 0, tzinfo=SH)


def test_missing_lists_required_fields_only():
    assert REQUIRED_FIELDS == ("client", "stage", "next_action", "next_action_due")
    full = run("今天拜访了华东机械，报了三十万，下周三之前签合同")
    assert full.missing == ()
    new_client = run("今天第一次拜访华南重工")
    assert new_client.missing == ("next_action", "next_action_due")
    no_due = run("华东机械的合同签了，下一步安排实施")
    assert no_due.missing == ("next_action_due",)


def test_to_json_has_exactly_the_contract_keys():
    result = run("今天拜访了花东机械王经理，报价三十万，下周三之前把合同发过去")
    data = result.to_json()
    assert tuple(data) == CONTRACT_KEYS
    assert data == {
        "client": "华东机械",
        "contact": "王经理",
        "stage": "报价谈判",
        "amount": 300000,
        "products": [],
        "competitors": [],
        "next_action": "把合同发过去",
        "next_action_due": "2026-12-02",
        "sentiment": "neutral",
        "missing": [],
    }
    json.dumps(data, ensure_ascii=False)
