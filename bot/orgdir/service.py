"""Org sync as a service: fetch each enabled platform's directory, plan, apply, refresh the
Directory, and tell supervisors what they took over. Runs every ``org_sync.interval_minutes``
(while enabled) and on ``/同步通讯录``. A scheduled sync that the brake stopped (too many would
leave, see apply.py) tells the admins, once a day, how to force it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from zoneinfo import ZoneInfo

from bot.channels.base import Channel
from bot.clock import Clock
from bot.config.models import AppConfig
from bot.directory import Directory
from bot.orgdir.apply import Handover, SyncReport, apply_plan
from bot.orgdir.fetch import DirectoryError, dingtalk_snapshot, wecom_snapshot
from bot.orgdir.plan import Snapshot, plan
from bot.orgsync import synced_people
from bot.pipeline.outbox import Outbox, OutgoingMessage
from bot.replies import Text
from storage.db import Database

log = logging.getLogger(__name__)
# How often every replica looks for org changes another replica's sync wrote.
REFRESH_SECONDS = 30.0


def handover_note(h: Handover) -> str:
    parts = [f"{n} 个{what}" for n, what in ((h.deals, "进行中的商机"), (h.tasks, "待办"),
             (h.steps, "待审批事项"), (h.clients, "客户")) if n]  # fmt: skip
    moved = "、".join(parts) if parts else "（没有待交接的工作）"
    return f"通讯录显示「{h.name}」已离职。TA 的 {moved} 已转交给你，请及时跟进。"


class OrgSyncService:
    def __init__(
        self,
        config: AppConfig,
        db: Database,
        directory: Directory,
        outbox: Outbox,
        channels: Sequence[Channel],
        clock: Clock,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.config = config
        self.db = db
        self.directory = directory
        self.outbox = outbox
        self.channels = channels
        self.clock = clock
        self._sleep = sleep  # the schedule's waits: tests step through them without waiting
        self._tasks: list[asyncio.Task[None]] = []
        self._lock = asyncio.Lock()
        self._mark: tuple[object, ...] | None = None

    def _config_ids(self, platform: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for p in self.config.people:
            uid = p.wecom_userid if platform == "wecom" else p.dingtalk_staff_id
            if uid:
                out[uid] = p.id
        return out

    async def snapshots(self) -> list[Snapshot]:
        """One per platform (the first app of each: one company has one directory)."""
        out: list[Snapshot] = []
        for platform in ("wecom", "dingtalk"):
            ch = next((c for c in self.channels if c.platform == platform), None)
            if ch is None:
                continue
            if platform == "wecom":
                out.append(await wecom_snapshot(ch.client))  # type: ignore[attr-defined]
            else:
                out.append(await dingtalk_snapshot(ch.openapi(), self.config.org_name))  # type: ignore[attr-defined]
        return out

    async def run(self, *, force: bool = False) -> list[SyncReport]:
        """Sync every platform now. A directory that fails raises ``DirectoryError`` before
        anything is applied; one where too many would leave is reported, not applied, unless
        ``force``."""
        settings = self.config.org_sync
        async with self._lock:
            reports: list[SyncReport] = []
            for snapshot in await self.snapshots():
                sync = plan(snapshot, settings, self._config_ids(snapshot.platform))
                report = await apply_plan(
                    self.db, sync, self.clock.now(), max_leave_share=settings.max_leave_share,
                    force=force,
                )  # fmt: skip
                reports.append(report)
                # Refresh first: the supervisor taking over may have joined in this very sync.
                await self.refresh_if_changed()
                await self._notify(report)
            for r in reports:
                level = logging.WARNING if r.refused else logging.INFO
                log.log(level, "org sync", extra={"platform": r.platform, "summary": r.summary()})
            return reports

    async def _notify(self, report: SyncReport) -> None:
        day = self._today()
        messages = []
        for h in report.left:
            boss = self.directory.get(h.to_id) if h.to_id else None
            if boss is None:
                continue
            address = self.directory.address(boss)
            if address is not None:
                messages.append(
                    OutgoingMessage(address, Text(handover_note(h)), f"orgsync:{h.person_id}:{day}")
                )
        if messages:
            await self.outbox.add(messages)

    def _today(self) -> str:
        """The organisation's date: "once a day" turns over at its midnight, not UTC's."""
        return self.clock.now().astimezone(ZoneInfo(self.config.timezone)).date().isoformat()

    async def _warn_admins(self, report: SyncReport) -> None:
        """A scheduled sync the brake stopped: nobody asked, so the admins hear it (once a day)."""
        from bot.app import admin_addresses

        day = self._today()
        text = Text("定时同步通讯录：" + report.summary())
        messages = [
            OutgoingMessage(a, text, f"orgsync-refused:{report.platform}:{a.recipient}:{day}")
            for a in admin_addresses(self.directory, self.channels)
        ]
        if messages:
            await self.outbox.add(messages)

    # ------------------------------------------------------------------ schedule
    async def _loop(self) -> None:
        while True:
            try:
                for report in await self.run():
                    if report.refused is not None:
                        await self._warn_admins(report)
            except DirectoryError as exc:
                log.warning("org sync failed", extra={"error": str(exc)})
            except Exception:  # the schedule must outlive one bad run; the next one retries
                log.exception("org sync failed")
            await self._sleep(self.config.org_sync.interval_minutes * 60)

    async def refresh_if_changed(self) -> bool:
        """Reload the synced people into the Directory when the table changed (here or in
        another replica): one aggregate query, so every replica can ask often."""
        rows = await self.db.fetch(
            "SELECT COUNT(*) AS n, SUM(CASE WHEN active THEN 1 ELSE 0 END) AS a, MAX(updated_at) AS t "
            "FROM people WHERE source <> 'config'"
        )
        mark = (rows[0]["n"], rows[0]["a"], str(rows[0]["t"]))
        if mark == self._mark:
            return False
        self._mark = mark
        self.directory.include(await synced_people())
        return True

    async def _watch(self) -> None:
        while True:
            await self._sleep(REFRESH_SECONDS)
            try:
                await self.refresh_if_changed()
            except OSError as exc:
                log.warning("directory refresh failed", extra={"error": str(exc)})

    async def start(self) -> None:
        """At startup, before the channels: the Directory gets the synced people."""
        await self.refresh_if_changed()
        if not self._tasks:
            self._tasks.append(asyncio.create_task(self._watch(), name="org-directory-refresh"))

    async def schedule(self) -> None:
        """Once the channels are up (their clients reach the platforms): sync now and then
        every ``org_sync.interval_minutes``, when enabled."""
        if self.config.org_sync.enabled and not any(
            t.get_name() == "org-sync" for t in self._tasks
        ):
            self._tasks.append(asyncio.create_task(self._loop(), name="org-sync"))

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
