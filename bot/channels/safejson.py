"""JSON from outside, parsed with a bound on nesting.

The standard parser recurses: a body of 100,000 ``[`` raises RecursionError, which no caller
catches (an HTTP 500, a dead Stream reader). Here it is a clean ValueError, found in time linear
in the input, and anything nested deeper than a platform ever sends is refused too.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32  # DingTalk's deepest payloads (cards, rich text) nest well under 10


class TooDeep(ValueError):
    pass


def loads(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that raises ValueError (JSONDecodeError or TooDeep) on anything it refuses."""
    try:
        value = json.loads(text)
    except RecursionError as exc:
        raise TooDeep("JSON nested too deeply") from exc
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > max_depth:
                raise TooDeep(f"JSON nested deeper than {max_depth}")
            children = node.values() if isinstance(node, dict) else node
            stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return value
