"""A local chat-completions server faithful to the OpenAI API, for the optional LLM path."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

KEY = "sk-test-secret"


def completion(content: str) -> dict:
    """A reply shaped like OpenAI's chat.completion object."""
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1764230000,
        "model": "fake-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


async def start_fake_llm(aiohttp_server: Any, answer: dict[str, Any]) -> dict[str, Any]:
    """Serves ``/v1/chat/completions``; ``state["mode"]`` switches between good and broken,
    ``state["answer"]`` (initially ``answer``) is what a good reply carries."""
    state = {"mode": "good", "requests": [], "answer": answer}

    async def chat(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        state["requests"].append((dict(request.headers), body))
        if request.headers.get("Authorization") != f"Bearer {KEY}":
            return web.json_response({"error": {"message": "bad key"}}, status=401)
        assert body["response_format"] == {"type": "json_object"}
        assert body["messages"][0]["role"] == "system"
        mode = state["mode"]
        answer = state["answer"]
        if mode == "slow":
            await asyncio.sleep(1.0)
        if mode == "error":
            return web.json_response({"error": {"message": "overloaded"}}, status=500)
        if mode == "garbage":
            return web.json_response(completion("当然可以！客户是华东机械。"))
        if mode == "not_json_body":
            return web.Response(text="<html>gateway</html>", content_type="text/html")
        if mode == "off_schema":
            return web.json_response(completion(json.dumps({"amount": -5})))
        if mode == "fenced":
            fenced = "```json\n" + json.dumps(answer, ensure_ascii=False) + "\n```"
            return web.json_response(completion(fenced))
        return web.json_response(completion(json.dumps(answer, ensure_ascii=False)))

    app = web.Application()
    app.router.add_post("/v1/chat/completions", chat)
    server = await aiohttp_server(app)
    state["url"] = str(server.make_url("")).rstrip("/")
    return state
