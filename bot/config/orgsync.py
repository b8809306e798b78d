"""Org sync from the platforms' directories: when it runs, which departments count, and how a
department or a job title maps to a role. config.yaml's own ``people`` always win."""

from pydantic import Field, model_validator

from bot.config.base import Frozen
from bot.config.org import Role


class RoleRule(Frozen):
    """People in ``department`` (or any department below it) and/or with exactly ``title``."""

    role: Role
    department: str | None = None
    title: str | None = None

    @model_validator(mode="after")
    def _something_to_match(self) -> "RoleRule":
        if self.department is None and self.title is None:
            raise ValueError("每条角色规则至少要写 department 或 title")
        return self


class OrgSync(Frozen):
    enabled: bool = False
    interval_minutes: int = Field(default=360, ge=5)
    # Only people in these departments (or below them) are synced; empty: the whole company.
    departments: tuple[str, ...] = ()
    roles: tuple[RoleRule, ...] = ()  # first match wins
    default_role: Role = Role.rep
    # A brake on a bad directory read: when more than this share of the synced people (and more
    # than one) would leave at once, nothing is applied until an admin sends /同步通讯录 强制.
    max_leave_share: float = Field(default=0.2, ge=0, le=1)
