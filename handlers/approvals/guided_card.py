"""The guided card of a draft request: what is filled so far, and one question at a time.

「报价审批 · 待补充」 lists the fields already given and asks for the first one still missing (or
given wrong): the client and choice fields with one-tap buttons, anything else by replying with
text; required attachments by sending the files. 取消 discards the draft. Drawing is pure.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from bot.config.approvals import ApprovalTemplate, FieldType
from cards.actions import CardAction
from cards.model import Button, Card, Option, Row, Select
from handlers.approvals.fields import Checked, how, missing_attachments
from handlers.approvals.parse import CLIENT
from handlers.approvals.view import value_text

KIND = "approval_guided"
MAX_CHOICE_BUTTONS = 5  # beside 取消: WeCom shows six buttons; more choices become a pick list
PICK = "pick"  # the pick list's key in a tap's selections
YES_NO = [["是", "是"], ["否", "否"]]

ASKED = "待填写"  # the row the card asks for now
WANTED = "待补充"  # a row still to come


class Op(StrEnum):
    pick = "pick"
    cancel = "cancel"


class GuidedTap(CardAction, prefix="ag"):
    op: Op
    arg: str = ""  # pick: the choice's index; empty when submitted from the pick list


def card_id_for(approval_id: int) -> str:
    # One guided card per draft: every way of filling the draft finds the same card.
    return f"ag-{approval_id}"


@dataclass(frozen=True)
class Ask:
    """What the card asks for next: a field (by key), or an attachment (key None)."""

    label: str
    key: str | None = None
    problem: str | None = None  # the value given for it could not be taken

    @property
    def by_text(self) -> bool:
        return self.key is not None


def next_ask(template: ApprovalTemplate, checked: Checked, attached: Collection[str]) -> Ask | None:
    """The first field (in the template's order) missing or given wrong; then the first missing
    attachment; None when nothing is missing."""
    for f in template.fields:
        if f.key in checked.invalid:
            return Ask(f.label, f.key, checked.invalid[f.key])
        if f.key in checked.missing:
            return Ask(f.label, f.key)
    names = missing_attachments(template, attached)
    return Ask(names[0]) if names else None


def field_choices(template: ApprovalTemplate, ask: Ask | None) -> list[list[str]]:
    """[label, value] one-tap answers a field offers by itself (the client's come from the CRM)."""
    f = template.field(ask.key) if ask is not None and ask.key else None
    if f is None:
        return []
    if f.type is FieldType.choice:
        return [[c, c] for c in f.choices]
    if f.type is FieldType.bool:
        return [list(c) for c in YES_NO]
    return []


def question(template: ApprovalTemplate, ask: Ask) -> str:
    """The card's subtitle (WeCom shows 30 characters)."""
    if ask.key is None:
        return f"还缺附件【{ask.label}】：请直接发文件或图片"
    what = "有误" if ask.problem else "还缺"
    f = template.field(ask.key)
    if ask.key == CLIENT:
        return f"{what}【{ask.label}】：点选或直接回复客户名称"
    if f is not None and f.type in (FieldType.choice, FieldType.bool):
        return f"{what}【{ask.label}】：请点选"
    return f"{what}【{ask.label}】：请直接回复"


def prompt(template: ApprovalTemplate, ask: Ask) -> str:
    """The same question in full, said again after an answer that could not be taken."""
    if ask.key is None:
        return f"请把「{ask.label}」的文件或图片直接发给我。"
    f = template.field(ask.key)
    if ask.key == CLIENT:
        return f"请在卡片上点选客户，或回复客户名称（{how(f)}）。" if f else "请回复客户名称。"
    if f is not None and f.type in (FieldType.choice, FieldType.bool):
        return f"请在卡片上点选「{ask.label}」，或回复{how(f)}。"
    return f"请回复「{ask.label}」：{how(f)}。" if f else f"请回复「{ask.label}」。"


def _rows(
    template: ApprovalTemplate, checked: Checked, attached: Collection[str], ask: Ask | None
) -> tuple[Row, ...]:
    rows = []
    for f in template.fields:
        if f.type is FieldType.file:
            continue
        if f.key in checked.form:
            rows.append(Row(f.label, value_text(template, f.key, checked.form[f.key])))
        elif f.required or f.key in checked.invalid:
            asked = ask is not None and ask.key == f.key
            rows.append(Row(f.label, "—", ASKED if asked else WANTED))
    files = list(template.attachments) + [
        f.label for f in template.fields if f.type is FieldType.file and f.required
    ]
    if files:
        parts = [f"{n}（{'已收' if n in attached else '待发'}）" for n in files]
        rows.append(Row("附件", "、".join(parts)))
    return tuple(rows)


def _note(template: ApprovalTemplate, ask: Ask | None) -> str:
    lines = [ask.problem] if ask is not None and ask.problem else []
    if ask is not None and ask.by_text:
        lines.append("直接回复文字即可填写这一项，填好后我会接着问下一项。")
    lines.append("信息齐了会自动提交；点“取消”放弃这份申请。")
    return "\n".join(lines)


def guided_card(
    card_id: str,
    template: ApprovalTemplate,
    checked: Checked,
    attached: Collection[str],
    ask: Ask | None,
    choices: Sequence[Sequence[str]],
) -> Card:
    cancel = Button("取消", GuidedTap(card_id, 0, Op.cancel).pack(), "danger")
    subtitle = question(template, ask) if ask is not None else "信息已齐，暂时无法提交"
    rows, note = _rows(template, checked, attached, ask), _note(template, ask)
    title = f"{template.name} · 待补充"
    if len(choices) > MAX_CHOICE_BUTTONS:
        options = tuple(Option(str(i), label) for i, (label, _) in enumerate(choices))
        select = Select(PICK, ask.label if ask else "请选择", options)
        submit = Button("确定", GuidedTap(card_id, 0, Op.pick).pack(), "primary")
        return Card(card_id, title, subtitle, rows, note, (cancel,), (select,), submit)
    buttons = tuple(
        Button(
            label, GuidedTap(card_id, 0, Op.pick, str(i)).pack(), "primary" if i == 0 else "default"
        )
        for i, (label, _) in enumerate(choices)
    )
    return Card(card_id, title, subtitle, rows, note, (*buttons, cancel))


def closed_card(card: Card, template: ApprovalTemplate, approval_id: int, label: str) -> Card:
    """The guided card once the draft is submitted or discarded: greyed, with what became of it —
    no longer asking (the request's own card shows what was submitted)."""
    return replace(
        card,
        title=f"{template.name} #{approval_id}",
        subtitle=label,
        rows=tuple(r for r in card.rows if r.hint not in (ASKED, WANTED)),
        note="",
        selects=(),
        submit=None,
        closed=label,
    )
