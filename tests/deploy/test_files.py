"""The deployment files do what the guide says: the systemd unit is valid and runs real salesbot
commands; every migration can run while older replicas still serve (rolling upgrades)."""

from __future__ import annotations

import asyncio
import importlib.util
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import build_parser
from bot.config import load_config
from tests.deploy.nginx import check_site, nginx_binary, render_site
from tests.pipeline.test_processes import free_port
from tests.support.harness import ROOT
from tests.support.tools import system_command

DEPLOY = ROOT / "docs" / "deploy"
UNITS = ("salesbot.service", "salesbot@.service")  # one process; one replica per port
INSTALLED = "/opt/salesbot/.venv/bin/salesbot"
INSTANCE = "8081"


def settings(name: str) -> list[tuple[str, str]]:
    """The unit's ``Key=value`` lines, in order (comments and section headers left out)."""
    lines = (DEPLOY / name).read_text(encoding="utf-8").splitlines()
    return [
        (key, value)
        for key, _, value in (line.partition("=") for line in lines)
        if value and not key.startswith(("#", "["))
    ]


def setting(name: str, key: str) -> list[str]:
    return [v for k, v in settings(name) if k == key]


def exec_lines(name: str) -> list[list[str]]:
    return [
        shlex.split(value.replace("%i", INSTANCE))
        for key, value in settings(name)
        if key in ("ExecStart", "ExecStartPre")
    ]


@pytest.mark.parametrize("name", UNITS)
def test_the_unit_runs_migrate_then_serve_with_the_config(name: str) -> None:
    commands = exec_lines(name)
    assert [c[0] for c in commands] == [INSTALLED, INSTALLED]
    parsed = [build_parser().parse_args(c[1:]) for c in commands]
    assert [p.command for p in parsed] == ["migrate", "serve"]
    assert {p.config for p in parsed} == {"/etc/salesbot/config.yaml"}
    if "@" in name:  # salesbot@8081 serves on 8081
        assert parsed[1].port == int(INSTANCE)


def test_the_replica_unit_is_the_single_one_on_its_own_port() -> None:
    single, replica = (dict(settings(n)) for n in UNITS)
    assert replica.pop("ExecStart") == single.pop("ExecStart") + " --port %i"
    assert replica.pop("Description").startswith(single.pop("Description"))
    assert replica == single


@pytest.mark.parametrize("name", UNITS)
def test_systemd_accepts_the_unit(name: str, tmp_path: Path) -> None:
    analyze = system_command("systemd-analyze", "systemd")
    salesbot = Path(sys.executable).with_name("salesbot")
    text = (DEPLOY / name).read_text(encoding="utf-8").replace(INSTALLED, str(salesbot))
    # The account is created on the target machine; here the checker needs one that exists.
    text = text.replace("User=salesbot", "User=root").replace("Group=salesbot", "Group=root")
    unit = tmp_path / name
    unit.write_text(text, encoding="utf-8")
    out = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stderr.strip() == "", out.stderr


@pytest.mark.parametrize("name", UNITS)
def test_what_the_service_writes_lies_inside_its_writable_paths(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ProtectSystem=strict makes everything read-only but ReadWritePaths: the speech model's
    cache (assembled on the first voice note), the media files and the SQLite file live there."""
    assert setting(name, "ProtectSystem") == ["strict"]
    writable = [Path(p) for value in setting(name, "ReadWritePaths") for p in value.split()]
    env = dict(
        item.split("=", 1) for value in setting(name, "Environment") for item in shlex.split(value)
    )
    monkeypatch.setenv("XDG_CACHE_HOME", env.get("XDG_CACHE_HOME", ""))
    monkeypatch.setenv("HOME", "/opt/salesbot")  # useradd --home /opt/salesbot, as the guide says
    from nlp.asr.bundled import default_cache_dir

    home = Path(setting(name, "WorkingDirectory")[0])
    media = home / load_config(ROOT / "config.yaml", env={}).database.media_dir
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    sqlite_file = Path(re.findall(r"SALESBOT_DATABASE_URL=sqlite://(\S+)", guide)[0])
    for path in (default_cache_dir(), media, sqlite_file):
        assert any(path.is_relative_to(w) for w in writable), path


def test_the_guides_https_nginx_example_passes_nginx_t(tmp_path: Path) -> None:
    """The guide's example listens with ``ssl`` and names a certificate: rendered by envsubst with
    a real (self-signed) certificate in place of its paths, nginx accepts it."""
    if nginx_binary() is None:
        pytest.fail("nginx is missing: `make system-deps` installs Debian's nginx-light")
    openssl = system_command("openssl", "openssl")
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    listen = re.findall(r'SALESBOT_LISTEN="([^"]+)"', guide)[0]
    tls = re.findall(r'SALESBOT_TLS="([^"]+)"', guide)[0]
    assert listen.split()[-1] == "ssl"
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=salesbot.test", "-keyout", str(key), "-out", str(cert)],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    tls = re.sub(r"ssl_certificate (\S+);", f"ssl_certificate {cert};", tls)
    tls = re.sub(r"ssl_certificate_key (\S+);", f"ssl_certificate_key {key};", tls)
    assert str(cert) in tls and str(key) in tls
    port = listen.split()[0]
    site = render_site(listen.replace(port, f"127.0.0.1:{free_port()}", 1), ["127.0.0.1:9"], tls)
    check_site(tmp_path, site)


FORBIDDEN = ("DROP COLUMN", "DROP TABLE", "RENAME", " TYPE ", "DROP NOT NULL", "SET NOT NULL")
# Tables no released version ever wrote to (the incentives feature replaced them before it
# shipped): dropping them cannot break an old replica.
NEVER_WRITTEN = ("INCENTIVE_LEDGER", "COMMISSION_LEDGER")


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
def test_every_migration_only_adds(dialect: str) -> None:
    """Expand-only migrations: `salesbot migrate` may run before a rolling upgrade, while old
    replicas keep serving — they never miss a column they read, and new NOT NULL columns have
    defaults so their inserts still work."""
    folder = ROOT / "storage" / "migrations" / dialect / "models"
    for path in sorted(folder.glob("*.py"))[1:]:  # after the initial schema
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sql = asyncio.run(module.upgrade(None)).upper()
        for table in NEVER_WRITTEN:
            sql = sql.replace(f'DROP TABLE IF EXISTS "{table}"', "")
        for word in FORBIDDEN:
            assert word not in sql, f"{path.name}: {word.strip()}"
        for statement in sql.split(";"):
            if " ADD " in statement and "NOT NULL" in statement:
                assert "DEFAULT" in statement, f"{path.name}: {statement.strip()}"


def test_every_salesbot_command_in_the_guide_is_a_real_command() -> None:
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", guide, re.S)
    commands = [
        line.strip()
        for block in blocks
        for line in block.splitlines()
        if line.strip().startswith("salesbot ")
    ]
    assert len(commands) >= 3
    for command in commands:
        args = shlex.split(command)[1:]
        parsed = build_parser().parse_args(args)
        assert parsed.func is not None, command
    scripts = re.findall(r"sh (docs/deploy/\S+\.sh)", guide)
    assert {"docs/deploy/backup.sh", "docs/deploy/restore.sh"} <= set(scripts)
    assert all((ROOT / s).exists() for s in scripts)


def test_the_guides_env_file_sets_what_config_yaml_reads() -> None:
    """Every variable of the env file example is one config.yaml reads, and the public URL is
    among them: without it the links the bot sends point at 127.0.0.1."""
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    block = next(
        b for b in re.findall(r"```sh\n(.*?)```", guide, re.S) if "SALESBOT_DATABASE_URL=" in b
    )
    names = re.findall(r"^\s*([A-Z_]+)=", block, re.M)
    config = (ROOT / "config.yaml").read_text(encoding="utf-8")
    assert "SALESBOT_PUBLIC_URL" in names
    for name in names:
        assert "${" + name in config, name
