"""Mood of a word inside its clause: reached, planned, hedged, negated or only imagined.

Shared by the stage, action and sentiment rules, which all need to tell 报价发了 from 下周报价,
还没报价, 估计要黄 and 如果不降价就换. The first rule that applies decides:

1. ``cond``: a conditional before it in its clause (如果/要是/万一 …) or 的话 after it, or a
   counterfactual frame earlier in the clause (原以为今天能签合同，…);
2. ``neg``: a negator just before it (没/未/不/别/还没 …; A-not-A questions like 能不能 are not
   negations), or inside the gap of a split cue (需求还没定下来);
3. ``done``: 已经/已/刚/早就 before it;
4. ``plan``: a future date in the clause before it, inside it or right after it (下周安排演示,
   合同元旦前能签, 试用下周一开始), or a move right after it (演示改到下周四了);
5. ``plan``: a modal before it (准备/打算/要/想/得先/再/等/会 …, with the words that merely
   contain one excluded: 主要, 展会, 会议, 觉得 …), unless a verb with 了 follows the modal
   (先做了演示 is done);
6. ``done``: an aspect marker right after it or in its gap (签了字, 报完价, 讲过方案) or a past
   time word before it (上次报完价, 去年签的);
7. ``plan``: a measure word in its gap without 了 (报个价);
8. ``hedge``: an epistemic hedge before it (估计/可能/应该 …): an expectation;
9. ``done``: a verb with 了 before it (做了一次现场演示);
10. ``plan``: a sentence that opens with a future date (明天去拜访云帆科技，第一次见面，先了解
    需求), unless the clause comes back to the present (目前/现在/今天 …);
11. ``plain`` otherwise: stated as a fact (报价一百二十万).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from nlp.extract.dates import TimeMention
from nlp.extract.text import Clause

Mood = Literal["cond", "neg", "done", "plan", "hedge", "plain"]

_COND = re.compile(r"如果|(?<!主)要是|万一|假如|假设|一旦|若是|除非")
# 原以为今天能签，结果没签成: the frame lasts until the turn (结果/但是 …)
_COUNTERFACTUAL = re.compile(r"(?:原以为|本以为|还以为|原本|本来)(?!.*(?:结果|但是|可是|没想到))")
_COND_AFTER = re.compile(r"^[^,，。!！?？]{0,6}的话")
_A_NOT_A = re.compile(r"(.)[不没]\1")
_NEG_BEFORE = re.compile(
    r"(?:没有|没能|没|未能|尚未|并未|未|还不|并不|不|别|无需|不用|不必|甭)[^,，。不没]{0,2}$"
)
_NOT_NEGATION = re.compile(r"不错|不少|不久|不断|不过|不管|不仅|差不多|不一定|要不")
_GAP_NEG = re.compile(r"还没|没有|没|未|不")
_DONE_BEFORE = re.compile(r"已经|已|刚刚|刚(?!好)|早就|之前就")
_PAST_TIME = re.compile(r"昨天|前天|上周|上个?礼拜|上个?星期|上个月|上次|上回|前几天|去年|之前")
_DONE_AFTER = re.compile(r"^(?:了|过|完|好了|掉了|成了|下来了|上了|已经|已)")
_GAP_DONE = re.compile(r"了|过|完")
_MODAL = re.compile(
    r"准备|计划|打算|安排|争取|希望|考虑|(?:同意|答应)(?!了)|(?<![感思理])想(?!法|到|起)|需要|"
    r"(?<![主重只需必紧纲摘想还不])要(?![求的是点素紧不么])|还要|"
    r"(?<=[还就也都们你他那可])得(?![很不到了出上下起住好多少])|"
    r"(?<![觉记值获取使懂显免舍难晓])得(?=先|把|去|再|赶紧|尽快|抓紧|重新|好好|等|走|跑|找)|"
    r"将要|即将|"
    r"(?<![开参例晚早展机约协学都社聚晤一年周大午宴审标动论讨碰见商谈])"
    r"会(?=[\u4e00-\u9fff])(?![议上儿场员计后前的里中期])|"
    r"(?<![首原优事预])先(?![前后生])|(?<![一])再(?!说|次|见)|(?<![等同])等(?![于级等])|"
    r"约(?:了|好)?(?=[^,，。]{0,4}?(?:去|来|见|聊|谈|过去|上门))|让我|请我|叫我|要求我|"
    r"能(?=签|批|成|到|定|拿|下来|落地|上线)|来得及|(?<![了过])一下"
)
_MOVED = re.compile(r"(?:又|被)?(?:改|推|延|挪|换|调|顺延|推迟|延期)(?:到|在|至)")
_NOW = re.compile(r"目前|现在|当前|今天|刚")
_HEDGE = re.compile(r"估计|预计|可能|也许|或许|应该|大概率|说不定|看样子")
_PAST_VERB = re.compile(r"[\u4e00-\u9fff]了(?!解|不起|结)")
_FILLER = re.compile(r"^(?:嗯|呃|啊|那个|然后|就是|我|我们|我这边|这边|[,，\s])*")


def _sentence_start(text: str, pos: int) -> int:
    cut = max(text.rfind(ch, 0, pos) for ch in "。!！?？;；\n")
    return cut + 1


def future_led_sentences(
    text: str, clauses: Sequence[Clause], times: Sequence[TimeMention]
) -> list[tuple[int, int]]:
    """Sentences that open with a future date (明天去拜访…): everything in them is ahead."""
    spans: list[tuple[int, int]] = []
    for t in times:
        if not t.ahead:
            continue
        start = _sentence_start(text, t.start)
        lead = _FILLER.sub("", text[start : t.start])
        if lead:
            continue
        end = min(
            (text.find(ch, t.end) for ch in "。!！?？;；\n" if ch in text[t.end :]), default=-1
        )
        spans.append((start, end if end >= 0 else len(text)))
    return spans


def mood(
    text: str,
    clause: Clause | None,
    start: int,
    end: int,
    times: Sequence[TimeMention] = (),
    *,
    gap: str = "",
    future_spans: Sequence[tuple[int, int]] = (),
) -> Mood:
    """Mood of ``text[start:end]`` (a cue or a sentiment word) inside ``clause``."""
    c_start = clause.start if clause else 0
    c_end = clause.end if clause else len(text)
    before, after = text[c_start:start], text[end:c_end]
    if _COND.search(before) or _COND_AFTER.search(after):
        return "cond"
    if _COUNTERFACTUAL.search(before):
        return "cond"
    tail = _A_NOT_A.sub("", before)[-4:]
    if _NEG_BEFORE.search(tail) and not _NOT_NEGATION.search(before[-4:]):
        return "neg"
    if gap and _GAP_NEG.search(gap):
        return "neg"
    if _DONE_BEFORE.search(before):
        return "done"
    if any(t.ahead and (c_start <= t.start < end or t.start == end) for t in times):
        return "plan"  # 下周安排演示, 合同元旦前能签, 试用下周一开始
    if _MOVED.match(after):
        return "plan"  # 演示改到下周四了: moved, so still ahead
    modal = None
    scope = before + gap + text[start:end]  # 可能会冻结: 会 is a modal because a verb follows
    for found in _MODAL.finditer(scope):
        if found.start() < len(before) + len(gap):
            modal = found
    # 先做了演示: a verb with 了 after the modal reports what was done
    if modal is not None and not _PAST_VERB.search(scope[modal.end() : len(before) + len(gap)]):
        return "plan"
    if _DONE_AFTER.search(after) or _GAP_DONE.search(gap) or _PAST_TIME.search(before):
        return "done"
    if modal is not None:
        return "done"
    if "个" in gap:  # 报个价: a perfunctory measure word without 了 is a plan
        return "plan"
    if _HEDGE.search(before):
        return "hedge"
    if _PAST_VERB.search(before):
        return "done"
    if any(s <= start < e for s, e in future_spans) and not _NOW.search(before):
        return "plan"
    return "plain"
