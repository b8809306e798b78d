"""The access policy: who may see which clients and numbers, and who may do what.

One module for every feature. *Who may do* is a table from action names to roles, filled by the
features as they register (``bot.features``); *who may see* is a ``Scope`` of client owners:

| role | sees |
|---|---|
| rep | their own clients |
| supervisor | their team's (everyone who reports to them, and their team's members) |
| manager | their teams' (everyone below them in the chain) |
| director | their region (every team in a region where someone reports to them) |
| admin | everything |
| legal, finance | what an approval copies them on |

Refusals are worded here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import Q

from bot.config.models import AppConfig
from bot.config.org import ROLE_LABELS, Person, Role
from bot.directory import Directory
from bot.pipeline.commands import CommandSpec
from storage.models import ApprovalStep, CardInstance, Client

ALL_ROLES: frozenset[Role] = frozenset(Role)

UNKNOWN_USER = (
    "你好！你还不在本系统的人员名单中（{platform} 账号：{user}）。"
    "请联系管理员把你加入 config.yaml 的 people 列表后再试。"
)
NOT_ALLOWED = "你的角色（{role}）不能{what}。发送 /帮助 查看你可以使用的命令。"
NOT_YOUR_CARD = "这张卡片需要由{who}处理，你不能操作。"
CARD_GONE = "这张卡片已失效，请重新发起。"
CARD_CLOSED = "这张卡片已处理（{state}），不能再操作。"
CARD_STALE = "这张卡片有了更新，已刷新为最新内容，请在最新的卡片上操作。"
CARD_TAKEN = "刚刚有人先处理了这张卡片，已刷新为最新内容。"
OUT_OF_SCOPE = "你只能查看自己{extra}的数据。"
CLIENT_NOT_VISIBLE = "没有找到你可以查看的客户“{query}”。请检查名称，或发送 /帮助。"


@dataclass(frozen=True)
class Scope:
    """Whose clients and numbers a person sees. ``owners`` None: everyone's."""

    person_id: str
    owners: frozenset[str] | None
    via_approvals: bool = False  # legal/finance: plus the clients of approvals copying them

    @property
    def everyone(self) -> bool:
        return self.owners is None

    def covers(self, owner_id: str | None) -> bool:
        return self.owners is None or (owner_id is not None and owner_id in self.owners)

    def clients_q(self, prefix: str = "") -> Q:
        """A filter on clients (or on rows with a ``client`` relation, with ``prefix='client__'``)."""
        if self.owners is None:
            return Q()
        owners: dict[str, Any] = {f"{prefix}owner_id__in": sorted(self.owners)}
        q = Q(**owners)
        if self.via_approvals:
            q |= Q(**{f"{prefix}approvals__steps__approver_id": self.person_id})
        return q


@dataclass(frozen=True)
class Refusal:
    text: str


class AccessPolicy:
    """Built once from the config and the features' declared permissions; read-only after."""

    def __init__(
        self,
        config: AppConfig,
        directory: Directory,
        permissions: Mapping[str, Iterable[Role]] | None = None,
    ) -> None:
        self.config = config
        self.directory = directory
        self._roles: dict[str, frozenset[Role]] = {}
        self._labels: dict[str, str] = {}
        self._team_region = {t.id: t.region for t in config.teams}
        self._team_lead = {t.id: t.lead for t in config.teams}
        for action, roles in (permissions or {}).items():
            self.allow(action, roles)

    # ---------------------------------------------------------------- who may do
    def allow(self, action: str, roles: Iterable[Role], label: str = "") -> None:
        """Declare an action (``feature.verb``) and the roles that may do it."""
        if action in self._roles:
            raise ValueError(f"permission '{action}' is declared twice")
        self._roles[action] = frozenset(roles)
        self._labels[action] = label or action

    @property
    def actions(self) -> dict[str, frozenset[Role]]:
        return dict(self._roles)

    def may(self, person: Person | None, action: str) -> bool:
        if person is None:
            return False
        try:
            return person.role in self._roles[action]
        except KeyError:
            raise LookupError(f"permission '{action}' is not declared by any feature") from None

    def refuse(self, person: Person | None, action: str, what: str = "") -> Refusal | None:
        """None when ``person`` may do ``action``; else the one refusal text."""
        if self.may(person, action):
            return None
        role = ROLE_LABELS.get(person.role, person.role) if person else "未登记"
        return Refusal(NOT_ALLOWED.format(role=role, what=what or self._labels[action]))

    def action_refusal(self, person: Person, action: str) -> str | None:
        """The refusal text when ``person``'s role may not do ``action`` (a card tap, a
        plain-language request), worded with the action's label; None when they may."""
        refusal = self.refuse(person, action)
        return refusal.text if refusal else None

    def card_refusal(
        self, person: Person, instance: CardInstance, actors: list[str]
    ) -> Refusal | None:
        """Only the card's current actors may tap it (an approver, the rep who owns a draft)."""
        if person.id in actors:
            return None
        names = [p.name for a in actors if (p := self.directory.get(a)) is not None]
        who = "、".join(names[:3]) if names else "指定的人"
        return Refusal(NOT_YOUR_CARD.format(who=who))

    def command_refusal(self, person: Person, spec: CommandSpec) -> str | None:
        """May ``person`` use the command? None when yes, else the refusal text."""
        what = f"使用 /{spec.name}"
        if spec.permission is not None:
            refusal = self.refuse(person, spec.permission, what)
            return refusal.text if refusal else None
        if not spec.allowed(person.role):
            return NOT_ALLOWED.format(role=ROLE_LABELS.get(person.role, person.role), what=what)
        return None

    @staticmethod
    def unknown_user(platform: str, user: str) -> str:
        return UNKNOWN_USER.format(platform=platform, user=user)

    @staticmethod
    def card_gone() -> str:
        """A tap on a card nobody stored, or on a button no feature knows."""
        return CARD_GONE

    # ---------------------------------------------------------------- who may see
    def scope(self, person: Person) -> Scope:
        role = person.role
        if role is Role.admin:
            return Scope(person.id, None)
        owners = {person.id}
        if role in (Role.supervisor, Role.manager, Role.director):
            owners |= {p.id for p in self.directory.reports(person)}
        if role is Role.supervisor:
            owners |= {
                p.id
                for p in self.directory.people()
                if p.team and self._team_lead.get(p.team) == person.id
            }
        if role is Role.director:
            regions = {self._region_of(o) for o in owners} - {None}
            owners |= {p.id for p in self.directory.people() if self._region_of(p.id) in regions}
        return Scope(person.id, frozenset(owners), via_approvals=role in (Role.legal, Role.finance))

    def _region_of(self, person_id: str) -> str | None:
        person = self.directory.get(person_id)
        return self._team_region.get(person.team) if person and person.team else None

    async def sees_client(self, person: Person, client: Client) -> bool:
        scope = self.scope(person)
        if scope.covers(client.owner_id):
            return True
        if scope.via_approvals:
            return await ApprovalStep.filter(
                approver_id=person.id, approval__client_id=client.id
            ).exists()
        return False

    def sees_person(self, viewer: Person, other_id: str) -> bool:
        """Numbers about ``other_id`` (their pipeline, their incentives)."""
        return self.scope(viewer).covers(other_id)
