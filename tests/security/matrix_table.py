"""The role × action matrix, written out by hand from config.yaml's org chart and the product's
rules — nothing here is read from the code under test, so a change of who may do what shows up
as a failing cell of tests/security/test_role_matrix.py, not as a silently updated expectation.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config.org import Role

ROLES: dict[str, Role] = {
    "chen.zhiyuan": Role.director,
    "wang.li": Role.manager,
    "zhao.lei": Role.supervisor,
    "sun.mei": Role.supervisor,
    "huang.tao": Role.supervisor,
    "he.jing": Role.supervisor,
    "zhang.wei": Role.rep,
    "li.na": Role.rep,
    "liu.yang": Role.rep,
    "zhou.jie": Role.rep,
    "wu.fang": Role.rep,
    "xu.qing": Role.legal,
    "ma.jun": Role.finance,
    "lin.feng": Role.admin,
}
EVERYONE = list(ROLES)
NAMES = {
    "chen.zhiyuan": "陈志远",
    "wang.li": "王丽",
    "zhao.lei": "赵磊",
    "sun.mei": "孙梅",
    "huang.tao": "黄涛",
    "he.jing": "何静",
    "zhang.wei": "张伟",
    "li.na": "李娜",
    "liu.yang": "刘洋",
    "zhou.jie": "周杰",
    "wu.fang": "吴芳",
    "xu.qing": "徐晴",
    "ma.jun": "马骏",
    "lin.feng": "林峰",
}
# Not in the organisation: someone never seen, and another org's member whose id happens to be
# our 张伟's WeCom userid (ids belong to one platform and one org; here it names nobody).
OUTSIDERS = ["stranger", "ZhangWei"]

REPS = ["zhang.wei", "li.na", "liu.yang", "zhou.jie", "wu.fang"]
# Whose clients and numbers each person sees.
SEES: dict[str, set[str]] = {
    "zhang.wei": {"zhang.wei"},
    "li.na": {"li.na"},
    "liu.yang": {"liu.yang"},
    "zhou.jie": {"zhou.jie"},
    "wu.fang": {"wu.fang"},
    "zhao.lei": {"zhang.wei", "li.na"},  # supervisor of 华东一组
    "sun.mei": {"liu.yang"},
    "huang.tao": {"zhou.jie"},
    "he.jing": {"wu.fang"},
    "wang.li": {"zhang.wei", "li.na", "liu.yang"},  # manager of both 华东 teams
    "chen.zhiyuan": set(REPS),  # director over 华东 and 华南
    "lin.feng": set(REPS),  # admin
    "xu.qing": set(),  # legal and finance: only what an approval copies them on (none here)
    "ma.jun": set(),
}
# How a stats answer names what it covers.
COVERS = {
    Role.rep: "我的",
    Role.supervisor: "我的团队",
    Role.manager: "我的团队",
    Role.director: "我的团队",
    Role.admin: "全公司",
}

ALL = frozenset(Role)
SELLS = frozenset({Role.rep, Role.supervisor, Role.manager, Role.director, Role.admin})
LEADS = frozenset({Role.supervisor, Role.manager, Role.director, Role.admin})
PAYS = frozenset({Role.finance, Role.admin})
ADMIN = frozenset({Role.admin})
LOGS_VISITS = frozenset({Role.rep, Role.supervisor, Role.manager, Role.director})


@dataclass(frozen=True)
class Cell:
    command: str
    args: str  # "{viewer}" is the asker's id
    roles: frozenset[Role]  # who may use it; everyone else gets the one refusal text
    answer: str  # what an allowed answer must show: a check in matrix_checks.CHECKS


COMMANDS: tuple[Cell, ...] = (
    Cell("帮助", "", ALL, "help"),  # lists exactly the commands of this table the role may use
    Cell("简报", "华东机械", ALL, "brief"),  # 张伟's client: only who sees 张伟's clients
    Cell("漏斗", "", SELLS, "funnel"),  # counts the deals of the asker's scope, no others
    Cell("漏斗", "张伟", SELLS, "person"),  # someone's numbers: only when in the asker's scope
    Cell("转化", "渠道", SELLS, "covers"),
    Cell("停留", "", SELLS, "covers"),
    Cell("排行", "拜访", SELLS, "ranking"),  # ranks the people of the asker's scope
    Cell("停滞", "", SELLS, "stalled"),  # lists the stalled deals of the asker's scope
    Cell("预测", "", SELLS, "covers"),
    Cell("热力图", "", SELLS, "covers"),
    Cell("导出", "", SELLS, "export"),  # the workbook's 停滞 sheet: the asker's scope only
    Cell("我的激励", "", SELLS, "own_incentives"),
    Cell("激励", "团队", LEADS, "team"),  # the reps of the asker's scope
    Cell("回款", "华东机械 1万 单号 HK-{viewer}", PAYS, "payment"),
    Cell("待办", "", ALL, "own_tasks"),  # everyone has tasks; each sees their own only
    Cell("推迟", "1 下周一", ALL, "postpone"),  # moves the asker's own task, no one else's
    Cell("同步通讯录", "", ADMIN, "orgsync"),
    Cell("状态", "", ADMIN, "status"),
    Cell("报价", "华东机械 30万", SELLS, "client"),  # a request needs a client the asker sees
    Cell("合同", "华东机械 50万", SELLS, "client"),
    Cell("样品", "华东机械 样机一台", SELLS, "client"),
    Cell("技术支持", "华东机械 现场调试", SELLS, "client"),
    Cell("审批", "样品寄送 华东机械 样机一台", SELLS, "client"),
    Cell("待审批", "", ALL, "waiting"),  # only what waits for the asker (or whom they stand in for)
    Cell("我的申请", "", ALL, "mine"),  # only the asker's own requests
    Cell("撤回", "", SELLS, "withdraw"),  # only the asker's own request
    Cell("委托", "王丽 至 12月5日", ALL, "delegate"),  # legal and finance decide steps too
)


@dataclass(frozen=True)
class TapCell:
    actors: str  # who the card lists: anyone else whose role may tap such cards is told whose it is
    roles: frozenset[Role]  # whose role may tap such a card at all
    what: str  # how the refusal names the action to the other roles ("你的角色（法务）不能…")


# Card actions by prefix: who may tap them (everyone else is refused and audited, nothing changes).
TAPS = {
    "fu": TapCell("the rep whose visit-note draft it is", LOGS_VISITS, "记录拜访"),
    "nq": TapCell("who sent the text it asks about (这是一条拜访记录吗)", LOGS_VISITS, "记录拜访"),
    "ao": TapCell("the rep whose saved visit it offers an approval for", SELLS, "发起审批"),
    "ap": TapCell("the current approver and their delegates, never the requester", ALL, "处理审批"),
    "rm": TapCell("the owner of the reminded task", ALL, "处理待办提醒"),
    "ag": TapCell("the rep whose guided request card it is (样品 · 待补充)", SELLS, "发起审批"),
}


@dataclass(frozen=True)
class Ask:
    """A request in plain words, as a person would type it (no slash)."""

    text: str
    topic: str  # what the intent reader takes it for (nlp.intent.Topic)
    roles: frozenset[Role]  # who gets an answer; everyone else the one refusal text
    answer: str  # a check in matrix_checks.CHECKS
    what: str  # how the refusal names it


# One request for each feature that answers plain words.
REQUESTS: tuple[Ask, ...] = (
    Ask("华东本月漏斗怎么样", "funnel", SELLS, "east_funnel", "查看销售统计"),
    Ask("我这个月激励多少", "incentive", SELLS, "own_incentives", "查看激励"),
    Ask("我今天有什么要跟进的", "tasks", ALL, "own_tasks", "查看待办"),
    Ask("帮我查下华东机械", "brief", ALL, "brief", "查看客户简报"),
    Ask("我的报价批下来没", "approvals", ALL, "mine", "查看审批"),
    Ask("你能做什么", "help", ALL, "help", ""),
)
