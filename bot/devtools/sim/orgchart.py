"""A realistic, deterministic company directory for the simulators: ~320 people in nested
departments (company → sales centre → regions → teams; legal, finance, R&D with sub-departments,
HR, marketing), each department with a leader, people with titles.

Both simulators load the same chart, each with its own user ids (WeCom: pinyin like
``ZhangWei``; DingTalk: numeric staff ids), so org sync is tested against what an admin's
real directory looks like, not against three hand-made users.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from pypinyin import lazy_pinyin

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉婷宇浩凯健俊帆帅旭宁龙林欣佳雪琳晨阳博文斌志刚峰海波雷建国红梅琴云飞鑫颖倩瑶璐晶楠"
REGIONS = ("华东", "华南", "华北", "西南", "华中")
REPS_PER_TEAM = 14


@dataclass
class Dept:
    id: int
    name: str
    parent: int  # 0 for the root
    order: int = 0
    leader: str | None = None  # the leader's key (see Staff.key)


@dataclass
class Staff:
    key: str  # stable across platforms, e.g. "s0042"
    name: str
    title: str
    depts: list[int] = field(default_factory=list)
    leader_of: list[int] = field(default_factory=list)


@dataclass
class OrgChart:
    depts: dict[int, Dept]
    staff: dict[str, Staff]

    def children(self, dept_id: int) -> list[Dept]:
        return [d for d in self.depts.values() if d.parent == dept_id]

    def members(self, dept_id: int) -> list[Staff]:
        return [s for s in self.staff.values() if dept_id in s.depts]

    def by_name(self, name: str) -> Staff:
        return next(s for s in self.staff.values() if s.name == name)

    def dept_named(self, name: str) -> Dept:
        return next(d for d in self.depts.values() if d.name == name)


def wecom_userid(name: str, taken: set[str]) -> str:
    base = "".join(p.capitalize() for p in lazy_pinyin(name))
    userid, n = base, 1
    while userid in taken:
        n += 1
        userid = f"{base}{n}"
    taken.add(userid)
    return userid


def generate(seed: int = 7) -> OrgChart:
    rng = random.Random(seed)
    used: set[str] = set()
    depts: dict[int, Dept] = {}
    staff: dict[str, Staff] = {}

    def name() -> str:
        while True:
            n = rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))
            )
            if n not in used:
                used.add(n)
                return n

    def dept(name_: str, parent: int) -> Dept:
        d = Dept(len(depts) + 1, name_, parent, order=len(depts))
        depts[d.id] = d
        return d

    def person(title: str, d: Dept, lead: bool = False) -> Staff:
        s = Staff(f"s{len(staff) + 1:04d}", name(), title, [d.id], [d.id] if lead else [])
        staff[s.key] = s
        if lead:
            d.leader = s.key
        return s

    root = dept("星辰科技", 0)
    person("总经理", root, lead=True)
    sales = dept("销售中心", root.id)
    person("销售总监", sales, lead=True)
    for region in REGIONS:
        r = dept(f"{region}大区", sales.id)
        person("大区经理", r, lead=True)
        for i, num in enumerate("一二三"):
            team = dept(f"{region}{num}组", r.id)
            person("销售主管", team, lead=True)
            for j in range(REPS_PER_TEAM):
                person("高级销售代表" if (i + j) % 4 == 0 else "销售代表", team)
    for title, lead_title, size, dname in (
        ("法务专员", "法务经理", 4, "法务部"),
        ("会计", "财务经理", 6, "财务部"),
        ("人事专员", "人力资源经理", 7, "人力资源部"),
        ("市场专员", "市场经理", 11, "市场部"),
    ):
        d = dept(dname, root.id)
        person(lead_title, d, lead=True)
        for _ in range(size):
            person(title, d)
    tech = dept("技术部", root.id)
    person("技术总监", tech, lead=True)
    for sub in ("研发一部", "研发二部", "测试部"):
        d = dept(sub, tech.id)
        person("研发经理", d, lead=True)
        for _ in range(18):
            person("工程师", d)
    return OrgChart(depts, staff)
