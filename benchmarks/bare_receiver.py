"""The ceiling for benchmarks/ingress.py: the least a WeCom receiver can do.

aiohttp + wechatpy (verify, decrypt, parse) + one SQLite WAL insert with a unique msg id + 200.
No logging, no pipeline. Credentials come from the environment (set by ingress.py).

    .venv/bin/python benchmarks/bare_receiver.py --port 8301 --db /tmp/bare.sqlite3
"""

from __future__ import annotations

import argparse
import os

import aiosqlite
from aiohttp import web
from wechatpy.enterprise import parse_message
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidSignatureException

DB = web.AppKey("db", aiosqlite.Connection)


def build(db_path: str) -> web.Application:
    crypto = WeChatCrypto(
        os.environ["BENCH_TOKEN"], os.environ["BENCH_AES_KEY"], os.environ["BENCH_CORP_ID"]
    )

    async def receive(request: web.Request) -> web.Response:
        q = request.query
        body = await request.read()
        try:
            xml = crypto.decrypt_message(body, q["msg_signature"], q["timestamp"], q["nonce"])
        except (InvalidSignatureException, InvalidCorpIdException):
            return web.Response(status=403)
        msg = parse_message(xml)
        db = request.app[DB]
        await db.execute(
            "INSERT INTO inbox (msg_id, payload) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (str(msg.id), xml),
        )
        await db.commit()
        return web.Response()

    async def lifecycle(app: web.Application):  # type: ignore[no-untyped-def]
        db = await aiosqlite.connect(db_path)
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute(
            "CREATE TABLE IF NOT EXISTS inbox (id INTEGER PRIMARY KEY, msg_id TEXT UNIQUE, "
            "payload TEXT)"
        )
        await db.commit()
        app[DB] = db
        yield
        await db.close()

    app = web.Application()
    app.cleanup_ctx.append(lifecycle)
    app.router.add_post("/wecom/callback", receive)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    web.run_app(build(args.db), host="127.0.0.1", port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
