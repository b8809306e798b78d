"""The app factory: one ``create_app(config)`` builds the whole bot; resources open in cleanup_ctx."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from aiohttp import web

from bot.channels.base import Channel, ChannelDeps
from bot.channels.registry import build_channels
from bot.clock import Clock, SystemClock
from bot.config.models import AppConfig
from bot.directory import Directory
from bot.media import MediaFetcher
from bot.metrics import Metrics
from bot.orgsync import sync_org
from bot.pipeline.dispatcher import Dispatcher
from bot.pipeline.inbox import Inbox
from bot.pipeline.outbox import Outbox
from bot.pipeline.router import Router
from bot.pipeline.sender import OutboxSender
from bot.pipeline.worker import InboxWorkers
from bot.services import Services
from bot.web import ops_routes
from cards.store import CardStore
from storage.db import Database, redact_url
from storage.migrate import pending_migrations

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
    ready: bool = False
    stopped: bool = False  # the shutdown ran to its end (the database is closed)
    on_start: list[Hook] = field(default_factory=list)
    on_stop: list[Hook] = field(default_factory=list)

    def channel(self, platform: str, name: str | None = None) -> Channel:
        for ch in self.channels:
            if ch.platform == platform and (name is None or ch.name == name):
                return ch
        raise LookupError(f"no {platform} channel {name or ''}".strip())


RUNTIME = web.AppKey("runtime", Runtime)


def default_routers() -> list[Router]:
    """Feature routers in the order they are consulted (commands are matched before any)."""
    from handlers import brief
    from handlers import help as help_handlers
    from handlers.followup import router as followup
    from handlers.stats import router as stats

    return [help_handlers.router, brief.router, stats.router, followup.router]


def add_feature_services(rt: Runtime) -> None:
    """The services feature handlers ask for by type; opened lazily, closed with the app."""
    from handlers.followup.catalog import CatalogService
    from handlers.followup.flow import FollowupFlow
    from handlers.followup.voice import VoiceNotes
    from handlers.stats.forecast_data import ForecastRates
    from nlp.asr.service import AsrService
    from storage.media import MediaStore

    media = MediaStore(rt.config.database.media_dir)
    catalogs = CatalogService(rt.config, rt.db)
    voice = VoiceNotes(AsrService(rt.config.asr), media)
    flow = FollowupFlow(rt.config, rt.db, rt.cards, catalogs, rt.clock)
    rates = ForecastRates(rt.db)
    for service in (media, catalogs, voice, MediaFetcher(rt.channels), flow, rates):
        rt.services.add(service)

    async def close_features(_: Runtime) -> None:
        await voice.close()
        await flow.close()

    rt.on_stop.append(close_features)


def build_runtime(
    config: AppConfig,
    *,
    clock: Clock | None = None,
    routers: Sequence[Router] | None = None,
    extra_channels: Callable[[ChannelDeps], Sequence[Channel]] | None = None,
) -> Runtime:
    clock = clock or SystemClock()
    db = Database(config.database.url)
    metrics = Metrics()
    outbox = Outbox(db, clock)
    inbox = Inbox(db, clock, metrics)
    cards = CardStore(clock)
    directory = Directory(config)
    dispatcher = Dispatcher(routers if routers is not None else default_routers())
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
    sender = OutboxSender(
        outbox,
        {(c.platform, c.name): c for c in channels},
        clock,
        metrics,
        max_attempts=config.pipeline.outbox_max_attempts,
        poll_seconds=config.pipeline.poll_seconds,
        drain_seconds=config.pipeline.drain_seconds,
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
    )
    add_feature_services(rt)
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
        rt.ready = True
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
    app = web.Application(client_max_size=limit)
    app[RUNTIME] = rt
    app.cleanup_ctx.append(_lifecycle)
    app.add_routes(ops_routes(rt))
    for ch in rt.channels:
        app.add_routes(ch.routes())
    return app
