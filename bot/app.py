"""The app factory: one ``create_app(config)`` builds the whole bot; resources open in cleanup_ctx."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.channels.base import Channel, ChannelDeps
from bot.channels.registry import build_channels
from bot.clock import Clock, SystemClock
from bot.config.models import AppConfig
from bot.config.org import Role
from bot.directory import Directory
from bot.feature import Feature, StartupError
from bot.jobs import JobSpec
from bot.media import MediaFetcher
from bot.metrics import Metrics
from bot.orgsync import sync_org
from bot.pipeline.delivery import RetryPolicy
from bot.pipeline.dispatcher import Dispatcher
from bot.pipeline.edge import UserRateLimit
from bot.pipeline.giveup import GiveUpNotices
from bot.pipeline.inbox import Inbox
from bot.pipeline.outbox import Address, Outbox
from bot.pipeline.router import Router, built_in, job_handler
from bot.pipeline.sender import OutboxSender
from bot.pipeline.worker import InboxWorkers
from bot.services import Services
from bot.web import callback_metrics, ops_routes
from cards.store import CardStore
from handlers.shared.access import AccessPolicy
from storage.db import Database, redact_url
from storage.migrate import pending_migrations

if TYPE_CHECKING:
    from scheduler.clock import JobClock

log = logging.getLogger(__name__)

Hook = Callable[["Runtime"], Awaitable[None]]


@dataclass
class Runtime:
    """Everything one bot process owns. Built without I/O; opened and closed by the app."""

    config: AppConfig
    clock: Clock
    db: Database
    metrics: Metrics
    inbox: Inbox
    outbox: Outbox
    cards: CardStore
    directory: Directory
    dispatcher: Dispatcher
    services: Services
    channels: list[Channel]
    workers: InboxWorkers
    sender: OutboxSender
    policy: AccessPolicy
    scheduler: JobClock | None = None
    ready: bool = False
    started_at: datetime | None = None  # from the injected clock, when the bot became ready
    stopped: bool = False  # the shutdown ran to its end (the database is closed)
    on_start: list[Hook] = field(default_factory=list)
    on_stop: list[Hook] = field(default_factory=list)
    # Run once the channels are up (their clients can call the platforms), after ``ready``.
    on_ready: list[Hook] = field(default_factory=list)

    def channel(self, platform: str, name: str | None = None) -> Channel:
        for ch in self.channels:
            if ch.platform == platform and (name is None or ch.name == name):
                return ch
        raise LookupError(f"no {platform} channel {name or ''}".strip())


RUNTIME = web.AppKey("runtime", Runtime)


def default_features() -> list[Feature]:
    from handlers.features import features

    return features()


def add_shared_services(rt: Runtime) -> None:
    """What every feature may use: media, the client catalogue, the policy, intents, taps."""
    from handlers.shared.calendar_notice import CalendarNotices
    from handlers.shared.catalog import CatalogService
    from handlers.shared.intents import IntentService
    from handlers.shared.taps import SharedTapStep
    from handlers.shared.workcal import WorkCalendar
    from storage.media import MediaStore

    catalogs = CatalogService(rt.config, rt.db)
    intents = IntentService(rt.config, catalogs)
    calendar = WorkCalendar(rt.config.calendar, ZoneInfo(rt.config.timezone), warn=log.warning)
    # A year the calendar has to guess is told to the admins in chat, once (and shown in /状态).
    notices = CalendarNotices(
        calendar, rt.outbox, lambda: admin_addresses(rt.directory, rt.channels)
    )
    rt.sender.admin_notes.append(notices)
    shared = (
        calendar,
        notices,
        MediaStore(rt.config.database.media_dir),
        MediaFetcher(rt.channels),
        catalogs,
        rt.policy,
        intents,
        SharedTapStep(rt.db, rt.cards, rt.policy, rt.clock),
    )
    for service in shared:
        rt.services.add(service)
    rt.dispatcher.taps = rt.services.get(SharedTapStep)
    rt.dispatcher.intents = intents

    async def close_shared(_: Runtime) -> None:
        await intents.close()

    rt.on_stop.append(close_shared)


def add_scheduler(rt: Runtime, specs: Sequence[JobSpec]) -> None:
    """The features' jobs: the dispatcher runs their ticks, the clock stores them (scheduler/)."""
    from bot.pipeline.outbox import Address
    from handlers.shared.workcal import WorkCalendar
    from scheduler.clock import JobClock
    from scheduler.pushes import PushStore
    from scheduler.runner import JobRunner

    calendar = rt.services.get(WorkCalendar)
    first = rt.channels[0] if rt.channels else None
    prefer = Address(first.platform, first.name, "") if first is not None else None
    pushes = PushStore(rt.db, rt.config, calendar, prefer)
    rt.services.add(pushes)
    try:
        for spec in specs:
            rt.dispatcher.add_job(spec.name, job_handler(spec.func))
        rt.scheduler = JobClock(specs, rt.config, rt.inbox, rt.db, rt.clock)
    except ValueError as exc:
        raise StartupError(f"启动失败：{exc}") from exc
    rt.dispatcher.jobs = JobRunner(
        {s.name: s for s in specs}, pushes, calendar, rt.db, rt.clock, rt.inbox
    )


def check_handlers(dispatcher: Dispatcher, services: Services) -> None:
    """Fail at startup, not at a user's first message, when a handler asks for a missing service."""
    problems = [
        f"{h.name} needs {getattr(kind, '__name__', kind)} (parameter '{name}')"
        for h in dispatcher.handlers()
        for name, kind in h.params
        if not built_in(kind) and kind not in services
    ]
    if problems:
        raise StartupError(
            "启动失败：有处理函数需要的服务没有任何功能提供（在 handlers/features.py 注册）：\n  "
            + "\n  ".join(problems)
        )


def check_permissions(features: Sequence[Feature], policy: AccessPolicy) -> None:
    """Fail at startup when a command, tap or request names a permission no feature declared."""
    declared = policy.actions
    problems = sorted(
        f"{feature.name}: '{action}'"
        for feature in features
        for router in feature.routers(policy.config)
        for action in router.permissions
        if action not in declared
    )
    if problems:
        raise StartupError(
            "启动失败：有命令、卡片操作或请求使用了没有任何功能声明的权限"
            "（在 Feature(permissions=...) 中声明）：\n  " + "\n  ".join(problems)
        )


def build_runtime(
    config: AppConfig,
    *,
    clock: Clock | None = None,
    routers: Sequence[Router] | None = None,
    features: Sequence[Feature] | None = None,
    extra_channels: Callable[[ChannelDeps], Sequence[Channel]] | None = None,
) -> Runtime:
    clock = clock or SystemClock()
    db = Database(config.database.url)
    metrics = Metrics()
    outbox = Outbox(db, clock)
    per_user = config.server.max_events_per_user_minute
    inbox = Inbox(db, clock, metrics, limit=UserRateLimit(per_user, 2 * per_user))
    cards = CardStore(clock)
    directory = Directory(config)
    if features is None:
        features = (
            [Feature(r.name, r) for r in routers] if routers is not None else default_features()
        )
    policy = AccessPolicy(config, directory)
    for feature in features:
        for p in feature.permissions:
            policy.allow(p.action, p.roles, p.label)
    check_permissions(features, policy)
    try:
        dispatcher = Dispatcher([r for f in features for r in f.routers(config)], gate=policy)
    except ValueError as exc:
        raise StartupError(f"启动失败：{exc}") from exc
    deps = ChannelDeps(
        inbox,
        cards,
        clock,
        metrics,
        config.server.public_url or "",
        config.server.link_secret.get_secret_value(),
    )
    channels = build_channels(config, deps)
    if extra_channels is not None:
        channels += list(extra_channels(deps))
    pipe = config.pipeline
    sender = OutboxSender(
        outbox,
        {(c.platform, c.name): c for c in channels},
        clock,
        metrics,
        retry=RetryPolicy(pipe.delivery_give_up_hours * 3600, pipe.retry_cap_seconds),
        poll_seconds=pipe.poll_seconds,
        drain_seconds=pipe.drain_seconds,
        lease_s=pipe.lease_seconds,
        circuit_failures=pipe.circuit_failures,
        notices=GiveUpNotices(
            outbox,
            clock,
            lambda: admin_addresses(directory, channels),
            pipe.give_up_notice_minutes * 60,
        ),
    )
    services = Services()
    workers = InboxWorkers(
        inbox=inbox,
        outbox=outbox,
        dispatcher=dispatcher,
        directory=directory,
        services=services,
        settings=config.pipeline,
        metrics=metrics,
        on_outbox=sender.notify,
    )
    inbox.on_new = workers.notify
    for obj in (config, clock, db, metrics, inbox, outbox, cards, directory, dispatcher):
        services.add(obj)
    services.add(clock, Clock)
    rt = Runtime(
        config,
        clock,
        db,
        metrics,
        inbox,
        outbox,
        cards,
        directory,
        dispatcher,
        services,
        channels,
        workers,
        sender,
        policy,
    )
    services.add(rt)  # for admin views of the process itself (/状态)
    add_shared_services(rt)
    add_scheduler(rt, [job for feature in features for job in feature.jobs])
    for feature in features:
        if feature.services is not None:
            for service in feature.services(rt):
                if isinstance(service, tuple):
                    rt.services.add(*service)
                else:
                    rt.services.add(service)
    check_handlers(dispatcher, rt.services)
    return rt


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    rt = app[RUNTIME]
    await rt.db.open()
    try:
        pending = await pending_migrations(rt.db)
        if pending:
            raise RuntimeError(
                f"数据库结构不是最新（还有 {len(pending)} 个迁移未执行）：请先运行 salesbot migrate"
            )
        await sync_org(rt.config, rt.db)
        for hook in rt.on_start:
            await hook(rt)
        await rt.sender.start()
        await rt.workers.start()
        for ch in rt.channels:
            await ch.start()
        rt.started_at = rt.clock.now()
        if rt.scheduler is not None:
            await rt.scheduler.start()
        rt.ready = True
        for hook in rt.on_ready:
            await hook(rt)
        log.info(
            "salesbot ready",
            extra={
                "database": redact_url(rt.db.url),
                "channels": ",".join(f"{c.platform}:{c.name}" for c in rt.channels),
            },
        )
        yield
    finally:
        rt.ready = False
        log.info("salesbot stopping", extra={"in_flight": rt.workers.busy})
        if rt.scheduler is not None:
            await rt.scheduler.stop()
        for ch in rt.channels:
            await ch.stop()
        await rt.workers.stop()
        await rt.sender.stop()
        for ch in rt.channels:  # sessions for sending close only after the outbox drained
            await ch.close()
        for hook in reversed(rt.on_stop):
            await hook(rt)
        await rt.db.close()
        rt.stopped = True
        log.info("salesbot stopped")


def create_app(config: AppConfig, *, runtime: Runtime | None = None) -> web.Application:
    rt = runtime or build_runtime(config)
    limit = max([a.max_body_bytes for a in config.channels.enabled_wecom] + [1_048_576])
    app = web.Application(client_max_size=limit, middlewares=[callback_metrics(rt)])
    app[RUNTIME] = rt
    app.cleanup_ctx.append(_lifecycle)
    app.add_routes(ops_routes(rt))
    for ch in rt.channels:
        app.add_routes(ch.routes())
    return app


def admin_addresses(directory: Directory, channels: Sequence[Channel]) -> list[Address]:
    """Where the admins hear about undeliverable messages: each on the first channel they use."""
    out: list[Address] = []
    for person in directory.people():
        if person.role != Role.admin:
            continue
        for c in channels:
            uid = directory.platform_id(person, c.platform)
            if uid:
                out.append(Address(c.platform, c.name, uid))
                break
    return out
