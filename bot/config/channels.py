"""Platform channels. Each is optional; a mapping is one app, a list configures several apps."""

from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator

from bot.config.base import Frozen


def _one_or_many(value: Any) -> Any:
    # Most organisations run one app per platform, so a plain mapping is accepted as one.
    if isinstance(value, dict):
        return [value]
    return value


class WecomApp(Frozen):
    name: str = "wecom"
    enabled: bool = True
    corp_id: str = ""
    agent_id: int = 0
    secret: SecretStr = SecretStr("")
    token: SecretStr = SecretStr("")
    encoding_aes_key: SecretStr = SecretStr("")
    api_base: str = "https://qyapi.weixin.qq.com/cgi-bin/"
    callback_path: str = Field(default="/wecom/callback", pattern=r"^/[A-Za-z0-9_/.-]*$")
    timeout_s: float = Field(default=10, gt=0)
    max_body_bytes: int = Field(default=1_048_576, gt=0)
    replay_window_s: int = Field(default=300, gt=0)
    # WeCom's docs say 72 h today and 24 h in older versions: trust a card's code for the shorter.
    response_code_ttl_s: int = Field(default=86_400, gt=0)

    @field_validator("api_base")
    @classmethod
    def _slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"


class DingtalkApp(Frozen):
    name: str = "dingtalk"
    enabled: bool = True
    app_key: str = ""
    app_secret: SecretStr = SecretStr("")
    robot_code: str = ""  # empty: the app key (true for enterprise-internal robots)
    mode: Literal["stream", "http"] = "stream"
    openapi_base: str = "https://api.dingtalk.com"
    card_template_id: str | None = None
    callback_path: str = Field(default="/dingtalk/callback", pattern=r"^/[A-Za-z0-9_/.-]*$")
    timeout_s: float = Field(default=10, gt=0)
    # The legacy API host: media upload (images and files the bot sends) lives only there.
    oapi_base: str = "https://oapi.dingtalk.com"
    # Stream mode: reconnect backoff (exponential with jitter, capped) and the websocket heartbeat
    # that notices a dead connection when the network drops silently.
    reconnect_base_s: float = Field(default=1.0, gt=0)
    reconnect_max_s: float = Field(default=60.0, gt=0)
    heartbeat_s: float = Field(default=30.0, gt=0)
    # HTTP mode: how far a request's timestamp may be from our clock (DingTalk documents 1 hour).
    sign_window_s: int = Field(default=3600, gt=0)
    # Without card_template_id, card buttons open signed single-use links to the bot's own page.
    link_ttl_hours: float = Field(default=72, gt=0)
    max_media_bytes: int = Field(default=20 * 1024 * 1024, gt=0)

    @field_validator("card_template_id")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("openapi_base", "oapi_base")
    @classmethod
    def _no_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @property
    def effective_robot_code(self) -> str:
        return self.robot_code or self.app_key


class Channels(Frozen):
    wecom: tuple[WecomApp, ...] = ()
    dingtalk: tuple[DingtalkApp, ...] = ()

    _wrap = field_validator("wecom", "dingtalk", mode="before")(_one_or_many)

    @property
    def enabled_wecom(self) -> tuple[WecomApp, ...]:
        return tuple(a for a in self.wecom if a.enabled)

    @property
    def enabled_dingtalk(self) -> tuple[DingtalkApp, ...]:
        return tuple(a for a in self.dingtalk if a.enabled)
