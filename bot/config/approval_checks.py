"""Checks for approval templates and delegations (called from checks.py).

``approval_references`` reads the raw YAML, like the other reference checks, so an unknown
approver is reported even when another section failed. ``approval_problems`` checks the typed
templates. ``stranded_rules`` resolves a template's routes for one rep, so a chain that would end
with nobody (a rung
no one fills) is found by ``check-config`` (a warning, see advisories.py), not by a rep at submit
time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from bot.config.approvals import NUMERIC_TYPES, ApprovalTemplate, Condition
from bot.config.messages import suggestion
from bot.config.models import AppConfig
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


def approval_problems(cfg: AppConfig) -> Iterator[tuple[Loc, str]]:
    """Checks over the templates and delegations that validated."""
    commands = Counter(t.command for t in cfg.approvals.values() if t.command)
    for tid, template in cfg.approvals.items():
        base: Loc = ("approvals", tid)
        if template.command and commands[template.command] > 1:
            yield (*base, "command"), f"命令 /{template.command} 被多个模板使用"
        yield from _fields(template, base)
        if template.route[-1].when:
            yield (
                (*base, "route", len(template.route) - 1, "when"),
                ("最后一条路线不能带条件，否则有的申请找不到审批路线"),
            )
    for i, d in enumerate(cfg.delegations):
        loc: Loc = ("delegations", i)
        if d.from_ == d.to:
            yield (*loc, "to"), "不能委托给自己"
        if d.since is not None and d.since > d.until:
            yield (*loc, "until"), "结束日期早于开始日期"


def _fields(template: ApprovalTemplate, base: Loc) -> Iterator[tuple[Loc, str]]:
    keys = Counter(f.key for f in template.fields)
    for i, f in enumerate(template.fields):
        if keys[f.key] > 1:
            yield (*base, "fields", i, "key"), f"字段 '{f.key}' 重复"
    types = {f.key: f.type for f in template.fields}
    rules: list[tuple[Loc, Condition]] = []
    for i, rule in enumerate(template.route):
        rules += [((*base, "route", i, "when", j), c) for j, c in enumerate(rule.when)]
    for i, cc in enumerate(template.cc):
        rules += [((*base, "cc", i, "when", j), c) for j, c in enumerate(cc.when)]
    for loc, cond in rules:
        if cond.field not in types:
            yield loc, f"条件 '{cond}' 用到的字段 '{cond.field}' 不在模板字段中"
        elif cond.op not in ("present", "absent") and types[cond.field] not in NUMERIC_TYPES:
            yield loc, f"条件 '{cond}' 只能比较金额或百分比字段"


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
