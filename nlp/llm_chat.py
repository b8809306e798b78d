"""One OpenAI-compatible chat completion in JSON mode, validated into a pydantic model.

Shared by the note filler (nlp/llm.py) and the intent reader (nlp/intent_llm.py): every way the
call can fail becomes ``LlmUnavailable`` with a short reason, so callers keep their rules result.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

import aiohttp
from pydantic import BaseModel, ValidationError

from nlp.settings_nlp import LlmSettings

M = TypeVar("M", bound=BaseModel)
_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$")  # some models fence JSON despite JSON mode


class LlmUnavailable(Exception):
    """The LLM gave no usable answer; ``reason`` says why, for the log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def ask_json(
    model: type[M],
    messages: list[dict[str, str]],
    *,
    settings: LlmSettings,
    session: aiohttp.ClientSession,
    max_tokens: int | None = None,
) -> M:
    payload: dict[str, Any] = {
        "model": settings.model,
        "messages": messages,
        "response_format": {"type": "json_object"},
        "max_tokens": max_tokens or settings.max_tokens,
        "temperature": settings.temperature,
    }
    headers = {}
    if settings.api_key is not None:
        headers["Authorization"] = f"Bearer {settings.api_key.get_secret_value()}"
    timeout = aiohttp.ClientTimeout(total=settings.timeout_s)
    try:
        async with session.post(
            settings.chat_url, json=payload, headers=headers, timeout=timeout
        ) as resp:
            if resp.status != 200:
                raise LlmUnavailable(f"HTTP {resp.status}")
            data = await resp.json(content_type=None)
        content = data["choices"][0]["message"]["content"]
        return model.model_validate_json(_FENCE.sub("", content))
    except TimeoutError:
        raise LlmUnavailable(f"timeout after {settings.timeout_s:g} s") from None
    except aiohttp.ClientError as exc:
        raise LlmUnavailable(f"connection error: {type(exc).__name__}") from None
    except (KeyError, IndexError, TypeError, json.JSONDecodeError) as exc:
        raise LlmUnavailable(f"not a chat completion: {type(exc).__name__}") from None
    except ValidationError as exc:
        raise LlmUnavailable(f"reply off schema: {exc.error_count()} error(s)") from None
