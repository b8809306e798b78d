"""Apply one answer or correction to a draft; every value is read by the extractor's parsers."""

from __future__ import annotations

from bot.config.org import Person
from handlers.followup.corrections import read_amount, read_due, read_products, read_stage
from handlers.followup.draft import ClientPick, Draft
from handlers.followup.flow import FollowupFlow

UNREADABLE = {
    "amount": "没看懂这个金额，请写成“35万”或“350000”。",
    "stage": "没有这个阶段。可选：{stages}。",
    "due": "没看懂这个时间，请写成“下周三”“12月10号”或“月底”。",
    "client": "请写上客户名称。",
}


async def apply_edit(
    flow: FollowupFlow, draft: Draft, field: str, text: str, person: Person
) -> str | None:
    """Returns a Chinese error message when ``text`` cannot be read as ``field``."""
    text = text.strip()
    stages = [s.name for s in flow.config.funnel.stages]
    now_local = flow.clock.now().astimezone(flow.tz)
    if field == "amount":
        value = read_amount(text)
        if value is None:
            return UNREADABLE["amount"]
        draft.set("amount", int(value) if float(value).is_integer() else value, "answered")
    elif field == "stage":
        stage = read_stage(text, stages)
        if stage is None:
            return UNREADABLE["stage"].format(stages="、".join(stages))
        draft.set("stage", stage, "answered")
    elif field == "contact":
        draft.set("contact", text.removeprefix("是"), "answered")
    elif field == "products":
        catalogue = [(p.name, p.aliases) for p in flow.config.products]
        draft.set("products", read_products(text, catalogue) or [text], "answered")
    elif field == "next_action":
        draft.set("next_action", text, "answered")
        due = read_due(text, now_local, flow.calendar.after_holiday)
        if due:
            draft.set("due", due, "answered")
    elif field == "due":
        due = read_due(text, now_local, flow.calendar.after_holiday)
        if due is None:
            return UNREADABLE["due"]
        draft.set("due", due, "answered")
    elif field == "client":
        if not text:
            return UNREADABLE["client"]
        catalog = await flow.catalogs.get()
        match = catalog.client_index.match(text, rep_id=person.id)
        if match.matched and match.client_id is not None:
            pick = ClientPick(int(match.client_id), match.name, None, "answered")
        else:
            pick = ClientPick(None, text, None, "new")
        await flow.use_client(draft, pick, person)
    return None


async def apply_choice(
    flow: FollowupFlow, draft: Draft, field: str, value: str, person: Person
) -> None:
    if field == "client":
        if value == "new":
            pick = ClientPick(None, draft.client.heard, None, "new")
        else:
            name = next((n for cid, n in draft.client.alternatives if str(cid) == value), None)
            if name is None:
                catalog = await flow.catalogs.get()
                ref = catalog.client_index.get(value)
                name = ref.name if ref else value
            pick = ClientPick(int(value), name, None, "answered")
        await flow.use_client(draft, pick, person)
        return
    draft.set(field, value, "answered")
