"""Run a real bot process for the crash and multi-replica tests.

With ``--clock`` it is the shipped bot instead, its scheduler ticking the reminder and deliver jobs
every second (reminders urgent, so the hour of day does not matter), with ``--reps`` generated
reps added to the organisation (WeCom userids ``Rep0000`` …). ``--env NAME=VALUE`` fills
config.yaml's ``${NAME}`` placeholders, e.g. the ``WECOM_*`` ones to send to a WeCom simulator.

The app is the production one (pipeline, workers, outbox) with the test channel for ingress and a
probe router whose handler records every execution in the audit log (a plain insert, so doing
the work twice would show) and can be held mid-way by a file the test controls.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from aiohttp import web

from bot.app import create_app
from bot.config.models import AppConfig
from bot.config.org import Person, Role
from bot.events import TextEvent
from bot.logs import setup_logging
from bot.pipeline.context import Context
from bot.pipeline.router import Router
from bot.pipeline.worker import worker_identity
from bot.replies import Text
from storage.models import AuditLog
from tests.support.harness import build_harness, make_config


def probe_router(hold_file: Path | None) -> Router:
    router = Router("probe")

    @router.on(TextEvent)
    async def handle(ctx: Context, event: TextEvent) -> None:
        me = worker_identity()
        await AuditLog.create(
            at=ctx.event.time,
            actor=me,
            action="attempt",
            subject_type="msg",
            subject_id=event.msg_id,
        )
        if hold_file is not None and event.text.startswith("hold"):
            while not hold_file.exists():  # the test kills us here, mid-handler
                await asyncio.sleep(0.02)
        await AuditLog.create(
            at=ctx.event.time,
            actor=me,
            action="handled",
            subject_type="msg",
            subject_id=event.msg_id,
        )
        ctx.reply(Text(f"done {event.text}"))

    return router


def extra_reps(n: int) -> tuple[Person, ...]:
    return tuple(
        Person(
            id=f"rep{i:04d}",
            name=f"销售{i:04d}",
            role=Role.rep,
            team="east-1",
            supervisor="zhao.lei",
            wecom_userid=f"Rep{i:04d}",
        )
        for i in range(n)
    )


def clock_config(db_url: str, reps: int, env: dict[str, str] | None = None) -> AppConfig:
    config = make_config(db_url, env, clock=True, poll_seconds=0.1, workers=4)
    schedules = config.schedules.model_copy(
        update={"reminder_scan": "every 1s", "deliver": "every 1s", "urgent": ("reminder",)}
    )
    return config.model_copy(
        update={"schedules": schedules, "people": (*config.people, *extra_reps(reps))}
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--lease", type=float, default=60)
    parser.add_argument("--hold-file", type=Path)
    parser.add_argument("--clock", action="store_true")
    parser.add_argument("--reps", type=int, default=0)
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    env = dict(pair.split("=", 1) for pair in args.env)
    if args.clock:
        config = clock_config(args.db, args.reps, env)
        setup_logging(config)
        harness = build_harness(config)
    else:
        config = make_config(args.db, lease_seconds=args.lease, poll_seconds=0.1, workers=4)
        setup_logging(config)
        harness = build_harness(config, routers=[probe_router(args.hold_file)])
    web.run_app(
        create_app(config, runtime=harness.runtime),
        host="127.0.0.1",
        port=args.port,
        print=None,
        access_log=None,
    )


if __name__ == "__main__":
    main()
