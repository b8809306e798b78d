"""WeCom ingress: acknowledged (persisted) callbacks per second and latency, bot vs bare receiver.

Encrypted text callbacks from a known rep (ZhangWei), closed loop over keep-alive connections,
the load generator in a process of its own. The bare receiver (benchmarks/bare_receiver.py) is
the ceiling: aiohttp + wechatpy verify/decrypt/parse + one SQLite WAL insert + 200. The bot is
the real app — the WeCom channel, the inbox, and workers running the real feature handlers
(``--handlers followup``: the rep's texts go through the follow-up extractor and its draft card,
replies go out through the sender to a WeCom simulator) — or, with ``--handlers probe``, a
stand-in handler writing one row per message.

Targets run interleaved, ``--repeats`` rounds (bare, bot, bare, bot …), each against a fresh
server and database, and the summary gives the median of each figure: on a shared 2-core machine
one run is not to be trusted. For the bot, "drain" is the time from the end of the load until
the inbox has no pending row left; "handled" is how many rows the workers finished during the
load (the inbox absorbs the rest).

    .venv/bin/python benchmarks/ingress.py [--repeats 3] [--duration 10] [--db sqlite|postgres]
        [--handlers followup|probe] [--targets bare,bot[,bot-no-workers]] [--profile DIR]
"""

import argparse
import asyncio
import base64
import json
import multiprocessing as mp
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from bot.config.models import AppConfig

REP = "ZhangWei"  # a rep from config.yaml
PATH = "/wecom/callback"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/"
AGENT_ID = 1000002


# ---------------------------------------------------------------------------- load generator
def _requests(creds: dict[str, str], count: int, start_id: int) -> list[tuple[bytes, bytes]]:
    """Pre-signed requests (request target + body), so signing costs nothing in the loop."""
    from bot.devtools.sim.wecom_callbacks import Signer, message_xml

    key = base64.b64decode(creds["BENCH_AES_KEY"] + "=")
    signer = Signer(creds["BENCH_TOKEN"], key, creds["BENCH_CORP_ID"], AGENT_ID)
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
                "AgentID": AGENT_ID,
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
        "max_ms": latencies[-1] * 1000 if n else float("nan"),
    }


def _generator(port: int, creds: dict[str, str], args: dict[str, Any], out: Any) -> None:
    requests = _requests(creds, args["count"], args["start_id"])
    out.put("ready")
    result = asyncio.run(
        _load(port, requests, args["connections"], args["warmup"], args["duration"])
    )
    out.put(result)


# ---------------------------------------------------------------------------- the bot server
def bench_config(db_url: str) -> "AppConfig":
    """config.yaml on ``db_url``, with one WeCom app: the simulator's, from the BENCH_* variables
    (the benchmarks' bot processes all start from it)."""
    from bot.config import load_config_text
    from bot.config.channels import Channels, WecomApp

    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config = load_config_text(text, env={"SALESBOT_DATABASE_URL": db_url})
    app = WecomApp(
        corp_id=os.environ["BENCH_CORP_ID"],
        agent_id=int(os.environ.get("BENCH_AGENT_ID", AGENT_ID)),
        secret=os.environ["BENCH_SECRET"],
        token=os.environ["BENCH_TOKEN"],
        encoding_aes_key=os.environ["BENCH_AES_KEY"],
        api_base=os.environ["BENCH_API_BASE"],
    )
    # The shipped log level (INFO: three lines per message, received, handled, delivered), so
    # the figures include what a production log costs; SALESBOT_BENCH_LOG_LEVEL compares.
    level = os.environ.get("SALESBOT_BENCH_LOG_LEVEL", config.logging.level)
    logs = config.logging.model_copy(update={"level": level})
    return config.model_copy(update={"channels": Channels(wecom=(app,)), "logging": logs})


def serve_bot(port: int, db_url: str, workers: bool, handlers: str) -> None:
    from aiohttp import web

    from bot.app import build_runtime, create_app
    from bot.events import TextEvent
    from bot.logs import setup_logging
    from bot.pipeline.context import Context
    from bot.pipeline.router import Router
    from storage.models import AuditLog

    config = bench_config(db_url)
    # One rep sends the whole load: lift the per-user cap, which exists to stop exactly that.
    server = config.server.model_copy(update={"max_events_per_user_minute": 10_000_000})
    config = config.model_copy(update={"server": server})
    senders = int(os.environ.get("BENCH_SENDERS", "0"))
    if senders:  # load.py's many senders: reps of 华东一组, so the real handlers take them too
        from bot.config.org import Person, Role

        reps = tuple(
            Person(
                id=f"bench.rep{i}",
                name=f"销售{i}号",
                role=Role.rep,
                team="east-1",
                supervisor="zhao.lei",
                wecom_userid=f"{REP}{i}",
            )
            for i in range(senders)
        )
        config = config.model_copy(update={"people": config.people + reps})
    setup_logging(config)

    routers = None  # the app's own feature routers
    if handlers == "probe":
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

        routers = [router]

    runtime = build_runtime(config, routers=routers)
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


# ---------------------------------------------------------------------------- WeCom simulator
class Simulator:
    """The WeCom API the bot's sender talks to, on its own event loop in a thread of ours."""

    def __init__(self) -> None:
        from bot.devtools.sim.wecom import WecomSimulator

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.sim = WecomSimulator()
        self.sim.add_user(REP, "张伟")
        self.api_base = self.run(self.sim.start())

    def run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(60)

    def creds(self) -> dict[str, str]:
        s = self.sim
        return {
            "BENCH_CORP_ID": s.corp_id,
            "BENCH_TOKEN": s.token,
            "BENCH_AES_KEY": s.encoding_aes_key,
            "BENCH_SECRET": s.secret,
            "BENCH_API_BASE": self.api_base,
        }

    def stop(self) -> None:
        self.run(self.sim.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)


# ---------------------------------------------------------------------------- databases
class Store:
    """A fresh database per bot run, and the queries the orchestrator needs on it."""

    def __init__(self, dialect: str, folder: Path) -> None:
        self.dialect = dialect
        self.folder = folder
        self.template = ""
        if dialect == "sqlite":
            self.template_path = folder / "template.sqlite3"
            _migrate(f"sqlite://{self.template_path}")
        else:
            self.template = f"bench_tpl_{uuid.uuid4().hex[:8]}"
            _pg(f'CREATE DATABASE "{self.template}"')
            _migrate(PG_ADMIN + self.template)
        self.made: list[str] = []

    def new(self, name: str) -> str:
        if self.dialect == "sqlite":
            import shutil

            path = self.folder / f"{name}.sqlite3"
            shutil.copyfile(self.template_path, path)
            return f"sqlite://{path}"
        db = f"bench_{name.replace('-', '_')}_{uuid.uuid4().hex[:6]}"
        _pg(f'CREATE DATABASE "{db}" TEMPLATE "{self.template}"')
        self.made.append(db)
        return PG_ADMIN + db

    def counts(self, url: str) -> dict[str, int]:
        sql = "SELECT status, COUNT(*) AS n FROM inbox GROUP BY status"
        if self.dialect == "sqlite":
            import sqlite3

            con = sqlite3.connect(f"file:{url.split('://', 1)[1]}?mode=ro", uri=True, timeout=10)
            try:
                rows = con.execute(sql).fetchall()
            finally:
                con.close()
        else:
            rows = _pg(sql, url)
        return {str(status): int(n) for status, n in rows}

    def close(self) -> None:
        for db in [*self.made, self.template]:
            if db:
                _pg(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def _migrate(url: str) -> None:
    code = "import asyncio, sys; from storage.migrate import upgrade; asyncio.run(upgrade(sys.argv[1]))"
    subprocess.run([sys.executable, "-c", code, url], check=True, cwd=ROOT)


def _pg(sql: str, url: str = PG_ADMIN + "postgres") -> list[tuple[Any, ...]]:
    import asyncpg

    async def run() -> list[tuple[Any, ...]]:
        conn = await asyncpg.connect(url)
        try:
            return [tuple(r) for r in await conn.fetch(sql)]
        finally:
            await conn.close()

    return asyncio.run(run())


def backlog(counts: dict[str, int]) -> int:
    return counts.get("0", 0) + counts.get("1", 0)


# ---------------------------------------------------------------------------- orchestration
def stop_process(proc: subprocess.Popen[bytes]) -> None:
    """SIGINT (the bot's graceful shutdown), then kill if it takes more than a minute."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, proc: subprocess.Popen[bytes], within: float = 60) -> None:
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


def _profile(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes]:
    spy = Path(sys.executable).with_name("py-spy")
    return subprocess.Popen(
        [
            *(str(spy), "record", "-p", str(pid), "-d", str(max(1, int(seconds))), "-r", "250"),
            *("--nonblocking", "--threads", "-f", "raw", "-o", str(out)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def run_target(
    target: str,
    cmd: list[str],
    port: int,
    creds: dict[str, str],
    args: argparse.Namespace,
    start_id: int,
    url: str | None,
    store: Store | None,
    profile: Path | None,
    log: Path,
) -> dict[str, Any]:
    # The server logs as configured (JSON lines); to a file, so the figures stay readable.
    with log.open("ab") as sink:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env={**os.environ, **creds}, stdout=sink, stderr=subprocess.STDOUT
        )
    try:
        wait_port(port, proc)
        ctx = mp.get_context("spawn")
        out: Any = ctx.Queue()
        gen = ctx.Process(
            target=_generator,
            args=(
                port,
                creds,
                {
                    "count": int(args.capacity * (args.warmup + args.duration) * 1.2),
                    "start_id": start_id,
                    "connections": args.connections,
                    "warmup": args.warmup,
                    "duration": args.duration,
                },
                out,
            ),
        )
        gen.start()
        assert out.get(timeout=600) == "ready"
        spy = None
        if profile is not None:
            time.sleep(args.warmup)
            spy = _profile(proc.pid, args.duration - 0.5, profile)
        result: dict[str, Any] = out.get(timeout=600)
        ended = time.perf_counter()
        gen.join()
        if spy is not None:
            spy.wait(60)
        if url is not None and store is not None:
            counts = store.counts(url)
            result["handled"] = counts.get("2", 0) + counts.get("3", 0)
            result["rows"] = sum(counts.values())
            if target == "bot":
                while backlog(counts) > 0:
                    if time.perf_counter() - ended > args.drain_limit:
                        result["drain_s"] = float("inf")
                        break
                    time.sleep(0.05)
                    counts = store.counts(url)
                else:
                    result["drain_s"] = time.perf_counter() - ended
        return result
    finally:
        stop_process(proc)


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def summarize(results: dict[str, list[dict[str, Any]]], p99_target: float) -> list[str]:
    lines = []
    head = (
        f"{'target':16s} {'acked/s':>8s} {'p50 ms':>7s} {'p99 ms':>7s} {'max ms':>7s} "
        f"{'ratio':>6s} {'handled':>8s} {'drain s':>8s}"
    )
    lines.append(head)
    bare = _median([r["acked_per_s"] for r in results.get("bare", [])])
    for target, runs in results.items():
        acked = _median([r["acked_per_s"] for r in runs])
        ratio = f"{acked / bare:6.0%}" if bare == bare and target != "bare" else "     –"
        handled = _median([r.get("handled", float("nan")) for r in runs]) if target != "bare" else 0
        drains = [r["drain_s"] for r in runs if "drain_s" in r]
        lines.append(
            f"{target:16s} {acked:8.0f} {_median([r['p50_ms'] for r in runs]):7.1f} "
            f"{_median([r['p99_ms'] for r in runs]):7.1f} "
            f"{_median([r['max_ms'] for r in runs]):7.1f} {ratio} "
            + (f"{handled:8.0f}" if target != "bare" else f"{'–':>8s}")
            + (f" {_median(drains):8.1f}" if drains else f" {'–':>8s}")
        )
    if "bare" in results:
        for target, runs in results.items():
            if target == "bare":
                continue
            paired = [
                b["acked_per_s"] and r["acked_per_s"] / b["acked_per_s"]
                for r, b in zip(runs, results["bare"], strict=False)
            ]
            acked = _median([r["acked_per_s"] for r in runs])
            p99 = _median([r["p99_ms"] for r in runs])
            ok = acked >= 0.7 * bare and p99 < p99_target
            lines.append(
                f"{target}: {acked / bare:.0%} of the bare receiver (per round: "
                + ", ".join(f"{p:.0%}" for p in paired)
                + f"), p99 {p99:.1f} ms -> {'target met' if ok else 'TARGET MISSED'}"
            )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--handlers", choices=["followup", "probe"], default="followup")
    parser.add_argument("--targets", default="bare,bot")
    parser.add_argument(
        "--capacity",
        type=float,
        default=8000,
        help="requests pre-signed per second of the run (an upper bound)",
    )
    parser.add_argument("--drain-limit", type=float, default=900, help="give up draining after")
    parser.add_argument("--profile", type=Path, help="py-spy the bot during the measured window")
    parser.add_argument("--json", type=Path, help="write every run's figures here")
    parser.add_argument(
        "--logs", type=Path, default=ROOT / "test-output" / "ingress", help="servers' logs"
    )
    parser.add_argument("serve", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:  # internal: ingress.py serve <port> <db url> <workers 0|1> <handlers>
        serve_bot(int(args.serve[1]), args.serve[2], args.serve[3] == "1", args.serve[4])
        return 0

    targets = args.targets.split(",")
    args.logs.mkdir(parents=True, exist_ok=True)
    sim = Simulator()
    creds = sim.creds()
    results: dict[str, list[dict[str, Any]]] = {t: [] for t in targets}
    print(
        f"cores={os.cpu_count()} load={os.getloadavg()[0]:.1f} db={args.db} "
        f"handlers={args.handlers} connections={args.connections} "
        f"{args.repeats}x({args.warmup:g}+{args.duration:g} s)",
        flush=True,
    )
    store: Store | None = None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if any(t != "bare" for t in targets):
                store = Store(args.db, Path(tmp))
            n = 0
            for round_no in range(1, args.repeats + 1):
                for target in targets:
                    n += 1
                    port = free_port()
                    url: str | None = None
                    if target == "bare":
                        db = Path(tmp) / f"bare-{round_no}.sqlite3"
                        cmd = [sys.executable, "benchmarks/bare_receiver.py", "--port", str(port)]
                        cmd += ["--db", str(db)]
                    else:
                        assert store is not None
                        url = store.new(f"{target}-{round_no}")
                        workers = "0" if target.endswith("no-workers") else "1"
                        cmd = [sys.executable, "benchmarks/ingress.py", "serve", str(port), url]
                        cmd += [workers, args.handlers]
                        sim.sim.callback_url = f"http://127.0.0.1:{port}{PATH}"
                    profile = None
                    if args.profile is not None and target != "bare":
                        args.profile.mkdir(parents=True, exist_ok=True)
                        profile = args.profile / f"{target}-{round_no}.txt"
                    log = args.logs / f"{target}-{round_no}.log"
                    r = run_target(
                        target, cmd, port, creds, args, 10**9 * n, url, store, profile, log
                    )
                    results[target].append(r)
                    print(
                        f"round {round_no} {target:15s} {r['acked_per_s']:7.0f} acked/s  "
                        f"p50 {r['p50_ms']:6.2f} ms  p99 {r['p99_ms']:6.2f} ms  "
                        f"max {r['max_ms']:6.1f} ms  non-200 {r['other']}"
                        + (f"  handled {r['handled']}/{r['rows']}" if "rows" in r else "")
                        + (f"  drain {r['drain_s']:.1f} s" if "drain_s" in r else ""),
                        flush=True,
                    )
    finally:
        sim.stop()
        if store is not None and args.db == "postgres":
            store.close()
    print()
    for line in summarize(results, 20.0):
        print(line)
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
