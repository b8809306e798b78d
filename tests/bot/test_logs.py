"""Logs are structured JSON and never carry a secret."""

from __future__ import annotations

import io
import json
import logging

from bot.config import load_config_text
from bot.logs import setup_logging
from tests.support.harness import ROOT

SECRET = "corp-secret-value-123456"
TOKEN = "wecom-token-abcdef"


def test_configured_secrets_and_url_tokens_are_masked() -> None:
    text = (
        (ROOT / "config.yaml")
        .read_text(encoding="utf-8")
        .replace("enabled: ${WECOM_ENABLED:-false}", "enabled: true")
    )
    config = load_config_text(
        text,
        env={
            "WECOM_CORP_ID": "ww1",
            "WECOM_AGENT_ID": "1000002",
            "WECOM_SECRET": SECRET,
            "WECOM_TOKEN": TOKEN,
            "WECOM_AES_KEY": "k" * 43,
            "SALESBOT_DATABASE_URL": "postgres://bot:db-password-9@127.0.0.1/sales",
        },
    )
    stream = io.StringIO()
    handler = setup_logging(config, stream)
    try:
        log = logging.getLogger("salesbot.test")
        log.info("calling gettoken?corpid=ww1&corpsecret=%s", SECRET)
        log.info(
            "token refreshed", extra={"url": "https://x/cgi-bin/message/send?access_token=AT-999"}
        )
        log.warning("db %s", config.database.url)
        try:
            raise RuntimeError(f"bad token {TOKEN}")
        except RuntimeError:
            log.exception("boom")
    finally:
        logging.getLogger().removeHandler(handler)
    out = stream.getvalue()
    for secret in (SECRET, TOKEN, "AT-999", "db-password-9"):
        assert secret not in out
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["level"] for r in records] == ["info", "info", "warning", "error"]
    assert records[1]["url"].endswith("access_token=***")
    assert "RuntimeError" in records[3]["exc"]


def test_the_scheduler_library_does_not_log_every_tick() -> None:
    """APScheduler says "Running job …" at INFO for every job every minute: an operator's log at
    the shipped INFO level would be mostly that."""
    config = load_config_text((ROOT / "config.yaml").read_text(encoding="utf-8"), env={})
    stream = io.StringIO()
    handler = setup_logging(config, stream)
    try:
        logging.getLogger("apscheduler.executors.default").info("Running job tick")
        logging.getLogger("apscheduler.scheduler").warning("Run time of job was missed")
        logging.getLogger("salesbot.test").info("event handled")
    finally:
        logging.getLogger().removeHandler(handler)
    said = [json.loads(line)["msg"] for line in stream.getvalue().splitlines()]
    assert said == ["Run time of job was missed", "event handled"]
