"""Run each sample voice note through the real demo pipeline and record what came out.

    .venv/bin/python bot/devtools/demo/samples/check_samples.py [--config config.yaml]

A throwaway SQLite database is migrated and seeded like ``make demo``; each sample is sent as
张伟 through the built-in WeCom simulator, and the confirm card the bot answers with is printed
(client, amount, date …). What Whisper heard is written to ``samples.json`` as ``heard``. Use it
after changing a sample, the ASR model or the extractor.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import tempfile
from datetime import UTC, datetime

from aiohttp import web

from bot.cli import load_or_exit
from bot.config.models import AppConfig
from bot.devtools.demo.mode import build_demo, create_demo_app
from bot.devtools.demo.samples import SAMPLES_DIR, Sample, load_samples
from bot.devtools.demo.seed import seed_demo
from bot.devtools.sim.wecom_feed import FeedItem
from storage.migrate import upgrade

REP = "ZhangWei"


async def check(config: AppConfig, samples: list[Sample]) -> dict[str, str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    demo = build_demo(config, port=sock.getsockname()[1])
    runner = web.AppRunner(create_demo_app(demo), access_log=None)
    await runner.setup()
    heard: dict[str, str] = {}
    try:
        await seed_demo(config, demo.runtime.db, days=28, seed=7, now=datetime.now(UTC))
        await web.SockSite(runner, sock).start()
        sim = demo.simulator
        for sample in samples:
            seen = len(sim.cards_of(REP))

            def answered(_: FeedItem, seen: int = seen) -> bool:
                return len(sim.cards_of(REP)) > seen

            await sim.send_voice(REP, sample.file.read_bytes())
            await sim.wait_for(REP, answered, within=120)
            card = sim.cards_of(REP)[-1].body
            rows = card.get("horizontal_content_list", [])
            lines = str(card.get("sub_title_text", "")).splitlines()
            said = next((x.removeprefix("原话：") for x in lines if x.startswith("原话：")), "")
            heard[sample.file.name] = said
            print(f"== {sample.title}  (wanted client {sample.client})\n   heard: {said}")
            for row in rows:
                print(f"   {row['keyname']}: {row['value']}")
            task = sim.cards_of(REP)[-1].task_id
            discard = next(b["key"] for b in card.get("button_list", []) if b["text"] == "丢弃")
            await sim.tap(REP, task, discard)  # the next sample starts a visit of its own
    finally:
        await runner.cleanup()
        sock.close()
    return heard


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="config.yaml")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite://{folder}/check.sqlite3"
        config = load_or_exit(args.config)
        database = config.database.model_copy(update={"url": url, "media_dir": folder})
        config = config.model_copy(update={"database": database})
        asyncio.run(upgrade(url))
        heard = asyncio.run(check(config, load_samples()))
    manifest = SAMPLES_DIR / "samples.json"
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    for entry in entries:
        entry["heard"] = heard.get(entry["file"], entry.get("heard", ""))
    manifest.write_text(json.dumps(entries, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
