"""``salesbot transcribe FILE [--engine E] [--model M]``: print the transcript of one voice note.

``bot/cli.py`` wires this in with ``add_parser(subparsers)`` and calls ``run(args)``. It works with
no config file (defaults: bundled Whisper base, offline); ``--config`` reads only the ``asr:``
section so a broken unrelated section does not stop an admin from testing speech recognition.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from nlp.asr.errors import AsrError
from nlp.asr.service import AsrService
from nlp.audio import AudioError, decode_audio
from nlp.settings_asr import AsrSettings

EXIT_OK = 0
EXIT_UNUSABLE_AUDIO = 1
EXIT_USAGE = 2
EXIT_ENGINE = 3


def add_parser(subparsers: Any) -> argparse.ArgumentParser:  # argparse's _SubParsersAction
    """Register ``transcribe`` on an ``ArgumentParser.add_subparsers()`` result."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "transcribe",
        help="识别一条语音文件并打印文字（离线）",
        description="识别一条语音文件（AMR、Opus、WebM、M4A、MP3、WAV）并打印简体中文文字。",
    )
    configure_parser(parser)
    return parser


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="语音文件路径")
    parser.add_argument(
        "--engine",
        choices=["faster-whisper", "openai-whisper", "openai-compatible"],
        help="识别引擎（默认取配置文件，没有配置时为 faster-whisper）",
    )
    parser.add_argument("--model", help="模型：bundled-base、本地目录、模型名或检查点路径")
    parser.add_argument("--config", type=Path, help="config.yaml 路径（只读取其中的 asr 部分）")
    parser.add_argument(
        "--hotword",
        action="append",
        default=[],
        metavar="NAME",
        help="客户/联系人/产品名称，可重复使用以提高识别准确率",
    )
    parser.add_argument("--segments", action="store_true", help="逐段打印时间戳")
    parser.set_defaults(handler=run)


def load_settings(config: Path | None, engine: str | None, model: str | None) -> AsrSettings:
    """The ``asr:`` section of ``config`` (or defaults) with command-line overrides applied."""
    section: dict[str, Any] = {}
    if config is not None:
        document = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        if not isinstance(document, dict):
            raise ValueError(f"{config}: 顶层必须是映射")
        raw = document.get("asr") or {}
        if not isinstance(raw, dict):
            raise ValueError(f"{config}: asr 必须是映射")
        section = dict(raw)
    if engine is not None:
        section["engine"] = engine
    if model is not None:
        section["model"] = model
    # One file, one worker: a thread starts in a fraction of the time a spawned process needs.
    section["executor"] = "thread"
    section["workers"] = 1
    return AsrSettings.model_validate(section)


async def _transcribe(settings: AsrSettings, data: bytes, hotwords: list[str]) -> Any:
    async with AsrService(settings) as service:
        return await service.transcribe(data, hotwords=hotwords or None)


def run(args: argparse.Namespace) -> int:
    """Transcribe ``args.file`` and print the text; returns the process exit code."""
    try:
        settings = load_settings(args.config, args.engine, args.model)
        data = Path(args.file).read_bytes()
    except (OSError, ValueError, yaml.YAMLError) as exc:
        # ValidationError is a ValueError: pydantic names the offending asr field.
        message = _validation_message(exc) if isinstance(exc, ValidationError) else str(exc)
        print(f"错误：{message}", file=sys.stderr)
        return EXIT_USAGE
    try:
        # Reject unusable audio before paying for a model load.
        decode_audio(data, max_seconds=settings.max_seconds)
        transcript = asyncio.run(_transcribe(settings, data, list(args.hotword)))
    except AudioError as exc:
        print(exc.message_zh, file=sys.stderr)
        return EXIT_UNUSABLE_AUDIO
    except AsrError as exc:
        print(exc.message_zh, file=sys.stderr)
        if exc.detail:
            print(f"（详情：{exc.detail}）", file=sys.stderr)
        return EXIT_ENGINE
    if args.segments:
        for segment in transcript.segments:
            print(f"[{segment.start:6.2f} → {segment.end:6.2f}] {segment.text}")
    else:
        print(transcript.text)
    print(
        f"（{transcript.duration_s:.1f} 秒语音，{transcript.engine}，用时 {transcript.elapsed_s:.1f} 秒）",
        file=sys.stderr,
    )
    return EXIT_OK


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in ("asr", *error["loc"]))
        parts.append(f"{where}: {error['msg']}")
    return "；".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Standalone entry point: ``python -m nlp.transcribe_cli FILE``."""
    parser = argparse.ArgumentParser(prog="salesbot transcribe")
    configure_parser(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
