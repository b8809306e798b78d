"""What an allowed answer of the role matrix must show: the asker's scope, and no more.

Each check gets the replies the asker received and reads the database by hand (plain queries,
not the product's own scope code) to say what the answer should cover.
"""

from __future__ import annotations

import io
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from bot.config.org import Role
from bot.replies import File, Markdown, Reply, Text
from handlers.shared.access import CLIENT_NOT_VISIBLE, OUT_OF_SCOPE
from storage.media import stored_file
from storage.models import (
    Approval,
    ApprovalDelegation,
    ApprovalStep,
    Client,
    Deal,
    FollowUp,
    Payment,
    StageHistory,
    Task,
)
from tests.security.matrix_table import COMMANDS, COVERS, EVERYONE, NAMES, ROLES, SEES
from tests.support.crm import NOW
from tests.support.harness import Harness
from tests.support.jobs import sh

# The world the walk seeds (seed_scopes, after tests/support/crm.py's): each rep's one
# stalled open deal (client, stage, days in it), created this month. 张伟 has one more deal this
# month, 华东机械's (tests/support/crm.py), which the walk's saved visit moves on: not stalled.
STALLED = {
    "zhang.wei": ("金桥物流", "需求确认", 17),  # 需求确认 allows 10 days
    "li.na": ("恒达科技", "需求确认", 15),
    "liu.yang": ("远航制造", "首次接触", 10),  # 7
    "zhou.jie": ("南方纺织", "报价谈判", 10),  # 7
    "wu.fang": ("南海电子", "方案演示", 8),  # 5
}
EAST = {"zhang.wei", "li.na", "liu.yang"}  # the reps of 华东's teams
DEALS_THIS_MONTH = {"zhang.wei": 2, "li.na": 1, "liu.yang": 1, "zhou.jie": 1, "wu.fang": 1}
TASKS = {pid: f"整理{name}的周报" for pid, name in NAMES.items()}
STATE = (  # everything a refused action must leave alone (the audit log and the queues move)
    "approvals",
    "approval_steps",
    "approval_attachments",
    "approval_delegations",
    "card_instances",
    "clients",
    "contacts",
    "deals",
    "stage_history",
    "followups",
    "tasks",
    "payments",
    "incentive_entries",
    "pushes",
    "media",
    "people",
    "teams",
    "identities",
)


async def seed_scopes() -> None:
    """One stalled open deal with a visit for each rep, created this month; a task each."""
    clients = {c.name: c for c in await Client.all()}
    for name, owner, region in (("远航制造", "liu.yang", "east"), ("南海电子", "wu.fang", "south")):
        clients[name] = await Client.create(name=name, owner_id=owner, region=region)
    for owner, (client, stage, days) in STALLED.items():
        entered = NOW - timedelta(days=days)
        c = clients[client]
        deal = await Deal.create(
            client=c,
            owner_id=owner,
            title=f"{client}项目",
            stage=stage,
            amount=Decimal(100000),
            stage_entered_at=entered,
            created_at=entered,
            region=c.region,
        )
        await StageHistory.create(deal=deal, from_stage=None, to_stage=stage, changed_at=entered)
        await FollowUp.create(
            rep_id=owner, client=c, deal=deal, raw_text="跟进", occurred_at=entered
        )
    for pid, title in TASKS.items():
        await Task.create(
            kind="next_action", assignee_id=pid, title=title, due_at=sh(2026, 11, 28, 10)
        )


async def state(bot: Harness) -> list[list[dict[str, Any]]]:
    return [await bot.runtime.db.fetch(f"SELECT * FROM {t} ORDER BY 1") for t in STATE]


@dataclass
class Walk:
    bot: Harness
    viewer: str
    replies: list[Reply]
    before: list[list[dict[str, Any]]]  # the database before the cell

    @property
    def role(self) -> Role:
        return ROLES[self.viewer]

    @property
    def sees(self) -> set[str]:
        return SEES[self.viewer]

    def one(self, kind: type[Any]) -> Any:
        found = [r for r in self.replies if isinstance(r, kind)]
        assert len(found) == 1, (self.viewer, self.replies)
        return found[0]

    def text(self) -> str:
        return "\n".join(r.text for r in self.replies if isinstance(r, Text | Markdown))

    def covers(self) -> Markdown:
        """The stats answer, titled with what it covers."""
        answer: Markdown = self.one(Markdown)
        assert answer.title.split(" · ")[-1] == COVERS[self.role], (self.viewer, answer.title)
        return answer


Check = Callable[[Walk], Awaitable[None]]


async def help_(w: Walk) -> None:
    listed = set(re.findall(r"`/(\S+?)`", w.one(Markdown).text))
    assert listed == {c.command for c in COMMANDS if w.role in c.roles}, w.viewer


async def brief(w: Walk) -> None:
    if "zhang.wei" in w.sees:
        assert w.one(Markdown).title == "华东机械 客户简报", w.viewer
    else:
        assert w.replies == [Text(CLIENT_NOT_VISIBLE.format(query="华东机械"))], w.viewer


async def funnel(w: Walk) -> None:
    found = re.search(r"新建商机 (\d+) 个", w.covers().text)
    assert found and int(found[1]) == sum(DEALS_THIS_MONTH[o] for o in w.sees), w.viewer


async def east_funnel(w: Walk) -> None:
    """华东本月漏斗: the asker's scope within 华东 — a rep their own deals there, an admin all."""
    answer: Markdown = w.one(Markdown)
    heading = answer.title.split(" · ")[2:]  # after 漏斗 and the month
    assert heading == (["华东"] if w.role is Role.admin else ["华东", COVERS[w.role]]), w.viewer
    found = re.search(r"新建商机 (\d+) 个", answer.text)
    east = {o for o in w.sees if o in EAST}
    assert found and int(found[1]) == sum(DEALS_THIS_MONTH[o] for o in east), w.viewer


async def person(w: Walk) -> None:
    if w.role is Role.admin or "zhang.wei" in w.sees:
        assert w.one(Markdown).title.endswith(" · 张伟"), w.viewer
    else:
        extra = "" if w.role is Role.rep else "和下属"
        assert w.replies == [Text(OUT_OF_SCOPE.format(extra=extra))], w.viewer


async def covers(w: Walk) -> None:
    w.covers()


async def ranking(w: Walk) -> None:
    names = set(re.findall(r"^\d+\. (\S+?)：", w.covers().text, re.M))
    assert names == {NAMES[o] for o in w.sees}, w.viewer


async def stalled(w: Walk) -> None:
    clients = set(re.findall(r"^- (\S+) · ", w.covers().text, re.M))
    assert clients == {STALLED[o][0] for o in w.sees}, w.viewer


async def export(w: Walk) -> None:
    _media, data = await stored_file(w.one(File).media_id)
    book = load_workbook(io.BytesIO(data))
    about = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}
    assert about["范围"] == COVERS[w.role], w.viewer
    clients = {row[0] for row in book["停滞"].iter_rows(min_row=2, values_only=True)}
    assert clients == {STALLED[o][0] for o in w.sees}, w.viewer


async def own_incentives(w: Walk) -> None:
    assert w.one(Markdown).title.startswith(f"{NAMES[w.viewer]}的激励"), w.viewer


async def team(w: Walk) -> None:
    names = set(re.findall(r"^- (\S+?)：本月约", w.one(Markdown).text, re.M))
    assert names == {NAMES[o] for o in w.sees - {w.viewer}}, w.viewer


async def payment(w: Walk) -> None:
    assert w.one(Text).text.startswith("已登记回款：华东机械 1万元"), w.viewer
    paid = await Payment.get(external_ref=f"HK-{w.viewer}")
    assert paid.owner_id == "zhang.wei"


async def own_tasks(w: Walk) -> None:
    text = w.one(Text).text
    assert {pid for pid, title in TASKS.items() if title in text} == {w.viewer}, text


async def postpone(w: Walk) -> None:
    assert w.one(Text).text.startswith(f"已推迟：{TASKS[w.viewer]}，新的时间 11月30日 10:00")
    moved = await Task.filter(title__in=list(TASKS.values())).values("assignee_id", "due_at")
    for t in moved:  # only the asker's task moved (those asked before them moved already)
        asked = EVERYONE.index(t["assignee_id"]) <= EVERYONE.index(w.viewer)
        assert t["due_at"] == (sh(2026, 11, 30, 10) if asked else sh(2026, 11, 28, 10)), t


async def orgsync(w: Walk) -> None:
    assert w.replies == [Text("没有启用企业微信或钉钉应用，无通讯录可同步")]


async def status(w: Walk) -> None:
    assert w.one(Markdown).title == "机器人状态"


async def client(w: Walk) -> None:
    """A request needs a client the asker sees; one they do not see starts nothing."""
    if "zhang.wei" in w.sees:
        assert CLIENT_NOT_VISIBLE.format(query="华东机械") not in w.text(), w.viewer
    else:
        assert w.replies == [Text(CLIENT_NOT_VISIBLE.format(query="华东机械"))], w.viewer
        assert await state(w.bot) == w.before, w.viewer


async def principals(viewer: str) -> set[str]:
    """Whom the viewer decides for: themselves, and whoever delegated to them (transitively)."""
    edges = await ApprovalDelegation.all().values_list("from_id", "to_id")
    out = {viewer}
    while grown := {f for f, t in edges if t in out} - out:
        out |= grown
    return out


async def waiting(w: Walk) -> None:
    """Only what waits for the asker's decision: never their own request, nobody else's step."""
    pending = await ApprovalStep.filter(
        status="pending", kind="approve", approver_id__in=sorted(await principals(w.viewer))
    ).values_list("approval_id", flat=True)
    expected = set(
        await Approval.filter(id__in=set(pending), status="pending")
        .exclude(requester_id=w.viewer)
        .values_list("id", flat=True)
    )
    listed = {int(n) for n in re.findall(r"#(\d+)", w.text())}
    assert listed == expected, (w.viewer, w.text())
    if not expected:
        assert w.replies == [Text("目前没有等你审批的申请。")]


async def mine(w: Walk) -> None:
    listed = {int(n) for n in re.findall(r"#(\d+)", w.text())}
    own = set(await Approval.filter(requester_id=w.viewer).values_list("id", flat=True))
    assert listed == own, (w.viewer, w.text())  # fewer than the list's 10 here


async def withdraw(w: Walk) -> None:
    done = re.fullmatch(r"已撤回 #(\d+)。", w.one(Text).text)
    if done is None:
        assert w.one(Text).text == "没有找到你可以撤回的申请。发送 /我的申请 查看编号。"
        assert not await Approval.filter(
            requester_id=w.viewer, status__in=["pending", "draft"]
        ).exists()
        return
    withdrawn = await Approval.get(id=int(done[1]))
    assert (withdrawn.requester_id, withdrawn.status) == (w.viewer, "withdrawn")


async def delegate(w: Walk) -> None:
    """The cards already out for the asker are redrawn for the delegate to tap."""
    if w.viewer == "wang.li":
        assert w.replies == [Text("没有找到可以委托的人“王丽”。")]
    else:
        assert w.one(Text) == Text("已委托 王丽 在 12月5日 前代你审批。"), w.viewer


CHECKS: dict[str, Check] = {
    "help": help_,
    "brief": brief,
    "funnel": funnel,
    "east_funnel": east_funnel,
    "person": person,
    "covers": covers,
    "ranking": ranking,
    "stalled": stalled,
    "export": export,
    "own_incentives": own_incentives,
    "team": team,
    "payment": payment,
    "own_tasks": own_tasks,
    "postpone": postpone,
    "orgsync": orgsync,
    "status": status,
    "client": client,
    "waiting": waiting,
    "mine": mine,
    "withdraw": withdraw,
    "delegate": delegate,
}
