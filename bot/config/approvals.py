"""Work-order templates and their approval routing (used by the approvals feature)."""

from pydantic import Field

from bot.config.base import Frozen


class TemplateField(Frozen):
    key: str
    label: str
    type: str = Field(default="text", pattern=r"^(text|number|money|date|choice|bool)$")
    required: bool = True
    choices: tuple[str, ...] = ()


class RouteRule(Frozen):
    """One rung of the routing ladder: applies while the amount is at most ``max_amount``."""

    max_amount: float | None = Field(default=None, gt=0)
    approvers: tuple[str, ...] = Field(min_length=1)


class ApprovalTemplate(Frozen):
    name: str
    fields: tuple[TemplateField, ...] = ()
    attachments_required: bool = False
    route: tuple[RouteRule, ...] = Field(min_length=1)
    cc_legal_when: tuple[str, ...] = ()
    sla_hours: float = Field(default=8, gt=0)
