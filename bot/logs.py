"""Structured logs that never carry a secret.

Every secret value from the config (and tokens seen in URLs) is masked by a filter on the root
handler, so a careless ``log.info(url)`` cannot leak a corpsecret or an access token.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

from pydantic import BaseModel, SecretStr

from bot.config.models import AppConfig
from bot.requestid import RequestIdFilter

_URL_SECRETS = re.compile(
    r"(?i)((?:access_token|corpsecret|secret|appsecret|app_secret|ticket|password|sign|"
    r"msg_signature|echostr)=)[^&\s\"']+"
)
_DB_PASSWORD = re.compile(r"(://[^:/@\s]+:)[^@\s]+@")
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def secrets_of(config: AppConfig) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, SecretStr):
            value = node.get_secret_value()
            if len(value) >= 4:
                found.append(value)
        elif isinstance(node, BaseModel):
            for name in type(node).model_fields:
                walk(getattr(node, name))
        elif isinstance(node, tuple | list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for item in node.values():
                walk(item)

    walk(config)
    return sorted(set(found), key=len, reverse=True)


class Redactor(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def redact(self, text: str) -> str:
        for s in self.secrets:
            text = text.replace(s, "***")
        text = _URL_SECRETS.sub(r"\1***", text)
        return _DB_PASSWORD.sub(r"\1***@", text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        for key, value in list(vars(record).items()):
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, self.redact(value))
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_text:
            data["exc"] = record.exc_text
        return json.dumps(data, ensure_ascii=False)


def setup_logging(config: AppConfig, stream: object = None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.addFilter(RequestIdFilter())
    handler.addFilter(Redactor(secrets_of(config)))
    if config.logging.format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(config.logging.level)
    # Library chatter at INFO is noise in an operator's log (and the ORM would echo SQL values).
    # APScheduler logs every tick of every job ("Running job …") at INFO.
    for noisy in ("tortoise", "aiosqlite", "asyncpg", "aiohttp.access", "aerich", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler
