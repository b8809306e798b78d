"""Who is who: platform user ids → people, and how to reach a person."""

from __future__ import annotations

from collections.abc import Iterable

from bot.config.models import AppConfig
from bot.config.org import Person
from bot.pipeline.outbox import Address


class Directory:
    """Config people, plus the people org sync brought from the platforms' directories.

    Built from the validated config; ``include`` swaps in the synced people (at startup and after
    each sync). config.yaml wins: a synced person with a config person's id or platform id is
    dropped.
    """

    def __init__(self, config: AppConfig) -> None:
        self.config = config
        self._apps: dict[str, list[str]] = {
            "wecom": [a.name for a in config.channels.enabled_wecom],
            "dingtalk": [a.name for a in config.channels.enabled_dingtalk],
        }
        self.include(())

    def include(self, synced: Iterable[Person]) -> None:
        """Replace the synced people (everyone not from config.yaml) with ``synced``."""
        people = {p.id: p for p in self.config.people}
        by_platform: dict[tuple[str, str], Person] = {}
        for p in [*self.config.people, *synced]:
            keys = [("wecom", p.wecom_userid), ("dingtalk", p.dingtalk_staff_id), ("test", p.id)]
            if p.id in people and people[p.id] is not p:
                continue
            if any(k in by_platform for k in keys if k[1]):
                continue
            people[p.id] = p
            for platform, uid in keys:
                if uid:
                    # The test channel addresses people by their person id.
                    by_platform[(platform, uid)] = p
        self._people = people
        self._by_platform = by_platform

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
