"""``salesbot import KIND FILE`` and ``salesbot import --template KIND [FILE]``."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.config.models import AppConfig
from bot.ops.kinds import KINDS, template_rows
from bot.ops.sheets import SheetError, read_table, write_table

MAX_ERRORS_SHOWN = 200


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = subparsers.add_parser(
        "import",
        help="从 CSV / Excel 导入客户、联系人、商机或回款（可重复导入）",
        description="导入 CSV（UTF-8 或 GBK）或 Excel 文件。每行都先校验，有任何错误则不写入。"
        "再次导入同一文件不会产生重复；改动过的行会更新。",
    )
    p.add_argument(
        "kind",
        choices=sorted(KINDS),
        help="clients 客户 / contacts 联系人 / deals 商机 / payments 回款",
    )
    p.add_argument("file", nargs="?", help="要导入的文件；配合 --template 时是模板的保存路径")
    p.add_argument("--dry-run", action="store_true", help="只校验并统计将新增/更新多少行，不写入")
    p.add_argument("--template", action="store_true", help="生成带列名、示例行和填写说明的模板文件")
    p.add_argument("--config", help="配置文件路径（默认 $SALESBOT_CONFIG 或 ./config.yaml）")
    return p


def write_template(kind_name: str, path: Path) -> int:
    headers, example, notes = template_rows(KINDS[kind_name])
    write_table(path, headers, iter([example]), notes)
    return 0


async def _run(config: AppConfig, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from tqdm import tqdm

    from bot.ops.importer import import_table
    from bot.orgsync import sync_org
    from storage.db import Database
    from storage.migrate import pending_migrations

    table = read_table(Path(args.file))
    db = Database(config.database.url)
    await db.open()
    try:
        if await pending_migrations(db):
            print("数据库结构不是最新的：请先运行 salesbot migrate", file=sys.stderr)
            return 1
        # 负责人 are looked up in the database, which learns config.yaml's people when the bot
        # starts: do the same here, so an import before the first `salesbot serve` finds them.
        await sync_org(config, db)
        with tqdm(total=len(table.rows), unit="行", file=sys.stderr, disable=None) as bar:

            def phase(name: str, total: int) -> None:
                bar.reset(total=total)
                bar.set_description(name)

            outcome = await import_table(
                KINDS[args.kind],
                table,
                config=config,
                db=db,
                now=datetime.now(UTC),
                dry_run=args.dry_run,
                progress=bar.update,
                phase=phase,
            )
    finally:
        await db.close()
    if outcome.errors:
        print(f"{args.file}：发现 {len(outcome.errors)} 处问题，未写入任何数据：", file=sys.stderr)
        for line in outcome.errors[:MAX_ERRORS_SHOWN]:
            print(f"  {line}", file=sys.stderr)
        if len(outcome.errors) > MAX_ERRORS_SHOWN:
            print(f"  …… 还有 {len(outcome.errors) - MAX_ERRORS_SHOWN} 处", file=sys.stderr)
        return 1
    print(f"{args.file}：{outcome.summary()}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.template:
        path = Path(args.file or f"{args.kind}_template.xlsx")
        write_template(args.kind, path)
        print(f"模板已保存到 {path}")
        return 0
    if not args.file:
        print("请给出要导入的文件", file=sys.stderr)
        return 2
    from bot.cli import _config_path, load_or_exit

    config = load_or_exit(_config_path(args))
    try:
        return asyncio.run(_run(config, args))
    except (SheetError, OSError) as exc:
        print(f"{args.file}：{exc}", file=sys.stderr)
        return 1
