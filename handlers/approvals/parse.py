"""``/报价 华东机械 30万 折扣5%`` → raw field values for the template (checked later by fields.py).

A word that starts with a field's label (折扣5%, 特殊条款：…, 金额30万) fills that field; otherwise
money fills the first amount field, a percentage the first percent field, and the rest fills the
text fields in order (the client first).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from bot.config.approvals import ApprovalTemplate, FieldType, TemplateField
from handlers.approvals.values import read_amount, read_bool, read_percent

_SEPARATORS = "：:=＝ "
CLIENT = "client"  # the field every template names its client by: looked up, never typed in


@dataclass
class Parsed:
    raw: dict[str, str] = field(default_factory=dict)
    unused: list[str] = field(default_factory=list)  # words no field took


def _labels(f: TemplateField) -> list[str]:
    # 报价金额 is also written 金额; 特殊条款 also 条款.
    names = [f.label]
    if len(f.label) > 2:
        names.append(f.label[-2:])
    return names


def _fits(f: TemplateField, value: str) -> bool:
    """Whether ``value`` reads as the field's type: a short alias must earn its field, so
    "现场调试" stays the 支持内容 instead of answering 需要到现场 with "调试"."""
    readers = {
        FieldType.amount: read_amount,
        FieldType.percent: read_percent,
        FieldType.bool: read_bool,
    }
    reader = readers.get(f.type)
    return reader is None or reader(value) is not None


def _labelled(word: str, fields: tuple[TemplateField, ...]) -> tuple[TemplateField, str] | None:
    for f in fields:
        for name in _labels(f):
            if word.startswith(name) and len(word) > len(name):
                value = word[len(name) :].lstrip(_SEPARATORS)
                if name == f.label or _fits(f, value):
                    return f, value
    return None


def _first_free(
    fields: tuple[TemplateField, ...], raw: dict[str, str], kinds: set[FieldType]
) -> TemplateField | None:
    return next((f for f in fields if f.type in kinds and f.key not in raw), None)


def parse_args(template: ApprovalTemplate, text: str, filled: Collection[str] = ()) -> Parsed:
    """``filled``: fields an open draft already has — unnamed text goes to the others first, so
    ``/技术支持 现场调试`` after the client was given is the 支持内容, not a new client."""
    out = Parsed()
    fields = tuple(f for f in template.fields if f.type is not FieldType.file)
    unfilled = tuple(f for f in fields if f.key not in filled)
    words = [w for w in re.split(r"[\s,，;；]+", text.strip()) if w]
    for word in words:
        labelled = _labelled(word, fields)
        if labelled is not None and labelled[1]:
            f, value = labelled
            out.raw[f.key] = value
            continue
        target: TemplateField | None = None
        if "%" in word or "％" in word or word.endswith("折"):
            if read_percent(word) is not None:
                target = _first_free(fields, out.raw, {FieldType.percent})
        elif read_amount(word) is not None and re.search(r"\d|万|元", word):
            target = _first_free(fields, out.raw, {FieldType.amount})
        if target is None:
            target = _first_free(unfilled, out.raw, {FieldType.text}) or _first_free(
                fields, out.raw, {FieldType.text}
            )
        if target is None:
            out.unused.append(word)
        else:
            out.raw[target.key] = word
    return out


def template_for_command(
    templates: dict[str, ApprovalTemplate], name: str
) -> tuple[str, ApprovalTemplate] | None:
    """The template a command starts: its ``command``, its name (报价审批) or its id (quote)."""
    for tid, t in templates.items():
        if name in (t.command, t.name, tid):
            return tid, t
    return None


def parse_answer(template: ApprovalTemplate, asked: TemplateField, text: str) -> dict[str, str]:
    """A reply to the guided card's question about ``asked``: its value, the field's label may
    lead (折扣5%); several words may each name their own field (30万 折扣5%), the one unnamed
    word answering ``asked``. A reply that does not split that way is the answer as a whole."""
    whole = {asked.key: _unlabelled(asked, text.strip())}
    if asked.type is FieldType.text:
        return whole
    others = tuple(f for f in template.fields if f.type is not FieldType.file and f.key != CLIENT)
    out: dict[str, str] = {}
    for word in (w for w in re.split(r"[\s,，;；]+", text.strip()) if w):
        labelled = _labelled(word, others)
        if labelled is not None and labelled[1] and labelled[0].key not in out:
            out[labelled[0].key] = labelled[1]
        elif asked.key not in out:
            out[asked.key] = word
        else:
            return whole
    return out or whole


def _unlabelled(f: TemplateField, text: str) -> str:
    labelled = _labelled(text, (f,))
    return labelled[1] if labelled is not None and labelled[1] else text
