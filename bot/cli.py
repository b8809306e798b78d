"""The ``salesbot`` command: serve, migrate, check-config, demo, and the NLP tools."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable

from bot.config import AppConfig, ConfigError, load_config

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
    config = load_or_exit(path)
    print(
        f"{path}: 配置正确 — {len(config.people)} 人，{len(config.teams)} 个团队，"
        f"{len(config.funnel.stages)} 个阶段，{len(config.approvals)} 个审批模板"
    )
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from storage.db import redact_url
    from storage.migrate import upgrade

    config = load_or_exit(_config_path(args))
    applied = asyncio.run(upgrade(config.database.url))
    where = redact_url(config.database.url)
    print(f"{where}: " + (f"已执行 {len(applied)} 个迁移" if applied else "数据库已是最新"))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.serve import serve

    config = load_or_exit(_config_path(args))
    return serve(config, host=args.host, port=args.port, demo=args.demo)


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from bot.devtools.demo.seed import seed_demo_cli

    config = load_or_exit(_config_path(args))
    return seed_demo_cli(config, days=args.days, seed=args.seed)


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

    p = with_config(sub.add_parser("migrate", help="把数据库升级到最新结构"))
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("check-config", help="检查配置文件，逐条列出问题")
    p.add_argument("path", nargs="?")
    p.add_argument("--config", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_check_config)

    p = with_config(sub.add_parser("seed-demo", help="写入演示组织的历史数据（可重复执行）"))
    p.add_argument("--days", type=int, default=28)
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(func=cmd_seed_demo)

    p = with_config(sub.add_parser("demo", help="迁移 + 演示数据 + 演示模式运行"))
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--days", type=int, default=28)
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(func=cmd_demo)

    for name in ("nlp.transcribe_cli", "nlp.parse_cli", "bot.ops.import_cli", "bot.ops.export_cli"):
        _add_optional(sub, name)
    return parser


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
