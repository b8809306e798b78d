import pytest

from nlp.extract.amounts import deal_amount, find_amounts
from nlp.extract.text import normalize


def amount(text: str) -> float | None:
    return deal_amount(normalize(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三十万", 300_000),
        ("15.5万", 155_000),
        ("120w", 1_200_000),
        ("１２０Ｗ", 1_200_000),  # full-width digits from an IME
        ("两百万左右", 2_000_000),
        ("一百一十万", 1_100_000),
        ("1,200,000元", 1_200_000),
        ("八十五万", 850_000),
        ("二十多万", 200_000),
        ("三十来万", 300_000),
        ("十二万八", 128_000),
        ("3万5", 35_000),
        ("二十万零五千", 205_000),
        ("二十六万八千", 268_000),
        ("50k", 50_000),
        ("三千块", 3_000),
        ("1.2亿", 120_000_000),
        ("十五万以内", 150_000),
    ],
)
def test_single_amounts(text, expected):
    assert amount(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("原来报价50万，现在降到45万", 450_000),
        ("预算100万，我们报了80万", 800_000),
        ("我们报了80万，客户预算100万", 800_000),
        ("三十万，不对，是三十五万", 350_000),
        ("谈到了八十万，哦说错了，是七十八万", 780_000),
        ("原价六十万，折后五十七万", 570_000),
        ("我们比德力机械贵了十万，我们报价是九十五万", 950_000),
        ("报价比我们低10万，我们的报价是五十五万", 550_000),
        ("我们报的是七十万，底线六十五万", 700_000),
        ("每台三千，总共十五万", 150_000),
    ],
)
def test_deal_value_among_several(text, expected):
    assert amount(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "采购100台设备",
        "2024年的项目",
        "3个人参加",
        "最多打九五折",
        "八成能成",
        "分两块做",
        "千万别急",
    ],
)
def test_numbers_that_are_not_money(text):
    assert amount(text) is None


def test_delta_alone_is_not_the_deal_value():
    assert amount("比竞品贵了十万") is None
    assert amount("尾款还差八万") is None


def test_estimate_is_flagged_and_keeps_the_base():
    (mention,) = find_amounts(normalize("大概两百万左右"))
    assert mention.value == 2_000_000
    assert mention.approx


def test_classifier_after_wan_is_not_money():
    assert amount("三十万台") is None
    assert amount("12万一年") == 120_000
