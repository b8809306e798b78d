"""Cross-references pydantic cannot see: ids that must exist, names that must be unique.

Reference checks read the raw YAML mapping, so they still run when a section fails schema
validation: one ``check-config`` run then reports a wrong role, an unknown team and an unknown
supervisor on the same line together. Checks that need typed values (enabled flags, secrets,
dates) run part by part, over each stage, template, app or calendar that validates.
"""

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from bot.config.approval_checks import approval_problems, approval_references
from bot.config.calendar import CalendarSettings, calendar_problems
from bot.config.channel_checks import channel_problems
from bot.config.crm import StageKind
from bot.config.incentives import AWARD_METRICS
from bot.config.messages import suggestion
from bot.config.partial import partial
from bot.config.rawdata import Loc, items, text

KINDS = frozenset(k.value for k in StageKind)
# Short lists are worth printing in full; a long people list is not.
LIST_ALL_UP_TO = 8


def _unknown(what: str, value: str, known: list[str]) -> str:
    listed = f"，已有：{'、'.join(known)}" if 0 < len(known) <= LIST_ALL_UP_TO else ""
    return f"未知的{what}「{value}」{suggestion(value, known)}{listed}"


def _unique(values: list[tuple[Loc, str]], what: str) -> Iterator[tuple[Loc, str]]:
    counts = Counter(v for _, v in values)
    for loc, value in values:
        if counts[value] > 1:
            yield loc, f"{what}「{value}」重复"


def _ids(raw: Mapping[str, Any], section: str, key: str = "id") -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    for i, item in items(raw, section):
        value = text(item.get(key))
        if value is not None:
            out.append(((section, i, key), value))
    return out


def reference_problems(raw: Mapping[str, Any]) -> Iterator[tuple[Loc, str]]:
    """Ids that must exist and names that must be unique, over the raw (substituted) mapping."""
    regions, teams, people = _ids(raw, "regions"), _ids(raw, "teams"), _ids(raw, "people")
    region_ids = list(dict.fromkeys(v for _, v in regions))
    team_ids = list(dict.fromkeys(v for _, v in teams))
    person_ids = list(dict.fromkeys(v for _, v in people))
    yield from _unique(regions, "区域 id")
    yield from _unique(teams, "团队 id")
    yield from _unique(people, "人员 id")
    for key in ("wecom_userid", "dingtalk_staff_id"):
        yield from _unique(_ids(raw, "people", key), key)

    for i, team in items(raw, "teams"):
        region = text(team.get("region"))
        if region is not None and region not in region_ids:
            yield ("teams", i, "region"), _unknown("区域", region, region_ids)
        lead = text(team.get("lead"))
        if lead is not None and lead not in person_ids:
            yield ("teams", i, "lead"), _unknown("人员", lead, person_ids)

    supervisors = {
        pid: text(item.get("supervisor"))
        for _, item in items(raw, "people")
        if (pid := text(item.get("id"))) is not None
    }
    for i, person in items(raw, "people"):
        team_id = text(person.get("team"))
        if team_id is not None and team_id not in team_ids:
            yield ("people", i, "team"), _unknown("团队", team_id, team_ids)
        if person.get("role") == "rep" and team_id is None:
            yield ("people", i, "team"), "销售（rep）必须属于一个团队"
        boss = text(person.get("supervisor"))
        if boss is None:
            continue
        if boss not in person_ids:
            yield ("people", i, "supervisor"), _unknown("人员", boss, person_ids)
        elif _loops(text(person.get("id")), supervisors):
            yield ("people", i, "supervisor"), "上级链条绕回了此人自己"

    stages: list[tuple[Loc, str]] = [
        (("funnel", "stages", i, "name"), name)
        for i, stage in items(raw, "funnel", "stages")
        if (name := text(stage.get("name"))) is not None
    ]
    yield from _unique(stages, "阶段")
    yield from _stage_references(raw, [name for _, name in stages])
    yield from approval_references(raw, person_ids)
    yield from _incentive_references(raw, person_ids)


def _incentive_references(
    raw: Mapping[str, Any], person_ids: list[str]
) -> Iterator[tuple[Loc, str]]:
    known = list(AWARD_METRICS)
    for i, award in items(raw, "incentives", "awards"):
        metric = text(award.get("metric"))
        if metric is not None and metric not in known:
            yield ("incentives", "awards", i, "metric"), _unknown("考核指标", metric, known)
    section = raw.get("incentives")
    held = section.get("certificates") if isinstance(section, Mapping) else None
    for pid in held if isinstance(held, Mapping) else {}:
        if str(pid) not in person_ids:
            loc: Loc = ("incentives", "certificates", str(pid))
            yield loc, _unknown("人员", str(pid), person_ids)


# Keys that name a funnel stage wherever they appear (rules in approvals, schedules, metrics …).
STAGE_KEYS = frozenset({"stage", "stages", "from_stage", "to_stage"})


def _stage_references(raw: Mapping[str, Any], names: list[str]) -> Iterator[tuple[Loc, str]]:
    if not names:
        return  # the funnel is missing or broken: reported on its own
    known = set(names)
    for key, value in raw.items():
        if key != "funnel":
            yield from _walk_stages(value, (str(key),), known, names)


def _walk_stages(
    node: Any, loc: Loc, known: set[str], names: list[str]
) -> Iterator[tuple[Loc, str]]:
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk_stages(item, (*loc, i), known, names)
        return
    if not isinstance(node, Mapping):
        return
    for key, value in node.items():
        here: Loc = (*loc, str(key))
        if key in STAGE_KEYS:
            refs = [(here, value)] if isinstance(value, str) else []
            if isinstance(value, list):
                refs = [((*here, j), v) for j, v in enumerate(value) if isinstance(v, str)]
            for ref_loc, name in refs:
                if name not in known:
                    yield ref_loc, _unknown("阶段", name, names)
        else:
            yield from _walk_stages(value, here, known, names)


def _loops(start: str | None, supervisors: Mapping[str, str | None]) -> bool:
    # Only a chain that returns to ``start`` counts; a loop further up is reported on its members.
    if start is None:
        return False
    seen = {start}
    current = supervisors.get(start)
    while current:
        if current == start:
            return True
        if current in seen:
            return False
        seen.add(current)
        current = supervisors.get(current)
    return False


def typed_problems(raw: Mapping[str, Any]) -> Iterator[tuple[Loc, str]]:
    """Checks over typed values, part by part over the raw (substituted) mapping: each stage,
    template, delegation, app or calendar year that validates is checked even when its neighbours
    do not, so one broken value hides nothing else."""
    yield from funnel_problems(raw)
    yield from approval_problems(raw)
    calendar, _ = partial(CalendarSettings, raw.get("calendar"))
    if calendar is not None:
        yield from calendar_problems(calendar)
    yield from channel_problems(raw)


def funnel_problems(raw: Mapping[str, Any]) -> Iterator[tuple[Loc, str]]:
    """The kinds of stages the funnel needs, counted over the stages as written.

    A stage's other values (``stall_days: abc``) do not change its kind, so they hide nothing;
    a kind that is not one of the allowed values leaves the count unknown (reported on its own).
    """
    funnel = raw.get("funnel")
    stages = funnel.get("stages") if isinstance(funnel, Mapping) else None
    if not isinstance(stages, list):
        return  # the default stages, or a funnel the schema reports
    kinds: Counter[str] = Counter()
    for stage in stages:
        kind = stage.get("kind", StageKind.open.value) if isinstance(stage, Mapping) else None
        if not isinstance(kind, str) or kind not in KINDS:
            return
        kinds[str(kind)] += 1
    if kinds[StageKind.won] != 1 or kinds[StageKind.lost] != 1:
        yield ("funnel", "stages"), "需要恰好一个赢单（won）阶段和一个输单（lost）阶段"
    if kinds[StageKind.open] == 0:
        yield ("funnel", "stages"), "至少需要一个进行中（open）阶段"
