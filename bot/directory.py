"""Who is who: platform user ids → people, and how to reach a person."""

from __future__ import annotations

from collections.abc import Iterable

from bot.config.models import AppConfig
from bot.config.org import Person
from bot.pipeline.outbox import Address


class Directory:
    """Built once from the validated config; read-only afterwards."""

    def __init__(self, config: AppConfig) -> None:
        self.config = config
        self._people = {p.id: p for p in config.people}
        self._by_platform: dict[tuple[str, str], Person] = {}
        for p in config.people:
            if p.wecom_userid:
                self._by_platform[("wecom", p.wecom_userid)] = p
            if p.dingtalk_staff_id:
                self._by_platform[("dingtalk", p.dingtalk_staff_id)] = p
            # The test channel addresses people by their person id.
            self._by_platform[("test", p.id)] = p
        self._apps: dict[str, list[str]] = {
            "wecom": [a.name for a in config.channels.enabled_wecom],
            "dingtalk": [a.name for a in config.channels.enabled_dingtalk],
        }

    def get(self, person_id: str) -> Person | None:
        return self._people.get(person_id)

    def by_platform(self, platform: str, user_id: str) -> Person | None:
        return self._by_platform.get((platform, user_id))

    def people(self) -> Iterable[Person]:
        return self._people.values()

    def platform_id(self, person: Person, platform: str) -> str | None:
        if platform == "wecom":
            return person.wecom_userid
        if platform == "dingtalk":
            return person.dingtalk_staff_id
        if platform == "test":
            return person.id
        return None

    def address(self, person: Person, prefer: Address | None = None) -> Address | None:
        """Where to reach ``person``: the platform of ``prefer`` if they are on it, else any."""
        if prefer is not None:
            uid = self.platform_id(person, prefer.platform)
            if uid:
                return Address(prefer.platform, prefer.app, uid)
        for platform, apps in self._apps.items():
            uid = self.platform_id(person, platform)
            if uid and apps:
                return Address(platform, apps[0], uid)
        return None

    def chain(self, person: Person) -> list[Person]:
        """Supervisors from the nearest up."""
        out: list[Person] = []
        current = self.get(person.supervisor) if person.supervisor else None
        while current is not None and current not in out:
            out.append(current)
            current = self.get(current.supervisor) if current.supervisor else None
        return out

    def reports(self, manager: Person) -> list[Person]:
        """Everyone whose chain includes ``manager`` (directors see all when they top the chain)."""
        return [p for p in self._people.values() if manager in self.chain(p)]
