"""The routing table: every rule and boundary of the example config, cc rules, any-of groups,
delegation and a rung nobody fills."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.config import load_config
from bot.config.approvals import ApprovalTemplate, Delegation
from bot.config.org import Person, Role
from handlers.approvals.delegation import acting_for, actors, delegates_of
from handlers.approvals.routing import MissingApprover, RoutePlan, route

ROOT = Path(__file__).resolve().parents[3]
CONFIG = load_config(ROOT / "config.yaml", env={})
PEOPLE = CONFIG.people
QUOTE = CONFIG.approvals["quote"]
CONTRACT = CONFIG.approvals["contract"]


def person(pid: str) -> Person:
    found = CONFIG.person(pid)
    assert found is not None
    return found


def chain(plan: RoutePlan | MissingApprover) -> list[tuple[str, ...]]:
    assert isinstance(plan, RoutePlan), plan
    return [s.approvers for s in plan.steps]


def cc(plan: RoutePlan | MissingApprover) -> tuple[str, ...]:
    assert isinstance(plan, RoutePlan), plan
    return plan.cc


# zhang.wei (east-1 rep) → zhao.lei (supervisor) → wang.li (manager) → chen.zhiyuan (director)
@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (1, [("zhao.lei",)]),
        (99_999.99, [("zhao.lei",)]),
        (100_000, [("zhao.lei",), ("wang.li",)]),  # exactly 10万 is no longer "< 10万"
        (499_999, [("zhao.lei",), ("wang.li",)]),
        (500_000, [("zhao.lei",), ("wang.li",), ("chen.zhiyuan",)]),  # exactly 50万
        (2_000_000, [("zhao.lei",), ("wang.li",), ("chen.zhiyuan",)]),
    ],
)
def test_quote_amount_rungs_for_an_east_rep(amount: float, expected: list[tuple[str, ...]]) -> None:
    assert chain(route(QUOTE, {"amount": amount}, person("zhang.wei"), PEOPLE)) == expected


def test_rule_index_names_the_rule_that_applied() -> None:
    plans = [route(QUOTE, {"amount": a}, person("zhang.wei"), PEOPLE) for a in (5e4, 1e5, 5e5)]
    assert [p.rule for p in plans if isinstance(p, RoutePlan)] == [0, 1, 2]


def test_south_rep_without_a_manager_goes_to_the_director_once() -> None:
    # zhou.jie → huang.tao (supervisor) → chen.zhiyuan (director); "manager" means "at least a
    # manager", and the director is not asked twice.
    rep = person("zhou.jie")
    assert chain(route(QUOTE, {"amount": 200_000}, rep, PEOPLE)) == [
        ("huang.tao",),
        ("chen.zhiyuan",),
    ]
    assert chain(route(QUOTE, {"amount": 600_000}, rep, PEOPLE)) == [
        ("huang.tao",),
        ("chen.zhiyuan",),
    ]


def test_special_terms_copy_legal_only_when_present() -> None:
    rep = person("zhang.wei")
    assert cc(route(QUOTE, {"amount": 50_000, "special_terms": "付款期90天"}, rep, PEOPLE)) == (
        "xu.qing",
    )
    assert cc(route(QUOTE, {"amount": 50_000}, rep, PEOPLE)) == ()
    assert cc(route(QUOTE, {"amount": 50_000, "special_terms": ""}, rep, PEOPLE)) == ()


def test_finance_is_copied_from_the_threshold_up() -> None:
    rep = person("zhang.wei")
    assert cc(route(QUOTE, {"amount": 299_999}, rep, PEOPLE)) == ()
    assert cc(route(QUOTE, {"amount": 300_000}, rep, PEOPLE)) == ("ma.jun",)
    both = route(QUOTE, {"amount": 300_000, "special_terms": "质保三年"}, rep, PEOPLE)
    assert cc(both) == ("xu.qing", "ma.jun")


def test_a_decider_is_not_also_copied() -> None:
    # Contracts have legal in the chain; legal is not copied on top of deciding.
    got = route(CONTRACT, {"amount": 600_000}, person("zhang.wei"), PEOPLE)
    assert chain(got) == [("zhao.lei",), ("wang.li",), ("chen.zhiyuan",), ("xu.qing",)]
    assert cc(got) == ("ma.jun",)


def _template(chain_: list[object], cc_: list[object] | None = None) -> ApprovalTemplate:
    return ApprovalTemplate.model_validate(
        {
            "name": "测试审批",
            "fields": [{"key": "amount", "label": "金额", "type": "amount"}],
            "route": [{"chain": chain_}],
            "cc": cc_ or [],
        }
    )


def test_any_of_group_and_fixed_people() -> None:
    template = _template(["supervisor", ["legal", "ma.jun"], "supervisor+1"])
    assert chain(route(template, {"amount": 1}, person("li.na"), PEOPLE)) == [
        ("zhao.lei",),
        ("xu.qing", "ma.jun"),
        ("wang.li",),
    ]


def test_role_group_has_everyone_holding_the_role_but_the_requester() -> None:
    people = (*PEOPLE, Person(id="gao.yu", name="高宇", role=Role.legal))
    template = _template(["legal"])
    assert chain(route(template, {}, person("zhang.wei"), people)) == [("xu.qing", "gao.yu")]
    assert chain(route(template, {}, people[-1], people)) == [("xu.qing",)]


def test_missing_supervisor_is_an_error_naming_the_rung() -> None:
    loner = Person(id="new.rep", name="新人", role=Role.rep, team="east-1")
    got = route(QUOTE, {"amount": 50_000}, loner, (*PEOPLE, loner))
    assert got == MissingApprover("new.rep", 0, 0, "supervisor")
    assert "第 1 级「直属上级」找不到审批人" in got.message()


def test_missing_rung_further_up_is_an_error_not_a_shorter_chain() -> None:
    # The director is the top of the chain: supervisor+1 above him is nobody.
    got = route(_template(["supervisor", "supervisor+1"]), {}, person("wang.li"), PEOPLE)
    assert got == MissingApprover("wang.li", 0, 1, "supervisor+1")


def test_missing_cc_recipient_is_an_error() -> None:
    people = tuple(p for p in PEOPLE if p.role is not Role.legal)
    got = route(QUOTE, {"amount": 1, "special_terms": "x"}, person("zhang.wei"), people)
    assert got == MissingApprover("zhang.wei", 0, None, "legal")
    assert "抄送" in got.message()


def test_no_matching_rule_is_an_error() -> None:
    template = ApprovalTemplate.model_validate(
        {
            "name": "t",
            "fields": [{"key": "amount", "label": "金额", "type": "amount"}],
            "route": [{"when": "amount < 10", "chain": ["supervisor"]}],
        }
    )
    got = route(template, {"amount": 10}, person("zhang.wei"), PEOPLE)
    assert isinstance(got, MissingApprover) and got.rule is None


AWAY = (
    Delegation.of("zhao.lei", "sun.mei", date(2026, 12, 5), date(2026, 12, 1)),
    Delegation.of("sun.mei", "wang.li", date(2026, 12, 3)),
)


def test_delegate_may_act_only_within_the_dates() -> None:
    assert actors(("zhao.lei",), AWAY, date(2026, 11, 30)) == {"zhao.lei"}
    assert actors(("zhao.lei",), AWAY, date(2026, 12, 5)) == {"zhao.lei", "sun.mei"}
    assert actors(("zhao.lei",), AWAY, date(2026, 12, 6)) == {"zhao.lei"}


def test_delegation_follows_a_delegate_who_is_away_too() -> None:
    assert delegates_of("zhao.lei", AWAY, date(2026, 12, 2)) == ("sun.mei", "wang.li")
    assert delegates_of("zhao.lei", AWAY, date(2026, 12, 4)) == ("sun.mei",)
    looped = (*AWAY, Delegation.of("wang.li", "zhao.lei", date(2026, 12, 31)))
    assert delegates_of("zhao.lei", looped, date(2026, 12, 2)) == ("sun.mei", "wang.li")


def test_acting_for_names_whom_the_delegate_stands_in_for() -> None:
    day = date(2026, 12, 2)
    assert acting_for("sun.mei", ("zhao.lei",), AWAY, day) == "zhao.lei"
    assert acting_for("zhao.lei", ("zhao.lei",), AWAY, day) == "zhao.lei"
    assert acting_for("li.na", ("zhao.lei",), AWAY, day) is None
    assert acting_for("sun.mei", ("zhao.lei",), AWAY, date(2026, 12, 9)) is None
