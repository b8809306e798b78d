"""Routers with decorator registration, composable filters and injection by signature.

One router per feature; the dispatcher includes them explicitly, in a visible order, and the
first matching handler wins.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, get_type_hints

from bot.config.models import AppConfig
from bot.config.org import Person, Role
from bot.directory import Directory
from bot.events import CardActionEvent, Event, TextEvent
from bot.pipeline.commands import CommandInvocation, CommandSpec
from bot.pipeline.context import Context
from bot.services import Services

Filter = Callable[[Context], bool]
HandlerFunc = Callable[..., Awaitable[Any]]


def role_in(*roles: Role) -> Filter:
    allowed = frozenset(roles)
    return lambda ctx: ctx.person is not None and ctx.person.role in allowed


def known_user(ctx: Context) -> bool:
    return ctx.person is not None


def card_prefix(prefix: str) -> Filter:
    return lambda ctx: (
        isinstance(ctx.event, CardActionEvent) and ctx.event.payload.startswith(prefix + ":")
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
    return ctx.services.get(kind)


def _plan(func: HandlerFunc) -> tuple[tuple[str, Any], ...]:
    hints = get_type_hints(func)
    names = [p for p in inspect.signature(func).parameters if p != "return"]
    missing = [n for n in names if n not in hints]
    if missing:
        raise TypeError(f"{func.__qualname__}: annotate {missing} so they can be injected")
    return tuple((n, hints[n]) for n in names)


class Router:
    def __init__(self, name: str) -> None:
        self.name = name
        self.handlers: list[Handler] = []

    def on(
        self, *event_types: type[Event], filters: tuple[Filter, ...] = ()
    ) -> Callable[[HandlerFunc], HandlerFunc]:
        def deco(func: HandlerFunc) -> HandlerFunc:
            types = event_types or (Event,)
            self.handlers.append(Handler(func, types, filters, None, _plan(func)))
            return func

        return deco

    def command(
        self,
        name: str,
        *aliases: str,
        summary: str = "",
        usage: str = "",
        roles: tuple[Role, ...] | None = None,
        group: str = "通用",
    ) -> Callable[[HandlerFunc], HandlerFunc]:
        spec = CommandSpec(
            name,
            aliases,
            summary,
            usage or f"/{name}",
            frozenset(roles) if roles is not None else None,
            group,
        )

        def deco(func: HandlerFunc) -> HandlerFunc:
            self.handlers.append(Handler(func, (TextEvent,), (), spec, _plan(func)))
            return func

        return deco

    def card(self, prefix: str, *filters: Filter) -> Callable[[HandlerFunc], HandlerFunc]:
        return self.on(CardActionEvent, filters=(card_prefix(prefix), *filters))

    @property
    def commands(self) -> list[CommandSpec]:
        return [h.command for h in self.handlers if h.command is not None]
