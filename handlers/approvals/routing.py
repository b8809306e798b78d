"""Routing: a request's fields → the ordered steps that must approve it, and who is copied.

Pure: the template, the requester and the people come in; plain data goes out. A rung that
resolves to nobody is a ``MissingApprover`` the requester and admins are shown — never a silent
approval.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.config.approvals import ApprovalTemplate, Condition, Rung
from bot.config.org import Person
from handlers.approvals.approvers import describe_ref, resolve_ref


@dataclass(frozen=True)
class Step:
    seq: int  # 1-based position in the chain
    approvers: tuple[str, ...]  # person ids; any one of them decides the step
    ref: str  # the config reference the step came from, e.g. "supervisor" or "legal|finance"


@dataclass(frozen=True)
class RoutePlan:
    rule: int  # index of the route rule that applied
    steps: tuple[Step, ...]
    cc: tuple[str, ...]


@dataclass(frozen=True)
class MissingApprover:
    """No one fills a rung: the request cannot be routed and must not be auto-approved."""

    requester: str
    rule: int | None  # None when no route rule applies at all
    rung: int | None  # index in the chain; None for a cc rule or when no rule applies
    ref: str

    def message(self) -> str:
        if self.rule is None:
            return "这张申请不符合任何审批路线，无法提交。请联系管理员检查审批配置。"
        who = describe_ref(self.ref)
        if self.rung is None:
            return f"找不到需要抄送的「{who}」，无法提交。请联系管理员检查组织架构。"
        return f"审批链第 {self.rung + 1} 级「{who}」找不到审批人，无法提交。请联系管理员检查组织架构。"


def present(value: Any) -> bool:
    return value not in (None, "", False) and value != [] and value != ()


def holds(condition: Condition, form: Mapping[str, Any]) -> bool:
    value = form.get(condition.field)
    if condition.op == "present":
        return present(value)
    if condition.op == "absent":
        return not present(value)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False  # a comparison over a missing number does not hold
    limit = condition.value if condition.value is not None else 0.0
    return {
        "<": value < limit,
        "<=": value <= limit,
        ">": value > limit,
        ">=": value >= limit,
        "==": value == limit,
    }[condition.op]


def _rung_refs(rung: Rung) -> tuple[str, ...]:
    return (rung,) if isinstance(rung, str) else rung


def _resolve(refs: Sequence[str], requester: Person, people: Sequence[Person]) -> tuple[str, ...]:
    ids: dict[str, None] = {}
    for ref in refs:
        ids.update(dict.fromkeys(resolve_ref(ref, requester, people)))
    return tuple(ids)


def route(
    template: ApprovalTemplate,
    form: Mapping[str, Any],
    requester: Person,
    people: Sequence[Person],
) -> RoutePlan | MissingApprover:
    index = next(
        (i for i, r in enumerate(template.route) if all(holds(c, form) for c in r.when)), None
    )
    if index is None:
        return MissingApprover(requester.id, None, None, "")
    rule = template.route[index]
    steps: list[Step] = []
    for rung_index, rung in enumerate(rule.chain):
        refs = _rung_refs(rung)
        approvers = _resolve(refs, requester, people)
        if not approvers:
            return MissingApprover(requester.id, index, rung_index, "|".join(refs))
        if steps and set(steps[-1].approvers) == set(approvers):
            continue  # manager and director are one person here: they approve once
        steps.append(Step(len(steps) + 1, approvers, "|".join(refs)))
    deciders = {a for s in steps for a in s.approvers}
    cc: dict[str, None] = {}
    for cc_rule in template.cc:
        if not all(holds(c, form) for c in cc_rule.when):
            continue
        for ref in cc_rule.to:
            copied = resolve_ref(ref, requester, people)
            if not copied:
                return MissingApprover(requester.id, index, None, ref)
            cc.update(dict.fromkeys(p for p in copied if p not in deciders))
    return RoutePlan(index, tuple(steps), tuple(cc))
