"""Routers with decorator registration, composable filters and injection by signature.

One router per feature; features are listed once (``handlers.FEATURES``) and the dispatcher
consults their routers in that order, in stages: commands, card taps, ordinary handlers,
plain-language requests, and last the explicit fallbacks (the follow-up's "a text is a visit
note"). A handler may decline an event by returning ``SKIP``; the next stage then gets it.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, get_origin, get_type_hints

from bot.config.models import AppConfig
from bot.config.org import Person, Role
from bot.directory import Directory
from bot.events import Event, JobEvent, TextEvent
from bot.jobs import JobRun
from bot.pipeline.commands import CommandInvocation, CommandSpec
from bot.pipeline.context import Context
from bot.pipeline.taps import Tap, TapSpec
from bot.services import Services
from cards.actions import CardAction
from nlp.intent import IntentGuess

Filter = Callable[[Context], bool]
HandlerFunc = Callable[..., Awaitable[Any]]


class _Skip(Enum):
    SKIP = "skip"


SKIP = _Skip.SKIP  # returned by a handler that looked and declined: the dispatcher goes on


def role_in(*roles: Role) -> Filter:
    allowed = frozenset(roles)
    return lambda ctx: ctx.person is not None and ctx.person.role in allowed


def known_user(ctx: Context) -> bool:
    return ctx.person is not None


# What a handler may ask for without any service providing it.
BUILT_IN: tuple[Any, ...] = (
    Context,
    Person,
    Person | None,
    AppConfig,
    Directory,
    CommandInvocation,
    Services,
    IntentGuess,
    IntentGuess | None,
    JobRun,
)


@dataclass(frozen=True)
class Handler:
    func: HandlerFunc
    event_types: tuple[type[Event], ...]
    filters: tuple[Filter, ...]
    command: CommandSpec | None
    params: tuple[tuple[str, Any], ...]

    def matches(self, ctx: Context) -> bool:
        if not isinstance(ctx.event, self.event_types):
            return False
        return all(f(ctx) for f in self.filters)

    async def __call__(self, ctx: Context) -> Any:
        kwargs = {name: resolve(kind, ctx) for name, kind in self.params}
        return await self.func(**kwargs)

    @property
    def name(self) -> str:
        return f"{self.func.__module__}.{self.func.__qualname__}"


def built_in(kind: Any) -> bool:
    """Can ``resolve`` answer ``kind`` from the context alone?"""
    if kind in BUILT_IN or kind is Tap or get_origin(kind) is Tap:
        return True
    return isinstance(kind, type) and issubclass(kind, Event | CardAction)


def resolve(kind: Any, ctx: Context) -> Any:
    """Values a handler may ask for by annotating a parameter with their type."""
    if kind is Context:
        return ctx
    if isinstance(kind, type) and issubclass(kind, Event):
        return ctx.event
    if kind is Person or kind == (Person | None):
        return ctx.person
    if kind is AppConfig:
        return ctx.config
    if kind is Directory:
        return ctx.directory
    if kind is CommandInvocation:
        return ctx.command
    if kind is Services:
        return ctx.services
    if kind is IntentGuess or kind == (IntentGuess | None):
        return ctx.intent
    if kind is Tap or get_origin(kind) is Tap:
        return ctx.tap
    if kind is JobRun:
        return ctx.job
    if isinstance(kind, type) and issubclass(kind, CardAction):
        return ctx.tap.action if ctx.tap is not None else None
    return ctx.services.get(kind)


def job_handler(func: HandlerFunc) -> Handler:
    """A scheduled job's coroutine, injected like any handler (see bot/jobs.py)."""
    return Handler(func, (JobEvent,), (), None, _plan(func))


def _plan(func: HandlerFunc) -> tuple[tuple[str, Any], ...]:
    hints = get_type_hints(func)
    names = [p for p in inspect.signature(func).parameters if p != "return"]
    missing = [n for n in names if n not in hints]
    if missing:
        raise TypeError(f"{func.__qualname__}: annotate {missing} so they can be injected")
    return tuple((n, hints[n]) for n in names)


@dataclass(frozen=True)
class RequestHandler:
    topics: frozenset[str]
    handler: Handler
    permission: str | None = None  # checked by the dispatcher before the handler runs


class Router:
    def __init__(self, name: str) -> None:
        self.name = name
        self.handlers: list[Handler] = []
        self.fallbacks: list[Handler] = []
        self.taps: list[TapSpec] = []
        self.requests: list[RequestHandler] = []

    def on(
        self, *event_types: type[Event], filters: tuple[Filter, ...] = ()
    ) -> Callable[[HandlerFunc], HandlerFunc]:
        def deco(func: HandlerFunc) -> HandlerFunc:
            types = event_types or (Event,)
            self.handlers.append(Handler(func, types, filters, None, _plan(func)))
            return func

        return deco

    def fallback(
        self, *event_types: type[Event], filters: tuple[Filter, ...] = ()
    ) -> Callable[[HandlerFunc], HandlerFunc]:
        """What no other feature wanted (consulted after every feature's handlers and requests)."""

        def deco(func: HandlerFunc) -> HandlerFunc:
            types = event_types or (Event,)
            self.fallbacks.append(Handler(func, types, filters, None, _plan(func)))
            return func

        return deco

    def command(
        self,
        name: str,
        *aliases: str,
        summary: str = "",
        usage: str = "",
        roles: tuple[Role, ...] | None = None,
        permission: str | None = None,
        group: str = "通用",
    ) -> Callable[[HandlerFunc], HandlerFunc]:
        """A slash command; ``permission`` names an action of the access policy."""
        spec = CommandSpec(
            name,
            aliases,
            summary,
            usage or f"/{name}",
            frozenset(roles) if roles is not None else None,
            group,
            permission,
        )

        def deco(func: HandlerFunc) -> HandlerFunc:
            self.handlers.append(Handler(func, (TextEvent,), (), spec, _plan(func)))
            return func

        return deco

    def tap(
        self, action: type[CardAction], name: str, *, permission: str | None = None
    ) -> Callable[[HandlerFunc], HandlerFunc]:
        """Taps on buttons packing ``action``; run inside the shared tap step (see taps.py).
        ``name`` is the audit entry's action; ``permission`` names an action of the access
        policy the tapper's role must have (then they must be one of the card's actors)."""

        def deco(func: HandlerFunc) -> HandlerFunc:
            handler = Handler(func, (Event,), (), None, _plan(func))
            self.taps.append(TapSpec(action, name, handler, permission))
            return func

        return deco

    def request(
        self, *topics: str, permission: str | None = None
    ) -> Callable[[HandlerFunc], HandlerFunc]:
        """Plain-language requests on ``topics`` (nlp.intent.Topic values), e.g. 帮我查下恒达科技;
        someone whose role lacks ``permission`` gets the access policy's refusal instead."""

        def deco(func: HandlerFunc) -> HandlerFunc:
            handler = Handler(func, (TextEvent,), (), None, _plan(func))
            claim = RequestHandler(frozenset(str(t) for t in topics), handler, permission)
            self.requests.append(claim)
            return func

        return deco

    @property
    def permissions(self) -> set[str]:
        """Every access-policy action this router's commands, taps and requests name."""
        named = [h.command.permission for h in self.handlers if h.command is not None]
        named += [t.permission for t in self.taps] + [r.permission for r in self.requests]
        return {p for p in named if p is not None}

    @property
    def commands(self) -> list[CommandSpec]:
        return [h.command for h in self.handlers if h.command is not None]

    def all_handlers(self) -> list[Handler]:
        return [
            *self.handlers,
            *self.fallbacks,
            *(t.handler for t in self.taps),
            *(r.handler for r in self.requests),
        ]
