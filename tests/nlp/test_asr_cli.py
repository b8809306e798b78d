"""``salesbot transcribe FILE``: argparse wiring and exit codes (runs the real bundled model)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from nlp.transcribe_cli import add_parser, load_settings, run

AUDIO = Path(__file__).resolve().parent.parent / "data" / "audio"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="salesbot")
    add_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_subcommand_is_registered_with_its_options() -> None:
    args = parse(["transcribe", "note.amr", "--engine", "openai-whisper", "--model", "/m/t.pt"])
    assert (args.command, args.file, args.engine, args.model) == (
        "transcribe",
        Path("note.amr"),
        "openai-whisper",
        "/m/t.pt",
    )
    assert args.handler is run
    with pytest.raises(SystemExit):
        parse(["transcribe", "note.amr", "--engine", "nonsense"])


def test_prints_the_transcript_without_any_config(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(parse(["transcribe", str(AUDIO / "visit_quote.m4a")])) == 0
    out, err = capsys.readouterr()
    assert "明天" in out
    assert "秒语音" in err


def test_unusable_audio_prints_the_reps_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(parse(["transcribe", str(AUDIO / "silent.amr")])) == 1
    assert "没有声音" in capsys.readouterr().err


def test_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(parse(["transcribe", str(tmp_path / "nope.amr")])) == 2
    assert "错误" in capsys.readouterr().err


def test_config_file_asr_section_and_overrides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "org: {name: 示例}\nasr:\n  beam_size: 2\n  hotwords: false\n  workers: 4\n",
        encoding="utf-8",
    )
    settings = load_settings(config, engine=None, model="/models/small")
    assert (settings.beam_size, settings.hotwords.enabled, settings.model) == (
        2,
        False,
        "/models/small",
    )
    assert (settings.executor, settings.workers) == ("thread", 1)  # one file needs one worker

    config.write_text("asr:\n  engine: whisper-cpp\n", encoding="utf-8")
    assert run(parse(["transcribe", str(AUDIO / "visit_quote.amr"), "--config", str(config)])) == 2
    assert "asr.engine" in capsys.readouterr().err
