"""Next action and its due date.

Each clause is scored as a candidate next step:
  3    an explicit marker: 下一步, 接下来, 下次, 后续, 回头, 待办
  2.6  a rescheduled step: 改到/推到/延到 + a date takes the step planned earlier in the sentence
       (原本今天要给华信银行演示…，没演成，改到下周二了 → 演示, next Tuesday)
  2    a date at or after today (下周三之前, 明天下午三点) and something done in the clause, +0.5
       when it is ours (我…, 再/约/安排/准备/去/给/发/跟进/催 …), −0.5 when reported speech
       (…说) precedes the date; a reply in the homophones ASR hears (恢复/会复 …) is a 回复
  1    a plan of ours without a date (准备, 打算, 我回去…, 商量一下 …); a plan of theirs
       (他们打算交给集团…) is news, not our step
Hedged (估计/预计/应该/可能/能…) and negated (不会, 定不下来, 别急) clauses are expectations, not
actions. A clause that is only a date (…就签，估计下周四) is no step of its own. The best clause
wins, the earliest on ties. Its text runs from the first date or marker to the clause end, with
dates and filler words removed; a bare verb (这周内发) takes its object from the clause before
(我先发点案例给他看看). The due date is the most specific date in that clause; a marker clause
without one borrows it from the next clause (下一步安排培训，月底前完成上线 → 月底).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from nlp.extract.dates import TimeMention
from nlp.extract.text import Clause

_STRONG = re.compile(r"下一步|接下来|下次|后续|回头|待办")
_PLAN = re.compile(
    r"(?:准备|计划|打算|安排|跟进)(?!了)|(?<![签续违合])约(?:了|好)|争取|记得|尽快|"
    r"我(?:们)?(?:这边)?(?:回去|先|再|来|去)|(?<![了过])一下(?!子)|(?:报|出|发|做|写|画|拟|整理)个|"
    r"等(?:他们|客户|对方|领导)|再(?:约|联系|跟进|去|谈|问|找)"
)
_DELIVERABLE = re.compile(r"报|发|出|给|做|准备|整理|提供|补|改")
# 第一次定在下周三: a scheduling verb whose event was named in the clause before
_SCHEDULED = re.compile(r".{0,4}(?:定在|安排在|约在|放在|定|安排)")
_OUR_VERB = re.compile(r"再|约|安排|准备|去|过去|给|发|跟进|拜访|联系|催|提交|出|带|我")
# A dated clause is an action only if something is done in it (还有二期 / 要扩产 are news).
_ACTION_VERB = re.compile(
    r"再|约|安排|准备|去|来|给|发|跟进|拜访|联系|催|提交|出|带|签|定|开|谈|确认|答复|回复|反馈|"
    r"恢复|会复|回付|评估|演示|培训|实施|上线|部署|汇报|看|做|完成|交|(?<![首预])付(?!款方式)|打款|见|聊|回电|报|"
    r"盖章|开通|处理|"
    r"讲|投标|起草|走|审|寄|送|装|修|补|改|递|商量|讨论|沟通|推|启动|进场|安装|调试|测试|试用|"
    r"验收|交付|发货|采购|决定|解决|拿|问|答"
)
_HEDGED = re.compile(r"估计|预计|应该|可能|大概率|也许|或许|能(?:签|批|成|到|定|拿|下来|落地)")
_CALLED_OFF = re.compile(r"本来|原本|原以为|本以为")  # 本来约好明天去演示，客户说不用来了
_NEGATED = re.compile(r"不会|不打算|不考虑|定不下来|别急|不急|再说|再议|再考虑|再看吧|再看$")
_REPORTED_DONE = re.compile(r"(?<!约)了(?!解)")
_THEN = re.compile(r"就[^,，。]{0,4}了")
_RESCHEDULED = re.compile(r"(?:改|推|延|挪|换|调|顺延|推迟|延期)(?:到|在|至)")
_THEIRS = re.compile(r"他们|客户|对方|她|他(?!们)")
_LEAD = re.compile(
    r"^(?:然后|那个|嗯|呃|就是|我们|我这边|我|这边|下一步|接下来|下次|后续|回头|准备|计划|打算|"
    r"争取|记得|尽快|需要|要|得|会|先|之前|以前|前|原本|本来|那|说|[:,，\s])+"
)
_TAIL = re.compile(r"[吧了啊呢哈的。.!！,，\s]+$")
_DATE_ONLY = re.compile(r"^(?:估计|预计|大概|应该|可能|最晚|最快|差不多|就|是|在|吧|了|[,，\s])*$")
# ASR hears 回复 as 恢复/会复/回付 …; after a deadline only a reply makes sense.
_REPLY_HEARD = re.compile(r"^(?:恢复|会复|回付|汇付|回覆|回附|汇复)$")
MAX_ACTION_CHARS = 30


@dataclass(frozen=True, slots=True)
class NextAction:
    text: str
    due: date | None
    at: datetime | None


def _dates_in(clause: Clause, times: Sequence[TimeMention]) -> list[TimeMention]:
    return [t for t in times if clause.start <= t.start < clause.end and t.ahead]


def _without_dates(clause: Clause, dated: list[TimeMention]) -> str:
    text, pos, out = clause.text, 0, []
    for t in dated:
        out.append(text[pos : t.start - clause.start])
        pos = t.end - clause.start
    return "".join(out) + text[pos:]


def _trim(action: str) -> str:
    """Drop lead-in fillers (然后/我们/下一步 …) and trailing particles from an action."""
    return _TAIL.sub("", _LEAD.sub("", action))


def _ours(text: str) -> bool:
    """A plan with no one else as its subject (他们打算… is theirs, 我打算… and 打算… ours)."""
    plan = _PLAN.search(text)
    if plan is None:
        return False
    head = text[: plan.end()]
    if text.startswith("等") and (plan.start() > 0 or not re.search(r"就|才", text)):
        return True  # 等他们回签 / 等他回来再约: we wait, then act; 等…就签 is theirs
    if re.search(r"(?:让|要|请|叫)我", head):  # their request: a step of ours once concrete
        return bool(_DELIVERABLE.search(text[plan.start() :]))  # 报个价 yes, 再想想办法 no
    return "我" in head or not _THEIRS.search(head)


def _score(clause: Clause, dated: list[TimeMention]) -> float:
    text = clause.text
    if _STRONG.search(text):
        return 3.0
    if _HEDGED.search(text) or _NEGATED.search(text) or _CALLED_OFF.search(text):
        return 0.0
    if dated:
        moved = _RESCHEDULED.search(text[: dated[0].start - clause.start])
        if moved and _ACTION_VERB.search(text[: moved.start()] or "改"):
            return 2.6  # 演示改到下周四; not 预算挪到明年
        if _DATE_ONLY.match(_without_dates(clause, dated)):
            return 0.0  # …就签，估计下周四: a date without a step
        first = dated[0].start - clause.start
        after = text[dated[0].end - clause.start :]
        if not _ACTION_VERB.search(text) or (
            _REPORTED_DONE.search(after) and not _THEN.search(after)
        ):
            return 0.0  # 周末加班跟进了… reports the past; 见面就知道了 does not
        score = 2.0 + (0.5 if _OUR_VERB.search(after) or "我" in text else 0.0)
        return score - (0.5 if "说" in text[:first] else 0.0)
    return 1.0 if _ours(text) else 0.0


def _action_text(text: str, clause: Clause, dated: list[TimeMention], whole: bool = False) -> str:
    marks = [t.start for t in dated]
    marks += [
        clause.start + m.start()
        for m in (_STRONG.search(clause.text), None if whole else _PLAN.search(clause.text))
        if m
    ]
    begin = min(marks) if marks else clause.start
    prefix = text[clause.start : begin]
    if len(prefix) <= 6 and not re.search(r"说|了", prefix):
        begin = clause.start  # 合同下周三之前发过来: keep the object said before the date
    pieces, pos = [], begin
    for t in dated:
        if t.start >= pos:
            pieces.append(text[pos : t.start])
            pos = t.end
    pieces.append(text[pos : clause.end])
    return _trim("".join(pieces))[:MAX_ACTION_CHARS]


def _planned_step(text: str, clauses: Sequence[Clause], index: int) -> str:
    """The step a reschedule moves: the first planned clause of the sentence before it."""
    for clause in clauses[max(0, index - 4) : index]:
        if re.search(r"要|准备|打算|计划|安排|约", clause.text) and _ACTION_VERB.search(
            clause.text
        ):
            return _action_text(text, clause, [], whole=True)
    return ""


def find_next_action(
    text: str, clauses: Sequence[Clause], times: Sequence[TimeMention]
) -> NextAction | None:
    best: tuple[float, int] | None = None
    for i, clause in enumerate(clauses):
        score = _score(clause, _dates_in(clause, times))
        if score > 0 and (best is None or score > best[0]):
            best = (score, i)
    if best is None:
        return None
    index = best[1]
    clause = clauses[index]
    dated = _dates_in(clause, times)
    action = _action_text(text, clause, dated)
    moved = _RESCHEDULED.search(text[clause.start : dated[0].start]) if dated else None
    if moved:  # 演示改到下周四了 / 原本今天要演示…，改到下周二了
        own = _trim(text[clause.start : clause.start + moved.start()])
        action = own or _planned_step(text, clauses, index) or action
    following = clauses[index + 1] if index + 1 < len(clauses) else None
    if not action and dated and not _STRONG.search(clause.text):  # 培训定在4月8号
        action = _trim(_without_dates(clause, dated))[:MAX_ACTION_CHARS]
    if not action and following is not None:  # "下一步：6月30日前签合同"
        clause, dated = following, _dates_in(following, times)
        action = _action_text(text, clause, dated)
    elif not dated and following is not None and _STRONG.search(clause.text):
        borrowed = _dates_in(following, times)
        if borrowed and not _HEDGED.search(following.text):
            dated = borrowed
    if not action:
        return None
    action = _REPLY_HEARD.sub("回复", action)
    previous = clauses[index - 1] if index > 0 else None
    if previous is not None and len(action) <= 6 and not _dates_in(previous, times):
        verb = action[-1]
        if (
            _PLAN.search(previous.text)
            or (len(action) <= 2 and verb in previous.text)
            or _SCHEDULED.fullmatch(action)
        ):
            # 我准备一下资料，下周一给他发过去 / 我先发点案例给他看看，这周内发
            lead = _action_text(text, previous, [], whole=True)
            action = f"{lead}，{action}"[:MAX_ACTION_CHARS] if lead else action
    if not dated:
        return NextAction(action, None, None)
    chosen = min(dated, key=lambda t: (t.width, t.start))
    return NextAction(action, chosen.day, chosen.at)
