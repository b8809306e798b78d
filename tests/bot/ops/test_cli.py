"""``salesbot import`` / ``salesbot export`` as an admin types them (in-process, real SQLite)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.ops.sheets import read_table
from tests.support.harness import ROOT


def run(*argv: str) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    return int(exit_info.value.code or 0)


def test_template_import_dry_run_and_export(
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SALESBOT_DATABASE_URL", sqlite_url)
    config = str(ROOT / "config.yaml")
    template = tmp_path / "clients.xlsx"
    assert run("import", "--template", "clients", str(template)) == 0
    assert read_table(template).headers[0] == "客户名称"

    data = tmp_path / "clients.csv"
    data.write_bytes(
        "客户名称,负责人,城市\n明远科技,张伟,上海\n锦程物流,没这人,广州\n".encode("gbk")
    )
    assert run("import", "clients", str(data), "--config", config) == 1
    assert "第 3 行「负责人」：找不到这个人（填写工号或姓名）" in capsys.readouterr().err

    # A fresh database that no `salesbot serve` has started on yet: the import itself brings in
    # config.yaml's people, so 负责人 are found.
    data.write_bytes("客户名称,负责人,城市\n明远科技,张伟,上海\n锦程物流,周杰,广州\n".encode("gbk"))
    assert run("import", "clients", str(data), "--dry-run", "--config", config) == 0
    assert "将新增 2" in capsys.readouterr().out
    assert run("import", "clients", str(data), "--config", config) == 0
    assert "已新增 2" in capsys.readouterr().out
    assert run("import", "clients", str(data), "--config", config) == 0
    assert "2 行无变化" in capsys.readouterr().out

    deals = tmp_path / "deals.csv"
    deals.write_text(
        "客户名称,商机名称,负责人,阶段\n明远科技,二期,zhou.jie,方案演示\n", encoding="utf-8"
    )
    assert run("import", "deals", str(deals), "--config", config) == 0
    assert "已新增 1" in capsys.readouterr().out

    out = tmp_path / "out.xlsx"
    assert run("export", "clients", str(out), "--period", "今年", "--config", config) == 0
    assert [r[1][0] for r in read_table(out).rows] == ["明远科技", "锦程物流"]
    assert run("export", "clients", str(out), "--period", "某天", "--config", config) == 2
