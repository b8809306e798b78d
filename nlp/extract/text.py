"""Text normalisation and clause splitting shared by every extractor.

All extractors run on the *normalised* text so that offsets agree between them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Spoken shorthands that jionlp mis-parses ("明早九点" loses the day) are expanded first.
_SHORTHANDS = (
    ("明早", "明天早上"),
    ("明晚", "明天晚上"),
    ("今早", "今天早上"),
    ("今晚", "今天晚上"),
    ("礼拜天", "周日"),
    ("星期天", "周日"),
)
_HAN_SPACE_HAN = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_SPACES = re.compile(r"\s+")
# ASR hallucination loops repeat a phrase verbatim ("下周三之前下周三之前…"); keep one copy.
_LOOP = re.compile(r"([\u4e00-\u9fff].{1,19}?)\1{2,}")
# Clause boundaries: punctuation, plus spoken connectors that start a new thought in
# unpunctuated ASR output. The connectors stay inside the following clause.
_CLAUSE_BREAK = re.compile(r"[,，。.;；!！?？:：、\n…~]+|(?=然后|另外|不过|但是|而且|并且)")


def normalize(text: str) -> str:
    """NFKC (full-width digits/letters), spoken shorthands, pauses between Han chars → comma,
    phrase loops collapsed."""
    out = unicodedata.normalize("NFKC", text).strip()
    for short, full in _SHORTHANDS:
        out = out.replace(short, full)
    out = _HAN_SPACE_HAN.sub("，", out)
    out = _LOOP.sub(r"\1", out)
    return _SPACES.sub(" ", out)


@dataclass(frozen=True, slots=True)
class Clause:
    start: int
    end: int
    text: str


def split_clauses(text: str) -> list[Clause]:
    """Split into clauses with offsets into ``text``; empty pieces are dropped."""
    clauses: list[Clause] = []
    pos = 0
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() > pos:
            clauses.append(Clause(pos, m.start(), text[pos : m.start()]))
        pos = max(pos, m.end())
    if pos < len(text):
        clauses.append(Clause(pos, len(text), text[pos:]))
    return clauses


def clause_at(clauses: list[Clause], offset: int) -> Clause | None:
    for clause in clauses:
        if clause.start <= offset < clause.end:
            return clause
    return None
