"""The neutral card rendered for DingTalk: an interactive card, or an ActionCard as fallback.

Interactive-card templates are designed in DingTalk's card builder. The variables a template can
bind (every value a string, as DingTalk requires):

  title, subtitle, note, markdown   text; ``markdown`` is the whole body for a one-block template
  rows        JSON list of {label, value, hint}
  buttons     JSON list of {text, payload, style}; empty once the card is closed
  selects     JSON list of {key, title, options:[{id, text}], selected}
  submit      JSON {text, payload, style} or ""
  status      "open" | "closed";  closed_text: e.g. "已同意 · 张三 · 14:02"
  card_id, version

A button's callback must send its ``payload`` as the param ``payload`` (or use it as the action
id); a select sends the chosen option id under the select's key.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from cards.model import Button, Card

MAX_LINK_BUTTONS = 5  # sampleActionCard2..5 stack up to five buttons


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def card_markdown(card: Card) -> str:
    lines: list[str] = []
    if card.subtitle:
        lines.append(card.subtitle)
    for row in card.rows:
        hint = f"（{row.hint}）" if row.hint else ""
        lines.append(f"- **{row.label}**：{row.value}{hint}")
    if card.note:
        lines.append(f"> {card.note}")
    if card.closed:
        lines.append(f"**{card.closed}**")
    return "\n\n".join(lines) if lines else card.title


def _button(b: Button) -> dict[str, str]:
    return {"text": b.text, "payload": b.payload, "style": b.style}


def card_param_map(card: Card, version: int) -> dict[str, str]:
    params = {
        "card_id": card.id,
        "version": str(version),
        "title": card.title,
        "subtitle": card.subtitle,
        "note": card.note,
        "markdown": card_markdown(card),
        "rows": _json([{"label": r.label, "value": r.value, "hint": r.hint} for r in card.rows]),
        "buttons": _json([] if card.closed else [_button(b) for b in card.buttons]),
        "selects": _json(
            [
                {
                    "key": s.key,
                    "title": s.title,
                    "options": [{"id": o.id, "text": o.text} for o in s.options],
                    "selected": s.selected or "",
                }
                for s in card.selects
            ]
        ),
        "submit": _json(_button(card.submit)) if card.submit and not card.closed else "",
        "status": "closed" if card.closed else "open",
        "closed_text": card.closed or "",
    }
    assert all(isinstance(v, str) for v in params.values())  # DingTalk rejects anything else
    return params


def open_space_id(recipient: str) -> str:
    if recipient.startswith("chat:"):
        return f"dtv1.card//IM_GROUP.{recipient[5:]}"
    return f"dtv1.card//IM_ROBOT.{recipient}"


def create_and_deliver_body(
    card: Card,
    *,
    version: int,
    template_id: str,
    out_track_id: str,
    robot_code: str,
    recipient: str,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "cardTemplateId": template_id,
        "outTrackId": out_track_id,
        "callbackType": "STREAM",
        "cardData": {"cardParamMap": card_param_map(card, version)},
        "openSpaceId": open_space_id(recipient),
        "userIdType": 1,
    }
    if recipient.startswith("chat:"):
        body["imGroupOpenSpaceModel"] = {"supportForward": False}
        body["imGroupOpenDeliverModel"] = {"robotCode": robot_code}
    else:
        body["imRobotOpenSpaceModel"] = {"supportForward": False}
        body["imRobotOpenDeliverModel"] = {"spaceType": "IM_ROBOT", "robotCode": robot_code}
    return body


def update_body(card: Card, *, version: int, out_track_id: str) -> dict[str, Any]:
    return {
        "outTrackId": out_track_id,
        "cardData": {"cardParamMap": card_param_map(card, version)},
        "cardUpdateOptions": {"updateCardDataByKey": True, "updatePrivateDataByKey": False},
        "userIdType": 1,
    }


def action_card(card: Card, urls: Sequence[str], page_url: str = "") -> tuple[str, dict[str, str]]:
    """(msgKey, msgParam) of the fallback card.

    ``urls`` holds one link per button; ``page_url`` opens the page with every control (used when
    the card has selects or more buttons than an ActionCard can show). Neither → markdown only.
    """
    text = f"### {card.title}\n\n{card_markdown(card)}"
    buttons = [] if card.closed else list(card.buttons)
    if not card.closed and page_url and (card.selects or len(buttons) > MAX_LINK_BUTTONS):
        return "sampleActionCard", {
            "title": card.title,
            "text": text,
            "singleTitle": "打开处理页面",
            "singleURL": page_url,
        }
    if not buttons or len(urls) != len(buttons):
        return "sampleMarkdown", {"title": card.title, "text": text}
    if len(buttons) == 1:
        return "sampleActionCard", {
            "title": card.title,
            "text": text,
            "singleTitle": buttons[0].text,
            "singleURL": urls[0],
        }
    if len(buttons) == 2:  # side by side, the usual 同意 / 驳回 pair
        return "sampleActionCard6", {
            "title": card.title,
            "text": text,
            "buttonTitle1": buttons[0].text,
            "buttonUrl1": urls[0],
            "buttonTitle2": buttons[1].text,
            "buttonUrl2": urls[1],
        }
    param = {"title": card.title, "text": text}
    for i, (b, url) in enumerate(zip(buttons, urls, strict=True), start=1):
        param[f"actionTitle{i}"] = b.text
        param[f"actionURL{i}"] = url
    return f"sampleActionCard{len(buttons)}", param
