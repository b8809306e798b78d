"""The client-side contact: 王经理, 李总, 张工, 陈主任, 采购部的孙经理, or a catalogued 王建国.

Order of preference: a catalogued contact of the matched client named in full (unless said to
have left: 刘洋调走了); then the first surname + title that is not ours (王总监 not 王总;
我们张总监 is our manager);
then "技术总监姓钱" → 钱总监; then 老周 right after a title (车间主任老周); then 老刘/小陈 when
followed by something a person does (小范围 is not 小范).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.extract.lexicon import COMPOUND_SURNAMES, SURNAMES, TITLES, words

_SURNAME = "(?:" + "|".join(COMPOUND_SURNAMES) + f"|[{SURNAMES}])"
_TITLE = "(?:" + "|".join(TITLES) + ")"
# Characters after 总/工/董 that turn the pair into an ordinary word (总共, 工作, 董事会).
_WORD_AFTER = {"总": "共体部算结额价量数之", "工": "作厂期艺具资地业程人", "董": "事"}
_TITLED = re.compile(rf"(?P<sur>{_SURNAME})(?P<title>{_TITLE})")
_NAMED_TITLE = re.compile(rf"(?P<title>{_TITLE})姓(?P<sur>{_SURNAME})")
# 老刘/小陈 only with the most common surnames: 小时, 老师, 小米 are words, not people.
_FAMILIAR = re.compile(
    r"[老小][王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡杜叶程"
    r"苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵钱]"
    r"(?=[说的和跟在也是他她吃请让给打来讲问带提觉发,，。、\s]|$)"
)
# 刘洋调走了: a catalogued contact who has left is no longer the one to talk to.
_DEPARTED = re.compile(
    r"(?:已经|刚)?(?:调走|离职|辞职|走了|调去|离开|不在了|退休|休产假|休假|请假)"
)
_OURS = re.compile(r"(?:我们|我方|咱们|我们公司|公司的|我们的)$")  # 请我们张总监一起去
# 车间主任老周: a familiar name right after a title is that person, whatever follows.
_TITLE_FAMILIAR = re.compile(rf"{_TITLE}(?P<who>[老小]{_SURNAME})")
# A surname char that is really the tail of a word: 对方总监 is not 方总监.
_WORD_BEFORE = frozenset(
    words(
        "对方 双方 甲方 乙方 我方 各方 买方 卖方 完成 达成 说明 聪明 发明 文明 分钟 时钟 几何 "
        "任何 如何 为何 其余 多余 剩余 业余 老师 医师 律师 厨师 分管 主管 监管 托管 接管 代管 "
        "那边 这边 旁边 身边"
    )
)


def _titled(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for m in _TITLED.finditer(text):
        title = m["title"]
        nxt = text[m.end() : m.end() + 1]
        if title in _WORD_AFTER and nxt and nxt in _WORD_AFTER[title]:
            continue
        if title == "工" and text[m.end() : m.end() + 2] == "程师":
            title = "工程师"
        if m.start() > 0 and text[m.start() - 1 : m.start() + 1] in _WORD_BEFORE:
            continue
        if _OURS.search(text[max(0, m.start() - 4) : m.start()]):
            continue  # our own manager is not the client's contact
        found.append((m.start(), m["sur"] + title))
    return found


def find_contact(text: str, known: Sequence[str] = ()) -> str | None:
    """The contact person named in ``text`` (normalised), preferring ``known`` full names."""
    named = [
        (text.find(name), name)
        for name in known
        if name and name in text and not _DEPARTED.match(text, text.find(name) + len(name))
    ]
    if named:
        return min(named)[1]
    titled = _titled(text)
    if titled:
        return min(titled)[1]
    m = _NAMED_TITLE.search(text)
    if m:
        title = m["title"]
        return m["sur"] + ("总" if title in ("总经理", "董事长", "总裁") else title)
    m = _TITLE_FAMILIAR.search(text)
    if m:
        return m["who"]
    m = _FAMILIAR.search(text)
    return m.group() if m else None
