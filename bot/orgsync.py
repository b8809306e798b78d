"""Mirror the organisation from config.yaml into the database (people, teams, platform ids).

People removed from the config are deactivated, not deleted: their deals and records stay.
People org sync brought from a platform's directory (``source`` ≠ "config") are left to it.
"""

from __future__ import annotations

from bot.config.models import AppConfig
from bot.config.org import Person as ConfigPerson
from bot.config.org import Role
from storage.db import Database
from storage.models import Identity, Person, Team


async def sync_org(config: AppConfig, db: Database) -> None:
    regions = {r.id: r.name for r in config.regions}
    async with db.transaction():
        for t in config.teams:
            await Team.update_or_create(
                id=t.id,
                defaults={
                    "name": t.name,
                    "region": t.region,
                    "region_name": regions.get(t.region, ""),
                    "lead_id": t.lead,
                },
            )
        for p in config.people:
            await Person.update_or_create(
                id=p.id,
                defaults={
                    "name": p.name,
                    "role": p.role.value,
                    "team_id": p.team,
                    "supervisor_id": p.supervisor,
                    "title": p.title,
                    "active": True,
                    "source": "config",
                    "left_at": None,
                },
            )
        ids = {p.id for p in config.people}
        await Person.filter(source="config").exclude(id__in=ids).update(active=False)
        wanted = {
            (platform, ext): p.id
            for p in config.people
            for platform, ext in (("wecom", p.wecom_userid), ("dingtalk", p.dingtalk_staff_id))
            if ext
        }
        for ident in await Identity.filter(person__source="config"):
            key = (ident.platform, ident.external_id)
            if wanted.get(key) != ident.person_id:
                await ident.delete()
            else:
                wanted.pop(key)
        for (platform, ext), person_id in wanted.items():
            await Identity.create(platform=platform, external_id=ext, person_id=person_id)


async def synced_people() -> list[ConfigPerson]:
    """The active people org sync brought in, as the Directory holds people."""
    idents: dict[str, dict[str, str]] = {}
    for i in await Identity.filter(person__source__not="config").values(
        "person_id", "platform", "external_id"
    ):
        idents.setdefault(i["person_id"], {})[i["platform"]] = i["external_id"]
    out = []
    for p in await Person.filter(active=True, source__not="config").order_by("id"):
        ids = idents.get(p.id, {})
        out.append(
            ConfigPerson(
                id=p.id,
                name=p.name,
                role=Role(p.role),
                team=p.team_id,
                supervisor=p.supervisor_id,
                title=p.title,
                wecom_userid=ids.get("wecom"),
                dingtalk_staff_id=ids.get("dingtalk"),
            )
        )
    return out
