"""The neutral Card as a WeCom ``template_card``.

A card with buttons becomes ``button_interaction``; a card with selects becomes
``multiple_interaction`` (the selects plus the card's submit button). WeCom's hard limits are
checked here, before anything is sent: a card that breaks one raises ``CardLimitError``.
Display text is shortened to what WeCom shows, never the keys and ids a tap comes back with.
"""

from __future__ import annotations

import re
from typing import Any

from cards.model import Button, Card, Row

TASK_ID = re.compile(r"^[A-Za-z0-9_\-@]{1,128}$")
MAX_ROWS = 6
MAX_BUTTONS = 6
MAX_SELECTS = 3
MAX_OPTIONS = 10
MAX_KEY_BYTES = 1024
MAX_OPTION_ID_BYTES = 128
# WeCom's button styles: 1 blue on white (primary), 2 blue text, 3 red text, 4 black text.
STYLES = {"primary": 1, "link": 2, "danger": 3, "default": 4}


class CardLimitError(ValueError):
    """The card cannot be shown on WeCom as it is (too many buttons, a key too long …)."""


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def row_value(row: Row) -> str:
    hint = f"（{row.hint}）" if row.hint else ""
    return shorten(row.value, 26 - len(hint)) + hint if hint else shorten(row.value, 26)


def _check_key(key: str, what: str, limit: int = MAX_KEY_BYTES) -> str:
    if not key or len(key.encode()) > limit:
        raise CardLimitError(f"{what} must be 1..{limit} bytes")
    return key


def render(card: Card, task_id: str, *, link: str = "") -> dict[str, Any]:
    """The ``template_card`` body for ``card``; ``link`` is where a card without actions opens."""
    if not TASK_ID.match(task_id):
        raise CardLimitError("task_id must be 1..128 of [A-Za-z0-9_-@]")
    if card.selects:
        body = _multiple(card)
    elif card.buttons:
        body = _buttons(card)
    else:
        body = _notice(card, link)
    body["task_id"] = task_id
    return body


def _main_title(card: Card) -> dict[str, str]:
    title = {"title": shorten(card.title, 26)}
    if card.subtitle:
        title["desc"] = shorten(card.subtitle, 30)
    return title


def _rows(card: Card) -> tuple[list[dict[str, Any]], str]:
    """Up to six key/value rows; what does not fit goes into the card's plain text."""
    shown, rest = card.rows[:MAX_ROWS], card.rows[MAX_ROWS:]
    rows = [{"keyname": shorten(r.label, 5), "value": row_value(r)} for r in shown]
    lines = [f"{r.label}：{r.value}" + (f"（{r.hint}）" if r.hint else "") for r in rest]
    if card.note:
        lines.append(card.note)
    return rows, shorten("\n".join(lines), 112)


def _with_rows(card_type: str, card: Card) -> dict[str, Any]:
    """The body a card with key/value rows starts from: its title, overflow text and rows."""
    rows, text = _rows(card)
    body: dict[str, Any] = {"card_type": card_type, "main_title": _main_title(card)}
    if text:
        body["sub_title_text"] = text
    if rows:
        body["horizontal_content_list"] = rows
    return body


def _button(b: Button) -> dict[str, Any]:
    return {
        "type": 0,
        "text": shorten(b.text, 10),
        "style": STYLES.get(b.style, 4),
        "key": _check_key(b.payload, "a button key"),
    }


def _buttons(card: Card) -> dict[str, Any]:
    if len(card.buttons) > MAX_BUTTONS:
        raise CardLimitError(f"WeCom shows at most {MAX_BUTTONS} buttons")
    keys = [b.payload for b in card.buttons]
    if len(set(keys)) != len(keys):
        raise CardLimitError("button keys must be unique")
    body = _with_rows("button_interaction", card)
    body["button_list"] = [_button(b) for b in card.buttons]
    return body


def _multiple(card: Card) -> dict[str, Any]:
    if len(card.selects) > MAX_SELECTS:
        raise CardLimitError(f"WeCom shows at most {MAX_SELECTS} selects on a card")
    submit = card.submit or (card.buttons[0] if card.buttons else None)
    if submit is None:
        raise CardLimitError("a card with selects needs a submit button")
    questions = [s.key for s in card.selects]
    if len(set(questions)) != len(questions):
        raise CardLimitError("select keys must be unique")
    select_list = []
    for s in card.selects:
        if not 1 <= len(s.options) <= MAX_OPTIONS:
            raise CardLimitError(f"a select has 1..{MAX_OPTIONS} options")
        ids = [_check_key(o.id, "an option id", MAX_OPTION_ID_BYTES) for o in s.options]
        if len(set(ids)) != len(ids):
            raise CardLimitError("option ids must be unique within a select")
        item: dict[str, Any] = {
            "question_key": _check_key(s.key, "a select key"),
            "title": shorten(s.title, 13),
            "option_list": [{"id": o.id, "text": shorten(o.text, 10)} for o in s.options],
        }
        if s.selected in ids:
            item["selected_id"] = s.selected
        select_list.append(item)
    title = _main_title(card)
    # multiple_interaction has no key/value rows: the known fields go into the title's line.
    known = "；".join(f"{r.label}：{r.value}" for r in card.rows)
    desc = "；".join(x for x in (card.subtitle, known) if x)
    if desc:
        title["desc"] = shorten(desc, 60)
    return {
        "card_type": "multiple_interaction",
        "main_title": title,
        "select_list": select_list,
        "submit_button": {
            "text": shorten(submit.text, 10),
            "key": _check_key(submit.payload, "the submit key"),
        },
    }


def _notice(card: Card, link: str) -> dict[str, Any]:
    if not link:
        raise CardLimitError("a card without buttons needs a link to open")
    body = _with_rows("text_notice", card)
    body["card_action"] = {"type": 1, "url": link}
    return body


def replace_name(card: Card) -> str:
    """The grey label that replaces a closed card's buttons ("已同意 · 张三 · 14:02")."""
    return shorten(card.closed or "已处理", 20)
