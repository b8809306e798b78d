"""Which client a note is about, and which company names in it are competitors.

Two sources of mentions:
* company-shaped spans: an industry/legal suffix (…机械, …科技, …有限公司) with a 2–6 char name
  before it that starts at a boundary (clause start, 拜访了/去了趟/见了/的/跟 …, fillers 那个/嗯);
  this finds new clients and misheard ones (花东机械);
* catalogue keys found in the text by characters or pinyin (ClientIndex.scan): names without a
  suffix, aliases, bare cores (恒大那边 → 恒达科技).

A span is matched as a whole, so 华东重工 stays a new client instead of becoming 华东机械 by its
core. A name introduced as one (一家叫青禾的…) counts without a suffix. Mentions of catalogue
competitors, or in competitor context (竞品/对手/友商/叫什么 before, 也在/也来 after, 选了/用了/
换成 before), are competitors, not the client. The client is the first remaining mention that is
not a referrer (老客户华东机械的王经理给我推荐了…).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.extract.lexicon import words
from nlp.names import INDUSTRY_SUFFIXES, NO_MATCH, ClientIndex, ClientMatch

_SUFFIX = re.compile("(?:" + "|".join(INDUSTRY_SUFFIXES) + r")(?:有限公司|公司|集团)?")
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_BOUNDARY_TOKENS = tuple(
    sorted(
        words(
            "拜访了 拜访 去了趟 去了 见了 约了 走访了 联系了 跟 和 与 给 到 去 在 是 的 了 趟 对 向 "
            "把 叫 被 从 说 那个 这个 然后 就是 客户 叫什么 什么 还有 除了 嗯 呃 啊 见 找 陪 请 帮 "
            "为 有"
        ),
        key=len,
        reverse=True,
    )
)
# 了解 / 对于 … : the boundary char is the head of a word, so the name cannot start after it.
_FALSE_BOUNDARY = frozenset(words("了解 对于 在于 给予 是否 到达 到位 有关 为了 和谐"))
# 医药行业, 信息科, 财务部: a sector or a department, not a company.
_NOT_A_COMPANY_AFTER = re.compile(
    r"^(?:行业|领域|方面|系统|板块|方案|产品|平台|模块|邮件|部门|部|科|处|室|中心|交流|支持|"
    r"人员|团队|问题|负责人|服务|对接|水平|实力|能力|文件|要求|指标)"
)
_GENERIC_CORES = frozenset(
    words("仓储 智能 信息 互联网 高新 这家 一家 我们 他们 你们 行业 做 新 高")
)
# 一家做新能源, 这个搞物流: a description of a company, not its name.
_DESCRIPTIVE_CORE = re.compile(
    r"^(?:一|这|那|某|几)(?:家|个|些)|做|搞|干|^[\d零一二两三四五六七八九十百千几多]+(?:个|多|家)"
)  # 二十多个技术问题 is a count, not a name


def _generic_core(core: str) -> bool:
    return core in _GENERIC_CORES or bool(_DESCRIPTIVE_CORE.search(core))


_COMPETITOR_BEFORE = re.compile(
    r"(?:竞品|竞争对手|对手|友商|叫什么|选了|选择了|用了|换成|用的是|定了|签给了?)[^,，。]{0,4}$"
)
_COMPETITOR_AFTER = re.compile(r"^(?:[^,，。]{0,3})(?:也在|也来|也报|也参与)")
_MAX_CORE = 6
_NAMED = re.compile(r"(?:一家|这家|那家|家|个)叫(?:做)?(?!什么)(?P<name>[\u4e00-\u9fff]{2,6}?)的")
# 老客户华东机械的王经理给我推荐了…鼎新包装: the referrer is not who the note is about.
_REFERS = re.compile(r"^[^,，。]{0,14}(?:推荐|介绍)")
_NOT_IN_NAME = re.compile(r"的|那边|这边|那里|这里|方面|这块|那块|他们|我们")


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    match: ClientMatch


def _starts_at_boundary(text: str, j: int) -> bool:
    if j <= 0 or not _NAME_CHAR.match(text[j - 1]):
        return True
    if text[j - 1 : j + 1] in _FALSE_BOUNDARY:
        return False
    return text[:j].endswith(_BOUNDARY_TOKENS)


def company_spans(text: str) -> list[tuple[int, int]]:
    """Company-shaped spans: a name of 2–6 chars starting at a boundary, then a suffix."""
    spans: list[tuple[int, int]] = []
    for m in _SUFFIX.finditer(text):
        if _NOT_A_COMPANY_AFTER.match(text[m.end() :]):
            continue
        start = None
        for j in range(m.start() - 2, max(-1, m.start() - _MAX_CORE - 1), -1):
            core = text[j : m.start()]
            if not all(_NAME_CHAR.match(ch) for ch in core) or _NOT_IN_NAME.search(core):
                break  # 天宇软件那边智能, 新锐智能的技术: a name never spans 的 or 那边
            if _starts_at_boundary(text, j):
                start = j
                break
        if start is None or _generic_core(text[start : m.start()]):
            continue
        if spans and spans[-1][1] > start:  # a suffix inside a longer name (智能 in …智能科技)
            spans[-1] = (spans[-1][0], m.end())
            continue
        spans.append((start, m.end()))
    return spans


def _in_competitor_context(text: str, start: int, end: int) -> bool:
    return bool(
        _COMPETITOR_BEFORE.search(text[max(0, start - 10) : start])
        or _COMPETITOR_AFTER.search(text[end : end + 8])
    )


def named_spans(text: str, taken: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Names introduced as such without an industry suffix: 一家叫青禾的幼儿园连锁."""
    found = []
    for m in _NAMED.finditer(text):
        start, end = m.span("name")
        if not any(s < end and start < e for s, e in taken) and not _generic_core(m["name"]):
            found.append((start, end))
    return found


def find_mentions(
    text: str, index: ClientIndex, rep_id: str | None, syl: Sequence[str] | None = None
) -> list[Mention]:
    """``syl`` is ``syllables(text.lower())`` when the caller has it (see ClientIndex.scan)."""
    spans = company_spans(text)
    spans = sorted(spans + named_spans(text, spans))
    mentions = []
    hits = index.scan(text, syl)
    for start, end in spans:
        match = index.match(text[start:end], rep_id=rep_id)
        if not match.matched and match.kind != "ambiguous":
            # prefix noise before a catalogue name: keep the catalogue name inside the span
            inner = [h for h in hits if start <= h.start and h.end == end and h.kind != "core"]
            if inner:
                start = inner[0].start
                match = index.match(text[start:end], rep_id=rep_id)
        mentions.append(Mention(start, end, match))
    covered = [(s, e) for s, e in spans]
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if any(s <= hit.start < e for s, e in covered):
            continue
        covered.append((hit.start, hit.end))
        mentions.append(
            Mention(hit.start, hit.end, index.match(text[hit.start : hit.end], rep_id=rep_id))
        )
    return sorted(mentions, key=lambda m: m.start)


def split_mentions(
    text: str, mentions: Sequence[Mention], competitor_names: Sequence[str]
) -> tuple[ClientMatch, list[Mention], int]:
    """(the client, competitor mentions among new company names, where the note turns to the
    client: 0, or past a referrer)."""
    known = {name.lower() for name in competitor_names}
    client, turn = NO_MATCH, 0
    rivals: list[Mention] = []
    for i, mention in enumerate(mentions):
        heard = text[mention.start : mention.end].lower()
        if heard in known:
            continue  # catalogue competitors are reported by the competitor scan
        if client is NO_MATCH and i + 1 < len(mentions) and _REFERS.search(text[mention.end :]):
            turn = mentions[i + 1].start
            continue
        if not mention.match.matched and _in_competitor_context(text, mention.start, mention.end):
            rivals.append(mention)
            continue
        if client is NO_MATCH:
            client = mention.match
    return client, rivals, turn


_BARE_RIVAL = re.compile(
    r"(?:听说|还有|另外|说|[,，。]|^)(?P<name>[\u4e00-\u9fffA-Za-z]{2,4}?)也(?:来|在|报|参与|找)"
)
_NOT_A_RIVAL = re.compile(
    r"说|他|她|我|你|客户|对方|老板|领导|财务|采购|技术|法务|公司|集团|同事|那边|这边|人|家|"
    r"经理|总|主任|工|部|科|处|院长|校长|行长|对手|友商|竞品|厂|供应商"
)


def bare_rivals(text: str, taken: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Rivals named without a company suffix where only a vendor fits: 浪潮也来过, 浪潮也报了价."""
    found = []
    for m in _BARE_RIVAL.finditer(text):
        start, end = m.span("name")
        if not _NOT_A_RIVAL.search(m["name"]) and not any(s < end and start < e for s, e in taken):
            found.append((start, end))
    return found
