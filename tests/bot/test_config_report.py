"""check-config tells everything at once, in Chinese, each problem with its line."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from bot.config import check_config_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "config.yaml").read_text(encoding="utf-8")
# chinese-calendar 1.11 covers 2004..2026: a day in mid-2026 needs no extra calendar.
COVERED_DAY = dt.date(2026, 6, 1)


def route_line(text: str, template: str) -> int:
    """The line a template's ``route`` list starts on (its first rule)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line == f"  {template}:")
    return next(i for i in range(start, len(lines)) if lines[i] == "    route:") + 2


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def edit(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_one_mistake_of_every_kind_is_reported_in_one_run() -> None:
    text = edit(
        EXAMPLE,
        # three mistakes on one line: a schema error and two cross-references
        (
            "{id: li.na, name: 李娜, role: rep, team: east-1, supervisor: zhao.lei,",
            "{id: li.na, name: 李娜, role: sales_rep, team: east-9, supervisor: zhao.le,",
        ),
        ("  workers: 4 ", "  wrokers: 4 "),  # unknown key
        ("  port: 8080\n", "  port: 8080\n  port: 0\n"),  # a duplicate key, out of range
        ("  format: json ", "  format: yaml "),  # not one of the allowed values
        ("{id: south, name: 华南}", "{id: south}"),  # a required key missing
        ("first_followup_hours: 24", "first_followup_hours: soon"),  # not a number
        (
            "{id: east-2, name: 华东二组, region: east,",
            "{id: east-2, name: 华东二组, region: esat,",
        ),
        (
            '{when: "amount < 100000", chain: [supervisor, legal]}',
            '{when: "amount < 100000", chain: [supervisor, lawyer]}',
        ),
        ("    - {name: 输单, kind: lost}\n", ""),  # no lost stage
        ("link_secret: ${SALESBOT_LINK_SECRET:-}", "link_secret: ${SALESBOT_LINK_SECRET}"),
    )
    report = check_config_text(text, env={}, today=COVERED_DAY)
    li_na = line_of(text, "role: sales_rep")
    got = [str(p) for p in report.errors]
    assert report.config is None
    assert got == [
        f"server.port: 重复的键（后一个会覆盖前一个）（第 {line_of(text, 'port: 0')} 行）",
        f"server.port: 不能小于 1（第 {line_of(text, 'port: 0')} 行）",
        f"server.link_secret: 环境变量 SALESBOT_LINK_SECRET 未设置（第 {line_of(text, 'link_secret:')} 行）",
        f"pipeline.wrokers: 未知的配置项（检查拼写）（是不是 workers？）（第 {line_of(text, 'wrokers')} 行）",
        "logging.format: 「yaml」不是可选值，可选：json、text"
        f"（第 {line_of(text, 'format: yaml')} 行）",
        f"regions[1].name: 缺少必填项（第 {line_of(text, '{id: south}')} 行）",
        "teams[1].region: 未知的区域「esat」（是不是 east？），已有：east、south"
        f"（第 {line_of(text, 'region: esat')} 行）",
        "people[7].role: 「sales_rep」不是可选值，可选：rep、supervisor、manager、director、legal、"
        f"finance、admin（是不是 rep？）（第 {li_na} 行）",
        "people[7].team: 未知的团队「east-9」（是不是 east-1？），已有：east-1、east-2、south-1、"
        f"south-2（第 {li_na} 行）",
        f"people[7].supervisor: 未知的人员「zhao.le」（是不是 zhao.lei？）（第 {li_na} 行）",
        "funnel.stages: 需要恰好一个赢单（won）阶段和一个输单（lost）阶段"
        f"（第 {line_of(text, 'name: 首次接触')} 行）",
        "approvals.contract.route[0].chain[1]: 未知的审批人「lawyer」，应为 supervisor、"
        "supervisor+N、角色（rep、supervisor、manager、director、legal、finance、admin）或人员 id"
        f"（第 {line_of(text, 'lawyer')} 行）",
        "schedules.first_followup_hours: 应为数字，而不是「soon」"
        f"（第 {line_of(text, 'first_followup_hours')} 行）",
    ]
    assert report.warnings == []


def test_warnings_are_listed_apart_from_errors() -> None:
    text = edit(
        EXAMPLE,
        # a rep without a supervisor, whose supervisor-only routes then end with nobody
        (
            "team: south-2, supervisor: he.jing, dingtalk_staff_id",
            "team: south-2, dingtalk_staff_id",
        ),
    )
    report = check_config_text(text, env={}, today=dt.date(2027, 3, 1))
    assert report.errors == [] and report.config is not None
    wu = line_of(text, "{id: wu.fang")
    stranded = "找不到任何审批人，审批会无人处理"
    assert [str(p) for p in report.warnings] == [
        f"people[10].supervisor: 这位销售没有上级：审批和停滞提醒会找不到主管（第 {wu} 行）",
        f"approvals.quote.route: 吴芳提交时第 1、2、3 条规则{stranded}"
        f"（第 {route_line(text, 'quote')} 行）",
        f"approvals.contract.route: 吴芳提交时第 1、2、3 条规则{stranded}"
        f"（第 {route_line(text, 'contract')} 行）",
        f"approvals.sample.route: 吴芳提交时第 1 条规则{stranded}"
        f"（第 {route_line(text, 'sample')} 行）",
        f"approvals.support.route: 吴芳提交时第 1 条规则{stranded}"
        f"（第 {route_line(text, 'support')} 行）",
        "calendar: 2027 年没有法定节假日数据：请在 config.yaml 的 calendar.holidays / "
        "calendar.workdays 中按国务院通知填写，目前按普通周末计算。"
        f"（第 {line_of(text, '  source: cn')} 行）",
    ]


def test_next_year_is_expected_from_november_and_none_turns_the_calendar_check_off() -> None:
    autumn = check_config_text(EXAMPLE, env={}, today=dt.date(2026, 10, 31))
    november = check_config_text(EXAMPLE, env={}, today=dt.date(2026, 11, 1))
    assert autumn.warnings == []
    assert [p.message.split("：")[0] for p in november.warnings] == ["2027 年没有法定节假日数据"]
    off = edit(EXAMPLE, ("  source: cn", "  source: none"))
    assert check_config_text(off, env={}, today=dt.date(2030, 1, 1)).warnings == []


def test_valid_config_prints_only_its_summary(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    # The example with no calendar-year warning whatever today's date is.
    path.write_text(edit(EXAMPLE, ("  source: cn", "  source: none")), "utf-8")
    env = {"PATH": "/usr/bin:/bin"}
    res = subprocess.run(
        [sys.executable, "-m", "bot", "check-config", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert res.returncode == 0
    assert res.stderr == ""
    assert res.stdout == (f"{path}: 配置正确 — 14 人，4 个团队，6 个阶段，4 个审批模板\n")


def test_cli_lists_errors_and_warnings_separately_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    text = edit(
        EXAMPLE,
        ("  source: cn", "  source: none"),
        ("{id: li.na, name: 李娜, role: rep,", "{id: li.na, name: 李娜, role: sales_rep,"),
        (
            "team: south-2, supervisor: he.jing, dingtalk_staff_id",
            "team: south-2, dingtalk_staff_id",
        ),
    )
    path.write_text(text, "utf-8")
    res = subprocess.run(
        [sys.executable, "-m", "bot", "check-config", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert res.returncode == 1 and res.stdout == ""
    lines = res.stderr.splitlines()
    assert lines[0] == f"{path}: 配置有 1 处错误："
    assert lines[1].startswith("  people[7].role: 「sales_rep」不是可选值")
    assert lines[2] == f"{path}: 5 条提醒（不影响启动）："
    assert lines[3].startswith("  people[10].supervisor: 这位销售没有上级")


def test_stages_named_in_rules_must_exist_in_the_funnel() -> None:
    # Any section's ``stage``/``stages`` keys name funnel stages (here a metrics-like rule).
    text = EXAMPLE + "\nmetrics:\n  won_from: {stages: [报价谈判, 报价谈盘]}\n"
    report = check_config_text(text, env={}, today=COVERED_DAY)
    stage_errors = [str(p) for p in report.errors if "阶段" in p.message]
    assert stage_errors == [
        "metrics.won_from.stages[1]: 未知的阶段「报价谈盘」（是不是 报价谈判？），已有：首次接触、"
        f"需求确认、方案演示、报价谈判、赢单、输单（第 {line_of(text, '报价谈盘')} 行）"
    ]
