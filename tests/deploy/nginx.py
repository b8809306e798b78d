"""Run Debian's nginx as a child process (no system service) with docs/deploy/nginx.conf.template."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from string import Template

from tests.support.harness import ROOT

TEMPLATE = ROOT / "docs" / "deploy" / "nginx.conf.template"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def render_site(listen: str, upstreams: Sequence[str]) -> str:
    """``envsubst '${SALESBOT_LISTEN} ${SALESBOT_UPSTREAMS}' < nginx.conf.template``, as the guide says."""
    servers = " ".join(f"server {u};" for u in upstreams)
    envsubst = shutil.which("envsubst")
    if envsubst is not None:
        return subprocess.run(
            [envsubst, "${SALESBOT_LISTEN} ${SALESBOT_UPSTREAMS}"],
            input=TEMPLATE.read_text(encoding="utf-8"),
            env={"SALESBOT_LISTEN": listen, "SALESBOT_UPSTREAMS": servers},
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    # Without gettext's envsubst: the same substitution (nginx's own $host … stay as they are).
    return Template(TEMPLATE.read_text(encoding="utf-8")).safe_substitute(
        SALESBOT_LISTEN=listen, SALESBOT_UPSTREAMS=servers
    )


def start_nginx(
    folder: Path, listen_port: int, upstreams: Sequence[str]
) -> subprocess.Popen[bytes]:
    binary = nginx_binary()
    assert binary is not None
    (folder / "salesbot.conf").write_text(render_site(f"127.0.0.1:{listen_port}", upstreams))
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
    check = subprocess.run(
        [
            binary,
            "-t",
            "-p",
            str(folder),
            "-e",
            str(folder / "error.log"),
            "-c",
            str(folder / "nginx.conf"),
        ],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    return subprocess.Popen(
        [
            binary,
            "-p",
            str(folder),
            "-e",
            str(folder / "error.log"),
            "-c",
            str(folder / "nginx.conf"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
