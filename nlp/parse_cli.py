"""`salesbot parse [--now ISO8601] [--clients FILE] [--products FILE] [TEXT]`.

Prints one JSON object (the extraction contract) for TEXT, or one per stdin line — every input
line gets exactly one output line, so the two can be zipped. Without --clients the catalogue is
empty and clients are reported by the name heard. Usable standalone:
``python -m nlp.parse_cli "今天拜访了华东机械王经理…"``.

File formats (UTF-8): --clients and --competitors one name per line; --products one product
per line as ``名称|别名|别名``. Lines starting with # are comments.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from nlp.extract import SHANGHAI, Catalog, ProductRef, extract


def _parse_now(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--now 不是 ISO 8601 时间: {value}") from exc
    # A bare local time is read in Asia/Shanghai, like the notes themselves.
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def _lines(path: Path) -> list[str]:
    rows = path.read_text(encoding="utf-8-sig").splitlines()
    return [r.strip() for r in rows if r.strip() and not r.lstrip().startswith("#")]


def configure(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("text", nargs="?", help="一条跟进记录；省略时从标准输入逐行读取")
    parser.add_argument("--now", type=_parse_now, help="消息时间 (ISO 8601)，默认当前时间")
    parser.add_argument("--clients", type=Path, help="已知客户名称文件，每行一个")
    parser.add_argument("--products", type=Path, help="产品目录文件，每行 名称|别名|别名")
    parser.add_argument("--competitors", type=Path, help="竞争对手名称文件，每行一个")
    parser.add_argument("--rep", help="销售人员 ID（同名客户优先匹配其名下客户）")
    return parser


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register `parse` on the bot CLI's argparse subparsers."""
    parser = subparsers.add_parser(
        "parse",
        help="从跟进记录抽取结构化字段，输出 JSON",
        description="从跟进记录抽取结构化字段，每条记录输出一行 JSON。",
    )
    return configure(parser)


def build_catalog(args: argparse.Namespace) -> Catalog:
    products = []
    if args.products:
        for line in _lines(args.products):
            name, *aliases = [p.strip() for p in line.split("|") if p.strip()]
            products.append(ProductRef(name, aliases))
    competitors = _lines(args.competitors) if args.competitors else []
    names = _lines(args.clients) if args.clients else []
    return Catalog.from_client_names(names, products, competitors=competitors)


def _emit(result: dict[str, Any], out: TextIO) -> None:
    out.write(json.dumps(result, ensure_ascii=False) + "\n")
    out.flush()


def run(
    args: argparse.Namespace, *, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    try:
        catalog = build_catalog(args)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(f"读取目录文件失败: {exc}", file=sys.stderr)
        return 2
    rep = getattr(args, "rep", None)

    def parse(text: str) -> dict[str, Any]:
        now = args.now or datetime.now(SHANGHAI)
        return extract(text, now=now, catalog=catalog, rep_id=rep).to_json()

    if args.text is not None:
        _emit(parse(args.text), stdout)
        return 0
    for line in stdin:
        _emit(parse(line.rstrip("\r\n")), stdout)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = configure(argparse.ArgumentParser(prog="salesbot parse", description=__doc__))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
