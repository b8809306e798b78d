"""Load config.yaml: substitute ${ENV} secrets, validate, and report every problem with its place.

A problem reads ``approvals.quote.route[1].max_amount: 应为数字，而不是「lots」（第 57 行）`` so an
admin can go straight to the line that is wrong. Every section is validated on its own and the
cross-references run over the raw mapping, so one run reports everything, not the first error.
"""

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_origin

import yaml
from pydantic import ValidationError

from bot.config.advisories import config_warnings
from bot.config.checks import reference_problems, typed_problems
from bot.config.messages import error_message
from bot.config.models import AppConfig

ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class ConfigProblem:
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"（第 {self.line} 行）" if self.line else ""
        return f"{self.path}: {self.message}{where}"


class ConfigError(Exception):
    def __init__(
        self,
        problems: list[ConfigProblem],
        source: str = "config",
        warnings: list[ConfigProblem] | None = None,
    ) -> None:
        self.problems = problems
        self.source = source
        self.warnings = warnings or []
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class ConfigReport:
    """What ``check-config`` shows: the config when it loads, every error, every warning."""

    source: str
    config: AppConfig | None
    errors: list[ConfigProblem] = field(default_factory=list)
    warnings: list[ConfigProblem] = field(default_factory=list)


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
            # The last of duplicate keys is the one YAML keeps, so its line is the one to show.
            match = next((v for k, v in reversed(node.value) if k.value == step), None)
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
        problems.append((loc, f"环境变量 {name} 未设置"))
        return ""

    return ENV_REF.sub(repl, value)


def _duplicate_keys(node: yaml.Node | None, loc: Loc, out: list[tuple[Loc, str, int]]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, val in node.value:
            if key.value in seen:
                out.append(
                    ((*loc, key.value), "重复的键（后一个会覆盖前一个）", key.start_mark.line + 1)
                )
            seen.add(key.value)
            _duplicate_keys(val, (*loc, key.value), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _duplicate_keys(item, (*loc, i), out)


def _sorted(problems: Iterable[ConfigProblem]) -> list[ConfigProblem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: p.line if p.line is not None else 1 << 30)


def _validate_sections(data: Mapping[str, Any]) -> list[tuple[Loc, str]]:
    """The schema errors of each top-level section, validated on its own.

    A mapping-of-entries section (approvals) is validated entry by entry, so one broken template
    does not hide the errors of the others.
    """
    errors: list[tuple[Loc, str]] = []
    for key, value in data.items():
        model_field = AppConfig.model_fields.get(str(key))
        per_entry = model_field is not None and get_origin(model_field.annotation) is dict
        parts = (
            [{k: v} for k, v in value.items()] if per_entry and isinstance(value, dict) else [value]
        )
        for part in parts:
            try:
                AppConfig.model_validate({key: part})
            except ValidationError as exc:
                errors += [(tuple(e["loc"]), error_message(e, AppConfig)) for e in exc.errors()]
    return errors


def _under(path: str, places: set[str]) -> bool:
    """Is ``path`` one of ``places`` or inside one (``a.b[1].c`` is inside ``a.b``)?"""
    return any(path == p or path.startswith((p + ".", p + "[")) for p in places)


def check_config_text(
    text: str,
    *,
    env: Mapping[str, str] | None = None,
    source: str = "config",
    today: dt.date | None = None,
) -> ConfigReport:
    """Every problem and warning in one pass; ``config`` is set only when there is no error."""
    env = os.environ if env is None else env
    try:
        raw = yaml.safe_load(text)
        root = yaml.compose(text)
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: an impossible date like 2027-02-30
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        if isinstance(exc, yaml.YAMLError):
            message = f"不是合法的 YAML：{exc}"
        else:  # PyYAML read an unquoted date that does not exist
            message = f"有一个不存在的日期（{exc}）：请检查各日期的月份和天数，例如 2 月没有 30 日"
        return ConfigReport(source, None, [ConfigProblem("(yaml)", message, line)])
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        return ConfigReport(source, None, [ConfigProblem("(top level)", "应为映射（键: 值）", 1)])

    def located(found: Iterable[tuple[Loc, str]]) -> list[ConfigProblem]:
        return [ConfigProblem(format_loc(loc, raw), m, _line_of(root, loc)) for loc, m in found]

    dupes: list[tuple[Loc, str, int]] = []
    _duplicate_keys(root, (), dupes)
    problems = [ConfigProblem(format_loc(loc, raw), msg, line) for loc, msg, line in dupes]

    env_problems: list[tuple[Loc, str]] = []
    data = _substitute(raw, (), env, env_problems)
    problems += located(env_problems)

    schema_errors = _validate_sections(data)
    # A value emptied by a missing variable would be reported twice (unset, then "not a number"
    # or "required"): the unset variable is the one problem to fix there.
    unset = {format_loc(loc, raw) for loc, _ in env_problems}

    def fresh(found: Iterable[tuple[Loc, str]], seen: set[str]) -> list[tuple[Loc, str]]:
        return [(loc, m) for loc, m in found if not _under(format_loc(loc, raw), seen)]

    problems += located(fresh(schema_errors, unset))
    config: AppConfig | None = None
    if not schema_errors:
        try:
            config = AppConfig.model_validate(data)
        except ValidationError as exc:  # a check across sections
            problems += located(
                (tuple(e["loc"]), error_message(e, AppConfig)) for e in exc.errors()
            )
    # The typed checks see each part with its broken values left out (a bad agent_id, then
    # "agent_id 必须填写" would say the same thing twice): nothing at or under a reported place.
    reported = unset | {format_loc(loc, raw) for loc, _ in schema_errors}
    problems += located(fresh(typed_problems(data), reported))
    problems += located(reference_problems(data))
    advice = list(config_warnings(data, today or dt.date.today()))
    # A warning about a section the file does not have yet points at no line.
    warnings = [
        p if loc and loc[0] in raw else ConfigProblem(p.path, p.message)
        for (loc, _), p in zip(advice, located(advice), strict=True)
    ]
    errors = _sorted(problems)
    return ConfigReport(source, None if errors else config, errors, _sorted(warnings))


def check_config(
    path: str | Path, *, env: Mapping[str, str] | None = None, today: dt.date | None = None
) -> ConfigReport:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        return ConfigReport(str(p), None, [ConfigProblem(str(p), f"无法读取文件：{exc.strerror}")])
    return check_config_text(text, env=env, source=str(p), today=today)


def load_config_text(
    text: str, *, env: Mapping[str, str] | None = None, source: str = "config"
) -> AppConfig:
    report = check_config_text(text, env=env, source=source)
    if report.config is None:
        raise ConfigError(report.errors, source, report.warnings)
    return report.config


def load_config(path: str | Path, *, env: Mapping[str, str] | None = None) -> AppConfig:
    report = check_config(path, env=env)
    if report.config is None:
        raise ConfigError(report.errors, report.source, report.warnings)
    return report.config
