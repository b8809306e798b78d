"""ASR artefacts from the voice path: amounts and due dates survive what Whisper base hears.

The first strings are real outputs of the bundled Whisper base on the espeak fixtures in
tests/data/audio/ (expected.json has what was said); the rest are written in the same style.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from nlp.extract import Catalog, ClientRef, ProductRef, extract
from nlp.extract.amounts import deal_amount

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 18, 30, tzinfo=SH)  # a Friday
NEXT_MONDAY, NEXT_WEDNESDAY, NEXT_FRIDAY = date(2026, 11, 30), date(2026, 12, 2), date(2026, 12, 4)
CATALOG = Catalog(
    clients=[
        ClientRef("c1", "华东机械", owner_id="r1"),
        ClientRef("c2", "恒达科技", ["恒达"], owner_id="r1"),
        ClientRef("c9", "宏达科技", owner_id="r1"),
    ],
    products=[ProductRef("智能仓储系统", ["仓储系统", "WMS"])],
)


def run(text: str):
    return extract(text, now=NOW, catalog=CATALOG, rep_id="r1")


@pytest.mark.parametrize(
    ("heard", "amount", "due"),
    [
        # said: 今天拜访了客户，合同金额六十万，下周一之前回复。
        ("金箭派反了客户,和东金二六十万下周一之前恢复。", 600000, NEXT_MONDAY),
        # said: 今天拜访了客户，合同金额四十万，下周五之前回复。
        ("金鲜派反射克服、河东金二四十万下周五之前恢复", 400000, NEXT_FRIDAY),
        # said: 我们报价九十万元，客户说明天给我们答复。
        ("我们套侠90万元,可不说明天给我们答复", 900000, date(2026, 11, 28)),
        # said: 宏达科技的客户想要智能仓储系统，预算五十万，下个月招标。
        ("宏大科技的科部想要是能参出系统预算50万下个月超标", 500000, date(2026, 12, 1)),
        # the same style, written for this test
        ("今天白访了客户，合同金二八十万，下周三之前会复", 800000, NEXT_WEDNESDAY),
        ("和东金二一百万后天之前恢复", 1000000, date(2026, 11, 29)),
        ("报价一百二十万下周五之前给答复", 1200000, NEXT_FRIDAY),
        ("花东机械预算七十万下周一之前反馈", 700000, NEXT_MONDAY),
        ("客户说合同金额3十5万月底之前回付", 350000, date(2026, 11, 30)),
    ],
)
def test_amount_and_due_survive_asr(heard, amount, due):
    result = run(heard)
    assert result.amount == amount
    assert result.next_action_due == due
    assert result.next_action is not None


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("二六十万", 600000),  # 金额 heard as 金二: the longest valid suffix
        ("二四十万", 400000),
        ("八十八点五万", 885000),
        ("1百零5万", 1050000),
        ("2百40万", 2400000),
        ("3十6万", 360000),
    ],
)
def test_invalid_or_mixed_numerals(numeral, value):
    assert deal_amount(f"合同金额{numeral}") == value


def test_a_homophone_reply_after_a_deadline_is_a_reply():
    result = run("金箭派反了客户,和东金二六十万下周一之前恢复。")
    assert result.next_action == "回复"


def test_misheard_client_is_matched_by_pinyin_but_not_forced():
    assert run("宏大科技的科部想要是能参出系统预算50万下个月超标").client_name == "宏达科技"
    lonely = Catalog(clients=[ClientRef("c2", "恒达科技", owner_id="r1")])
    result = extract("宏大科技的科部预算50万", now=NOW, catalog=lonely, rep_id="r1")
    assert result.client.kind == "new"  # 宏 hong is not 恒 heng: a new client, not 恒达科技


def test_product_heard_by_sound():
    assert run("客户想上只能仓储系统").products == ("智能仓储系统",)
