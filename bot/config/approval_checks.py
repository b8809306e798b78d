"""Cross-reference checks for approval templates and delegations (called from checks.py).

Besides unknown ids, it resolves every route for every rep, so a chain that would end with
nobody (a rung no one fills) is found by ``check-config``, not by a rep at submit time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from bot.config.approvals import NUMERIC_TYPES, ApprovalTemplate, Condition
from bot.config.models import AppConfig
from bot.config.org import Role
from handlers.approvals.approvers import is_known_ref
from handlers.approvals.routing import MissingApprover, route

Loc = tuple[str | int, ...]


def approval_problems(cfg: AppConfig) -> Iterator[tuple[Loc, str]]:
    person_ids = {p.id for p in cfg.people}
    commands = Counter(t.command for t in cfg.approvals.values() if t.command)
    for tid, template in cfg.approvals.items():
        base: Loc = ("approvals", tid)
        if template.command and commands[template.command] > 1:
            yield (*base, "command"), f"命令 /{template.command} 被多个模板使用"
        yield from _fields(template, base)
        unknown = list(_references(template, base, person_ids))
        yield from unknown
        if template.route[-1].when:
            yield (
                (*base, "route", len(template.route) - 1, "when"),
                ("最后一条路线不能带条件，否则有的申请找不到审批路线"),
            )
        if not unknown:  # an unknown id already explains why a rung stays empty
            yield from _unfilled(template, base, cfg)
    for i, d in enumerate(cfg.delegations):
        loc: Loc = ("delegations", i)
        for key, pid in (("from", d.from_), ("to", d.to)):
            if pid not in person_ids:
                yield (*loc, key), f"unknown person '{pid}'"
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


def _references(
    template: ApprovalTemplate, base: Loc, person_ids: set[str]
) -> Iterator[tuple[Loc, str]]:
    for i, rule in enumerate(template.route):
        for j, rung in enumerate(rule.chain):
            refs = (rung,) if isinstance(rung, str) else rung
            for k, ref in enumerate(refs):
                loc: Loc = (*base, "route", i, "chain", j)
                if not isinstance(rung, str):
                    loc = (*loc, k)
                if not is_known_ref(ref, person_ids):
                    yield loc, f"unknown approver '{ref}' (a role or a person id)"
    for i, cc in enumerate(template.cc):
        for j, ref in enumerate(cc.to):
            if not is_known_ref(ref, person_ids):
                yield (*base, "cc", i, "to", j), f"unknown approver '{ref}' (a role or a person id)"


def _unfilled(template: ApprovalTemplate, base: Loc, cfg: AppConfig) -> Iterator[tuple[Loc, str]]:
    """Each route rule and cc rule, resolved for every rep: a rung nobody fills is a problem."""
    reported: set[Loc] = set()
    ids = {p.id for p in cfg.people}
    # A rep whose supervisor id is unknown is reported on the person already.
    reps = [p for p in cfg.people if p.role is Role.rep and (p.supervisor or "") in ids | {""}]
    for rep in reps:
        for i, rule in enumerate(template.route):
            # Force rule i (and every cc rule) by evaluating a template with only that rule.
            forced = template.model_copy(update={"route": (rule.model_copy(update={"when": ()}),)})
            plan = route(forced, _all_present(template), rep, cfg.people)
            if isinstance(plan, MissingApprover):
                loc: Loc = (
                    (*base, "route", i, "chain", plan.rung)
                    if plan.rung is not None
                    else (*base, "cc")
                )
                if loc not in reported:
                    reported.add(loc)
                    yield loc, f"{rep.name}（{rep.id}）的申请在这一级找不到审批人：{plan.message()}"


def _all_present(template: ApprovalTemplate) -> dict[str, object]:
    # Every cc rule applies when each of its fields has a value that satisfies it; a large
    # number satisfies ">=" thresholds, which is what cc rules use.
    form: dict[str, object] = {}
    for f in template.fields:
        form[f.key] = 1e12 if f.type in NUMERIC_TYPES else "x"
    return form
