"""Mixed load through nginx: two bot replicas on PostgreSQL, then one replica on SQLite.

WeCom-shaped encrypted callbacks (80 % text, 15 % voice, 5 % card taps) from the simulator's
tenant, spread over 50 senders (``--users``), open loop at rising rates, into nginx (Debian's
package) on 127.0.0.1, which balances over the replicas. For each rate: callbacks acknowledged
per second, p99 acknowledgement time, errors, and CPU and memory per replica. Printed: the
highest rate held with p99 < 100 ms and zero errors, and the drain rate (inbox rows handled per
second until the backlog is empty).

The replicas run the real app with its features (``--handlers followup``, the default): the
senders are reps of the organisation and each text becomes a visit-note card delivered to the
simulator, so the drain is the rate of real handling. ``--handlers probe`` swaps the features for
one row written per message (the pipeline alone, as benchmarks/ingress.py --handlers probe). A
voice note's media is not in the simulator, so it is answered with the download error: its
recognition takes seconds of CPU and is measured by benchmarks/voice_ack.py, not here.

    .venv/bin/python benchmarks/load.py [--rates 25,50,100,200] [--step 4] [--users 50]
        [--handlers probe|followup] [--only postgres|sqlite]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.ingress import (  # noqa: E402
    AGENT_ID,
    PATH,
    REP,
    Simulator,
    Store,
    backlog,
    free_port,
    stop_process,
    wait_port,
)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
P99_TARGET_MS = 100.0


def nginx_conf(folder: Path, port: int, upstreams: list[int]) -> Path:
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in upstreams)
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream bots {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://bots;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_next_upstream error timeout;
        }}
    }}
}}
""",
        encoding="utf-8",
    )
    return conf


def callbacks(
    creds: dict[str, str], count: int, seed: int, users: int = 1
) -> list[tuple[str, bytes]]:
    """Pre-signed callbacks (query, body) in the mix: 80 % text, 15 % voice, 5 % card taps, from
    ``users`` senders taking turns (one sender's messages are handled in order, one at a time,
    so a single sender measures that order, many senders the pipeline's throughput)."""
    import base64

    from bot.devtools.sim.wecom_callbacks import Signer, message_xml

    key = base64.b64decode(creds["BENCH_AES_KEY"] + "=")
    signer = Signer(creds["BENCH_TOKEN"], key, creds["BENCH_CORP_ID"], AGENT_ID)
    rng = random.Random(seed)
    now = int(time.time())
    out = []
    for i in range(count):
        common = {
            "ToUserName": creds["BENCH_CORP_ID"],
            "FromUserName": REP if users == 1 else f"{REP}{i % users}",
            "CreateTime": now,
            "AgentID": AGENT_ID,
        }
        roll = rng.random()
        if roll < 0.80:
            fields = {
                **common,
                "MsgType": "text",
                "Content": f"拜访华东机械，第{i}条",
                "MsgId": seed + i,
            }
        elif roll < 0.95:
            fields = {
                **common,
                "MsgType": "voice",
                "MediaId": f"m{seed + i}",
                "Format": "amr",
                "MsgId": seed + i,
            }
        else:
            fields = {
                **common,
                "MsgType": "event",
                "Event": "template_card_event",
                "EventKey": "ok",
                "TaskId": f"t{seed + i}",
                "CardType": "button_interaction",
                "ResponseCode": f"r{seed + i}",
            }
        req = signer.sign_message(message_xml(fields), now)
        out.append((req.query, req.body))
    return out


async def drive(port: int, reqs: list[tuple[str, bytes]], rate: float) -> dict[str, Any]:
    """Open loop: request i is sent at i/rate seconds, whatever the answers before it did."""
    import aiohttp

    latencies: list[float] = []
    errors = 0
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=256), timeout=aiohttp.ClientTimeout(total=10)
    ) as session:

        async def one(i: int, query: str, body: bytes) -> None:
            nonlocal errors
            await asyncio.sleep(max(0.0, t0 + i / rate - loop.time()))
            start = loop.time()
            try:
                async with session.post(
                    f"http://127.0.0.1:{port}{PATH}?{query}",
                    data=body,
                    headers={"Content-Type": "text/xml"},
                ) as r:
                    await r.read()
                    if r.status != 200:
                        errors += 1
            except (aiohttp.ClientError, TimeoutError):
                errors += 1
            latencies.append(loop.time() - start)

        await asyncio.gather(*(one(i, q, b) for i, (q, b) in enumerate(reqs)))
    latencies.sort()
    n = len(latencies)
    return {
        "sent": n,
        "errors": errors,
        "p50_ms": latencies[n // 2] * 1000,
        "p99_ms": latencies[min(n - 1, int(n * 0.99))] * 1000,
    }


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def scenario(
    name: str, dialect: str, replicas: int, args: argparse.Namespace, sim: Simulator, folder: Path
) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    store = Store(dialect, folder)
    url = store.new(name)
    creds = sim.creds()
    ports = [free_port() for _ in range(replicas)]
    procs = []
    log = ROOT / "test-output" / "load"
    log.mkdir(parents=True, exist_ok=True)
    nginx = None
    lines = [f"== {name}: {replicas} replica(s), {dialect}, through nginx"]
    try:
        for p in ports:
            cmd = [sys.executable, "benchmarks/ingress.py", "serve", str(p), url, "1"]
            cmd.append(args.handlers)
            with (log / f"{name}-{p}.log").open("ab") as sink:
                procs.append(
                    subprocess.Popen(
                        cmd,
                        cwd=ROOT,
                        env={**os.environ, **creds, "BENCH_SENDERS": str(args.users)},
                        stdout=sink,
                        stderr=subprocess.STDOUT,
                    )
                )
        for p, proc in zip(ports, procs, strict=True):
            wait_port(p, proc)
        front = free_port()
        nginx = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(nginx_conf(folder, front, ports))],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_port(front, nginx)
        # Interactive cards need the app's callback URL set, as on a real tenant.
        sim.sim.callback_url = f"http://127.0.0.1:{front}{PATH}"
        # Warm-up (connections, caches, the first token fetch): not measured.
        asyncio.run(
            drive(front, callbacks(creds, 100, 9 * 10**9 + replicas * 10**8, args.users), 50)
        )
        held = 0.0
        held_all = 0.0  # every rate up to this one held
        failed = False
        for k, rate in enumerate(args.rates):
            reqs = callbacks(
                creds, int(rate * args.step), 10**9 * (k + 1) + replicas * 10**8, args.users
            )
            before = [cpu_s(p.pid) for p in procs]
            t = time.perf_counter()
            result = asyncio.run(drive(front, reqs, rate))
            wall = time.perf_counter() - t
            cpu = [(cpu_s(p.pid) - b) / wall * 100 for p, b in zip(procs, before, strict=True)]
            mem = [rss_mb(p.pid) for p in procs]
            ok = result["errors"] == 0 and result["p99_ms"] < P99_TARGET_MS
            if ok:
                held = rate
                if not failed:
                    held_all = rate
            failed = failed or not ok
            lines.append(
                f"  {rate:>5.0f}/s: {result['sent']} sent, {result['errors']} errors, "
                f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms "
                f"{'held' if ok else 'NOT held'}; CPU "
                + ", ".join(f"{c:.0f}%" for c in cpu)
                + "; RSS "
                + ", ".join(f"{m:.0f} MB" for m in mem)
            )
            if not ok and args.stop_on_fail:
                break
        lines.append(
            f"  highest rate held (p99 < {P99_TARGET_MS:.0f} ms, 0 errors): {held:.0f}/s; "
            f"every rate up to {held_all:.0f}/s held (a shared machine makes single steps noisy)"
        )
        # Drain: a burst far above what the handlers keep up with, then the time until the
        # inbox is empty — the rate at which messages get handled, not the rate offered.
        counts = store.counts(url)
        while backlog(counts) > 0:
            time.sleep(0.1)
            counts = store.counts(url)
        done_before = counts.get("2", 0) + counts.get("3", 0)
        dead_before = counts.get("3", 0)
        burst = callbacks(creds, args.burst, 7 * 10**9 + replicas * 10**8, args.users)
        t = time.perf_counter()
        result = asyncio.run(drive(front, burst, args.burst_rate))
        counts = store.counts(url)
        while backlog(counts) > 0 and time.perf_counter() - t < args.drain_limit:
            time.sleep(0.05)
            counts = store.counts(url)
        took = time.perf_counter() - t
        handled = counts.get("2", 0) + counts.get("3", 0) - done_before
        lines.append(
            f"  drain: burst of {args.burst} at {args.burst_rate:.0f}/s ({result['errors']} errors,"
            f" p99 ack {result['p99_ms']:.0f} ms): {handled} handled in {took:.1f} s = "
            f"{handled / took:.0f} handled/s, of them failed for good: "
            f"{counts.get('3', 0) - dead_before}"
            + ("" if backlog(counts) == 0 else f" ({backlog(counts)} still pending at the limit)")
        )
    finally:
        if nginx is not None:
            stop_process(nginx)
        for proc in procs:
            stop_process(proc)
        store.close()
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rates", default="25,50,100,200,400,800", type=lambda s: [float(x) for x in s.split(",")]
    )
    parser.add_argument("--step", type=float, default=4.0, help="seconds per rate")
    parser.add_argument("--drain-limit", type=float, default=120.0)
    parser.add_argument("--burst", type=int, default=1500, help="callbacks in the drain burst")
    parser.add_argument("--burst-rate", type=float, default=1000.0)
    parser.add_argument(
        "--users", type=int, default=50, help="senders the traffic comes from (1 = one rep)"
    )
    parser.add_argument(
        "--handlers",
        choices=("probe", "followup"),
        default="followup",
        help="followup: the real features (a text becomes a visit-note card); probe: one row "
        "per message (the pipeline's figure)",
    )
    parser.add_argument("--stop-on-fail", action="store_true")
    parser.add_argument("--only", choices=("postgres", "sqlite"))
    args = parser.parse_args()
    if not Path(NGINX).exists():
        print(
            "nginx is not installed (apt-get install nginx-light, or make system-deps)",
            file=sys.stderr,
        )
        return 2
    sim = Simulator()
    for i in range(args.users):  # the senders, so the replies to them are delivered
        sim.sim.add_user(f"{REP}{i}", f"销售{i}号")
    out: list[str] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if args.only in (None, "postgres"):
                out += scenario("pg2", "postgres", 2, args, sim, Path(tmp) / "pg")
            if args.only in (None, "sqlite"):
                out += scenario("sqlite1", "sqlite", 1, args, sim, Path(tmp) / "sq")
    finally:
        sim.stop()
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
