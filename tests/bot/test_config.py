"""Config: the example validates; bad config yields exact, located problems; secrets from env."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config, load_config_text
from bot.config.loader import check_config_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "config.yaml").read_text(encoding="utf-8")


def problems_of(text: str, env: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config_text(text, env=env or {})
    return [str(p) for p in info.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_example_config_is_valid_and_complete() -> None:
    config = load_config(ROOT / "config.yaml", env={})
    roles = {p.role.value for p in config.people}
    assert {"rep", "supervisor", "director", "legal", "finance", "admin"} <= roles
    assert len(config.teams) == 4 and len(config.regions) == 2
    assert 10 <= len(config.people) <= 16
    assert [s.name for s in config.funnel.stages] == [
        "首次接触",
        "需求确认",
        "方案演示",
        "报价谈判",
        "赢单",
        "输单",
    ]
    assert all(s.stall_days for s in config.funnel.open_stages)
    assert config.database.url.startswith("sqlite://")


def test_wrong_types_and_unknown_keys_are_reported_with_their_lines() -> None:
    text = EXAMPLE.replace("    sla_hours: 4\n", "    sla_hours: lots\n").replace(
        "  workers: 4 ", "  wrokers: 4 "
    )
    assert problems_of(text) == [
        f"pipeline.wrokers: 未知的配置项（检查拼写）（是不是 workers？）（第 {line_of(text, 'wrokers')} 行）",
        f"approvals.support.sla_hours: 应为数字，而不是「lots」（第 {line_of(text, 'sla_hours: lots')} 行）",
    ]


def test_cross_references_are_checked() -> None:
    text = (
        EXAMPLE.replace(
            "supervisor: zhao.lei, wecom_userid: LiNa", "supervisor: nobody, wecom_userid: LiNa"
        )
        .replace(
            "{id: east-2, name: 华东二组, region: east,",
            "{id: east-2, name: 华东二组, region: north,",
        )
        .replace(
            '{when: "amount < 500000", chain: [supervisor, manager]}',
            '{when: "amout < 500000", chain: [supervisor, bogus]}',
        )
    )
    got = problems_of(text)
    quote_line = line_of(text, "chain: [supervisor, bogus]")
    roles = "rep、supervisor、manager、director、legal、finance、admin"
    assert got == [
        f"teams[1].region: 未知的区域「north」，已有：east、south（第 {line_of(text, 'region: north')} 行）",
        f"people[7].supervisor: 未知的人员「nobody」（第 {line_of(text, 'supervisor: nobody')} 行）",
        f"approvals.quote.route[1].when: 条件 'amout < 500000' 用到的字段 'amout' 不在模板字段中（第 {quote_line} 行）",
        f"approvals.quote.route[1].chain[1]: 未知的审批人「bogus」，应为 supervisor、supervisor+N、角色（{roles}）或人员 id（第 {quote_line} 行）",
    ]


def test_a_route_rung_nobody_fills_is_a_warning() -> None:
    # The config loads (a request under that rule is refused with MissingApprover at submit
    # time); check-config says so in advance.
    text = EXAMPLE.replace(
        "{chain: [supervisor, manager, director]}", "{chain: [supervisor, supervisor+3]}"
    )
    report = check_config_text(text, env={}, today=dt.date(2026, 6, 1))
    assert report.errors == []
    route_line = line_of(text, "supervisor+3") - 2
    assert [str(p) for p in report.warnings] == [
        f"approvals.quote.route: 张伟提交时第 3 条规则找不到任何审批人，审批会无人处理（第 {route_line} 行）"
    ]


def test_unreadable_condition_and_bad_delegation_are_reported() -> None:
    text = EXAMPLE.replace('when: "amount < 100000"', 'when: "amount about 10"', 1).replace(
        "delegations: []", "delegations:\n  - {from: zhao.lei, to: nobody, until: 2026-12-05}"
    )
    got = [p.split("（第")[0] for p in problems_of(text)]
    assert got == [
        "approvals.quote.route[0].when: 看不懂条件「amount about 10」，"
        "应写成 amount < 100000、amount >= 50万 或 special_terms 这样",
        "delegations[0].to: 未知的人员「nobody」",
    ]
    fixed = text.replace('when: "amount about 10"', 'when: "amount < 10万"')
    assert [p.split("（第")[0] for p in problems_of(fixed)] == [
        "delegations[0].to: 未知的人员「nobody」"
    ]


def test_enabled_channel_needs_its_credentials_and_reads_them_from_env() -> None:
    text = EXAMPLE.replace("enabled: ${WECOM_ENABLED:-false}", "enabled: true")
    got = problems_of(text)
    assert [p.split(":")[0] for p in got] == [
        "channels.wecom.corp_id",
        "channels.wecom.agent_id",
        "channels.wecom.secret",
        "channels.wecom.token",
        "channels.wecom.encoding_aes_key",
    ]  # in the order of their lines
    env = {
        "WECOM_CORP_ID": "ww0000000000000001",
        "WECOM_AGENT_ID": "1000002",
        "WECOM_SECRET": "s" * 20,
        "WECOM_TOKEN": "t" * 10,
        "WECOM_AES_KEY": "k" * 43,
    }
    config = load_config_text(text, env=env)
    app = config.channels.wecom[0]
    assert app.agent_id == 1000002 and app.secret.get_secret_value() == "s" * 20
    assert "s" * 20 not in repr(config)  # secrets never print


def test_missing_env_variable_without_default_is_a_problem() -> None:
    text = EXAMPLE.replace("${SALESBOT_LINK_SECRET:-}", "${SALESBOT_LINK_SECRET}")
    assert problems_of(text) == [
        f"server.link_secret: 环境变量 SALESBOT_LINK_SECRET 未设置（第 {line_of(text, 'link_secret:')} 行）"
    ]


def test_duplicate_keys_and_ids_are_reported() -> None:
    text = EXAMPLE.replace("  port: 8080\n", "  port: 8080\n  port: 9090\n").replace(
        "{id: li.na, name: 李娜", "{id: zhang.wei, name: 李娜"
    )
    got = problems_of(text)
    assert (
        f"server.port: 重复的键（后一个会覆盖前一个）（第 {line_of(text, 'port: 9090')} 行）" in got
    )
    assert any(p.startswith("people[7].id: 人员 id「zhang.wei」重复") for p in got)


def test_supervisor_loop_is_found() -> None:
    text = EXAMPLE.replace(
        "{id: chen.zhiyuan, name: 陈志远, role: director,",
        "{id: chen.zhiyuan, name: 陈志远, role: director, supervisor: zhang.wei,",
    )
    got = problems_of(text)
    assert any(p.startswith("people[0].supervisor: 上级链条绕回了此人自己") for p in got)


def test_check_config_command(tmp_path: Path) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "bot", "check-config", str(ROOT / "config.yaml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert ok.returncode == 0, ok.stderr
    assert "配置正确" in ok.stdout
    bad = tmp_path / "bad.yaml"
    text = EXAMPLE.replace("    sla_hours: 4\n", "    sla_hours: lots\n")
    bad.write_text(text, encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-m", "bot", "check-config", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert res.returncode == 1
    assert (
        f"  approvals.support.sla_hours: 应为数字，而不是「lots」（第 {line_of(text, 'sla_hours: lots')} 行）"
        in res.stderr.splitlines()
    )


def test_dingtalk_link_fallback_needs_a_secret_and_a_public_url() -> None:
    text = EXAMPLE.replace("enabled: ${DINGTALK_ENABLED:-false}", "enabled: true").replace(
        "  public_url: ${SALESBOT_PUBLIC_URL:-http://127.0.0.1:8080}", "  public_url:"
    )
    env = {"DINGTALK_APP_KEY": "dingappkey", "DINGTALK_APP_SECRET": "secret-value"}
    got = [p.split("（第")[0] for p in problems_of(text, env)]
    why = "channels.dingtalk 没有 card_template_id 时，审批链接需要它"
    assert got == [f"server.public_url: {why}", f"server.link_secret: {why}"]  # line order
    ok = load_config_text(text, env={**env, "DINGTALK_CARD_TEMPLATE_ID": "tpl-1"})
    assert ok.channels.dingtalk[0].card_template_id == "tpl-1"
