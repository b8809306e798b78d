"""Checks for approval templates and delegations (called from checks.py).

``approval_references`` reads the raw YAML, like the other reference checks, so an unknown
approver is reported even when another section failed. ``approval_problems`` checks what needs
parsed values (conditions, field types, dates), template by template and delegation by delegation
over the raw mapping, so one bad value hides nothing else. ``stranded_rules`` resolves a
template's routes for one rep, so a chain that would end with nobody (a rung no one fills) is
found by ``check-config`` (a warning, see advisories.py), not by a rep at submit time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from bot.config.approvals import (
    NUMERIC_TYPES,
    ApprovalTemplate,
    Condition,
    Delegation,
    FieldType,
    TemplateField,
)
from bot.config.messages import suggestion
from bot.config.org import Person, Role
from handlers.approvals.approvers import is_known_ref
from handlers.approvals.routing import MissingApprover, route

Loc = tuple[str | int, ...]


def approval_references(raw: Mapping[str, Any], person_ids: list[str]) -> Iterator[tuple[Loc, str]]:
    """Approver references in routes and cc rules, and the people delegations name."""
    known = set(person_ids)
    approvals = raw.get("approvals")
    for tid, template in approvals.items() if isinstance(approvals, Mapping) else ():
        if not isinstance(template, Mapping):
            continue
        for section, key in (("route", "chain"), ("cc", "to")):
            rules = template.get(section)
            for i, rule in enumerate(rules if isinstance(rules, list) else []):
                refs = rule.get(key) if isinstance(rule, Mapping) else None
                for loc, ref in _refs(("approvals", tid, section, i, key), refs):
                    if not is_known_ref(ref, known):
                        yield loc, _unknown_approver(ref, known)
    delegations = raw.get("delegations")
    for i, d in enumerate(delegations if isinstance(delegations, list) else []):
        for key in ("from", "to") if isinstance(d, Mapping) else ():
            pid = d.get(key)
            if isinstance(pid, str) and pid not in known:
                yield ("delegations", i, key), f"未知的人员「{pid}」{suggestion(pid, person_ids)}"


def _refs(loc: Loc, refs: object) -> Iterator[tuple[Loc, str]]:
    for j, ref in enumerate(refs if isinstance(refs, list) else []):
        if isinstance(ref, str):
            yield (*loc, j), ref
        elif isinstance(ref, list):  # an any-of group
            yield from ((((*loc, j, k), r) for k, r in enumerate(ref) if isinstance(r, str)))


def approval_problems(raw: Mapping[str, Any]) -> Iterator[tuple[Loc, str]]:
    """Checks inside and across templates and delegations, over the raw mapping: a template
    with one bad value (``sla_hours: abc``) still has its routes checked, and a broken
    delegation hides no other."""
    approvals = raw.get("approvals")
    templates = [
        (str(tid), t)
        for tid, t in (approvals.items() if isinstance(approvals, Mapping) else ())
        if isinstance(t, Mapping)
    ]
    # Commands are matched without regard to case (the command table lowercases them).
    commands = Counter(
        c.lower() for _, t in templates if (c := _text(t.get("command"))) is not None
    )
    for tid, template in templates:
        base: Loc = ("approvals", tid)
        command = _text(template.get("command"))
        if command is not None and (
            command.startswith(("/", "／")) or command.split() != [command]
        ):
            yield (
                (*base, "command"),
                (f"命令「{command}」写法不对：只写命令名，不带 / 和空格，例如 command: 报价"),
            )
        elif command is not None and commands[command.lower()] > 1:
            yield (*base, "command"), f"命令 /{command} 被多个模板使用"
        yield from _fields(template, base)
        route = _mappings(template.get("route"))
        if route and route[-1][0] == len(template["route"]) - 1 and route[-1][1].get("when"):
            yield (
                (*base, "route", route[-1][0], "when"),
                "最后一条路线不能带条件，否则有的申请找不到审批路线",
            )
    delegations = raw.get("delegations")
    for i, item in _mappings(delegations):
        try:
            d = Delegation.model_validate(item)
        except ValidationError:
            continue  # reported by the schema
        loc: Loc = ("delegations", i)
        if d.from_ == d.to:
            yield (*loc, "to"), "不能委托给自己"
        if d.since is not None and d.since > d.until:
            yield (*loc, "until"), "结束日期早于开始日期"


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _mappings(value: object) -> list[tuple[int, Mapping[str, Any]]]:
    return [
        (i, v)
        for i, v in enumerate(value if isinstance(value, list) else [])
        if isinstance(v, Mapping)
    ]


def _fields(template: Mapping[str, Any], base: Loc) -> Iterator[tuple[Loc, str]]:
    fields = _mappings(template.get("fields"))
    keys = Counter(k for _, f in fields if (k := _text(f.get("key"))) is not None)
    types: dict[str, FieldType | None] = {}  # None: the field is broken, its type unknown
    for i, f in fields:
        key = _text(f.get("key"))
        if key is None:
            continue
        if keys[key] > 1:
            yield (*base, "fields", i, "key"), f"字段 '{key}' 重复"
        try:
            types.setdefault(key, TemplateField.model_validate(f).type)
        except ValidationError:
            types.setdefault(key, None)
    rules: list[tuple[Loc, Condition]] = []
    for section in ("route", "cc"):
        for i, rule in _mappings(template.get(section)):
            rules += _conditions_of(rule.get("when"), (*base, section, i, "when"))
    for loc, cond in rules:
        if cond.field not in types:
            yield loc, f"条件 '{cond}' 用到的字段 '{cond.field}' 不在模板字段中"
        elif cond.op in ("present", "absent") or types[cond.field] is None:
            continue
        elif types[cond.field] not in NUMERIC_TYPES:
            yield loc, f"条件 '{cond}' 只能比较金额或百分比字段"


def _conditions_of(when: object, loc: Loc) -> list[tuple[Loc, Condition]]:
    """The conditions of one rule that parse (one that does not is the schema's to report)."""
    written = [when] if isinstance(when, str | Mapping) else when
    found: list[tuple[Loc, Condition]] = []
    for j, item in enumerate(written if isinstance(written, list) else []):
        try:
            cond = (
                Condition.parse(item) if isinstance(item, str) else Condition.model_validate(item)
            )
        except (ValueError, ValidationError):
            continue
        found.append(((*loc, j), cond))
    return found


def _unknown_approver(ref: str, person_ids: set[str]) -> str:
    roles = [r.value for r in Role]
    known = ["supervisor", "supervisor+1", *roles, *sorted(person_ids)]
    return (
        f"未知的审批人「{ref}」{suggestion(ref, known)}，应为 supervisor、supervisor+N、"
        f"角色（{'、'.join(roles)}）或人员 id"
    )


def has_unknown_refs(template: ApprovalTemplate, person_ids: set[str]) -> bool:
    refs = [r for rule in template.route for rung in rule.chain for r in _group(rung)]
    refs += [r for cc in template.cc for r in cc.to]
    return any(not is_known_ref(r, person_ids) for r in refs)


def _group(rung: str | tuple[str, ...]) -> tuple[str, ...]:
    return (rung,) if isinstance(rung, str) else rung


def stranded_rules(template: ApprovalTemplate, rep: Person, people: Sequence[Person]) -> list[int]:
    """Indexes of the route rules that would leave ``rep``'s request with nobody at some rung
    (or nobody to copy): submitting under them fails with ``MissingApprover``."""
    stranded = []
    for i, rule in enumerate(template.route):
        # Force rule i (and every cc rule) by evaluating a template with only that rule.
        forced = template.model_copy(update={"route": (rule.model_copy(update={"when": ()}),)})
        if isinstance(route(forced, _all_present(template), rep, people), MissingApprover):
            stranded.append(i)
    return stranded


def _all_present(template: ApprovalTemplate) -> dict[str, object]:
    # Every cc rule applies when each of its fields has a value that satisfies it; a large
    # number satisfies ">=" thresholds, which is what cc rules use.
    form: dict[str, object] = {}
    for f in template.fields:
        form[f.key] = 1e12 if f.type in NUMERIC_TYPES else "x"
    return form
