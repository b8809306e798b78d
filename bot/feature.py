"""A feature is one unit: its router (commands, taps, requests, handlers), its permissions and the
services it builds. Features are listed once, in order, in ``handlers/features.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.config.org import Role
from bot.jobs import JobSpec
from bot.pipeline.router import Router

if TYPE_CHECKING:
    from bot.app import Runtime
    from bot.config.models import AppConfig

# A service, or (service, the type handlers ask for it by) — e.g. a protocol another feature calls.
ServiceFactory = Callable[["Runtime"], Iterable[object | tuple[object, type]]]


@dataclass(frozen=True)
class Permission:
    """An action of the access policy: ``feature.verb``, who may do it, and how users read it."""

    action: str
    roles: frozenset[Role]
    label: str  # completes "你的角色（销售）不能…", e.g. "记录拜访"


def permission(action: str, roles: Iterable[Role], label: str) -> Permission:
    return Permission(action, frozenset(roles), label)


@dataclass(frozen=True)
class Feature:
    name: str
    router: Router
    permissions: tuple[Permission, ...] = ()
    # Builds the feature's services from the runtime (may add stop hooks to it); each object is
    # then injectable into any handler by its type.
    services: ServiceFactory | None = None
    # Scheduled jobs (bot/jobs.py): the scheduler ticks them, the workers run them.
    jobs: tuple[JobSpec, ...] = ()
    # Routers built from the validated config, for what an admin names there (e.g. the chat
    # command of each approval template).
    config_routers: Callable[[AppConfig], Iterable[Router]] | None = None

    def routers(self, config: AppConfig) -> list[Router]:
        extra = list(self.config_routers(config)) if self.config_routers is not None else []
        return [self.router, *extra]


class StartupError(RuntimeError):
    """The features do not fit together (a missing service, a prefix or topic used twice)."""
