"""Run Debian's nginx as a child process (no system service) with docs/deploy/nginx.conf.template."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from string import Template

import pytest

from tests.support.harness import ROOT
from tests.support.tools import tools_required

TEMPLATE = ROOT / "docs" / "deploy" / "nginx.conf.template"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


SUBSTITUTED = "${SALESBOT_LISTEN} ${SALESBOT_TLS} ${SALESBOT_UPSTREAMS}"


def render_site(listen: str, upstreams: Sequence[str], tls: str = "") -> str:
    """``envsubst '${SALESBOT_LISTEN} ${SALESBOT_TLS} ${SALESBOT_UPSTREAMS}' < nginx.conf.template``,
    as the guide says."""
    servers = " ".join(f"server {u};" for u in upstreams)
    values = {"SALESBOT_LISTEN": listen, "SALESBOT_TLS": tls, "SALESBOT_UPSTREAMS": servers}
    envsubst = shutil.which("envsubst")
    if envsubst is not None:
        return subprocess.run(
            [envsubst, SUBSTITUTED], input=TEMPLATE.read_text(encoding="utf-8"), env=values,
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    if tools_required():
        pytest.fail(
            "envsubst is missing: `make system-deps` installs it (apt-get install gettext-base)"
        )
    # Without gettext's envsubst: the same substitution (nginx's own $host … stay as they are).
    return Template(TEMPLATE.read_text(encoding="utf-8")).safe_substitute(values)


def nginx_args(folder: Path) -> list[str]:
    binary = nginx_binary()
    assert binary is not None
    return [
        binary,
        "-p",
        str(folder),
        "-e",
        str(folder / "error.log"),
        "-c",
        str(folder / "nginx.conf"),
    ]


def check_site(folder: Path, site: str) -> None:
    """Write ``site`` into a self-contained nginx.conf under ``folder`` and have ``nginx -t``
    accept it."""
    (folder / "salesbot.conf").write_text(site)
    main = f"""
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/salesbot.conf;
}}
"""
    (folder / "nginx.conf").write_text(main)
    check = subprocess.run([*nginx_args(folder), "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def start_nginx(
    folder: Path, listen_port: int, upstreams: Sequence[str]
) -> subprocess.Popen[bytes]:
    check_site(folder, render_site(f"127.0.0.1:{listen_port}", upstreams))
    return subprocess.Popen(
        nginx_args(folder),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
