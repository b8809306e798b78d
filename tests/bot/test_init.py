"""salesbot init: a first config that passes check-config and serves, secrets kept out of it."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.config import check_config
from bot.ops.init_config import Answers, add_arguments, answers_from_flags, env_names, run
from tests.bot.test_cli_demo import wait_healthy
from tests.pipeline.test_processes import free_port
from tests.support.harness import ROOT

SECRETS = {
    "WECOM_CORP_ID": "ww0123456789abcdef",
    "WECOM_AGENT_ID": "1000002",
    "WECOM_SECRET": "wecom-secret-value-0123456789",
    "WECOM_TOKEN": "tokenvalue",
    "WECOM_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    "DINGTALK_APP_KEY": "dingappkey0001",
    "DINGTALK_APP_SECRET": "dingtalk-secret-value-0123456789",
    "SALESBOT_LINK_SECRET": "link-secret-value-0123456789",
    "SALESBOT_PUBLIC_URL": "https://sales.example.cn",
}


def salesbot(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(list(argv))


def needed_env(platform: str) -> dict[str, str]:
    answers = answers_from_flags(parse("--org", "x", "--platform", platform))
    assert isinstance(answers, Answers)
    return {name: SECRETS[name] for name in env_names(answers)}


@pytest.mark.parametrize("platform", ["wecom", "dingtalk", "both"])
def test_the_written_config_passes_check_config_and_holds_no_secret(
    tmp_path: Path, platform: str
) -> None:
    out = tmp_path / "config.yaml"
    args = parse(
        "--non-interactive",
        "--org",
        '华东 "智造": 科技',
        "--platform",
        platform,
        "--admin-id",
        "lin.feng",
        "--admin-name",
        "林峰",
        "--admin-wecom-userid",
        "LinFeng",
        "-o",
        str(out),
    )
    assert run(args) == 0
    text = out.read_text("utf-8")
    assert not any(value in text for value in SECRETS.values())
    assert text.count("#") > 20  # commented for the admin who reads it next
    env = needed_env(platform)
    report = check_config(out, env=env)
    assert report.errors == [], report.errors
    config = report.config
    assert config is not None and config.org_name == '华东 "智造": 科技'
    (admin,) = config.people
    assert (admin.id, admin.name, admin.role.value, admin.wecom_userid) == (
        "lin.feng",
        "林峰",
        "admin",
        "LinFeng",
    )
    assert bool(config.channels.enabled_wecom) == (platform != "dingtalk")
    assert bool(config.channels.enabled_dingtalk) == (platform != "wecom")
    if config.channels.enabled_wecom:
        assert config.channels.wecom[0].secret.get_secret_value() == SECRETS["WECOM_SECRET"]
    # Without the variables the file names each one that is missing, with its line.
    missing = check_config(out, env={})
    assert {p.message for p in missing.errors} == {f"环境变量 {n} 未设置" for n in env}


def test_questions_in_chinese_and_no_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "config.yaml"
    asked: list[str] = []
    answers = iter(["示例公司", "wechat", "dingtalk", "", "", "bad id!", "", "王强", "staff0001"])

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return next(answers)

    assert run(parse("-o", str(out)), ask=ask) == 0
    assert asked[0] == "组织名称（显示在消息和报表里）："
    assert asked[1] == "使用哪个平台：wecom（企业微信）/ dingtalk（钉钉）/ both [wecom]："
    assert asked[2] == asked[1]  # "wechat" was refused, so the question came again
    assert "请填写 wecom、dingtalk 或 both" in capsys.readouterr().err
    report = check_config(out, env={n: SECRETS[n] for n in SECRETS})
    assert report.config is not None, report.errors
    assert report.config.database.url == "sqlite://var/salesbot.sqlite3"
    (admin,) = report.config.people
    assert (admin.id, admin.name, admin.dingtalk_staff_id) == ("admin", "王强", "staff0001")

    before = out.read_text("utf-8")
    assert run(parse("--non-interactive", "--org", "别的", "-o", str(out))) == 2
    assert out.read_text("utf-8") == before
    assert "已存在；要覆盖请加 --force" in capsys.readouterr().err
    assert run(parse("--non-interactive", "--org", "别的", "-o", str(out), "--force")) == 0
    assert "别的" in out.read_text("utf-8")


async def test_init_then_check_config_then_serve_answers_healthz(tmp_path: Path) -> None:
    out = tmp_path / "config.yaml"
    db = f"sqlite://{tmp_path}/bot.sqlite3"
    made = salesbot(
        "init",
        "--non-interactive",
        "--org",
        "示例公司",
        "--platform",
        "wecom",
        "--database",
        db,
        "-o",
        str(out),
    )
    assert made.returncode == 0, made.stderr
    assert "WECOM_SECRET" in made.stdout  # told which variables to set
    env = needed_env("wecom")
    checked = salesbot("check-config", str(out), env=env)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout == f"{out}: 配置正确 — 1 人，0 个团队，6 个阶段，1 个审批模板\n"
    migrated = salesbot("migrate", "--config", str(out), env=env)
    assert migrated.returncode == 0, migrated.stderr
    # The platform is the real WeCom (not reachable from a test), the model and the fonts have
    # their own doctor tests: what is left is what init wrote for this machine.
    skips = ("--skip", "wecom", "--skip", "asr", "--skip", "font")
    doctor = salesbot("doctor", "--config", str(out), *skips, env=env)
    assert (doctor.returncode, doctor.stderr) == (0, ""), doctor.stdout
    assert doctor.stdout.splitlines() == [
        f"✓ 数据库 {db}：可以连接，结构已是最新",
        "– 大模型：跳过（nlp.llm.enabled 为 false，只用规则抽取）",
        "全部通过，可以运行 salesbot serve。",
    ]

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--config", str(out), "--port", str(port)],
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        async with aiohttp.ClientSession() as session:
            await wait_healthy(session, f"http://127.0.0.1:{port}")
    finally:
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 0, stderr[-2000:]
    assert f"salesbot 已启动：http://127.0.0.1:{port}" in stdout
