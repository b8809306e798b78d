"""Reading the raw (substituted) YAML mapping, where anything may be malformed.

The checks that run whether or not a section validated read the config through these: a value
of the wrong shape is skipped here, because the schema reports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Loc = tuple[str | int, ...]


def items(raw: Mapping[str, Any], *path: str) -> list[tuple[int, Mapping[str, Any]]]:
    """The mapping items of the list at ``path``; anything malformed is the schema's to report."""
    node: Any = raw
    for key in path:
        node = node.get(key) if isinstance(node, Mapping) else None
    if isinstance(node, Mapping) and path and path[0] == "channels":
        node = [node]  # one app written as a mapping
    if not isinstance(node, list):
        return []
    return [(i, item) for i, item in enumerate(node) if isinstance(item, Mapping)]


def text(value: Any) -> str | None:
    if value is None or value == "" or isinstance(value, Mapping | list | bool):
        return None
    return str(value)
