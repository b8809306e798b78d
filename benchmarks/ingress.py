"""WeCom ingress: acknowledged (persisted) callbacks per second and latency, bot vs bare receiver.

Encrypted text callbacks from a known rep, closed loop over keep-alive connections, the load
generator in its own process. The bare receiver (benchmarks/bare_receiver.py) is the ceiling;
the bot is the real app (edge → inbox group commit → workers running a probe handler that writes
one row per message), measured once with its workers running and once without.

    .venv/bin/python benchmarks/ingress.py [--duration 10] [--connections 32]
"""

import argparse
import asyncio
import multiprocessing as mp
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REP = "ZhangWei"  # a rep from config.yaml
PATH = "/wecom/callback"


# ---------------------------------------------------------------------------- load generator
def _requests(creds: dict[str, str], count: int, start_id: int) -> list[tuple[bytes, bytes]]:
    """Pre-signed requests (raw HTTP request line + body), so signing costs nothing in the loop."""
    import base64

    from bot.sim.wecom_callbacks import Signer, message_xml

    key = base64.b64decode(creds["BENCH_AES_KEY"] + "=")
    signer = Signer(creds["BENCH_TOKEN"], key, creds["BENCH_CORP_ID"], 1000002)
    now = int(time.time())
    out = []
    for i in range(count):
        plain = message_xml(
            {
                "ToUserName": creds["BENCH_CORP_ID"],
                "FromUserName": REP,
                "CreateTime": now,
                "MsgType": "text",
                "Content": f"今天拜访了华东机械王经理，第{i}条",
                "MsgId": start_id + i,
                "AgentID": 1000002,
            }
        )
        req = signer.sign_message(plain, now)
        out.append((f"{PATH}?{req.query}".encode(), req.body))
    return out


async def _load(
    port: int, requests: list[tuple[bytes, bytes]], connections: int, warmup: float, duration: float
) -> dict[str, Any]:
    """Closed loop: each connection sends its next request when the previous one is answered."""
    latencies: list[float] = []
    counts = {"ok": 0, "other": 0}
    it = iter(requests)
    loop = asyncio.get_running_loop()
    t_start = loop.time()
    t_measure, t_end = t_start + warmup, t_start + warmup + duration

    async def connection() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while True:
                now = loop.time()
                if now >= t_end:
                    return
                target, body = next(it)
                writer.write(
                    b"POST " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"Content-Type: text/xml\r\nContent-Length: "
                    + str(len(body)).encode()
                    + b"\r\n\r\n"
                    + body
                )
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head[9:12])
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                if length:
                    await reader.readexactly(length)
                if now >= t_measure:
                    latencies.append(loop.time() - now)
                    counts["ok" if status == 200 else "other"] += 1
        finally:
            writer.close()

    await asyncio.gather(*(connection() for _ in range(connections)))
    latencies.sort()
    n = len(latencies)
    return {
        "acked_per_s": counts["ok"] / duration,
        "other": counts["other"],
        "p50_ms": latencies[n // 2] * 1000 if n else float("nan"),
        "p99_ms": latencies[min(n - 1, int(n * 0.99))] * 1000 if n else float("nan"),
        "sent_total": 0,
    }


def _generator(port: int, creds: dict[str, str], args: dict[str, Any], out: Any) -> None:
    requests = _requests(creds, args["count"], args["start_id"])
    result = asyncio.run(
        _load(port, requests, args["connections"], args["warmup"], args["duration"])
    )
    out.put(result)


# ---------------------------------------------------------------------------- the bot server
def serve_bot(port: int, db_url: str, workers: bool) -> None:
    from aiohttp import web

    from bot.app import build_runtime, create_app
    from bot.config import load_config_text
    from bot.config.channels import Channels, WecomApp
    from bot.events import TextEvent
    from bot.logs import setup_logging
    from bot.pipeline.context import Context
    from bot.pipeline.router import Router
    from storage.models import AuditLog

    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config = load_config_text(text, env={"SALESBOT_DATABASE_URL": db_url})
    app = WecomApp(
        corp_id=os.environ["BENCH_CORP_ID"],
        agent_id=1000002,
        secret="bench-secret-unused",
        token=os.environ["BENCH_TOKEN"],
        encoding_aes_key=os.environ["BENCH_AES_KEY"],
        api_base="http://127.0.0.1:9/",
    )
    config = config.model_copy(update={"channels": Channels(wecom=(app,))})
    setup_logging(config)

    router = Router("bench")

    @router.on(TextEvent)
    async def note(ctx: Context, event: TextEvent) -> None:
        # A stand-in for a feature: one row written per message.
        await AuditLog.create(
            at=event.time,
            actor=event.user_id,
            action="note",
            subject_type="msg",
            subject_id=event.msg_id,
        )

    runtime = build_runtime(config, routers=[router])
    if not workers:

        async def idle() -> None:
            return None

        runtime.workers.start = idle  # type: ignore[method-assign]
    web.run_app(
        create_app(config, runtime=runtime),
        host="127.0.0.1",
        port=port,
        access_log=None,
        print=None,
    )


# ---------------------------------------------------------------------------- orchestration
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_port(port: int, proc: subprocess.Popen[bytes], within: float = 60) -> None:
    deadline = time.time() + within
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def _backlog(db_path: Path) -> int:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        return int(con.execute("SELECT COUNT(*) FROM inbox WHERE status IN (0, 1)").fetchone()[0])
    finally:
        con.close()


def _rows(db_path: Path) -> int:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        return int(con.execute("SELECT COUNT(*) FROM inbox").fetchone()[0])
    finally:
        con.close()


def run_target(
    name: str,
    cmd: list[str],
    port: int,
    creds: dict[str, str],
    args: argparse.Namespace,
    start_id: int,
    db_path: Path | None,
) -> dict[str, Any]:
    env = {**os.environ, **creds}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    try:
        _wait_port(port, proc)
        out: Any = mp.get_context("spawn").Queue()
        expected = int(args.capacity * (args.warmup + args.duration) * 1.2)
        gen = mp.get_context("spawn").Process(
            target=_generator,
            args=(
                port,
                creds,
                {
                    "count": expected,
                    "start_id": start_id,
                    "connections": args.connections,
                    "warmup": args.warmup,
                    "duration": args.duration,
                },
                out,
            ),
        )
        gen.start()
        result = out.get(timeout=600)
        gen.join()
        ended = time.perf_counter()
        if db_path is not None and name == "bot":
            while _backlog(db_path) > 0:
                time.sleep(0.05)
            result["drain_s"] = time.perf_counter() - ended
        if db_path is not None:
            result["rows"] = _rows(db_path)
        return result
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--capacity",
        type=float,
        default=8000,
        help="requests pre-signed per second of the run (an upper bound)",
    )
    parser.add_argument("--targets", default="bare,bot,bot-no-workers")
    parser.add_argument("serve", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:  # internal: python ingress.py serve <port> <db url> <workers 0|1>
        serve_bot(int(args.serve[1]), args.serve[2], args.serve[3] == "1")
        return 0

    import base64

    creds = {
        "BENCH_CORP_ID": "ww" + secrets.token_hex(8),
        "BENCH_TOKEN": secrets.token_hex(16),
        "BENCH_AES_KEY": base64.b64encode(secrets.token_bytes(32)).decode()[:43],
    }
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n, target in enumerate(args.targets.split(",")):
            port = _free_port()
            db = Path(tmp) / f"{target}.sqlite3"
            if target == "bare":
                cmd = [
                    sys.executable,
                    "benchmarks/bare_receiver.py",
                    "--port",
                    str(port),
                    "--db",
                    str(db),
                ]
            else:
                url = f"sqlite://{db}"
                code = (
                    "import asyncio, sys; from storage.migrate import upgrade; "
                    "asyncio.run(upgrade(sys.argv[1]))"
                )
                subprocess.run([sys.executable, "-c", code, url], check=True, cwd=ROOT)
                workers = "0" if target.endswith("no-workers") else "1"
                cmd = [sys.executable, "benchmarks/ingress.py", "serve", str(port), url, workers]
            name = "bot" if target == "bot" else target
            results[target] = run_target(name, cmd, port, creds, args, 10**9 * (n + 1), db)
            r = results[target]
            print(
                f"{target:16s} {r['acked_per_s']:8.0f} acked/s   p50 {r['p50_ms']:6.2f} ms   "
                f"p99 {r['p99_ms']:6.2f} ms   non-200 {r['other']}   rows {r.get('rows', '-')}"
                + (f"   drain {r['drain_s']:.2f} s" if "drain_s" in r else ""),
                flush=True,
            )
    if "bare" in results:
        base = results["bare"]["acked_per_s"]
        for target, r in results.items():
            if target != "bare":
                ok = r["acked_per_s"] >= 0.7 * base and r["p99_ms"] < 20
                print(
                    f"{target}: {r['acked_per_s'] / base:.0%} of the bare receiver, "
                    f"p99 {r['p99_ms']:.1f} ms -> {'target met' if ok else 'TARGET MISSED'}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
