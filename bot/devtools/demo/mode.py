"""Demo mode wiring: the bot and a built-in WeCom tenant in one process, plus the sandbox page.

The simulator is mounted on the bot's own app (``/sim/wecom/cgi-bin/``) and the bot's WeCom
channel is configured to talk to it, so a message typed in the sandbox travels the path a real
tenant's does: the simulator posts an encrypted, signed callback to ``/wecom/callback`` and the bot
answers through ``message/send`` and ``update_template_card`` over HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from bot.app import Runtime, build_runtime, create_app
from bot.clock import Clock, SystemClock
from bot.config.channels import Channels
from bot.config.models import AppConfig
from bot.config.org import ROLE_LABELS
from bot.devtools.sim.orgchart import generate
from bot.devtools.sim.wecom import WecomSimulator

SIM_PREFIX = "/sim/wecom"
DEMO_HOSTS = ("127.0.0.1", "localhost")


@dataclass
class Demo:
    """Everything demo mode adds around the bot, built without I/O."""

    config: AppConfig  # the in-memory demo config (WeCom pointed at the simulator)
    runtime: Runtime
    simulator: WecomSimulator
    base_url: str  # http://127.0.0.1:<port>
    samples_dir: Path

    @property
    def sandbox_url(self) -> str:
        return self.base_url + "/sandbox"


def demo_config(config: AppConfig, sim: WecomSimulator, base_url: str) -> AppConfig:
    """The admin's config with the simulator as the only platform (no internet in demo mode)."""
    app = sim.app_config(api_base=f"{base_url}{SIM_PREFIX}/cgi-bin/")
    server = config.server.model_copy(update={"public_url": base_url})
    return config.model_copy(update={"channels": Channels(wecom=(app,)), "server": server})


def add_people(sim: WecomSimulator, config: AppConfig) -> None:
    """Everyone with a WeCom user id becomes a member of the simulated tenant."""
    for person in config.people:
        if person.wecom_userid:
            position = person.title or ROLE_LABELS.get(person.role, "")
            sim.add_user(person.wecom_userid, person.name, position=position)


async def _preload_asr(rt: Runtime) -> None:
    # Loading Whisper takes seconds: start it with the app so the first voice note is quick.
    from handlers.followup.voice import VoiceNotes

    voice = rt.services.find(VoiceNotes)
    if voice is not None:
        voice.preload()


def build_demo(
    config: AppConfig,
    *,
    port: int,
    clock: Clock | None = None,
    samples_dir: Path | None = None,
) -> Demo:
    from bot.devtools.demo.samples import SAMPLES_DIR

    clock = clock or SystemClock()
    base_url = f"http://127.0.0.1:{port}"
    sim = WecomSimulator(clock=clock)
    config = demo_config(config, sim, base_url)
    add_people(sim, config)
    # A realistic company directory behind the simulator: /同步通讯录 (as 林峰) brings it in.
    sim.load_directory(generate())
    runtime = build_runtime(config, clock=clock)
    runtime.on_start.append(_preload_asr)
    sim.callback_url = base_url + config.channels.wecom[0].callback_path
    return Demo(config, runtime, sim, base_url, samples_dir or SAMPLES_DIR)


def create_demo_app(demo: Demo) -> web.Application:
    """The bot's app with the demo-only routes: the simulator's API and the sandbox page."""
    from bot.devtools.sandbox.routes import SandboxApi

    app = create_app(demo.config, runtime=demo.runtime)
    demo.simulator.mount(app, SIM_PREFIX, demo.base_url)
    SandboxApi(demo.simulator, demo.config, demo.samples_dir).install(app)
    return app
