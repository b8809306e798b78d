"""HTTP-mode request signatures: ``sign = base64(HMAC-SHA256(appSecret, timestamp + "\\n" + appSecret))``."""

from __future__ import annotations

import base64
import hashlib
import hmac

HOUR_MS = 3_600_000


def http_sign(app_secret: str, timestamp: str) -> str:
    digest = hmac.new(
        app_secret.encode(), f"{timestamp}\n{app_secret}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


def check_http_sign(
    app_secret: str, timestamp: str, sign: str, now_ms: int, window_ms: int = HOUR_MS
) -> str | None:
    """None when the request is authentic and fresh, else a short reason (for metrics and logs)."""
    if not app_secret:
        return "no_secret"
    if not timestamp.isdecimal() or not sign:
        return "missing"
    if abs(now_ms - int(timestamp)) > window_ms:
        return "stale"
    if not hmac.compare_digest(http_sign(app_secret, timestamp).encode(), sign.encode()):
        return "signature"
    return None
