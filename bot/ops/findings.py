"""One line of ``salesbot doctor``: what was checked, what was seen, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["ok", "fail", "skip"]

MARKS: dict[Status, str] = {"ok": "✓", "fail": "✗", "skip": "–"}


@dataclass(frozen=True)
class Finding:
    status: Status
    title: str
    detail: str
    fix: str = ""

    def line(self) -> str:
        text = f"{MARKS[self.status]} {self.title}：{self.detail}"
        return f"{text} → {self.fix}" if self.fix else text


def ok(title: str, detail: str) -> Finding:
    return Finding("ok", title, detail)


def fail(title: str, detail: str, fix: str) -> Finding:
    return Finding("fail", title, detail, fix)


def skip(title: str, why: str) -> Finding:
    return Finding("skip", title, f"跳过（{why}）")
