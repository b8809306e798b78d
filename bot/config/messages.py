"""Pydantic's validation errors as Chinese sentences an admin can act on.

Mapped by the error ``type`` (not by the English text, which changes between pydantic versions),
with the allowed values and a "did you mean" where a near spelling exists. Nothing here knows a
config section, so new sections get the same messages for free.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterable
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

# Below this WRatio score a suggestion is more confusing than helpful ("north" is not "south").
SUGGEST_CUTOFF = 80

_QUOTED = re.compile(r"'([^']*)'")

_SIMPLE: dict[str, str] = {
    "missing": "缺少必填项",
    "string_type": "应为文字",
    "list_type": "应为列表（- 项目 或 [a, b]）",
    "tuple_type": "应为列表（- 项目 或 [a, b]）",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "model_attributes_type": "应为映射（键: 值）",
    "string_too_short": "不能为空",
    "too_short": "不能为空",
    "none_required": "这里不能填写值",
}

_TYPED: dict[str, str] = {
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_parsing": "应为日期（如 2026-10-01）",
    "date_from_datetime_parsing": "应为日期（如 2026-10-01）",
    "time_parsing": "应为时间（如 08:30）",
}

_BOUNDS: dict[str, str] = {
    "greater_than": "必须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "必须小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "too_long": "最多 {max_length} 项",
    "string_too_long": "最多 {max_length} 个字符",
}


def did_you_mean(value: object, choices: Iterable[str]) -> str | None:
    """The closest choice when it is close enough to be a likely typo, else None."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    options = [c for c in choices if c]
    # One slip of the finger (a swapped, missing or extra letter) is a typo whatever the length;
    # WRatio then catches the longer near misses (sales_rep → rep).
    typo = process.extractOne(str(value), options, scorer=OSA.distance, score_cutoff=1)
    if typo is not None:
        return str(typo[0])
    best = process.extractOne(str(value), options, scorer=fuzz.WRatio, score_cutoff=SUGGEST_CUTOFF)
    return None if best is None else str(best[0])


def suggestion(value: object, choices: Iterable[str]) -> str:
    """``（是不是 rep？）`` or an empty string."""
    guess = did_you_mean(value, choices)
    return f"（是不是 {guess}？）" if guess is not None else ""


def shown(value: object) -> str:
    """A scalar as the admin wrote it, quoted; containers are not echoed."""
    if isinstance(value, dict | list | tuple):
        return ""
    if value is None:
        return "「空」"
    if isinstance(value, bool):
        return f"「{str(value).lower()}」"
    return f"「{value}」"


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def error_message(err: ErrorDetails, root: type[BaseModel]) -> str:
    kind = err["type"]
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    value = err.get("input")
    if kind in _SIMPLE:
        return _SIMPLE[kind]
    if kind in _TYPED:
        got = shown(value)
        return _TYPED[kind] + (f"，而不是{got}" if got else "")
    if kind in _BOUNDS:
        # A float bound prints as the admin would write it: 0, not 0.0.
        return _BOUNDS[kind].format(
            **{k: f"{v:g}" if isinstance(v, float) else v for k, v in ctx.items()}
        )
    if kind == "extra_forbidden":
        loc = tuple(err["loc"])
        allowed = allowed_keys(root, loc[:-1])
        hint = suggestion(loc[-1], allowed) if loc else ""
        return f"未知的配置项（检查拼写）{hint}"
    if kind in ("literal_error", "enum"):
        allowed = _QUOTED.findall(str(ctx.get("expected", "")))
        got = shown(value)
        return f"{got or '取值'}不是可选值，可选：{'、'.join(allowed)}{suggestion(value, allowed)}"
    if kind == "string_pattern_mismatch":
        got = shown(value)
        return f"{got or '取值'}格式不对，要求匹配 {ctx.get('pattern', '')}"
    if kind in ("value_error", "assertion_error"):
        text = str(ctx.get("error") or err["msg"]).removeprefix("Value error, ")
        text = text.removeprefix("Assertion failed, ")
        return text if _has_cjk(text) else f"取值无效：{text}"
    # Anything unmapped still leads in Chinese; pydantic's own words follow for the detail.
    got = shown(value)
    return f"{got or '取值'}无效（{err['msg']}）"


def allowed_keys(root: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The field names of the model found at ``loc`` under ``root`` (empty if not a model)."""
    tp: Any = root
    for step in loc:
        tp = _step(tp, step)
        if tp is None:
            return []
    model = _model_in(tp)
    return list(model.model_fields) if model is not None else []


def _model_in(tp: Any) -> type[BaseModel] | None:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    if get_origin(tp) in (Union, types.UnionType):
        return next((m for m in map(_model_in, get_args(tp)) if m is not None), None)
    return None


def _step(tp: Any, step: str | int) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        for arg in get_args(tp):
            found = _step(arg, step)
            if found is not None:
                return found
        return None
    if isinstance(step, int):
        if origin in (tuple, list):
            return get_args(tp)[0]
        return tp  # a mapping accepted as a one-item list: the index is the loader's
    model = _model_in(tp)
    if model is not None:
        field = model.model_fields.get(step)
        return field.annotation if field is not None else None
    if origin is dict:
        return get_args(tp)[1]
    return None
