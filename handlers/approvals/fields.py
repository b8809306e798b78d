"""Checking a request against its template: every problem at once, in Chinese, with what to send.

Raw values (what the rep typed, or what a card or a follow-up record pre-filled) are read into
typed values; a request with any problem is not submitted.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.config.approvals import ApprovalTemplate, FieldType, TemplateField
from handlers.approvals.values import read_amount, read_bool, read_date, read_percent
from handlers.shared.formats import exact_money

_EXAMPLES = {
    FieldType.text: "文字说明",
    FieldType.amount: "金额，例如 30万",
    FieldType.percent: "百分比，例如 5%",
    FieldType.date: "日期，例如 12月5日",
    FieldType.bool: "是 或 否",
    FieldType.file: "文件或图片",
}


@dataclass
class Checked:
    form: dict[str, Any] = field(default_factory=dict)  # typed values, JSON-ready
    problems: list[str] = field(default_factory=list)  # one Chinese line per problem
    missing: list[str] = field(default_factory=list)  # keys of required fields with no value
    invalid: dict[str, str] = field(default_factory=dict)  # key → problem, for values given

    @property
    def ok(self) -> bool:
        return not self.problems


def how(f: TemplateField) -> str:
    """What to send for ``f``: its hint, its choices, or an example of its type."""
    if f.hint:
        return f.hint
    if f.type is FieldType.choice:
        return "可选：" + "、".join(f.choices)
    return _EXAMPLES[f.type]


def _num(value: float) -> str:
    return f"{value:g}"


def _shown(value: float, f: TemplateField) -> str:
    # Not formats.money: that rounds (9,999.5 → 10,000元), and a limit must read exactly.
    return f"{_num(value)}%" if f.type is FieldType.percent else exact_money(value)


def _bounds(value: float, f: TemplateField) -> str | None:
    if f.gt is not None and not value > f.gt:
        return f"「{f.label}」必须大于 {_shown(f.gt, f)}（现在是 {_shown(value, f)}）"
    if f.ge is not None and not value >= f.ge:
        return f"「{f.label}」不能低于 {_shown(f.ge, f)}（现在是 {_shown(value, f)}）"
    if f.lt is not None and not value < f.lt:
        return f"「{f.label}」必须小于 {_shown(f.lt, f)}（现在是 {_shown(value, f)}）"
    if f.le is not None and not value <= f.le:
        return f"「{f.label}」不能超过 {_shown(f.le, f)}（现在是 {_shown(value, f)}）"
    return None


def read_value(f: TemplateField, raw: Any, today: date) -> tuple[Any, str | None]:
    """(typed value, problem); raw may already be typed (a pre-filled number or a bool)."""
    bad = f"「{f.label}」看不懂：“{raw}”。请发送{how(f)}"
    if f.type in (FieldType.amount, FieldType.percent):
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            value: float | None = float(raw)
        else:
            reader = read_amount if f.type is FieldType.amount else read_percent
            value = reader(str(raw))
        if value is None:
            return None, bad
        return value, _bounds(value, f)
    if f.type is FieldType.date:
        day = raw if isinstance(raw, date) else read_date(str(raw), today)
        return (day.isoformat(), None) if day else (None, bad)
    if f.type is FieldType.bool:
        flag = raw if isinstance(raw, bool) else read_bool(str(raw))
        return (flag, None) if flag is not None else (None, bad)
    text = str(raw).strip()
    if f.type is FieldType.choice and text not in f.choices:
        return None, f"「{f.label}」只能是：{'、'.join(f.choices)}（现在是“{text}”）"
    return text, None


def check(
    template: ApprovalTemplate,
    raw: Mapping[str, Any],
    attachments: Collection[str],
    *,
    today: date,
) -> Checked:
    """Typed form and every problem: missing or unreadable fields, broken rules, missing files.

    ``attachments`` are the names already attached (产品配置表 …); file fields count as attached
    when an attachment carries the field's label.
    """
    out = Checked()
    for f in template.fields:
        if f.type is FieldType.file:
            if f.required and f.label not in attachments:
                out.problems.append(f"缺少附件「{f.label}」：请把文件或图片直接发给我")
            continue
        value = raw.get(f.key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if f.required:
                out.problems.append(f"缺少「{f.label}」：请发送{how(f)}")
                out.missing.append(f.key)
            continue
        typed, problem = read_value(f, value, today)
        if problem:
            out.problems.append(problem)
            out.invalid[f.key] = problem
        if typed is not None:
            out.form[f.key] = typed
    for name in template.attachments:
        if name not in attachments:
            out.problems.append(f"缺少附件「{name}」：请把文件或图片直接发给我")
    return out


def problems_text(template: ApprovalTemplate, problems: list[str]) -> str:
    lines = [f"{template.name}还不能提交，请补充以下 {len(problems)} 项："]
    lines += [f"{n}. {p}" for n, p in enumerate(problems, 1)]
    if template.command and any(not p.startswith("缺少附件") for p in problems):
        # A plain text would read as a visit note: fields are filled by the command again.
        lines.append(f"缺的内容请再发一次 /{template.command} 加上，补齐后我会自动提交。")
    else:
        lines.append("补齐后我会自动提交。")
    return "\n".join(lines)


def missing_attachments(template: ApprovalTemplate, attached: Collection[str]) -> list[str]:
    names = list(template.attachments) + [
        f.label for f in template.fields if f.type is FieldType.file and f.required
    ]
    return [n for n in names if n not in attached]


def attachment_name(filename: str, missing: list[str]) -> str | None:
    """Which required attachment a file the rep sent is: the one its name mentions, else the
    first still missing (a photo named IMG_0412.jpg fills the next gap)."""
    stem = filename.rsplit(".", 1)[0]
    named = next((n for n in missing if n in stem or (bool(stem) and stem in n)), None)
    return named or (missing[0] if missing else None)
