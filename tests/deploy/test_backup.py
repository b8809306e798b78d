"""docs/deploy/backup.sh and restore.sh, as the deployment guide runs them, on both databases."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from storage.db import Database
from storage.models import Client
from tests.support.harness import ROOT
from tests.support.tools import system_command

SCRIPTS = ROOT / "docs" / "deploy"


async def clients(url: str) -> list[str]:
    db = Database(url)
    await db.open()
    try:
        return sorted(await Client.all().values_list("name", flat=True))
    finally:
        await db.close()


async def test_backup_then_restore_brings_the_data_back(db_url: str, tmp_path: Path) -> None:
    if db_url.startswith("sqlite"):
        system_command("sqlite3", "sqlite3")  # the online backup's .backup command
    else:
        system_command("pg_dump", "postgresql-client")
    db = Database(db_url)
    await db.open()
    await Client.create(name="备份前的客户")
    await db.close()
    media = tmp_path / "media"
    (media / "ab").mkdir(parents=True)
    (media / "ab" / "note.amr").write_bytes(b"#!AMR\n" + bytes(100))

    out = subprocess.run(
        ["sh", str(SCRIPTS / "backup.sh"), db_url, str(tmp_path / "backups"), str(media)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    dump, archive = out.stdout.split()
    assert Path(dump).stat().st_size > 0 and archive.endswith(".tar.gz")

    # Something goes wrong after the backup: a client lost, a stray one added, media gone.
    db = Database(db_url)
    await db.open()
    await Client.filter(name="备份前的客户").delete()
    await Client.create(name="备份后的客户")
    await db.close()
    (media / "ab" / "note.amr").unlink()

    subprocess.run(
        ["sh", str(SCRIPTS / "restore.sh"), db_url, dump, archive, str(media)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert await clients(db_url) == ["备份前的客户"]
    assert (media / "ab" / "note.amr").read_bytes().startswith(b"#!AMR")
    env = {**os.environ, "SALESBOT_DATABASE_URL": db_url}
    migrated = subprocess.run(
        [sys.executable, "-m", "bot", "migrate", "--config", str(ROOT / "config.yaml")],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "数据库已是最新" in migrated.stdout
