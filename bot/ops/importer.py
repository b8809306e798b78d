"""Write a validated table into the database: new rows inserted in bulk, changed rows updated,
identical rows left alone — so importing the same file twice changes nothing.

Keys: a client by name; a contact by (client, name); a deal by its 商机编号 — "#<id>" for a deal
stored here without one (what the exporter writes for deals recorded in chat) — else by (client,
商机名称); a payment by its 回款编号. An empty 商机编号 leaves what is stored alone (a deal's own
number, a payment's deal). A file with any invalid row writes nothing, and neither does one
that would change a payment whose commission is already settled (the ledger entry ``pay:<id>``
would no longer match it): such a payment is adjusted with ``salesbot incentives correct``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.models import Model

from bot.config.models import AppConfig
from bot.ops.kinds import Checked, Kind, Known, internal_id, validate
from bot.ops.sheets import Table
from storage.db import Database
from storage.models import Client, Contact, Deal, LedgerEntry, Payment, StageHistory

BATCH = 2000
Progress = Callable[[int], None]  # so many more rows done
Phase = Callable[[str, int], None]  # a phase starts: its name, and the rows it will go through


@dataclass
class Outcome:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        verb = "将" if self.dry_run else "已"
        return (
            f"{self.rows} 行：{verb}新增 {self.created}，{verb}更新 {self.updated}，"
            f"{self.unchanged} 行无变化" + ("（试运行，未写入）" if self.dry_run else "")
        )


async def load_known(config: AppConfig, db: Database) -> Known:
    people: dict[str, list[str]] = {}
    for p in await db.fetch("SELECT id, name FROM people"):
        people.setdefault(p["id"], []).append(p["id"])
        if p["name"] != p["id"]:
            people.setdefault(p["name"], []).append(p["id"])
    regions: dict[str, str] = {}
    for r in config.regions:
        regions[r.id] = r.id
        regions[r.name] = r.id
    refs = await db.fetch("SELECT external_ref FROM deals WHERE external_ref IS NOT NULL")
    ids = await db.fetch("SELECT id FROM deals")
    return Known(
        tz=ZoneInfo(config.timezone),
        people={k: tuple(v) for k, v in people.items()},
        stages={s.name: s.kind.value for s in config.funnel.stages},
        regions=regions,
        clients=frozenset(r["name"] for r in await db.fetch("SELECT name FROM clients")),
        deal_refs=frozenset(r["external_ref"] for r in refs),
        deal_ids=frozenset(int(r["id"]) for r in ids),
    )


def _same(stored: Any, wanted: Any) -> bool:
    # Times compare to the second: records made in chat keep microseconds, files do not.
    if isinstance(stored, datetime) and isinstance(wanted, datetime):
        return stored.replace(microsecond=0) == wanted.replace(microsecond=0)
    return bool(stored == wanted)


def _changed(stored: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in wanted.items() if not _same(stored.get(k), v)}


class _Plan:
    """Rows to create and (id, changed fields) to update, found against what is stored."""

    def __init__(self) -> None:
        self.create: list[dict[str, Any]] = []
        self.update: list[tuple[dict[str, Any], dict[str, Any]]] = []  # (stored, changes)
        self.unchanged = 0
        self.errors: list[str] = []  # rows refused against what is stored (row-numbered)

    def add(self, stored: dict[str, Any] | None, wanted: dict[str, Any]) -> None:
        if stored is None:
            self.create.append(wanted)
            return
        changes = _changed(stored, wanted)
        if changes:
            self.update.append((stored, changes))
        else:
            self.unchanged += 1


async def _ids(db: Database, table: str) -> dict[str, int]:
    return {r["name"]: r["id"] for r in await db.fetch(f"SELECT id, name FROM {table}")}


async def _plan(
    checked: Checked, db: Database, known: Known, config: AppConfig, now: datetime
) -> _Plan:
    plan = _Plan()
    present = set(checked.present)
    kind = checked.kind.name
    if kind == "clients":
        cols = ["id", "name", "owner_id", "region", "city", "industry", "source", "aliases"]
        stored = {r["name"]: r for r in await Client.all().values(*cols)}
        for _, row in checked.rows:
            wanted = {k: v for k, v in row.items() if k in present}
            if "aliases" in wanted:
                wanted["aliases"] = wanted["aliases"] or []
            plan.add(stored.get(row["name"]), wanted)
    elif kind == "contacts":
        client_ids = await _ids(db, "clients")
        cols = ["id", "client_id", "name", "title", "phone", "valid"]
        stored = {(r["client_id"], r["name"]): r for r in await Contact.all().values(*cols)}
        for _, row in checked.rows:
            wanted = {k: v for k, v in row.items() if k in present and k != "client"}
            wanted["client_id"] = client_ids[row["client"]]
            if wanted.get("valid") is None and "valid" in wanted:
                wanted["valid"] = True
            plan.add(stored.get((wanted["client_id"], row["name"])), wanted)
    elif kind == "deals":
        _plan_deals(plan, checked, await _ids(db, "clients"), await _stored_deals(), known, now)
    else:
        client_ids = await _ids(db, "clients")
        refs = await db.fetch("SELECT id, external_ref FROM deals WHERE external_ref IS NOT NULL")
        deal_ids = {r["external_ref"]: r["id"] for r in refs}
        cols = [
            "id",
            "external_ref",
            "client_id",
            "deal_id",
            "owner_id",
            "kind",
            "contract_year",
            "amount",
            "paid_at",
        ]
        stored = {r["external_ref"]: r for r in await Payment.all().values(*cols)}
        rows: list[tuple[int, dict[str, Any] | None, dict[str, Any]]] = []
        for number, row in checked.rows:
            wanted = {
                k: v for k, v in row.items() if k in present and k not in ("client", "deal_ref")
            }
            wanted["client_id"] = client_ids[row["client"]]
            if row.get("deal_ref"):  # empty: the stored link (e.g. made in chat) stays
                ref = row["deal_ref"]
                wanted["deal_id"] = internal_id(ref) or deal_ids[ref]
            if "contract_year" in wanted and wanted["contract_year"] is None:
                wanted["contract_year"] = 1
            rows.append((number, stored.get(row["external_ref"]), wanted))
        changed = [s["id"] for _, s, w in rows if s is not None and _changed(s, w)]
        settled = await _settled_payments(changed)
        for number, current, wanted in rows:
            if current is not None and current["id"] in settled and _changed(current, wanted):
                plan.errors.append(
                    f"第 {number} 行：回款「{current['external_ref']}」的提成已经结算，不能通过导入修改；"
                    "如需调整，请用 salesbot incentives correct 追加一条更正"
                )
            else:
                plan.add(current, wanted)
    return plan


async def _settled_payments(ids: list[int]) -> set[int]:
    """Of these payments, those whose commission the ledger holds (settlement key pay:<id>)."""
    found: set[int] = set()
    for i in range(0, len(ids), 500):
        keys = [f"pay:{n}" for n in ids[i : i + 500]]
        rows = await LedgerEntry.filter(settlement_key__in=keys).values_list(
            "settlement_key", flat=True
        )
        found |= {int(str(k)[4:]) for k in rows}
    return found


_DEAL_COLS = (
    "id", "external_ref", "client_id", "title", "owner_id", "stage", "status", "amount", "source", "region",
    "product_line", "products", "contact_name", "expected_close", "created_at", "closed_at", "lost_reason",
)  # fmt: skip


async def _stored_deals() -> dict[tuple[Any, ...], dict[str, Any]]:
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in await Deal.all().order_by("id").values(*_DEAL_COLS):
        out[("id", r["id"])] = r
        if r["external_ref"]:
            out[("ref", r["external_ref"])] = r
        out.setdefault(("ct", r["client_id"], r["title"]), r)
    return out


def _plan_deals(
    plan: _Plan,
    checked: Checked,
    client_ids: dict[str, int],
    stored: dict[tuple[Any, ...], dict[str, Any]],
    known: Known,
    now: datetime,
) -> None:
    present = set(checked.present)
    for _, row in checked.rows:
        wanted = {k: v for k, v in row.items() if k in present and k != "client"}
        wanted["client_id"] = client_ids[row["client"]]
        wanted["title"] = row.get("title") or ""
        if "products" in wanted:
            wanted["products"] = wanted["products"] or []
        if wanted.get("created_at") is None:
            wanted.pop("created_at", None)  # an empty cell keeps the stored date
        wanted["status"] = known.stages[row["stage"]]
        ref = row.get("external_ref")
        own = internal_id(ref) if ref else None
        if own is not None or not ref:
            # "#<id>" is our key, not a number to store; an empty cell keeps the stored one.
            wanted.pop("external_ref", None)
        if own is not None:
            key: tuple[Any, ...] = ("id", own)
        elif ref:
            key = ("ref", ref)
        else:
            key = ("ct", wanted["client_id"], wanted["title"])
        current = stored.get(key)
        if current is None:
            wanted.setdefault("created_at", now)
            wanted["stage_entered_at"] = wanted["created_at"]
            if wanted["status"] != "open" and not wanted.get("closed_at"):
                wanted["closed_at"] = wanted["created_at"]
        plan.add(current, wanted)


async def _apply(kind: Kind, plan: _Plan, now: datetime, progress: Progress | None) -> None:
    model: type[Model] = {
        "clients": Client,
        "contacts": Contact,
        "deals": Deal,
        "payments": Payment,
    }[kind.name]
    last = await Deal.all().order_by("-id").limit(1).values_list("id", flat=True)
    for start in range(0, len(plan.create), BATCH):
        batch = plan.create[start : start + BATCH]
        await model.bulk_create([model(**values) for values in batch])
        if progress:
            progress(len(batch))
    if kind.name == "deals" and plan.create:
        # Bulk inserts do not return ids on every dialect: the new deals are those after the last
        # id seen before inserting (the transaction holds the write lock meanwhile).
        new = await Deal.filter(id__gt=last[0] if last else 0).values(
            "id", "stage", "stage_entered_at"
        )
        history = [
            StageHistory(deal_id=d["id"], to_stage=d["stage"], changed_at=d["stage_entered_at"])
            for d in new
        ]
        await StageHistory.bulk_create(history, batch_size=BATCH)
    for stored, changes in plan.update:
        if kind.name == "deals" and "stage" in changes:
            changes["stage_entered_at"] = now
            await StageHistory.create(
                deal_id=stored["id"],
                from_stage=stored["stage"],
                to_stage=changes["stage"],
                changed_at=now,
            )
        if kind.name == "clients":
            changes["updated_at"] = now
        await model.filter(id=stored["id"]).update(**changes)
        if progress:
            progress(1)


async def import_table(
    kind: Kind,
    table: Table,
    *,
    config: AppConfig,
    db: Database,
    now: datetime,
    dry_run: bool = False,
    progress: Progress | None = None,
    phase: Phase | None = None,
) -> Outcome:
    """Validate every row, then (unless ``dry_run`` or any row is invalid) write in one transaction."""
    known = await load_known(config, db)
    if phase is not None:
        phase("校验", len(table.rows))
    checked = validate(kind, table, known, progress)
    outcome = Outcome(kind.name, rows=len(table.rows), errors=checked.errors, dry_run=dry_run)
    if checked.errors:
        return outcome
    plan = await _plan(checked, db, known, config, now)
    if plan.errors:
        outcome.errors = plan.errors
        return outcome
    outcome.created, outcome.updated, outcome.unchanged = (
        len(plan.create),
        len(plan.update),
        plan.unchanged,
    )
    if not dry_run:
        if phase is not None:
            phase("写入", len(plan.create) + len(plan.update))
        async with db.transaction():
            await _apply(kind, plan, now, progress)
    return outcome
