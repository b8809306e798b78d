"""Features register once; startup refuses features that do not fit together."""

from __future__ import annotations

import pytest

from bot.app import build_runtime
from bot.config.org import Role
from bot.feature import Feature, StartupError, permission
from bot.jobs import JobSpec
from bot.pipeline.context import Context
from bot.pipeline.router import Router
from bot.pipeline.taps import Tap
from cards.actions import CardAction
from handlers.features import features
from tests.support.harness import make_config


class FirstTap(CardAction, prefix="dup"):
    op: str


class SecondTap(CardAction, prefix="dup"):
    op: str


class NobodyProvidesThis:
    pass


def router_with_tap(action: type[CardAction], name: str) -> Router:
    router = Router(name)

    @router.tap(action, f"{name}.tap")
    async def tapped(ctx: Context, tap: Tap[CardAction]) -> None:
        return None

    return router


def test_the_shipped_features_fit(sqlite_url: str) -> None:
    rt = build_runtime(make_config(sqlite_url))
    assert [f.name for f in features()] == [
        "help",
        "brief",
        "stats",
        "incentives",
        "reminders",
        "orgsync",
        "admin",
        "approvals",
        "followup",
    ]
    assert {"fu", "nq", "ap", "ao", "ag", "rm"} <= set(rt.dispatcher.actions._by_prefix)
    jobs = {"reminders", "deliver", "digest", "stall", "checklist", "calibration"}
    assert jobs | {"incentive-settlement", "approval_sla"} <= set(rt.dispatcher.job_names)
    assert {"brief", "help", "funnel", "ranking", "forecast", "approvals", "tasks"} <= (
        rt.dispatcher.request_topics
    )


def test_a_card_action_prefix_used_twice_is_refused_at_startup(sqlite_url: str) -> None:
    one = Feature("one", router_with_tap(FirstTap, "one"))
    two = Feature("two", router_with_tap(SecondTap, "two"))
    with pytest.raises(
        StartupError, match=r"prefix 'dup' is used by both .*FirstTap and .*SecondTap"
    ):
        build_runtime(make_config(sqlite_url), features=[one, two])


def test_a_handler_asking_for_a_missing_service_fails_startup(sqlite_url: str) -> None:
    router = Router("needy")

    @router.command("需要", summary="")
    async def needy(ctx: Context, thing: NobodyProvidesThis) -> None:
        return None

    with pytest.raises(StartupError) as caught:
        build_runtime(make_config(sqlite_url), features=[Feature("needy", router)])
    message = str(caught.value)
    assert "没有任何功能提供" in message
    assert "needs NobodyProvidesThis (parameter 'thing')" in message and "needy" in message


def test_a_request_topic_claimed_twice_is_refused(sqlite_url: str) -> None:
    routers = []
    for name in ("a", "b"):
        router = Router(name)

        @router.request("funnel")
        async def answer(ctx: Context) -> None:
            return None

        routers.append(Feature(name, router))
    with pytest.raises(StartupError, match="'funnel' is claimed twice"):
        build_runtime(make_config(sqlite_url), features=routers)


def test_a_permission_declared_twice_is_refused(sqlite_url: str) -> None:
    same = permission("x.do", [Role.rep], "做某事")
    with pytest.raises(ValueError, match="declared twice"):
        build_runtime(
            make_config(sqlite_url),
            features=[Feature("a", Router("a"), (same,)), Feature("b", Router("b"), (same,))],
        )


async def job_needing_nothing_provided(thing: NobodyProvidesThis) -> None:
    return None


async def quiet_job() -> None:
    return None


def test_a_job_asking_for_a_missing_service_fails_startup(sqlite_url: str) -> None:
    spec = JobSpec("needy", "daily_digest", job_needing_nothing_provided, "x")
    with pytest.raises(StartupError, match=r"needs NobodyProvidesThis \(parameter 'thing'\)"):
        build_runtime(make_config(sqlite_url), features=[Feature("j", Router("j"), jobs=(spec,))])


def test_a_job_declared_twice_or_on_an_unknown_schedule_fails_startup(sqlite_url: str) -> None:
    once = JobSpec("same", "daily_digest", quiet_job, "x")
    with pytest.raises(StartupError, match="job 'same' is declared twice"):
        build_runtime(
            make_config(sqlite_url), features=[Feature("j", Router("j"), jobs=(once, once))]
        )
    odd = JobSpec("odd", "no_such_schedule", quiet_job, "x")
    with pytest.raises(StartupError, match=r"schedules\.no_such_schedule"):
        build_runtime(make_config(sqlite_url), features=[Feature("j", Router("j"), jobs=(odd,))])


def test_a_permission_nobody_declared_fails_startup(sqlite_url: str) -> None:
    """A command, a card tap or a request naming an undeclared permission: refused at startup,
    not when the first person asks."""
    for declare in ("command", "tap", "request"):
        router = Router("loose")
        if declare == "command":

            @router.command("松散", summary="", permission="loose.do")
            async def command(ctx: Context) -> None:
                return None
        elif declare == "tap":
            router.tap(FirstTap, "loose.tap", permission="loose.do")(tapped_nothing)
        else:
            router.request("funnel", permission="loose.do")(tapped_nothing)
        with pytest.raises(StartupError, match=r"(?s)没有任何功能声明的权限.*loose: 'loose\.do'"):
            build_runtime(make_config(sqlite_url), features=[Feature("loose", router)])
        declared = Feature("loose", router, (permission("loose.do", [Role.rep], "做某事"),))
        build_runtime(make_config(sqlite_url), features=[declared])


async def tapped_nothing(ctx: Context) -> None:
    return None
