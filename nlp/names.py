"""Client name matching by characters and by pinyin.

ASR writes what it hears (华东 → 花东, 恒达 → 恒大, 金桥 → 金乔), so every name, alias and derived
*core* (华东机械 → 华东) is indexed by characters and by a tone-less, accent-tolerant pinyin key
(zh/z, ch/c, sh/s, n/l, -ing/-in, -eng/-en merged). Scores (0..1): exact name 1.0, alias 0.98,
core 0.90; same pinyin as name 0.95, alias 0.93, core 0.85; else a structured fuzzy score where
the distinctive core must match and a *different* industry suffix sinks it (华南重工 never becomes
华东机械). Below ``threshold`` a heard name is a new client. Clients within AMBIGUITY_MARGIN are
ambiguous unless exactly one is the rep's own (a tie-break and small bonus, never overriding).
Typed lookups (/简报 huadong, hua dong, hdjx) are also scored by plain pinyin (typed_score).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pypinyin import lazy_pinyin
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

MatchKind = Literal["exact", "alias", "fuzzy", "pinyin", "ambiguous", "new", "none"]

LEGAL_SUFFIXES = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团", "公司")
_SUFFIX_TABLE = (
    "机械 科技 物流 制造 医药 药业 电子 电气 电器 化工 能源 建设 建筑 工程 实业 贸易 商贸 银行 "
    "医院 医疗 学校 大学 教育 软件 信息 网络 汽车 汽配 材料 食品 生物 环保 重工 钢铁 纺织 "
    "服饰 家居 地产 置业 传媒 文化 咨询 设备 仪器 精密 自动化 智能 光电 半导体 通信 控股 "
    "投资 保险 证券 酒店 超市 百货 餐饮 农业 水务 燃气 电力 船舶 航空 模具 塑胶 五金 包装 "
    "印刷 物业 研究院 研究所 股份 技术 新能源 集团 有限公司 股份有限公司 有限责任公司 器械 "
    "医疗器械 制药 装备 机电 供应链 环境 新材料 冷链 家电 纸业 矿业 物资"
)
INDUSTRY_SUFFIXES = tuple(sorted(_SUFFIX_TABLE.split(" "), key=len, reverse=True))
EXACT_SCORES = {"name": 1.0, "alias": 0.98, "core": 0.90}
PINYIN_SCORES = {"name": 0.95, "alias": 0.93, "core": 0.85}
AMBIGUITY_MARGIN = 0.05
OWN_BONUS = 0.03
_REGION_FOLLOWERS = frozenset("区省市")
_TYPED = re.compile(r"[a-z][a-z' ]*")  # /简报 huadong, /brief hua dong, hdjx


def _fuzzy_syllable(syl: str) -> str:
    """Merge the distinctions ASR and southern accents blur (zh/z, n/l, -ing/-in …)."""
    syl = syl[0] + syl[2:] if syl[:2] in ("zh", "ch", "sh") else syl
    syl = "l" + syl[1:] if syl.startswith("n") else syl
    return syl[:-1] if syl.endswith(("ing", "eng")) else syl


def _per_char(chars: str) -> Any:  # pypinyin takes a list here although its stubs say str
    return list(chars)


def plain_syllables(text: str) -> list[str]:
    """One tone-less pinyin syllable per character, as typed (non-Han chars lower-cased)."""
    return [s.lower() for s in lazy_pinyin(text, errors=_per_char)]


def syllables(text: str) -> list[str]:
    """One accent-tolerant pinyin syllable per character (ASR's blurs merged)."""
    return [_fuzzy_syllable(s) for s in plain_syllables(text)]


def typed_score(query: str, syl: Sequence[str]) -> float:
    """How well letters typed for a name fit its plain pinyin ``syl``: the full pinyin with or
    without spaces (huadongjixie 0.95), the initials (hdjx 0.9), a syllable prefix (hua dong
    0.7–0.9), a prefix of the initials (hd 0.65–0.85) or a spelling cut short (huadongj)."""
    query, full = query.replace(" ", "").replace("'", ""), "".join(syl)
    initials, prefixes = "".join(s[:1] for s in syl), ["".join(syl[:k]) for k in range(1, len(syl))]
    if query in (full, initials) and len(query) >= 2:
        return 0.95 if query == full else 0.9
    if query in prefixes:
        return 0.7 + 0.2 * (prefixes.index(query) + 1) / len(syl)
    if len(query) >= 2 and initials.startswith(query):
        return 0.65 + 0.2 * len(query) / len(syl)
    return 0.6 + 0.2 * len(query) / len(full) if len(query) >= 4 and full.startswith(query) else 0.0


def _shares_char(a: str, b: str) -> bool:
    """Same character at the same position (花东/华东 share 东; 滑动/华东 share none)."""
    return any(x == y for x, y in zip(a, b, strict=False))


def _strip_legal(name: str) -> str:
    legal = next((s for s in LEGAL_SUFFIXES if name.endswith(s) and len(name) - len(s) >= 2), "")
    return name[: len(name) - len(legal)]


def split_name(name: str) -> tuple[str, str]:
    """Split 华东机械有限公司 into ("华东", "机械"); unknown shapes keep an empty suffix."""
    name = _strip_legal(name)
    for suffix in INDUSTRY_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)], suffix
    return name, ""


def similarity(heard: str, name: str) -> float:
    """Structured similarity: the distinctive core decides, a different industry sinks it."""
    h_core, h_suffix = split_name(heard)
    n_core, n_suffix = split_name(name)
    core = max(
        Levenshtein.normalized_similarity(h_core, n_core),
        0.97 * Levenshtein.normalized_similarity(syllables(h_core), syllables(n_core)),
    )
    if h_suffix and n_suffix:
        return core if syllables(h_suffix) == syllables(n_suffix) else 0.4 * core
    return 0.9 * core if (h_suffix or n_suffix) else core


@dataclass(frozen=True)
class ClientRef:
    id: str
    name: str
    aliases: Sequence[str] = ()
    owner_id: str | None = None
    contacts: Sequence[str] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "aliases", tuple(self.aliases))
        object.__setattr__(self, "contacts", tuple(self.contacts))


@dataclass(frozen=True)
class Alternative:
    client_id: str
    name: str
    score: float


@dataclass(frozen=True)
class ClientMatch:
    heard: str | None
    client_id: str | None
    name: str | None
    kind: MatchKind
    score: float
    alternatives: tuple[Alternative, ...] = field(default=())

    @property
    def matched(self) -> bool:
        return self.client_id is not None


NO_MATCH = ClientMatch(None, None, None, "none", 0.0)


@dataclass(frozen=True, slots=True)
class _Key:
    client: int
    text: str
    syl: tuple[str, ...]
    kind: str  # name | alias | core


@dataclass(frozen=True, slots=True)
class KeyHit:  # a catalogue key found verbatim or by pinyin inside free text
    start: int
    end: int
    client: ClientRef
    kind: str


class ClientIndex:
    """Precomputed character and pinyin keys for a client list; build once, query often."""

    def __init__(self, clients: Sequence[ClientRef], *, threshold: float = 0.8) -> None:
        self.clients = tuple(clients)
        self.threshold = threshold
        self._keys: list[_Key] = []
        self._by_text: dict[str, list[_Key]] = {}
        self._by_syl: dict[tuple[str, ...], list[_Key]] = {}
        self._by_head: dict[tuple[str, str], list[_Key]] = {}
        for idx, client in enumerate(self.clients):
            for text, kind in self._key_texts(client):
                key = _Key(idx, text, tuple(syllables(text)), kind)
                self._keys.append(key)
                self._by_text.setdefault(text, []).append(key)
                self._by_syl.setdefault(key.syl, []).append(key)
                if len(key.syl) >= 2:
                    self._by_head.setdefault((key.syl[0], key.syl[1]), []).append(key)
        self._choices = [" ".join(k.syl) for k in self._keys]
        self._typed = [(k.kind, plain_syllables(k.text)) for k in self._keys]
        self._by_id = {c.id: c for c in self.clients}

    @staticmethod
    def _key_texts(client: ClientRef) -> list[tuple[str, str]]:
        texts: dict[str, str] = {}
        for text, kind in [(client.name, "name")] + [(a, "alias") for a in client.aliases]:
            text = text.strip().lower()
            texts.setdefault(text, kind)
            texts.setdefault(_strip_legal(text), kind)  # 某某有限公司 is also said 某某
        core, suffix = split_name(client.name.strip().lower())
        if suffix and len(core) >= 2:
            texts.setdefault(core, "core")
        return [(t, k) for t, k in texts.items() if len(t) >= 2]

    def get(self, client_id: str) -> ClientRef | None:
        return self._by_id.get(client_id)

    def _candidates(self, heard: str) -> dict[int, tuple[float, MatchKind]]:
        text = _strip_legal(heard.strip().lower())  # 华东机械有限公司 is 华东机械
        syl = tuple(syllables(text))
        best: dict[int, tuple[float, MatchKind]] = {}

        def offer(client: int, score: float, kind: MatchKind) -> None:
            if score > best.get(client, (0.0, "none"))[0]:
                best[client] = (score, kind)

        for key in self._by_text.get(text, ()):
            offer(key.client, EXACT_SCORES[key.kind], "exact" if key.kind == "name" else "alias")
        for key in self._by_syl.get(syl, ()):
            if len(text) > 3 or _shares_char(text, key.text):
                offer(key.client, PINYIN_SCORES[key.kind], "pinyin")
        if not best:
            found = process.extract(
                " ".join(syl), self._choices, scorer=fuzz.ratio, limit=10, score_cutoff=50
            )
            for _, _, pos in found:
                key = self._keys[pos]
                if key.kind != "core":  # a core has no suffix to disagree with: compare names
                    offer(key.client, similarity(text, key.text), "fuzzy")
        return best

    def match(self, heard: str, *, rep_id: str | None = None) -> ClientMatch:
        """Resolve one heard name: a client, an ambiguous near-tie, or a new client."""
        if not heard.strip():
            return NO_MATCH
        ranked = sorted(self._candidates(heard).items(), key=lambda kv: -kv[1][0])
        strong = [(i, s, k) for i, (s, k) in ranked if s >= self.threshold]
        if not strong:
            alts = tuple(self._alt(i, s) for i, (s, _) in ranked[:3] if s >= 0.6)
            return ClientMatch(heard, None, None, "new", 0.0, alts)
        top = strong[0][1]
        near = [c for c in strong if top - c[1] < AMBIGUITY_MARGIN]
        if len(near) > 1:
            own = [c for c in near if self.clients[c[0]].owner_id == rep_id and rep_id]
            if len(own) != 1:
                alts = tuple(self._alt(i, s) for i, s, _ in near)
                return ClientMatch(heard, None, None, "ambiguous", top, alts)
            near = own
        idx, score, kind = near[0]
        client = self.clients[idx]
        alts = tuple(self._alt(i, s) for i, s, _ in strong if i != idx)
        return ClientMatch(heard, client.id, client.name, kind, score, alts)

    def _alt(self, idx: int, score: float) -> Alternative:
        client = self.clients[idx]
        return Alternative(client.id, client.name, round(score, 3))

    def find(self, query: str, *, rep_id: str | None = None, limit: int = 5) -> list[ClientMatch]:
        """Lookup for `/简报 <客户>`: exact, alias, pinyin (heard or typed: huadong, hua dong,
        hdjx), substring and fuzzy; exact and alias matches first, the rep's own on ties."""
        text = query.strip().lower()
        if not text:
            return []
        best = self._candidates(text)
        q_syl = " " + " ".join(syllables(text)) + " "
        typed = _TYPED.fullmatch(text) is not None
        kind: MatchKind
        for pos, key in enumerate(self._keys):
            score, kind = 0.0, "fuzzy"
            if key.kind != "core" and len(text) >= 2 and text in key.text:
                score = 0.7 + 0.25 * len(text) / len(key.text)
            elif key.kind != "core" and len(text) >= 2 and q_syl in " " + self._choices[pos] + " ":
                score, kind = 0.65 + 0.25 * len(text) / len(key.text), "pinyin"
            if typed:
                key_kind, plain = self._typed[pos]
                typed_fit = typed_score(text, plain) * (1.0 if key_kind == "name" else 0.98)
                score, kind = max((score, kind), (typed_fit, "pinyin"))
            if score > best.get(key.client, (0.0, "none"))[0]:
                best[key.client] = (score, kind)
        own = {i for i, c in enumerate(self.clients) if rep_id and c.owner_id == rep_id}
        ranked = sorted(best.items(), key=lambda kv: -kv[1][0] - OWN_BONUS * (kv[0] in own))
        return [
            ClientMatch(query, self.clients[i].id, self.clients[i].name, k, round(s, 3))
            for i, (s, k) in ranked
            if s >= 0.6
        ][:limit]

    def scan(self, text: str, syl: Sequence[str] | None = None) -> list[KeyHit]:
        """Every catalogue key in ``text`` by characters or pinyin, longest first per start."""
        lowered = text.lower()
        syl = syllables(lowered) if syl is None else syl
        hits: list[KeyHit] = []
        for i in range(len(syl) - 1):
            heads = self._by_head.get((syl[i], syl[i + 1]), ())
            for key in sorted(heads, key=lambda k: -len(k.syl)):
                end = i + len(key.syl)
                if tuple(syl[i:end]) != key.syl:
                    continue
                if len(key.text) <= 3 and not _shares_char(lowered[i:end], key.text):
                    continue  # two-char pinyin twins without a shared char are too risky
                if key.kind == "core" and end < len(text) and text[end] in _REGION_FOLLOWERS:
                    continue  # 华东区 is a region, not 华东机械
                hits.append(KeyHit(i, end, self.clients[key.client], key.kind))
        return hits
