"""Import speed: 100,000 client rows from a GBK CSV into a fresh SQLite database.

Three passes over the same file: the first inserts every row, the second (the same file again)
must find every row unchanged, the third changes one row in ten. Prints rows per second for each
and whether the issue's target (100,000 rows in under a minute on SQLite) is met.

    .venv/bin/python benchmarks/import_rows.py [--rows 100000]
"""

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import load_config_text  # noqa: E402
from bot.ops.importer import import_table  # noqa: E402
from bot.ops.kinds import KINDS  # noqa: E402
from bot.ops.sheets import read_table  # noqa: E402
from bot.orgsync import sync_org  # noqa: E402
from storage.db import Database  # noqa: E402

OWNERS = ["张伟", "李娜", "刘洋", "周杰", "吴芳"]
CITIES = ["上海", "杭州", "南京", "广州", "深圳", "苏州"]


def write_csv(path: Path, rows: int, changed_every: int = 0) -> None:
    lines = ["客户名称,负责人,区域,城市,行业,来源,别名"]
    for i in range(rows):
        city = CITIES[(i + (1 if changed_every and i % changed_every == 0 else 0)) % len(CITIES)]
        lines.append(f"测试客户{i:06d}有限公司,{OWNERS[i % 5]},华东,{city},制造业,展会,客户{i}")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


async def timed(url: str, path: Path, config_text: str) -> tuple[float, str]:
    config = load_config_text(config_text, env={"SALESBOT_DATABASE_URL": url})
    db = Database(url)
    await db.open()
    try:
        await sync_org(config, db)
        start = time.perf_counter()
        table = read_table(path)
        outcome = await import_table(
            KINDS["clients"], table, config=config, db=db, now=datetime.now(UTC)
        )
        return time.perf_counter() - start, outcome.summary()
    finally:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    config_text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite://{tmp}/bench.sqlite3"
        code = "import asyncio, sys; from storage.migrate import upgrade; asyncio.run(upgrade(sys.argv[1]))"
        subprocess.run([sys.executable, "-c", code, url], check=True, cwd=ROOT)
        same, changed = Path(tmp) / "clients.csv", Path(tmp) / "clients-changed.csv"
        write_csv(same, args.rows)
        write_csv(changed, args.rows, changed_every=10)
        for label, path in (
            ("first import", same),
            ("same file again", same),
            ("1 in 10 changed", changed),
        ):
            seconds, summary = asyncio.run(timed(url, path, config_text))
            print(f"{label:16s} {seconds:6.1f} s  {args.rows / seconds:8.0f} rows/s  {summary}")
            if label == "first import":
                verdict = "met" if seconds < 60 else "MISSED"
                print(f"target: {args.rows} rows in under 60 s on SQLite — {verdict}")


if __name__ == "__main__":
    main()
