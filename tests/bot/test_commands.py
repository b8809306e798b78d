"""Command parsing and handler injection, without a database."""

from __future__ import annotations

import pytest

from bot.config.org import Role
from bot.pipeline.commands import CommandSpec, CommandTable
from bot.pipeline.router import Router


def table() -> CommandTable:
    t = CommandTable()
    t.add(CommandSpec("帮助", ("help", "h")))
    t.add(CommandSpec("简报", ("brief",), roles=frozenset({Role.rep, Role.supervisor})))
    t.add(CommandSpec("简报历史", ("history",)))
    return t


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("/帮助", "帮助", ""),
        ("/HELP", "帮助", ""),
        ("  /h  ", "帮助", ""),
        ("／简报 华东机械", "简报", "华东机械"),
        ("/brief  华东 机械 ", "简报", "华东 机械"),
        ("/简报华东机械", "简报", "华东机械"),  # Chinese users often type no space
        ("/简报历史华东", "简报历史", "华东"),  # the longest name wins
    ],
)
def test_parse(text: str, name: str, args: str) -> None:
    inv = table().parse(text)
    assert inv is not None and inv.spec.name == name and inv.args == args


@pytest.mark.parametrize("text", ["帮助", "hello /help", "/", "/未知命令", "/helpme"])
def test_not_a_known_command(text: str) -> None:
    assert table().parse(text) is None


def test_unknown_name_for_a_helpful_reply() -> None:
    assert table().unknown_name("/未知命令 abc") == "未知命令"
    assert table().unknown_name("/帮助") is None
    assert table().unknown_name("随便说说") is None


def test_roles() -> None:
    spec = table().parse("/简报 x")
    assert spec is not None
    assert spec.spec.allowed(Role.rep) and not spec.spec.allowed(Role.legal)
    assert not spec.spec.allowed(None)


def test_duplicate_names_are_refused() -> None:
    t = table()
    with pytest.raises(ValueError, match="被注册了两次"):
        t.add(CommandSpec("别的", ("HELP",)))


def test_handlers_must_annotate_what_they_need() -> None:
    router = Router("x")
    with pytest.raises(TypeError, match="annotate"):

        @router.command("测试")
        async def untyped(ctx) -> None:  # type: ignore[no-untyped-def]
            return None
