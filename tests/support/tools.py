"""Debian commands some tests run (systemd-analyze, envsubst, sqlite3, openssl …).

``make system-deps`` installs them. Without one a test skips, unless
``SALESBOT_REQUIRE_SYSTEM_TOOLS=1`` (``make test`` sets it): then it fails, so a CI machine
missing a package cannot pass by skipping what the deployment guide promises works.
"""

from __future__ import annotations

import os
import shutil

import pytest


def tools_required() -> bool:
    return os.environ.get("SALESBOT_REQUIRE_SYSTEM_TOOLS") == "1"


def system_command(name: str, package: str) -> str:
    """The path of ``name``; skip (or fail, when required) if it is not installed."""
    found = shutil.which(name)
    if found is not None:
        return found
    message = f"{name} is missing: `make system-deps` installs it (apt-get install {package})"
    if tools_required():
        pytest.fail(message)
    pytest.skip(message)
