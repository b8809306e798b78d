"""The general rules behind the fields: mood of a cue, verb + object, roles of amounts,
clause-level sentiment, scoped plans for the next action, typed and heard product names."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from nlp.extract import Catalog, ClientRef, ProductRef, extract
from nlp.extract.amounts import deal_amount
from nlp.extract.modality import mood
from nlp.extract.sentiment import sentiment_of
from nlp.extract.text import clause_at, normalize, split_clauses

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 18, 30, tzinfo=SH)  # a Friday
CATALOG = Catalog(
    clients=[
        ClientRef("c1", "华东机械", owner_id="r1", contacts=["王建国"]),
        ClientRef("c2", "天宇软件", owner_id="r1", contacts=["刘洋"]),
    ],
    products=[
        ProductRef("智能仓储系统", ["仓储系统", "WMS"]),
        ProductRef("数据中台"),
        ProductRef("移动审批", ["审批模块"]),
    ],
    competitors=["德力机械", "用友", "金蝶"],
)


def run(text: str):
    return extract(text, now=NOW, catalog=CATALOG, rep_id="r1")


def mood_of(text: str, word: str) -> str:
    norm = normalize(text)
    start = norm.index(word)
    return mood(norm, clause_at(split_clauses(norm), start), start, start + len(word))


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("报价已经发了", "报价", "done"),
        ("下周安排演示", "演示", "plan"),
        ("还没报价", "报价", "neg"),
        ("如果价格合适就签约", "签约", "cond"),
        ("估计是凉了", "凉了", "hedge"),
        ("先做了一次演示", "演示", "done"),  # a verb with 了 after the modal
        ("展会上认识了他们", "认识了", "plain"),  # 展会 is not the modal 会
        ("今天主要在磨账期", "账期", "plain"),  # 主要 is not the modal 要
        ("预算可能会冻结", "冻结", "plan"),
        ("原以为今天能签合同", "签合同", "cond"),
    ],
)
def test_mood_of_a_word_in_its_clause(text, word, expected):
    assert mood_of(text, word) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # verb + object: an approval is read by what was approved
        ("老板已经把预算批下来了，八十万", "需求确认"),
        ("特价申请批下来了", "报价谈判"),
        # object before verb, aspect inside the phrase
        ("去他们仓库实地看了看，量了一下场地", "需求确认"),
        ("上次报完价就没动静了", "报价谈判"),
        ("头一回去拜访", "首次接触"),
        # asked for or planned but already negotiation
        ("客户想再打个九五折", "报价谈判"),
        ("合同下周一寄过去", "报价谈判"),
        # plans and their scope
        ("明天去拜访云帆科技，第一次见面，先了解需求", None),
        ("下个月底前完成续约谈判，目前报价是二十二万", "报价谈判"),
        ("演示改到下周四了", None),
        # signatures and who signed
        ("总经理那边签了字，合同下周五过来签", "报价谈判"),
        ("董事会过了才能签", "报价谈判"),
        ("签了合作意向书", None),
        ("去年跟用友签了个三百万的ERP，今年想配一套MES", "需求确认"),
        ("第一名是用友，我们第二", "输单"),
        # after-sale steps are a won deal, talk about them is not
        ("上线两个月了，老是卡", "赢单"),
        ("二期款拖了一个多月还没付", "赢单"),
        ("怕实施周期太长", None),
        # losses: hedged still counts, a refusal counts, a revival undoes it
        ("估计是凉了", "输单"),
        ("不打算继续了", "输单"),
        ("项目先暂停", "输单"),
        ("之前黄了的那个项目又回来了", None),
        ("不打算续约了，我这边再争取一下", None),
    ],
)
def test_stage_rules(text, expected):
    assert run(text).stage == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("预算只有四十万，我们报的是五十二万，最后按四十八万走", 480_000),  # agreed beats quote
        ("原报价九十五万，希望能降到八十万以内", 950_000),  # asked for is the weakest
        ("便宜了差不多十五万", None),  # a delta, even with a hedge in between
        ("第二笔款今天到账了，四十二万", None),  # a bare amount takes its clause's role
        ("首付款打过来了，一共三十万，剩下的验收后付", None),
        ("尾款今天全部结清了，一共八十五万", 850_000),  # settled in full
        ("大概追加二十万", 200_000),  # an increment when nothing else is said
        ("增加十二万五，总的变成九十八万五", 985_000),
        ("总包一点二亿，我们能分到的大概三百万", 3_000_000),
        ("合同金额3十5万月底前回复", 350_000),  # money then a date
        ("去年签了一个三百万的框架协议", None),  # background business
    ],
)
def test_amount_roles(text, expected):
    assert deal_amount(normalize(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("倒不是不满意，就是流程慢，没什么大问题", "positive"),  # double negation
        ("整体满意，就是移动端有点慢", "positive"),  # 有点 halves a complaint
        ("对数据中台兴趣不大", "negative"),  # praise taken back
        ("希望能满意", "neutral"),  # a hope is not good news
        ("估计要拖到下下周", "negative"),  # a forecast delay is bad news already
        ("如果价格不降就换", "neutral"),
        ("财务只能接受三十天，僵住了", "negative"),
        ("我们这边答应了", "neutral"),  # our own consent
        ("我们这边不用担心", "positive"),
    ],
)
def test_sentiment_rules(text, expected):
    assert sentiment_of(text) == expected


def test_sentiment_about_a_competitor_is_not_about_us():
    assert run("他们不考虑德力，因为售后太差，我们这边不用担心").sentiment == "positive"
    assert run("我们比德力机械贵了十万").sentiment == "negative"  # a comparison is about us


def test_sentiment_counts_a_win_reported_now_only():
    assert run("合同今天签了").sentiment == "positive"
    assert run("大后天去做培训，合同上个月已经签了").sentiment == "neutral"


@pytest.mark.parametrize(
    ("text", "action", "due"),
    [
        ("原本今天要演示的，没演成，改到下周二了", "演示", date(2026, 12, 1)),
        ("我先发点案例给他看看，这周内发", "案例", date(2026, 11, 27)),
        ("我这边先把资质文件准备好，月底前交过去", "资质文件", date(2026, 11, 30)),
        ("培训定在12月8号", "培训", date(2026, 12, 8)),
        ("下周二跟他们老板见面就知道了", "见面", date(2026, 12, 1)),
        ("下礼拜走合同", "合同", date(2026, 11, 30)),
        ("我回去跟产品经理商量一下", "商量", None),
        ("让我按去年的单价报个价", "报个价", None),
    ],
)
def test_next_action_rules(text, action, due):
    result = run(text)
    assert result.next_action is not None and action in result.next_action
    assert result.next_action_due == due


@pytest.mark.parametrize(
    "text",
    [
        "他们打算交给集团的信息中心自己运维",  # their plan
        "让我们再想想办法",  # a request with nothing concrete
        "本来约好明天去演示，客户说不用来了",  # called off
        "预算挪到明年一季度",  # nothing of ours was moved
        "明年再看",
    ],
)
def test_not_our_next_action(text):
    assert run(text).next_action is None


def test_client_spans_stop_at_particles_and_locatives():
    assert run("天宇软件那边智能仓储的试点跑了两周了").client_name == "天宇软件"
    assert run("云帆物流的物流总监来了").client_name == "云帆物流"
    assert run("官网来了个线索，叫德润医疗器械").client_name == "德润医疗器械"
    assert run("今天去了一家叫青禾的幼儿园连锁").client_name == "青禾"
    assert run("客户提了二十多个技术问题").client_name is None


def test_competitor_prices_and_loose_words_are_not_the_deal():
    result = run("金额大概一百二十万，同时安排一次技术交流，竞争对手用友报了九十万")
    assert result.amount == 1_200_000
    assert result.client_name is None  # 同时安排一次技术交流 is no company
    assert run("签").stage is None  # a bare 签 is a signing only when said to be ahead
    assert run("明天签").stage == "报价谈判"


def test_a_referrer_is_not_the_client():
    result = run("老客户华东机械的王经理给我推荐了他朋友的公司，叫鼎新包装，我加了张经理的微信")
    assert result.client_name == "鼎新包装"
    assert result.contact == "张经理"


def test_contacts():
    assert run("车间主任老周打电话来投诉").contact == "老周"
    assert run("我周一去拜访一下他们分管行长").contact is None
    assert run("想请我们张总监一起去拜访").contact is None
    assert run("天宇软件新来的技术总监姓马，之前的刘洋调走了").contact == "马总监"


def test_competitors_by_core_and_bare_name():
    assert run("他们不考虑德力").competitors == ("德力机械",)
    assert run("听说浪潮也来过").competitors == ("浪潮",)
    assert run("竞争对手也在报价").competitors == ()


def test_products_by_core_and_by_sound():
    assert run("智能仓储那块大概三百万").products == ("智能仓储系统",)
    assert run("想上只能仓储系统").products == ("智能仓储系统",)  # ASR: 智能 → 只能
    assert run("一动审批用着不错").products == ("移动审批",)
    assert run("我们只能存储一部分数据").products == ()  # sound alone, no shared characters
