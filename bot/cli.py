"""The ``salesbot`` command: init, doctor, serve, migrate, check-config, demo, seed, jobs, and the
NLP tools."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable

from bot.config import AppConfig, ConfigError, check_config, load_config

DEFAULT_CONFIG = "config.yaml"


def _config_path(args: argparse.Namespace) -> str:
    return args.config or os.environ.get("SALESBOT_CONFIG") or DEFAULT_CONFIG


def load_or_exit(path: str) -> AppConfig:
    try:
        return load_config(path)
    except ConfigError as exc:
        print(f"{exc.source}: 配置有 {len(exc.problems)} 处问题：", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        raise SystemExit(1) from exc


def cmd_check_config(args: argparse.Namespace) -> int:
    path = args.path or _config_path(args)
    report = check_config(path)
    if report.errors:
        print(f"{path}: 配置有 {len(report.errors)} 处错误：", file=sys.stderr)
        for problem in report.errors:
            print(f"  {problem}", file=sys.stderr)
    if report.warnings:
        print(f"{path}: {len(report.warnings)} 条提醒（不影响启动）：", file=sys.stderr)
        for problem in report.warnings:
            print(f"  {problem}", file=sys.stderr)
    config = report.config
    if config is None:
        return 1
    print(
        f"{path}: 配置正确 — {len(config.people)} 人，{len(config.teams)} 个团队，"
        f"{len(config.funnel.stages)} 个阶段，{len(config.approvals)} 个审批模板"
    )
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from bot.ops import doctor

    return doctor.run(load_or_exit(_config_path(args)), args)


def cmd_init(args: argparse.Namespace) -> int:
    from bot.ops import init_config

    return init_config.run(args)


def cmd_migrate(args: argparse.Namespace) -> int:
    from storage.db import redact_url
    from storage.migrate import upgrade

    config = load_or_exit(_config_path(args))
    applied = asyncio.run(upgrade(config.database.url))
    where = redact_url(config.database.url)
    print(f"{where}: " + (f"已执行 {len(applied)} 个迁移" if applied else "数据库已是最新"))
    return 0


def cmd_outbox(args: argparse.Namespace) -> int:
    from bot.ops.outbox_cli import retry

    config = load_or_exit(_config_path(args))
    try:
        count = asyncio.run(retry(config, args.since, args.recipient))
    except ValueError as exc:
        print(f"--since 格式不对：{exc}", file=sys.stderr)
        return 2
    print(f"已重新排队 {count} 条消息" if count else "没有已放弃的消息需要重发")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.serve import serve

    config = load_or_exit(_config_path(args))
    return serve(config, host=args.host, port=args.port, demo=args.demo)


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from bot.devtools.demo.seed import seed_demo_cli

    config = load_or_exit(_config_path(args))
    return seed_demo_cli(config, days=args.days, seed=args.seed)


def cmd_seed(args: argparse.Namespace) -> int:
    from bot.devtools.demo.seedcli import seed_cli

    config = load_or_exit(_config_path(args))
    return seed_cli(config, scale=args.scale, seed=args.seed, now=args.now)


def cmd_demo(args: argparse.Namespace) -> int:
    """migrate + seed + serve in demo mode: what ``make demo`` runs."""
    cmd_migrate(args)
    cmd_seed_demo(args)
    config = load_or_exit(_config_path(args))
    from bot.serve import serve

    return serve(config, host=args.host, port=args.port, demo=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="salesbot", description="销售助手机器人（企业微信 / 钉钉）"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def with_config(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--config", help="配置文件路径（默认 $SALESBOT_CONFIG 或 ./config.yaml）")
        return p

    p = with_config(sub.add_parser("serve", help="运行机器人"))
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument(
        "--demo", action="store_true", help="演示模式：内置模拟器和沙盒页面（仅 127.0.0.1）"
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("init", help="回答几个问题，生成第一份 config.yaml")
    p.set_defaults(func=cmd_init)
    _add_init_arguments(p)

    p = with_config(sub.add_parser("doctor", help="检查数据库、平台凭证、回调、语音模型等是否就绪"))
    p.set_defaults(func=cmd_doctor)
    _add_doctor_arguments(p)

    p = with_config(sub.add_parser("migrate", help="把数据库升级到最新结构"))
    p.set_defaults(func=cmd_migrate)

    p = with_config(sub.add_parser("outbox", help="发件箱：重新发送已放弃的消息"))
    p.set_defaults(func=cmd_outbox)
    _add_outbox_arguments(p)

    p = sub.add_parser("check-config", help="检查配置文件，逐条列出问题")
    p.add_argument("path", nargs="?")
    p.add_argument("--config", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_check_config)

    p = with_config(sub.add_parser("seed-demo", help="写入演示组织的历史数据（可重复执行）"))
    p.add_argument("--days", type=int, default=28)
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(func=cmd_seed_demo)

    p = with_config(sub.add_parser("seed", help="写入演示数据或大规模测试数据（确定性）"))
    p.add_argument("--scale", choices=("demo", "medium", "large"), default="demo")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--now", help="数据截止时间（ISO 8601，默认今天 00:00 UTC）")
    p.set_defaults(func=cmd_seed)

    p = with_config(sub.add_parser("demo", help="迁移 + 演示数据 + 演示模式运行"))
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--days", type=int, default=28)
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(func=cmd_demo)

    from scheduler.cli import add_parser as add_jobs_parser
    from scheduler.cli import run as run_jobs

    before = set(sub.choices)
    add_jobs_parser(sub, with_config)
    for name in set(sub.choices) - before:
        sub.choices[name].set_defaults(func=run_jobs)

    for name in (
        "nlp.transcribe_cli",
        "nlp.parse_cli",
        "handlers.incentives.cli",
        "bot.ops.import_cli",
        "bot.ops.export_cli",
    ):
        _add_optional(sub, name)
    return parser


def _add_init_arguments(p: argparse.ArgumentParser) -> None:
    from bot.ops.init_config import add_arguments

    add_arguments(p)


def _add_outbox_arguments(p: argparse.ArgumentParser) -> None:
    from bot.ops.outbox_cli import add_arguments

    add_arguments(p)


def _add_doctor_arguments(p: argparse.ArgumentParser) -> None:
    from bot.ops.doctor import add_arguments

    add_arguments(p)


def _add_optional(sub: argparse._SubParsersAction, module: str) -> None:  # type: ignore[type-arg]
    import importlib

    try:
        mod = importlib.import_module(module)
    except ImportError:
        return
    add: Callable[..., argparse.ArgumentParser] = mod.add_parser
    add(sub).set_defaults(func=mod.run)


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    raise SystemExit(args.func(args))
