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


def test_a_broken_value_hides_no_check_of_its_neighbours() -> None:
    """A typed check (a secret filled in, one won and one lost stage) runs on every part that
    validates, not only on sections that validated whole: each mistake shows in the first run."""
    text = edit(
        EXAMPLE,
        # one WeCom app: a bad agent_id, no secret, a short AES key
        ("    enabled: ${WECOM_ENABLED:-false}\n", "    enabled: true\n"),
        ("    corp_id: ${WECOM_CORP_ID:-}", "    corp_id: ww0123456789"),
        ("    agent_id: ${WECOM_AGENT_ID:-0}", "    agent_id: abc"),
        ("    token: ${WECOM_TOKEN:-}", "    token: tok"),
        ("    encoding_aes_key: ${WECOM_AES_KEY:-}", "    encoding_aes_key: tooshort"),
        # a bad stall_days on one stage, and no lost stage
        ("      stall_days: 10\n", "      stall_days: ten\n"),
        ("    - {name: 输单, kind: lost}\n", ""),
        # a template with a bad sla_hours whose route has other problems
        (
            "    sla_hours: 4\n",
            "    sla_hours: soon\n",
        ),
        (
            "    route:\n      - {chain: [supervisor]}\n\n# While",
            '    route:\n      - {when: "budget > 5", chain: [supervisor]}\n\n# While',
        ),
        # a broken delegation next to one that delegates to oneself
        (
            "delegations: []",
            "delegations:\n  - {from: zhao.lei, to: sun.mei, until: someday}\n"
            "  - {from: sun.mei, to: sun.mei, until: 2026-12-05}",
        ),
        # broken work hours next to a holiday filed under the wrong year
        (
            '  work_hours: {start: "09:00", end: "18:00"}',
            '  work_hours: {start: "9am"}\n  holidays:\n    2027: [2026-10-01]',
        ),
    )
    report = check_config_text(text, env={}, today=COVERED_DAY)
    got = [str(p) for p in report.errors]
    wecom = "channels.wecom.{}: {}（第 {} 行）"
    assert got == [
        "funnel.stages: 需要恰好一个赢单（won）阶段和一个输单（lost）阶段"
        f"（第 {line_of(text, 'name: 首次接触')} 行）",
        "funnel.stages[1].stall_days: 应为整数，而不是「ten」"
        f"（第 {line_of(text, 'stall_days: ten')} 行）",
        f"approvals.support.sla_hours: 应为数字，而不是「soon」（第 {line_of(text, 'sla_hours: soon')} 行）",
        "approvals.support.route[0].when: 条件 'budget > 5' 用到的字段 'budget' 不在模板字段中"
        f"（第 {line_of(text, 'budget > 5')} 行）",
        "approvals.support.route[0].when: 最后一条路线不能带条件，否则有的申请找不到审批路线"
        f"（第 {line_of(text, 'budget > 5')} 行）",
        "delegations[0].until: 应为日期（如 2026-10-01），而不是「someday」"
        f"（第 {line_of(text, 'until: someday')} 行）",
        f"delegations[1].to: 不能委托给自己（第 {line_of(text, '{from: sun.mei, to: sun.mei')} 行）",
        f"calendar.work_hours.start: 应为 09:00 这样的时间（第 {line_of(text, '9am')} 行）",
        "calendar.holidays.2027: 2026-10-01 不在 2027 年，请写在 2026 下面"
        f"（第 {line_of(text, '2027: [2026-10-01]')} 行）",
        wecom.format("agent_id", "应为整数，而不是「abc」", line_of(text, "agent_id: abc")),
        wecom.format("secret", "启用该渠道时必须填写", line_of(text, "WECOM_SECRET")),
        wecom.format(
            "encoding_aes_key",
            "必须正好 43 个字符（现在是 8 个）",
            line_of(text, "encoding_aes_key: tooshort"),
        ),
    ]


def test_each_platform_app_is_checked_on_its_own() -> None:
    text = """\
server:
  port: 0
  public_url: https://sales.example.cn
channels:
  wecom:
    - {name: a, corp_id: ww1, agent_id: abc, token: t, encoding_aes_key: "!!!"}
    - {name: b, enabled: maybe, callback_path: /wecom/callback}
    - {name: c, corp_id: ww1, agent_id: 2, secret: s, token: t, callback_path: /wecom/callback,
       encoding_aes_key: "%s"}
  dingtalk:
    mode: http
    app_key: dingkey
    timeout_s: -1
    callback_path: /wecom/callback
""" % ("!" * 43)
    report = check_config_text(text, env={})
    assert [str(p) for p in report.errors] == [
        "server.port: 不能小于 1（第 2 行）",
        "server.link_secret: channels.dingtalk 没有 card_template_id 时，审批链接需要它（第 2 行）",
        "channels.wecom[0].agent_id: 应为整数，而不是「abc」（第 6 行）",
        "channels.wecom[0].secret: 启用该渠道时必须填写（第 6 行）",
        "channels.wecom[0].encoding_aes_key: 必须正好 43 个字符（现在是 3 个）（第 6 行）",
        "channels.wecom[1].enabled: 应为 true 或 false，而不是「maybe」（第 7 行）",
        "channels.wecom[2].callback_path: 回调路径 /wecom/callback 被使用了两次（第 8 行）",
        "channels.wecom[2].encoding_aes_key: 不是有效的密钥（应为 43 位字母、数字、+ 或 /）："
        "请从企业微信后台重新复制（第 9 行）",
        "channels.dingtalk.app_secret: 启用该渠道时必须填写（第 11 行）",
        "channels.dingtalk.timeout_s: 必须大于 0（第 13 行）",
        "channels.dingtalk.callback_path: 回调路径 /wecom/callback 被使用了两次（第 14 行）",
    ]


def test_schedules_and_time_zones_are_explained_in_chinese_with_a_guess() -> None:
    text = edit(
        EXAMPLE,
        ("timezone: Asia/Shanghai ", "timezone: Asia/Shangai "),
        ("  urgent: []", "  urgent: [reminder, aproval_escalation]"),
        ('  daily_digest: "08:30"', '  daily_digest: "8:30"'),
        ("  weekly_calibration: fri 17:00", "  weekly_calibration: friday 17:00"),
        ("  approval_sla: every 5m", "  approval_sla: every 7m"),
        ("  checklist_scan: every 10m", "  checklist_scan: daily"),
    )
    report = check_config_text(text, env={}, today=COVERED_DAY)
    forms = (
        "应写成「08:30」（每天）、「fri 17:00」或「mon,thu 09:00」（那几天）、"
        "「every 5m」（每隔一段时间，单位 s、m、h）"
    )
    assert [str(p) for p in report.errors] == [
        "timezone: 未知的时区「Asia/Shangai」（是不是 Asia/Shanghai？），应为 Asia/Shanghai "
        f"这样的 IANA 时区名（第 {line_of(text, 'Asia/Shangai')} 行）",
        "schedules.urgent[1]: 未知的推送类型「aproval_escalation」（是不是 approval_escalation？），"
        "可选：reminder、digest、checklist、stall_rep、stall_supervisor、stall_director、"
        "calibration、approval_reminder、approval_escalation、incentive_settlement"
        f"（第 {line_of(text, 'aproval_escalation')} 行）",
        f"schedules.checklist_scan: 「daily」不是有效的时间表，{forms}"
        f"（第 {line_of(text, 'checklist_scan: daily')} 行）",
        f"schedules.daily_digest: 「8:30」不是有效的时间表，{forms}（是不是 08:30？）"
        f"（第 {line_of(text, 'daily_digest')} 行）",
        f"schedules.weekly_calibration: 「friday 17:00」不是有效的时间表，{forms}"
        f"（是不是 fri 17:00？）（第 {line_of(text, 'friday 17:00')} 行）",
        "schedules.approval_sla: 「every 7m」的间隔必须能整除 60，否则整点前后的间隔会不一样"
        f"（可选：1、2、3、4、5、6、10、12、15、20、30）（第 {line_of(text, 'every 7m')} 行）",
    ]


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


def test_an_admin_the_bot_cannot_reach_in_chat_is_a_warning() -> None:
    unreachable = "没有人能用 /状态，也收不到机器人发给管理员的通知（如消息投递失败）"
    no_ids = edit(
        EXAMPLE,
        (
            "role: admin, title: 系统管理员, wecom_userid: LinFeng}",
            "role: admin, title: 系统管理员}",
        ),
    )
    report = check_config_text(no_ids, env={}, today=COVERED_DAY)
    assert report.errors == []
    assert [str(p) for p in report.warnings] == [
        f"people[13]: 没有一位管理员填写了 wecom_userid 或 dingtalk_staff_id：{unreachable}"
        f"（第 {line_of(no_ids, '{id: lin.feng')} 行）"
    ]
    no_admin = edit(
        EXAMPLE, ("role: admin, title: 系统管理员", "role: director, title: 系统管理员")
    )
    report = check_config_text(no_admin, env={}, today=COVERED_DAY)
    assert [str(p) for p in report.warnings] == [
        f"people: 没有管理员（role: admin）：{unreachable}（第 {line_of(no_admin, '{id: chen')} 行）"
    ]
    # Org sync that can make someone an admin may bring one with a platform id.
    synced = edit(
        no_admin,
        ("org_sync:\n  enabled: false", "org_sync:\n  enabled: true"),
        ("    - {title: 销售总监, role: director}", "    - {title: 系统管理员, role: admin}"),
    )
    assert check_config_text(synced, env={}, today=COVERED_DAY).warnings == []


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


def test_template_commands_are_names_typed_after_a_slash_once() -> None:
    text = edit(
        EXAMPLE,
        ("    command: 合同\n", "    command: /合同\n"),
        ("    command: 样品\n", "    command: 样品 寄送\n"),
        ("    command: 技术支持\n", "    command: 报价\n"),
    )
    report = check_config_text(text, env={}, today=COVERED_DAY)
    quote, support = [i for i, line in enumerate(text.splitlines(), 1) if "command: 报价" in line]
    assert [str(p) for p in report.errors] == [
        f"approvals.quote.command: 命令 /报价 被多个模板使用（第 {quote} 行）",
        "approvals.contract.command: 命令「/合同」写法不对：只写命令名，不带 / 和空格，例如 "
        f"command: 报价（第 {line_of(text, 'command: /合同')} 行）",
        "approvals.sample.command: 命令「样品 寄送」写法不对：只写命令名，不带 / 和空格，例如 "
        f"command: 报价（第 {line_of(text, 'command: 样品 寄送')} 行）",
        f"approvals.support.command: 命令 /报价 被多个模板使用（第 {support} 行）",
    ]
