"""A section validated with its broken parts left out, so the checks over typed values still run.

``check-config`` reports schema errors and the checks that need typed values (a secret filled in,
a key of the right length) in one run. When ``agent_id: abc`` fails, the other fields of that app
are still worth checking: ``partial`` drops the failing keys (never list items, whose removal
would shift every later index) and validates the rest. A check must then say nothing about a
dropped key: the loader leaves out any problem at or under a location the schema already reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
Loc = tuple[str | int, ...]

# Each round drops what failed at one depth; nested models can need a few.
MAX_ROUNDS = 5


def partial(model: type[M], raw: object) -> tuple[M | None, frozenset[Loc]]:
    """``raw`` as ``model`` with broken keys dropped, and the paths of the keys dropped.

    The model is None when dropping keys cannot make it valid (a required key missing, a list
    item broken, not a mapping at all).
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        return None, frozenset()
    data: Mapping[Any, Any] = raw
    dropped: set[Loc] = set()
    for _ in range(MAX_ROUNDS):
        try:
            return model.model_validate(data), frozenset(dropped)
        except ValidationError as exc:
            paths = [_droppable(data, tuple(e["loc"])) for e in exc.errors()]
            if any(not p for p in paths):
                return None, frozenset(dropped)
            for path in paths:
                data = _without(data, path)
            dropped.update(paths)
    return None, frozenset(dropped)


def _droppable(data: Mapping[Any, Any], loc: Loc) -> Loc:
    """The mapping keys along ``loc`` down to the first list (or the end): what can be dropped."""
    path: Loc = ()
    node: Any = data
    for step in loc:
        if not isinstance(node, Mapping) or step not in node:
            break
        path = (*path, step)
        node = node[step]
        if isinstance(node, list):
            break
    return path


def _without(data: Mapping[Any, Any], path: Loc) -> Mapping[Any, Any]:
    head, *rest = path
    if head not in data:
        return data  # dropped already, by another error under the same key
    if not rest:
        return {k: v for k, v in data.items() if k != head}
    return {**data, head: _without(data[head], tuple(rest))}
