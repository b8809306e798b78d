"""The `nlp:` section of config.yaml: client-name matching and the optional LLM.

Stage cues live with the funnel (``funnel.stages[].cues``), competitors and the timezone at the
top level of the config: one place each.

nlp:
  match_threshold: 0.8          # below this a heard client name is a new client
  llm:
    enabled: false
    base_url: https://api.deepseek.com   # "/v1/chat/completions" is appended
    model: deepseek-chat
    api_key: ${SALESBOT_LLM_API_KEY:-}
    timeout_s: 8
    max_tokens: 512
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator


class LlmSettings(BaseModel):
    """OpenAI-compatible chat completion endpoint (DeepSeek, Qwen, a local vLLM …)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    base_url: str = "http://127.0.0.1:8000"
    api_key: SecretStr | None = None
    model: str = "qwen2.5-7b-instruct"
    timeout_s: float = Field(default=8.0, gt=0, le=120)
    max_tokens: int = Field(default=512, ge=16, le=8192)
    temperature: float = Field(default=0.0, ge=0, le=2)

    @field_validator("api_key")
    @classmethod
    def _blank_is_none(cls, value: SecretStr | None) -> SecretStr | None:
        return value if value is not None and value.get_secret_value() else None

    @field_validator("base_url")
    @classmethod
    def _normalise_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("base_url 必须以 http:// 或 https:// 开头")
        # Accept both https://host and https://host/v1: the client appends /v1/chat/completions.
        return value.removesuffix("/v1")

    @field_validator("model")
    @classmethod
    def _model_named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("model 不能为空")
        return value.strip()

    @property
    def chat_url(self) -> str:
        return f"{self.base_url}/v1/chat/completions"


class NlpSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    match_threshold: float = Field(default=0.8, ge=0.5, le=1.0)
    llm: LlmSettings = Field(default_factory=LlmSettings)
