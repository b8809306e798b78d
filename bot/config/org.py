"""The organisation: regions, teams, people and their roles."""

from enum import StrEnum

from pydantic import Field, field_validator

from bot.config.base import Frozen

ID_PATTERN = r"^[A-Za-z0-9_.@-]{1,64}$"


class Role(StrEnum):
    rep = "rep"
    supervisor = "supervisor"
    manager = "manager"
    director = "director"
    legal = "legal"
    finance = "finance"
    admin = "admin"


ROLE_LABELS: dict[Role, str] = {
    Role.rep: "销售",
    Role.supervisor: "主管",
    Role.manager: "经理",
    Role.director: "总监",
    Role.legal: "法务",
    Role.finance: "财务",
    Role.admin: "管理员",
}


class Region(Frozen):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)


class Team(Frozen):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    region: str
    lead: str | None = None


class Person(Frozen):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    role: Role
    team: str | None = None
    supervisor: str | None = None
    wecom_userid: str | None = None
    dingtalk_staff_id: str | None = None
    title: str | None = None

    @field_validator("wecom_userid", "dingtalk_staff_id", mode="before")
    @classmethod
    def _ids_as_text(cls, value: object) -> object:
        # YAML reads a numeric staff id like 0123 as a number; platform ids are text.
        if isinstance(value, int):
            return str(value)
        return value
