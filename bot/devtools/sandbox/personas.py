"""Who the sandbox lets you be: everyone in the config with a WeCom account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.config.models import AppConfig
from bot.config.org import ROLE_LABELS


@dataclass(frozen=True)
class Persona:
    userid: str  # the WeCom user id, which is what the simulator knows them by
    person_id: str
    name: str
    role: str
    role_label: str  # 销售, 经理 …
    title: str

    @property
    def label(self) -> str:
        return f"{self.name} · {self.role_label}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "userid": self.userid,
            "person_id": self.person_id,
            "name": self.name,
            "role": self.role,
            "role_label": self.role_label,
            "title": self.title,
            "label": self.label,
        }


def personas_of(config: AppConfig) -> list[Persona]:
    """Reps first (they are who a newcomer wants to try), then the others in config order."""
    people = [p for p in config.people if p.wecom_userid]
    people.sort(key=lambda p: p.role.value != "rep")
    return [
        Persona(
            userid=str(p.wecom_userid),
            person_id=p.id,
            name=p.name,
            role=p.role.value,
            role_label=ROLE_LABELS.get(p.role, p.role.value),
            title=p.title or "",
        )
        for p in people
    ]
