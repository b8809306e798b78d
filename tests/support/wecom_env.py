"""The environment variables that point config.yaml's WeCom app at a simulator."""

from __future__ import annotations

from bot.devtools.sim.wecom import WecomSimulator


def wecom_env(sim: WecomSimulator) -> dict[str, str]:
    return {
        "WECOM_ENABLED": "true",
        "WECOM_CORP_ID": sim.corp_id,
        "WECOM_AGENT_ID": str(sim.agent_id),
        "WECOM_SECRET": sim.secret,
        "WECOM_TOKEN": sim.token,
        "WECOM_AES_KEY": sim.encoding_aes_key,
        "WECOM_API_BASE": str(sim.api_base),
    }
