"""Draw the confirm card for a draft: every field, where it came from, and the next tap."""

from __future__ import annotations

from enum import StrEnum

from cards.actions import CardAction
from cards.model import Button, Card, Option, Row, Select
from handlers.followup.draft import LABELS, SOURCE_LABELS, Draft
from handlers.shared.crm import money, when


class Op(StrEnum):
    save = "save"
    edit = "edit"
    discard = "discard"
    apply = "apply"  # 确定 on the edit card's pick lists
    back = "back"  # 取消修改
    pick = "pick"  # a one-tap answer to the card's question


class FollowupTap(CardAction, prefix="fu"):
    op: Op
    arg: str = ""  # pick: "<field>.<choice index>", or "<field>" when submitted from a list


def payload(card_id: str, op: Op, arg: str = "") -> str:
    return FollowupTap(card_id, 0, op, arg).pack()  # the card store stamps the version


def _hint(draft: Draft, name: str) -> str:
    source = draft.source(name)
    if source == "spoken":
        return "语音" if draft.via == "voice" else "文字"
    return SOURCE_LABELS.get(source or "", "")


def client_row(draft: Draft) -> Row:
    c = draft.client
    if c.kind == "ambiguous":
        return Row(LABELS["client"], f"“{c.heard}”不确定，请选择", "待确认")
    if c.name is None:
        return Row(LABELS["client"], "—", "")
    value = c.name
    if c.kind == "new":
        value += "（新客户）"
    elif c.heard:
        value += f"（听到“{c.heard}”）"
    hint = "已确认" if c.kind == "answered" else ("语音" if draft.via == "voice" else "文字")
    return Row(LABELS["client"], value, hint)


def rows(draft: Draft) -> tuple[Row, ...]:
    products = draft.value("products") or []
    action = draft.value("next_action")
    due = draft.value("due")
    action_text = action or "—"
    if action and due:
        due_hint = "（建议）" if draft.source("due") == "suggested" else ""
        action_text = f"{action} · 截止 {when(due)}{due_hint}"
    return (
        client_row(draft),
        Row(LABELS["contact"], draft.value("contact") or "—", _hint(draft, "contact")),
        Row(LABELS["stage"], draft.value("stage") or "—", _hint(draft, "stage")),
        Row(LABELS["amount"], money(draft.value("amount")), _hint(draft, "amount")),
        Row(LABELS["products"], "、".join(products) or "—", _hint(draft, "products")),
        Row(LABELS["next_action"], action_text, _hint(draft, "next_action")),
    )


def note(draft: Draft) -> str:
    parts = []
    if draft.competitors:
        parts.append("竞品：" + "、".join(draft.competitors))
    if draft.risks:
        parts.append("风险：" + "、".join(draft.risks))
    excerpt = draft.text if len(draft.text) <= 80 else draft.text[:78] + "…"
    parts.append(f"原话：{excerpt}")
    return "\n".join(parts)


# Short: WeCom shows about 30 characters of a card's subtitle.
QUESTIONS = {
    "client": "还缺【客户】：点选或直接回复客户名称",
    "stage": "还缺【阶段】：商机到了哪个阶段？",
    "next_action": "还缺【下一步】：点选或回复，如：周五前发报价",
    "due": "还缺【截止时间】：点选或回复，如：下周三",
}


def draft_card(card_id: str, draft: Draft) -> Card:
    if draft.asking:
        choices = draft.choices.get(draft.asking, [])
        discard = Button("丢弃", payload(card_id, Op.discard), "danger")
        if len(choices) > 5:  # more than fit as buttons beside 丢弃: a pick list and 确定
            options = tuple(Option(str(i), label) for i, (label, _) in enumerate(choices))
            select = Select(draft.asking, LABELS[draft.asking], options)
            return Card(
                card_id,
                "拜访记录确认",
                QUESTIONS[draft.asking],
                rows(draft),
                note(draft),
                (discard,),
                (select,),
                Button("确定", payload(card_id, Op.pick, draft.asking), "primary"),
            )
        buttons = (
            *tuple(
                Button(label, payload(card_id, Op.pick, f"{draft.asking}.{i}"))
                for i, (label, _) in enumerate(choices)
            ),
            discard,
        )
        return Card(
            card_id, "拜访记录确认", QUESTIONS[draft.asking], rows(draft), note(draft), buttons
        )
    buttons = (
        Button("保存", payload(card_id, Op.save), "primary"),
        Button("修改", payload(card_id, Op.edit)),
        Button("丢弃", payload(card_id, Op.discard), "danger"),
    )
    return Card(
        card_id,
        "拜访记录确认",
        "请核对后保存，回复可修改，如：金额改成35万",
        rows(draft),
        note(draft),
        buttons,
    )


def edit_card(card_id: str, draft: Draft, stages: list[str], contacts: list[str]) -> Card:
    """修改: pick lists for what is easiest to tap; anything else by plain reply."""
    selects = [
        Select(
            "stage",
            "阶段",
            tuple(Option(str(i), s) for i, s in enumerate(stages)),
            str(stages.index(draft.value("stage"))) if draft.value("stage") in stages else None,
        )
    ]
    if contacts:
        current = draft.value("contact")
        selects.append(
            Select(
                "contact",
                "联系人",
                tuple(Option(str(i), c) for i, c in enumerate(contacts[:10])),
                str(contacts.index(current)) if current in contacts[:10] else None,
            )
        )
    return Card(
        card_id,
        "修改拜访记录",
        "选好后点“确定”；其他字段直接回复修改",
        rows(draft),
        note(draft),
        (Button("取消修改", payload(card_id, Op.back)),),
        tuple(selects),
        Button("确定", payload(card_id, Op.apply), "primary"),
    )


def closed_card(card: Card, label: str) -> Card:
    return Card(
        card.id, card.title, card.subtitle, card.rows, card.note, card.buttons, (), None, label
    )
