"""Load config.yaml: substitute ${ENV} secrets, validate, and report every problem with its place.

A problem reads ``approvals.quote.route[1].max_amount: expected a number (line 57)`` so an admin
can go straight to the line that is wrong.
"""

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bot.config.checks import semantic_problems
from bot.config.models import AppConfig

ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")

Loc = tuple[str | int, ...]

_MESSAGES: dict[str, str] = {
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "decimal_parsing": "expected a number",
    "string_type": "expected text",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "missing": "required key is missing",
    "extra_forbidden": "unknown key (check the spelling)",
    "list_type": "expected a list",
    "tuple_type": "expected a list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "string_pattern_mismatch": "has characters that are not allowed",
    "string_too_short": "must not be empty",
    "too_short": "must not be empty",
}


@dataclass(frozen=True)
class ConfigProblem:
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.path}: {self.message}{where}"


class ConfigError(Exception):
    def __init__(self, problems: list[ConfigProblem], source: str = "config") -> None:
        self.problems = problems
        self.source = source
        super().__init__("\n".join(str(p) for p in problems))


def format_loc(loc: Loc, data: Any) -> str:
    """Dotted path with [i] for list items; list wrappers the user did not write are dropped."""
    out = ""
    node = data
    for step in loc:
        if isinstance(step, int):
            if isinstance(node, list):
                out += f"[{step}]"
                node = node[step] if step < len(node) else None
            continue  # a mapping accepted as a one-item list: the index is ours, not the user's
        out += ("." if out else "") + str(step)
        node = node.get(step) if isinstance(node, Mapping) else None
    return out or "(top level)"


def _line_of(root: yaml.Node | None, loc: Loc) -> int | None:
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for step in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            match = next((v for k, v in node.value if k.value == step), None)
            if match is None:
                return line
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if step >= len(node.value):
                return line
            node = node.value[step]
        elif isinstance(step, int):
            continue
        else:
            return line
        line = node.start_mark.line + 1
    return line


def _message(err: ErrorDetails) -> str:
    kind = err["type"]
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"expected one of: {expected}"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return _MESSAGES.get(kind, str(err["msg"]))


def _substitute(value: Any, loc: Loc, env: Mapping[str, str], problems: list[Any]) -> Any:
    if isinstance(value, dict):
        return {k: _substitute(v, (*loc, str(k)), env, problems) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, (*loc, i), env, problems) for i, v in enumerate(value)]
    if not isinstance(value, str) or "${" not in value:
        return value

    def repl(m: re.Match[str]) -> str:
        name, default = m.group(1), m.group(2)
        if name in env:
            return env[name]
        if default is not None:
            return default
        problems.append((loc, f"environment variable {name} is not set"))
        return ""

    return ENV_REF.sub(repl, value)


def _duplicate_keys(node: yaml.Node | None, loc: Loc, out: list[tuple[Loc, str, int]]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, val in node.value:
            if key.value in seen:
                out.append(((*loc, key.value), "duplicate key", key.start_mark.line + 1))
            seen.add(key.value)
            _duplicate_keys(val, (*loc, key.value), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _duplicate_keys(item, (*loc, i), out)


def load_config_text(
    text: str, *, env: Mapping[str, str] | None = None, source: str = "config"
) -> AppConfig:
    env = os.environ if env is None else env
    try:
        raw = yaml.safe_load(text)
        root = yaml.compose(text)
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: an impossible date like 2027-02-30
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(
            [ConfigProblem("(yaml)", f"not valid YAML: {exc}", line)], source
        ) from exc
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise ConfigError([ConfigProblem("(top level)", "expected a mapping", 1)], source)

    dupes: list[tuple[Loc, str, int]] = []
    _duplicate_keys(root, (), dupes)
    problems = [ConfigProblem(format_loc(loc, raw), msg, line) for loc, msg, line in dupes]

    env_problems: list[tuple[Loc, str]] = []
    data = _substitute(raw, (), env, env_problems)
    problems += [
        ConfigProblem(format_loc(loc, raw), m, _line_of(root, loc)) for loc, m in env_problems
    ]

    try:
        config = AppConfig.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            problems.append(ConfigProblem(format_loc(loc, raw), _message(err), _line_of(root, loc)))
        raise ConfigError(problems, source) from exc

    for loc, msg in semantic_problems(config):
        problems.append(ConfigProblem(format_loc(loc, raw), msg, _line_of(root, loc)))
    if problems:
        raise ConfigError(problems, source)
    return config


def load_config(path: str | Path, *, env: Mapping[str, str] | None = None) -> AppConfig:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([ConfigProblem(str(p), f"cannot read the file: {exc.strerror}")]) from exc
    return load_config_text(text, env=env, source=str(p))
