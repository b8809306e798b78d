"""Cross-references pydantic cannot see: ids that must exist, names that must be unique."""

from collections import Counter
from collections.abc import Iterator, Mapping

from bot.config.approval_checks import approval_problems
from bot.config.calendar import calendar_problems
from bot.config.channels import DingtalkApp, WecomApp
from bot.config.crm import StageKind
from bot.config.models import AppConfig
from bot.config.org import Person, Role

Loc = tuple[str | int, ...]


def _unique(items: list[str], loc_of: list[Loc], what: str) -> Iterator[tuple[Loc, str]]:
    counts = Counter(items)
    for item, loc in zip(items, loc_of, strict=True):
        if counts[item] > 1:
            yield loc, f"duplicate {what} '{item}'"


def semantic_problems(cfg: AppConfig) -> Iterator[tuple[Loc, str]]:
    region_ids = {r.id for r in cfg.regions}
    team_ids = {t.id for t in cfg.teams}
    person_ids = {p.id for p in cfg.people}

    yield from _unique(
        [r.id for r in cfg.regions],
        [("regions", i, "id") for i in range(len(cfg.regions))],
        "region id",
    )
    yield from _unique(
        [t.id for t in cfg.teams], [("teams", i, "id") for i in range(len(cfg.teams))], "team id"
    )
    yield from _unique(
        [p.id for p in cfg.people],
        [("people", i, "id") for i in range(len(cfg.people))],
        "person id",
    )
    for key in ("wecom_userid", "dingtalk_staff_id"):
        ids = [(i, getattr(p, key)) for i, p in enumerate(cfg.people) if getattr(p, key)]
        yield from _unique([v for _, v in ids], [("people", i, key) for i, _ in ids], key)

    for i, team in enumerate(cfg.teams):
        if team.region not in region_ids:
            yield ("teams", i, "region"), f"unknown region '{team.region}'"
        if team.lead and team.lead not in person_ids:
            yield ("teams", i, "lead"), f"unknown person '{team.lead}'"

    by_id = {p.id: p for p in cfg.people}
    for i, person in enumerate(cfg.people):
        if person.team and person.team not in team_ids:
            yield ("people", i, "team"), f"unknown team '{person.team}'"
        if person.role is Role.rep and not person.team:
            yield ("people", i, "team"), "a rep must belong to a team"
        if person.supervisor:
            if person.supervisor not in person_ids:
                yield ("people", i, "supervisor"), f"unknown person '{person.supervisor}'"
            elif _has_cycle(person.id, by_id):
                yield ("people", i, "supervisor"), "the supervisor chain loops back to this person"

    names = [s.name for s in cfg.funnel.stages]
    yield from _unique(names, [("funnel", "stages", i, "name") for i in range(len(names))], "stage")
    kinds = Counter(s.kind for s in cfg.funnel.stages)
    if kinds[StageKind.won] != 1 or kinds[StageKind.lost] != 1:
        yield ("funnel", "stages"), "needs exactly one won stage and one lost stage"
    if kinds[StageKind.open] == 0:
        yield ("funnel", "stages"), "needs at least one open stage"

    yield from approval_problems(cfg)

    yield from calendar_problems(cfg.calendar)

    seen_paths: dict[str, Loc] = {}
    for i, wecom in enumerate(cfg.channels.wecom):
        if wecom.enabled:
            yield from _wecom_fields(wecom, ("channels", "wecom", i))
            if wecom.callback_path in seen_paths:
                yield (
                    ("channels", "wecom", i, "callback_path"),
                    f"path {wecom.callback_path} is used twice",
                )
            seen_paths[wecom.callback_path] = ("channels", "wecom", i)
    for i, ding in enumerate(cfg.channels.dingtalk):
        if ding.enabled:
            yield from _dingtalk_fields(ding, cfg, ("channels", "dingtalk", i))
            if ding.mode == "http":
                if ding.callback_path in seen_paths:
                    yield (
                        ("channels", "dingtalk", i, "callback_path"),
                        f"path {ding.callback_path} is used twice",
                    )
                seen_paths[ding.callback_path] = ("channels", "dingtalk", i)


REQUIRED = "required when the channel is enabled"


def _wecom_fields(app: WecomApp, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if not app.corp_id:
        yield (*loc, "corp_id"), REQUIRED
    for key in ("secret", "token", "encoding_aes_key"):
        if not getattr(app, key).get_secret_value():
            yield (*loc, key), REQUIRED
    aes_key = app.encoding_aes_key.get_secret_value()
    if aes_key and len(aes_key) != 43:
        yield (*loc, "encoding_aes_key"), "must be exactly 43 characters"
    if not app.agent_id:
        yield (*loc, "agent_id"), REQUIRED


def _dingtalk_fields(app: DingtalkApp, cfg: AppConfig, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if not app.app_key:
        yield (*loc, "app_key"), REQUIRED
    if not app.app_secret.get_secret_value():
        yield (*loc, "app_secret"), REQUIRED
    if app.card_template_id is None:
        # Without an interactive card template, buttons are signed links to the bot's own page.
        why = "needed for approval links when channels.dingtalk has no card_template_id"
        if not cfg.server.link_secret.get_secret_value():
            yield ("server", "link_secret"), why
        if not cfg.server.public_url:
            yield ("server", "public_url"), why


def _has_cycle(start: str, by_id: Mapping[str, Person]) -> bool:
    # Only a chain that returns to ``start`` counts; a loop further up is reported on its members.
    seen = {start}
    current = by_id[start].supervisor
    while current:
        if current == start:
            return True
        if current in seen:
            return False
        seen.add(current)
        person = by_id.get(current)
        current = person.supervisor if person else None
    return False
