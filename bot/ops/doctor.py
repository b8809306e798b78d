"""``salesbot doctor``: is everything the bot needs in place? One line per check, ✓ or ✗.

Run after ``salesbot init`` and before ``salesbot serve`` (the callback checks want the bot
running; without it they say so). Exit status 1 when any check failed.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Collection

from bot.clock import Clock, SystemClock
from bot.config.models import AppConfig
from bot.ops.doctor_local import check_asr, check_database, check_font, check_llm
from bot.ops.doctor_platforms import check_dingtalk, check_wecom
from bot.ops.findings import Finding, skip

SECTIONS = ("database", "wecom", "dingtalk", "asr", "font", "llm")


async def run_doctor(
    config: AppConfig, *, skip_sections: Collection[str] = (), clock: Clock | None = None
) -> list[Finding]:
    """Every check in a fixed order; ``skip_sections`` names sections not to run (see SECTIONS)."""
    clock = clock or SystemClock()
    found: list[Finding] = []
    if "database" not in skip_sections:
        found.append(await check_database(config))
    if "wecom" not in skip_sections:
        for wecom in config.channels.enabled_wecom:
            found += await check_wecom(config, wecom, clock)
    if "dingtalk" not in skip_sections:
        for ding in config.channels.enabled_dingtalk:
            found += await check_dingtalk(config, ding)
    if not config.channels.enabled_wecom and not config.channels.enabled_dingtalk:
        found.append(skip("平台", "没有启用企业微信或钉钉；在 channels 里设置 enabled: true"))
    if "asr" not in skip_sections:
        found.append(await check_asr(config))
    if "font" not in skip_sections:
        found.append(check_font())
    if "llm" not in skip_sections:
        found.append(await check_llm(config))
    return found


def report(found: list[Finding]) -> tuple[str, int]:
    """The printed report and the exit status."""
    failed = sum(f.status == "fail" for f in found)
    lines = [f.line() for f in found]
    if failed:
        lines.append(f"有 {failed} 项需要处理。")
    else:
        lines.append("全部通过，可以运行 salesbot serve。")
    return "\n".join(lines), 1 if failed else 0


def run(config: AppConfig, args: argparse.Namespace) -> int:
    text, status = report(asyncio.run(run_doctor(config, skip_sections=args.skip or ())))
    print(text)
    return status


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--skip",
        action="append",
        choices=SECTIONS,
        help="不检查这一项（可重复），例如 --skip asr",
    )
