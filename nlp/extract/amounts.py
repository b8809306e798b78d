"""Deal amounts in CNY: 三十万, 15.5万, 120w, 两百万左右, 1,200,000元, 十二万八, 3万5, 八十八点五万.

A number is money only with a money unit (万/w/亿/k or 元/块); 100台, 3个人, 2024年, 九五折 and
八成 are not. cn2an converts the numeral ("smart" mode handles 两, 15.5万, 十二万八, 3万5); we
fold 120w → 120万, strip thousands separators, read Chinese decimals (八十八点五万) and spoken
mixes of digits and Chinese units (1百零5万, 3十6万, 2百40万). ASR runs words together, so an
invalid numeral (金额 heard as 金二: 二六十万) yields its longest valid suffix (六十万).
多/来/余/左右/上下 mark an estimate and keep the stated base (二十多万 → 200000).

Of several amounts the deal's current value wins, by the role the words around it give it:
  4 agreed or final (最后/最终/按…走/谈妥/定在/变成)   3 quote or contract (报价, 合同, 降到 …)
  2 plain or budget   1 earlier or internal (原价, 第一版, 之前, 底线), or an increment (追加)
  0.5 what the client asks for (希望降到八十万以内)
and never: a competitor's price (用友报了九十万), deltas (贵了十万, 便宜了差不多十五万),
partial payments (首付款, 尾款, 第二笔款; unless settled in full: 尾款全部结清，一共…) and other
business in the background (去年签的三百万框架协议). An amount said on its own (…，一共三十万，…)
takes its role from the clause before it. Ties go to the later mention, and a correction
(不对/说错了/更正) drops what it corrects.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import cn2an

_CN = "零〇一二两三四五六七八九十百千"
_DIGIT = "零〇一二两三四五六七八九"
_DIGIT_VALUE = dict(zip(_DIGIT, (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_MONEY = re.compile(
    rf"(?P<num>(?:\d+(?:,\d{{3}})+|[\d{_DIGIT}十])[\d{_CN}点.]*"
    rf"(?:[万亿](?:[\d{_CN}]+(?![年月日号天周个台套件人次期笔]))?)*)"
    r"(?P<approx>多|来|余)?(?P<unit>[wWkK](?![a-zA-Z])|[万亿])?(?:多|来|余)?"
    r"(?P<yuan>元|块钱|块|人民币)?"
)
_COUNTED = frozenset("台套个件人次家辆平吨条名份张位户米倍期笔")  # 三万台 counts machines
_DATED = frozenset("年月日号天周")  # 2024年, 15号; but 三十五万月底前 is money then a date
_CORRECTION = re.compile(r"不对|说错了|说错|更正|纠正|哦不|口误|不是[^,，。]{0,8}是")
_HEDGE = r"(?:差不多|大概|大约|将近|近|约|足足|整整|至少|起码|还|了|有|足有)?"
_DELTA = re.compile(
    r"(?:贵了|便宜了|低了|高了|降了|少了|多了|差了|优惠了|让了|还差|减了|砍了|低|高|贵|便宜|差|多出)"
    + _HEDGE
    + "$"
)
_INCREMENT = re.compile(r"(?:增加|追加|加了|加)" + _HEDGE + "$")
_SETTLED = re.compile(r"全部|全款|结清")
_PARTIAL = re.compile(r"首付|尾款|余款|预付|定金|订金|首款|进度款|第.笔|第.期款|首期款|一期款")
_BACKGROUND = re.compile(r"去年|前年|往年|框架|总包|总投资|整个项目|集团总")
_ASKED = re.compile(r"希望|要求|想要|想|能不能|压到|控制在|目标")
_AGREED = re.compile(
    r"最后|最终|谈妥|谈拢|谈下来|定在|定了|(?<![报])按|成交|落在|变成|分到|我们这块"
)
_OLD = re.compile(r"原来|原先|原价|原报价|之前|最初|起初|底线|成本|上一版|第一版|从")
_QUOTE = re.compile(
    r"报价|报了|报的|降到|降至|让到|打到|谈到|改成|改到|调到|调整到|合同|签了|签约|总价|总金额|金额|折后|特价|"
    r"一共|总共|共计|合计|费用|批了|价格|单价|标的|回款|到账|单子"
)
_QUOTE_AFTER = re.compile(r"^(?:的)?(?:特价|大单|单子|报价|合同|订单|成交)")
_AGREED_AFTER = re.compile(r"^(?:走|成交|签|定了|落地|整)")
_RIVAL = re.compile(r"竞争对手|对手|友商|竞品|别家")
_ESTIMATE = re.compile(r"^(?:左右|上下|以内|以上)")
_BARE = re.compile(r"^(?:一共|总共|合计|大概|大约|差不多|就|是|吧|啊|呢|的|了|左右|上下|整|\s)*$")


@dataclass(frozen=True, slots=True)
class AmountMention:
    start: int
    end: int
    text: str
    value: float
    approx: bool
    role: float  # 4 agreed, 3 quote, 2 plain/budget, 1 earlier, 0.5 asked for


def _cn_number(num: str) -> float | None:
    """A numeral (Chinese, Arabic or mixed) as a number, or None when it is not one."""
    if "点" in num:  # 八十八点五万
        m = re.fullmatch(rf"(.+)点([{_DIGIT}\d]+)([万亿]?)", num)
        if not m:
            return None
        whole = _cn_number(m[1])
        frac = "".join(str(_DIGIT_VALUE.get(c, c)) for c in m[2])
        scale = {"万": 1e4, "亿": 1e8}.get(m[3], 1.0)
        return None if whole is None else (whole + float("0." + frac)) * scale
    if re.search(r"\d", num) and re.search("[十百千]", num):  # 1百零5万, 2百40万
        num = re.sub(r"\d+", lambda d: str(cn2an.an2cn(d.group())), num)
    try:
        return float(cn2an.cn2an(num, "smart"))
    except (ValueError, KeyError):
        return None


def _to_yuan(num: str, unit: str | None, yuan_word: str | None) -> float | None:
    num = num.replace(",", "")
    multiplier = 1.0
    if unit in ("w", "W"):
        num += "万"
    elif unit in ("k", "K"):
        multiplier = 1000.0
    elif unit:
        num += unit
    if not unit and not yuan_word and not re.search("[万亿]", num):
        return None  # a bare number is a count, a year or a percentage, not money
    value = None
    for cut in range(len(num) - 1):  # 二六十万 (ASR: 金额 → 金二) → 六十万
        value = _cn_number(num[cut:])
        if value is not None or re.match(r"[\d.]", num[cut:]):
            break
    if value is None:
        return None
    value *= multiplier
    if yuan_word == "块" and not unit and value < 100:
        return None  # 两块 is two pieces, not two yuan
    return value if value > 0 else None


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """(words before an amount in its clause, the nearest of them); a bare amount
    (…，一共三十万，…) takes the clause before it as its context."""
    head = re.split(r"[,，。;；!！?？]", text[:start])
    left = head[-1]
    tail = re.split(r"[,，。;；!！?？]", text[end:])[0]
    if len(head) > 1 and _BARE.match(left + tail):
        left = head[-2][-12:] + "，" + left
        return left, left
    return left[-12:], left[-8:]


def _role(text: str, start: int, end: int) -> float | None:
    left, near = _context(text, start, end)
    right = text[end : end + 6]
    if _DELTA.search(left) or _BACKGROUND.search(left):
        return None
    if _PARTIAL.search(left) and not _SETTLED.search(left):
        return None  # 首付款三十万 is not what the deal is worth; 尾款全部结清，一共… is
    if _INCREMENT.search(near):
        return 1  # 追加二十万: the deal's value only when nothing else is said
    if _ASKED.search(near):
        return 0.5
    if _AGREED.search(near) or _AGREED_AFTER.search(right):
        return 4
    if _OLD.search(near):
        return 1
    if _QUOTE.search(left) or _QUOTE_AFTER.search(right):
        return 3
    return 2


def find_amounts(text: str, rivals: Sequence[tuple[int, int]] = ()) -> list[AmountMention]:
    """Money mentions with their roles; ``rivals`` are spans of competitor names, whose prices
    said after them in the same clause are theirs (用友报了九十万), not the deal's."""
    mentions: list[AmountMention] = []
    for m in _MONEY.finditer(text):
        clause_start = max(text.rfind(ch, 0, m.start()) for ch in ",，。;；!！?？") + 1
        if any(clause_start <= s < m.start() for s, _ in rivals) or _RIVAL.search(
            text[clause_start : m.start()]
        ):
            continue
        num = m.group("num").rstrip(".点")
        following = text[m.end() : m.end() + 1]
        scaled = bool(m["unit"]) or bool(re.search("[万亿]", num))
        if not num or following in _COUNTED or (following in _DATED and not scaled):
            continue
        if m.start() > 0 and (text[m.start() - 1].isdecimal() or text[m.start() - 1] == "第"):
            continue
        value = _to_yuan(num, m["unit"], m["yuan"])
        role = _role(text, m.start(), m.end())
        if value is None or role is None:
            continue
        approx = bool(m["approx"]) or bool(_ESTIMATE.match(text[m.end() :]))
        mentions.append(AmountMention(m.start(), m.end(), m.group(), value, approx, role))
    return mentions


def deal_amount(text: str, rivals: Sequence[tuple[int, int]] = ()) -> float | None:
    """The deal's current value in yuan, or None when the note states no money."""
    mentions = find_amounts(text, rivals)
    kept: list[AmountMention] = []
    for mention in mentions:
        if kept and _CORRECTION.search(text[kept[-1].end : mention.start]):
            kept.pop()  # "三十万，不对，是三十五万": the corrected figure replaces the slip
        kept.append(mention)
    if not kept:
        return None
    best = max(kept, key=lambda m: (m.role, m.start))
    return best.value
