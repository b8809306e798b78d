"""Mirror the organisation from config.yaml into the database (people, teams, platform ids).

People removed from the config are deactivated, not deleted: their deals and records stay.
"""

from __future__ import annotations

from bot.config.models import AppConfig
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
                },
            )
        ids = {p.id for p in config.people}
        await Person.exclude(id__in=ids).update(active=False)
        wanted = {
            (platform, ext): p.id
            for p in config.people
            for platform, ext in (("wecom", p.wecom_userid), ("dingtalk", p.dingtalk_staff_id))
            if ext
        }
        for ident in await Identity.all():
            key = (ident.platform, ident.external_id)
            if wanted.get(key) != ident.person_id:
                await ident.delete()
            else:
                wanted.pop(key)
        for (platform, ext), person_id in wanted.items():
            await Identity.create(platform=platform, external_id=ext, person_id=person_id)
