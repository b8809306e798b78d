"""``/报价 华东机械 30万 折扣5%`` → raw field values for the template (checked later by fields.py).

A word that starts with a field's label (折扣5%, 特殊条款：…, 金额30万) fills that field; otherwise
money fills the first amount field, a percentage the first percent field, and the rest fills the
text fields in order (the client first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.config.approvals import ApprovalTemplate, FieldType, TemplateField
from handlers.approvals.values import read_amount, read_percent

_SEPARATORS = "：:=＝ "


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


def _labelled(word: str, fields: tuple[TemplateField, ...]) -> tuple[TemplateField, str] | None:
    for f in fields:
        for name in _labels(f):
            if word.startswith(name) and len(word) > len(name):
                return f, word[len(name) :].lstrip(_SEPARATORS)
    return None


def _first_free(
    fields: tuple[TemplateField, ...], raw: dict[str, str], kinds: set[FieldType]
) -> TemplateField | None:
    return next((f for f in fields if f.type in kinds and f.key not in raw), None)


def parse_args(template: ApprovalTemplate, text: str) -> Parsed:
    out = Parsed()
    fields = tuple(f for f in template.fields if f.type is not FieldType.file)
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
            target = _first_free(fields, out.raw, {FieldType.text})
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
