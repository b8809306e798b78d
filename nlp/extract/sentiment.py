"""Sentiment, risk flags and stated needs.

Sentiment is read clause by clause. Each clause scores its lexicon words (longest first:
不满意 over 满意), each word

* flipped by a negation right before it (没什么 / 并不愉快 / 不太满意 …), twice by a double one
  (倒不是不满意 is praise); a negated worry (不用担心) counts for nothing;
* ignored when only imagined (如果…就换, 原以为…) or still ahead (希望能满意); a complaint
  about the past (之前黄了的那个…) is background;
* ignored when the clause is about a competitor (他们不考虑德力，因为售后太差 is good news for
  us, not bad): a competitor named in the clause, or in the clause a 因为/所以 continues;
  a comparison (我们比德力贵了十万) is about us and counts;
* halved after 有点/偶尔/稍微 (偶尔闪退 is a small complaint); praise taken back right after
  it (兴趣不大, 意向不强) counts against;
* for praise only: ignored when hoped for (希望…, 等领导批，批下来了…), limited (只能接受) or
  our own consent (我们这边答应了).

The note's sentiment is the sign of the sum plus the stage's bias: +1 for a win reported in
this note (not a past contract or a planned implementation), −1 for a loss.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from nlp.extract.dates import TimeMention
from nlp.extract.lexicon import NEGATIVE, POSITIVE, RISK_FLAGS
from nlp.extract.modality import mood
from nlp.extract.text import Clause, split_clauses

Sentiment = Literal["positive", "neutral", "negative"]

_NEEDS = re.compile(r"(?:需要|想要|希望|要求|关注|痛点)[^,，。;；!！?？]{2,24}")
_NEGATION = re.compile(r"(?:不是|没有|没|不太|不怎么|并不|并没|不|别|不用|无需)$")
_ONLY = re.compile(r"只$|只能$|才$")  # 只能接受三十天 is a limit, not agreement
_PAST = re.compile(r"(?:^|[^\u4e00-\u9fff])之前|以前|上次|去年|原来")  # not 文件下来之前
_WEAK_AFTER = re.compile(r"不大|不高|不强|不够|不足|一般")
_MILD = re.compile(r"(?:有点|有些|偶尔|稍微|稍|略|一点)$")
_OUR_CONSENT = re.compile(r"(?:我|我们|咱们)(?:这边|那边)?(?:也|都|就)?$")
_CONSENT = frozenset(("同意", "答应", "认可", "接受", "能接受", "可以接受", "点头"))
_CONTINUES = re.compile(r"^(?:因为|由于|所以|而且)")
_COMPARISON = re.compile(r"比")
_WAITING = re.compile(r"^等")  # 等领导批，批下来了明天回复: the next clause is only hoped for


def _lexicon_pattern(words: Sequence[str]) -> re.Pattern[str]:
    ordered = sorted(set(words), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered), re.IGNORECASE)


_POLARITY = {w.lower(): 1 for w in POSITIVE} | {w.lower(): -1 for w in NEGATIVE}
_WORDS = _lexicon_pattern(list(_POLARITY))


def _rival_clauses(
    clauses: Sequence[Clause], competitor_spans: Sequence[tuple[int, int]]
) -> set[int]:
    """Clauses about a competitor (and the 因为… that continues one), comparisons excepted."""
    rival: set[int] = set()
    for i, clause in enumerate(clauses):
        named = any(clause.start <= s < clause.end for s, _ in competitor_spans)
        if named and _COMPARISON.search(clause.text):
            continue  # 我们比德力机械贵了十万 is about us
        if named or (i - 1 in rival and _CONTINUES.search(clause.text)):
            rival.add(i)
    return rival


def _word_score(
    text: str, m: re.Match[str], clause: Clause, times: Sequence[TimeMention], hoped: bool
) -> float:
    polarity = _POLARITY.get(m.group().lower(), 0)
    before = text[clause.start : m.start()]
    mild = _MILD.search(before[-3:]) or m.group().startswith(("有点", "有些", "偶尔"))
    weight = 0.5 if mild else 1.0
    if _NEGATION.search(before[-3:]):
        return -weight if polarity > 0 else 0.5 * weight  # 不满意 flips; 不用担心 reassures
    if polarity > 0 and _WEAK_AFTER.match(text, m.end()):
        return -weight  # 兴趣不大, 意向不强: praise taken back right after it
    if polarity > 0:
        if _ONLY.search(before) or (m.group() in _CONSENT and _OUR_CONSENT.search(before)):
            return 0.0  # 只能接受 / 我们这边答应了: no good news from the client
        if hoped or mood(text, clause, m.start(), m.end(), times) in ("cond", "plan"):
            return 0.0  # 希望能满意: a hope is not good news
    elif _PAST.search(before) or mood(text, clause, m.start(), m.end(), times) == "cond":
        return 0.0  # 之前黄了的…, 如果…就换; but 估计要拖 is bad news already
    return polarity * weight


def sentiment_of(
    text: str,
    stage_kind: str | None = None,
    *,
    clauses: Sequence[Clause] | None = None,
    times: Sequence[TimeMention] = (),
    competitor_spans: Sequence[tuple[int, int]] = (),
    stage_bias: float | None = None,
) -> Sentiment:
    """``stage_bias`` (from the stage rules) or else ``stage_kind`` won/lost adds one point
    either way: a signed deal is good news, a lost one bad."""
    score = (
        stage_bias if stage_bias is not None else {"won": 1, "lost": -1}.get(stage_kind or "", 0)
    )
    clauses = list(clauses) if clauses is not None else split_clauses(text)
    rival = _rival_clauses(clauses, competitor_spans)
    for i, clause in enumerate(clauses):
        if i in rival:
            continue
        hoped = i > 0 and bool(_WAITING.search(clauses[i - 1].text))
        for m in _WORDS.finditer(text, clause.start, clause.end):
            score += _word_score(text, m, clause, times, hoped)
    return "positive" if score > 0 else "negative" if score < 0 else "neutral"


def risk_flags(text: str, competitors: Sequence[str] = ()) -> list[str]:
    flags = [flag for flag, words in RISK_FLAGS.items() if any(w in text for w in words)]
    if competitors and "竞品介入" not in flags:
        flags.append("竞品介入")
    return flags


def stated_needs(text: str) -> list[str]:
    """Client needs as short phrases (需要…/希望…/要求…)."""
    return [m.group() for m in _NEEDS.finditer(text)][:3]
