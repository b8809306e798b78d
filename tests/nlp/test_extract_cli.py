import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from nlp.extract import CONTRACT_KEYS
from nlp.parse_cli import add_parser, run

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-11-27T18:30:00+08:00"
NOTE = "今天拜访了花东机械王经理，报价三十万，不对，是三十五万，下周三之前把合同发过去"


@pytest.fixture
def clients_file(tmp_path):
    path = tmp_path / "clients.txt"
    path.write_text("# 客户\n华东机械\n恒达科技\n金桥物流\n", encoding="utf-8")
    return path


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nlp.parse_cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_one_text_prints_one_contract_object(clients_file):
    done = cli("--now", NOW, "--clients", str(clients_file), NOTE)
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()  # no library banner on stdout
    data = json.loads(line)
    assert tuple(data) == CONTRACT_KEYS
    assert data["client"] == "华东机械"
    assert data["amount"] == 350000
    assert data["next_action_due"] == "2026-12-02"
    assert "华东机械" in line  # ensure_ascii=False


def test_stdin_gives_one_line_per_note(clients_file):
    notes = "去了趟恒大科技，李总认可方案，报价120w，下周给答复\n\n今天第一次拜访华南重工\n"
    done = cli("--now", NOW, "--clients", str(clients_file), stdin=notes)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["client"] for r in rows] == ["恒达科技", None, "华南重工"]
    assert all(tuple(r) == CONTRACT_KEYS for r in rows)
    assert rows[0]["next_action_due"] == "2026-11-30"


def test_sample_clients_file_from_tests_data():
    done = cli("--now", NOW, "--clients", str(ROOT / "tests" / "data" / "clients.txt"), NOTE)
    assert json.loads(done.stdout)["client"] == "华东机械"


def test_bad_now_is_a_usage_error():
    done = cli("--now", "next tuesday", "明天回电话")
    assert done.returncode == 2
    assert "ISO 8601" in done.stderr


def test_runs_as_a_subcommand_without_a_catalogue(tmp_path):
    parser = argparse.ArgumentParser(prog="salesbot")
    add_parser(parser.add_subparsers(dest="command"))
    products = tmp_path / "products.txt"
    products.write_text("CRM系统|CRM|客户管理系统\n", encoding="utf-8")
    args = parser.parse_args(
        [
            "parse",
            "--now",
            "2026-11-27T18:30",
            "--products",
            str(products),
            "金桥物流的张工对CRM有兴趣",
        ]
    )
    out = io.StringIO()
    assert run(args, stdout=out) == 0
    data = json.loads(out.getvalue())
    assert data["client"] == "金桥物流"  # new client, reported by name
    assert data["contact"] == "张工"
    assert data["products"] == ["CRM系统"]


def test_missing_catalogue_file_is_reported(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    args = parser.parse_args(["parse", "--clients", str(tmp_path / "nope.txt"), "x"])
    assert run(args, stdout=io.StringIO()) == 2
    assert "读取目录文件失败" in capsys.readouterr().err
