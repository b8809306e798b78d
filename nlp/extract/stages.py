"""Funnel stage of a note from cue phrases; the strongest *reached* cue wins.

Cues are small phrase patterns, mostly verb + object (报~价 matches 报价, 报了个价, 报完价;
方案…认可; (参观|看)~车间), written in the syntax of nlp.extract.lexicon. Of overlapping
matches the longest wins (预算冻结 over 预算, 预算…砍到 over 砍到, 没中标 over 中标).

Whether an occurrence counts depends on its mood in its clause (nlp.extract.modality):
* open stages count only when done or stated (plain): 还没报价, 下周安排演示, 如果降价 … do not;
  a negation right after a funnel cue cancels it too (预算还没定); a negated cue of a stage
  vetoes the weak cues of that stage (具体要什么还没说清楚 vs 想上仓储系统);
* "^" cues count whether done, asked for or planned (让我们再让一点, 合同下周一寄过去);
* a signing still ahead (下周一签合同, 董事会过了才能签, 估计下周四签) puts the deal in the
  last open stage; a negated one says nothing (还没签合同), a refusal is a loss (不打算续约了);
* "!" after-sale cues (实施/上线/验收/期款 …) mean the deal was won even when planned or not yet
  paid, but not when only wished for or feared (怕实施周期太长), nor as a noun (实施计划);
* losses count when hedged too (估计是凉了), not when conditional (如果不降价就换); the rep
  still fighting (再争取) or the deal coming back (又回来了) undoes them;
* talk about a step is not the step: 说签约没问题, 签约的事, 中标结果公示了, 意向书;
* a competitor or rival word (竞争对手, 原来的供应商) earlier in the clause owns the cue: their
  quote or demo is not ours and their contract is our loss, unless we share it (我们和纷享销客都
  入围了); their old business is background (去年跟用友签的…); 选了/定了/输给 + competitor and
  第一名是 + competitor are losses.

Ranking: 赢单/输单 beat every open stage (if both, the later mention wins); open stages rank by
funnel order (报价谈判 > 方案演示 > 需求确认 > 首次接触). The reading also gives sentiment a
bias: +1 for a win reported in this note or a signing fixed ahead, −1 for a loss.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from nlp.extract.dates import TimeMention
from nlp.extract.lexicon import DEFAULT_FUNNEL, StageKind
from nlp.extract.modality import Mood, future_led_sentences, mood
from nlp.extract.text import Clause, clause_at


@dataclass(frozen=True)
class StageDef:
    name: str
    cues: Sequence[str]
    kind: StageKind = "open"
    order: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "cues", tuple(self.cues))


def default_stages(cue_overrides: Mapping[str, Sequence[str]] | None = None) -> list[StageDef]:
    """The default funnel of product.md; ``cue_overrides`` replaces a stage's cue list."""
    stages = [
        StageDef(name, cues, kind, order) for order, (name, kind, cues) in enumerate(DEFAULT_FUNNEL)
    ]
    return with_cues(stages, cue_overrides or {})


def with_cues(stages: Sequence[StageDef], overrides: Mapping[str, Sequence[str]]) -> list[StageDef]:
    return [StageDef(s.name, overrides.get(s.name, s.cues), s.kind, s.order) for s in stages]


_GAP = r"([^,，。;；!！?？]{0,8}?)"
_ASPECT = r"([了过完好个一下遍次版轮份把]{0,3})"
_NEGATION_AFTER = re.compile(r"^(?:还没|没有|没|未|不|还不)(?!问题|意见|什么问题|错)")
_TALK_AFTER = re.compile(r"^(?:没问题|的事|的话|之后|以后|意向|前|方面|结果|公示|公告|名单|情况)")
_NOT_A_DEAL = re.compile(r"保密|NDA|框架|意向|备忘录")
_BUDGET_MISSING = re.compile(r"^(?:已经)?(?:用完|没了|不够|砍|紧|还没|没有|没)")
_LOST_TO = re.compile(
    r"(?:选了|选择了|定了|换成|改用|改成|签给了?|交给|给了|输给了?|拍板用|决定用|最后用|"
    r"第一名是|中标的是|中标方是)[^,，。]{0,3}$"
)
# 去年跟用友签了个三百万的ERP / 现在用的是金蝶: the rival's old business is background.
_BACKGROUND = re.compile(r"去年|前年|以前|之前|原来|现在用|一直用|用的是|在用")
_IRREALIS = re.compile(r"想|希望|打算|计划|考虑|要求|怕|担心|顾虑")
# 实施周期, 试用期, 交付计划: a noun compound talks about the step, it does not take it.
_COMPOUND_AFTER = re.compile(r"^(?:期(?!间)|周期|计划|方案|成本|费用|能力|经验|难度|风险|时间)")
_REFUSAL = re.compile(r"不(?:打算|想|准备|会|再)?$")
_US = re.compile(r"我们|我方|咱们")
_RIVAL_WORD = re.compile(
    r"竞争对手|对手|友商|竞品|别家|另一家|另外一家|(?:原来|别|其他|其它)的?(?:供应商|厂商|厂家)"
)
_OURS = re.compile(r"(?:我|我们|咱们)$")
# The rep still fighting for it (再争取一下) means the deal is not lost yet.
_HEDGED = re.compile(r"估计|预计|争取|希望|应该|可能|能|尽量|看看")
_AHEAD_HEAD = re.compile(r"就|再|来|去|过来|才|能")
_UNPAID = re.compile(r"[^,，。]{0,8}(?:还没|没有|没|未)")
_PAYMENT = re.compile(r"款|结清|到账|付了")
_PAST = re.compile(r"上周|上个?礼拜|上个月|之前|去年|早就|前几天|以前")
_RECOVERY = re.compile(
    r"再争取|挽回|再试试|还有机会|再努力|再谈谈|再跟一下|又回来|重新(?:看|谈|启动|找|考虑)"
)


def compile_cue(cue: str) -> re.Pattern[str]:
    """One cue of the table syntax (see nlp.extract.lexicon) as a regex."""
    out: list[str] = []
    for token in re.split(r"(…|~|\([^()]*\|[^()]*\))", cue.lstrip("!?^")):
        if token == "…":
            out.append(_GAP)
        elif token == "~":
            out.append(_ASPECT)
        elif token.startswith("(") and token.endswith(")"):
            out.append("(?:" + "|".join(re.escape(a) for a in token[1:-1].split("|")) + ")")
        elif token:
            out.append(re.escape(token))
    return re.compile("".join(out), re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class StageReading:
    stage: str | None
    # +1 a win reported now or a signing fixed ahead, −1 a loss, else 0 (see sentiment.py)
    sentiment_bias: int = 0


@dataclass(frozen=True, slots=True)
class _Cue:
    stage: StageDef
    pattern: re.Pattern[str]
    after_sale: bool
    weak: bool
    settled: bool  # 寄合同, 让一点, 扩到: counts whether done, asked for or planned
    news: bool  # a signing or a payment is news; an implementation step or a past deal is not


class StageRules:
    """Cue patterns of one funnel, compiled once."""

    def __init__(self, stages: Sequence[StageDef]) -> None:
        self.stages = tuple(stages)
        self._lost = next((s for s in self.stages if s.kind == "lost"), None)
        open_stages = [s for s in self.stages if s.kind == "open"]
        self._closing = max(open_stages, key=lambda s: s.order) if open_stages else None
        self._cues = [
            _Cue(
                stage,
                compile_cue(cue),
                cue.startswith("!"),
                cue.startswith("?"),
                cue.startswith("^"),
                not cue.startswith("!") or bool(_PAYMENT.search(cue)),
            )
            for stage in self.stages
            for cue in stage.cues
            if cue.strip("!?^")
        ]

    def kind_of(self, name: str | None) -> StageKind | None:
        return next((s.kind for s in self.stages if s.name == name), None)

    def _matches(self, text: str) -> list[tuple[re.Match[str], _Cue]]:
        """Every cue occurrence; overlapping ones keep the longest (预算冻结 over 预算)."""
        found = [(m, cue) for cue in self._cues for m in cue.pattern.finditer(text) if m.group()]
        found.sort(key=lambda mc: (mc[0].start() - mc[0].end(), mc[0].start()))
        kept: list[tuple[re.Match[str], _Cue]] = []
        for m, cue in found:
            if all(m.end() <= k.start() or m.start() >= k.end() for k, _ in kept):
                kept.append((m, cue))
        return sorted(kept, key=lambda mc: mc[0].start())

    def detect(
        self,
        text: str,
        clauses: list[Clause],
        times: Sequence[TimeMention],
        competitor_spans: Sequence[tuple[int, int]] = (),
    ) -> str | None:
        return self.analyse(text, clauses, times, competitor_spans).stage

    def analyse(
        self,
        text: str,
        clauses: list[Clause],
        times: Sequence[TimeMention],
        competitor_spans: Sequence[tuple[int, int]] = (),
    ) -> StageReading:
        found: list[tuple[int, StageDef, _Cue | None]] = []
        news: dict[int, bool] = {}  # offset of a won cue → reported as news in this note
        signing = False  # a signing is fixed ahead (not hoped for: 争取/估计…)
        vetoed: set[str] = set()  # 具体要什么还没说清楚 vetoes the weak 想上仓储系统
        ahead = future_led_sentences(text, clauses, times)
        for m, cue in self._matches(text):
            stage, md = self._judge(text, m, cue, clauses, times, competitor_spans, ahead)
            if stage is not None:
                found.append((m.start(), stage, cue))
                clause = clause_at(clauses, m.start())
                said = text[clause.start : m.end()] if clause else m.group()
                if stage.kind == "won":  # 合同上个月已经签了 is background, not news
                    news[m.start()] = (
                        cue.news
                        and md in ("done", "plain")
                        and not _PAST.search(said)
                        and not _UNPAID.match(text, m.end())  # 二期款拖了一个多月还没付
                    )
                elif stage is self._closing and cue.stage.kind == "won":  # 明天上午去签字
                    signing = signing or (md == "plan" and not _HEDGED.search(said))
            elif md == "neg" and cue.stage.kind == "open":
                vetoed.add(cue.stage.name)
        if self._lost is not None:
            for start, _ in competitor_spans:
                if _LOST_TO.search(text[max(0, start - 8) : start]):
                    found.append((start, self._lost, None))
        # A weak cue (想上…, 签了字) counts only when nothing firmer says otherwise.
        strong = {s.name for _, s, cue in found if not (cue and cue.weak)}
        found = [
            (at, s, cue)
            for at, s, cue in found
            if not (cue and cue.weak) or not (strong - {s.name} or s.name in vetoed)
        ]
        lost = [f for f in found if f[1].kind == "lost"]
        if lost and _RECOVERY.search(text[max(f[0] for f in lost) :]):
            found = [f for f in found if f[1].kind != "lost"]
        if not found:
            return StageReading(None)
        closed = [f for f in found if f[1].kind != "open"]
        if closed:
            _, stage, _ = max(closed, key=lambda f: f[0])
            if stage.kind == "lost":
                return StageReading(stage.name, -1)
            won_news = any(news.get(a, False) for a, s, _ in closed if s is stage)
            return StageReading(stage.name, 1 if won_news else 0)
        best = max(found, key=lambda f: (f[1].order, f[0]))[1]
        return StageReading(best.name, 1 if signing and best is self._closing else 0)

    def _judge(
        self,
        text: str,
        m: re.Match[str],
        cue: _Cue,
        clauses: list[Clause],
        times: Sequence[TimeMention],
        competitor_spans: Sequence[tuple[int, int]],
        ahead: Sequence[tuple[int, int]],
    ) -> tuple[StageDef | None, Mood | None]:
        """The stage this occurrence really supports (None: it does not count), and its mood."""
        stage = cue.stage
        clause = clause_at(clauses, m.start())
        start = clause.start if clause else 0
        end = clause.end if clause else len(text)
        before, after = text[start : m.start()], text[m.end() : end]
        gaps = "".join(g for g in m.groups() if g)
        if _TALK_AFTER.search(after) and (
            stage.kind == "won" or after.startswith(("的事", "的话"))
        ):
            return None, None  # 说签约没问题, 续签的事下个月再谈: talk about it, not done
        if stage.kind == "won" and _NOT_A_DEAL.search(after[:10]):
            return None, None
        if m.group() == "预算" and _BUDGET_MISSING.search(after):
            return None, None
        if _COMPOUND_AFTER.search(after):
            return None, None
        if m.group().startswith(("需要", "想", "要", "打算")) and (
            _OURS.search(before) or re.match(r"^(?:我们|我|你们)", after) or before.endswith("有")
        ):
            return (
                None,
                None,
            )  # 需要我们准备… asks us; 我们要做… is our plan; 有需要会联系 is hypothetical
        rival = any(start <= s < m.start() for s, _ in competitor_spans)
        rival = (rival or bool(_RIVAL_WORD.search(before))) and not _US.search(before)
        # 竞争对手也在报价 is theirs; 我们和纷享销客都入围了 is not theirs alone
        if rival and _BACKGROUND.search(before):
            return None, None
        md = mood(text, clause, m.start(), m.end(), times, gap=gaps, future_spans=ahead)
        if stage.kind == "won" and md in ("done", "plain") and _AHEAD_HEAD.match(m.group()):
            md = "plan"  # 董事会过了才能签, 回来就签: the signing itself is still ahead
        if m.group() == "签" and md not in ("plan", "hedge"):
            return None, None  # a bare 签 is a signing only when said to be ahead (明天签)
        if stage.kind == "lost":
            return (stage if md in ("done", "plain", "hedge") else None), md  # 估计是凉了 counts
        if cue.settled:
            return (None if md in ("neg", "cond") or rival else stage), md
        if cue.after_sale:
            # 实施团队下周进场: implementation is only planned once the deal is won
            return (None if md == "cond" or _IRREALIS.search(before) else stage), md
        if stage.kind == "won":
            if md in ("done", "plain"):
                return (self._lost if rival else stage), md  # 被德力机械签了: their win is our loss
            if md == "neg":  # 不打算续约了 is a refusal; 还没签合同 says nothing yet
                refused = _REFUSAL.search(before) and m.group().endswith("了")
                return (self._lost if refused else None), md
            # 下周一签合同, 估计下周四签: the deal is closing, i.e. the last open stage
            return (None if rival else self._closing), md
        if md not in ("done", "plain") or rival:
            return None, md  # planned, hedged or negated; a rival's quote or demo is not ours
        if _NEGATION_AFTER.search(after) and not gaps:
            return None, "neg"  # 预算还没定
        return stage, md
