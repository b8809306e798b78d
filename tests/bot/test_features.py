"""Features register once; startup refuses features that do not fit together."""

from __future__ import annotations

import pytest

from bot.app import build_runtime
from bot.config.org import Role
from bot.feature import Feature, StartupError, permission
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
    assert [f.name for f in features()] == ["help", "brief", "orgsync", "followup"]
    assert {"fu", "nq"} <= set(rt.dispatcher.actions._by_prefix)
    assert {"brief", "help"} <= rt.dispatcher.request_topics


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
