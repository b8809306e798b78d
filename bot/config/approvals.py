"""Work-order templates, their routing and cc rules, and delegations (used by the approvals feature).

Conditions and approver references are written as short text an admin can read
(``amount < 100000``, ``special_terms``, ``supervisor``, ``director``, ``xu.qing``) and parsed here,
once, so a typo is a located config error rather than a surprise at submit time.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BeforeValidator, ConfigDict, Field, model_validator

from bot.config.base import Frozen


class FieldType(StrEnum):
    text = "text"
    amount = "amount"  # money in yuan
    percent = "percent"  # 5 means 5 %
    choice = "choice"
    date = "date"
    bool = "bool"
    file = "file"  # an attachment the rep sends in chat


NUMERIC_TYPES = frozenset({FieldType.amount, FieldType.percent})


class TemplateField(Frozen):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    label: str = Field(min_length=1)
    type: FieldType = FieldType.text
    required: bool = True
    choices: tuple[str, ...] = ()
    # Bounds for amount and percent fields: gt/lt exclusive, ge/le inclusive (discount le: 30).
    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None
    hint: str | None = None  # how to write the value, shown when it is missing or wrong

    @model_validator(mode="after")
    def _consistent(self) -> TemplateField:
        bounded = any(v is not None for v in (self.gt, self.ge, self.lt, self.le))
        if bounded and self.type not in NUMERIC_TYPES:
            raise ValueError("gt/ge/lt/le 只能用于金额（amount）和百分比（percent）字段")
        if self.type is FieldType.choice and not self.choices:
            raise ValueError("选择（choice）字段需要 choices")
        if self.choices and self.type is not FieldType.choice:
            raise ValueError("choices 只能用于选择（choice）字段")
        return self


_OPS = {"<": "<", "<=": "<=", "≤": "<=", ">": ">", ">=": ">=", "≥": ">=", "==": "==", "=": "=="}
_COMPARE = re.compile(
    r"^\s*([a-z][a-z0-9_]*)\s*(<=|>=|==|≤|≥|<|>|=)\s*(-?\d+(?:\.\d+)?)\s*(万)?\s*$"
)
_PRESENT = re.compile(r"^\s*(not\s+)?([a-z][a-z0-9_]*)\s*$")


class Condition(Frozen):
    """``field op number`` (``amount < 100000``, ``amount >= 50万``) or ``field`` / ``not field``
    (the field has a value / has none)."""

    field: str
    op: Literal["<", "<=", ">", ">=", "==", "present", "absent"]
    value: float | None = None

    @classmethod
    def parse(cls, text: str) -> Condition:
        m = _COMPARE.match(text)
        if m:
            value = float(m[3]) * (10_000 if m[4] else 1)
            return cls(field=m[1], op=_OPS[m[2]], value=value)  # type: ignore[arg-type]
        m = _PRESENT.match(text)
        if m:
            return cls(field=m[2], op="absent" if m[1] else "present")
        raise ValueError(
            f"看不懂条件「{text}」，应写成 amount < 100000、amount >= 50万 或 special_terms 这样"
        )

    def __str__(self) -> str:
        if self.op == "present":
            return self.field
        if self.op == "absent":
            return f"not {self.field}"
        return f"{self.field} {self.op} {self.value:g}"


def _conditions(value: object) -> object:
    if value is None:
        return ()
    items = [value] if isinstance(value, str | dict) else value
    if not isinstance(items, list | tuple):
        return value
    return tuple(Condition.parse(i) if isinstance(i, str) else i for i in items)


Conditions = Annotated[tuple[Condition, ...], BeforeValidator(_conditions)]

# An approver reference: "supervisor" (nearest up the requester's chain), "supervisor+N" (N more
# rungs up), a role ("manager", "director", "legal" …), or a person id. A list is an any-of group.
ApproverRef = str
Rung = ApproverRef | tuple[ApproverRef, ...]


class RouteRule(Frozen):
    """The first rule whose conditions all hold gives the chain (an empty ``when`` always holds)."""

    when: Conditions = ()
    chain: tuple[Rung, ...] = Field(min_length=1)


class CcRule(Frozen):
    """Copied people see the card and are told of the outcome; they do not decide."""

    when: Conditions = ()
    to: tuple[ApproverRef, ...] = Field(min_length=1)


class ApprovalTemplate(Frozen):
    name: str = Field(min_length=1)
    command: str | None = None  # the chat command that starts it, e.g. 报价 for /报价
    fields: tuple[TemplateField, ...] = ()
    attachments: tuple[str, ...] = ()  # required attachments by name, e.g. 产品配置表
    route: tuple[RouteRule, ...] = Field(min_length=1)
    cc: tuple[CcRule, ...] = ()
    sla_hours: float = Field(default=8, gt=0)  # working hours per step

    def field(self, key: str) -> TemplateField | None:
        return next((f for f in self.fields if f.key == key), None)


class Delegation(Frozen):
    """While ``from`` is away, ``to`` may decide what waits for them (dates inclusive)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    since: date | None = None
    until: date

    @classmethod
    def of(cls, giver: str, to: str, until: date, since: date | None = None) -> Delegation:
        return cls.model_validate({"from": giver, "to": to, "until": until, "since": since})
