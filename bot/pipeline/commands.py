"""Slash commands: Chinese names, English aliases, role checks, help text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.config.org import Role

_SPLIT = re.compile(r"\s+")
SLASHES = ("/", "／")


@dataclass(frozen=True)
class CommandSpec:
    name: str  # the Chinese name users see, e.g. 帮助
    aliases: tuple[str, ...] = ()  # English aliases, e.g. help
    summary: str = ""
    usage: str = ""
    roles: frozenset[Role] | None = None  # None: anyone in the organisation
    group: str = "通用"
    permission: str | None = None  # an action of the access policy (handlers/shared/access.py)

    def allowed(self, role: Role | None) -> bool:
        return self.roles is None or (role is not None and role in self.roles)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class CommandInvocation:
    spec: CommandSpec
    used_name: str
    args: str
    argv: list[str] = field(default_factory=list)


class CommandTable:
    def __init__(self) -> None:
        self._specs: list[CommandSpec] = []
        self._by_name: dict[str, CommandSpec] = {}

    def add(self, spec: CommandSpec) -> None:
        for n in spec.names:
            key = n.lower()
            if key in self._by_name:
                # An approval template's `command` in config.yaml can meet a built-in one.
                raise ValueError(
                    f"命令 /{n} 被注册了两次：如果是 config.yaml 里审批模板的 command，请换一个名字"
                )
            self._by_name[key] = spec
        self._specs.append(spec)

    @property
    def specs(self) -> list[CommandSpec]:
        return list(self._specs)

    def find(self, name: str) -> CommandSpec | None:
        """The command called ``name`` (or an alias of it)."""
        return self._by_name.get(name.strip().lower())

    def parse(self, text: str) -> CommandInvocation | None:
        text = text.strip()
        if not text.startswith(SLASHES):
            return None
        body = text[1:].strip()
        if not body:
            return None
        head, _, rest = body.partition(" ")
        head = head.strip()
        spec = self._by_name.get(head.lower())
        if spec is None:
            # Chinese users often type no space: "/简报华东机械" — take the longest known name.
            for n in sorted(self._by_name, key=len, reverse=True):
                if head.lower().startswith(n) and not n.isascii():
                    spec, rest, head = self._by_name[n], body[len(n) :] + " " + rest, n
                    break
        if spec is None:
            return None
        args = rest.strip()
        return CommandInvocation(spec, head, args, [a for a in _SPLIT.split(args) if a])

    def unknown_name(self, text: str) -> str | None:
        """The name of a slash command that is not known (for a helpful reply)."""
        text = text.strip()
        if not text.startswith(SLASHES) or self.parse(text) is not None:
            return None
        return text[1:].strip().split(" ", 1)[0] or None
