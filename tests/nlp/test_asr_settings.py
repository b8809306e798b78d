"""The ``asr:`` settings model: defaults, validation and the engine each setup loads."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from nlp.settings_asr import AsrSettings


def test_defaults_work_offline_with_the_bundled_model() -> None:
    settings = AsrSettings()
    assert settings.engine == "faster-whisper"
    assert settings.model == "bundled-base"
    assert (settings.device, settings.compute_type, settings.language) == ("cpu", "int8", "zh")
    assert settings.vad is True
    assert settings.workers == 1
    assert settings.executor == "process"
    assert settings.max_seconds == 600
    assert settings.merge_window_s == 180
    assert settings.hotwords.enabled is True
    assert settings.local_engine() == "faster-whisper"


def test_unknown_keys_are_rejected() -> None:
    with pytest.raises(ValidationError):
        AsrSettings.model_validate({"engin": "faster-whisper"})
    with pytest.raises(ValidationError):
        AsrSettings.model_validate({"remote": {"url": "http://x"}})


def test_hotwords_accepts_a_plain_switch() -> None:
    assert AsrSettings.model_validate({"hotwords": False}).hotwords.enabled is False
    nested = AsrSettings.model_validate({"hotwords": {"max_chars": 20}})
    assert (nested.hotwords.enabled, nested.hotwords.max_chars) == (True, 20)


def test_remote_engine_needs_a_base_url() -> None:
    with pytest.raises(ValidationError, match="base_url"):
        AsrSettings.model_validate({"engine": "openai-compatible"})
    with pytest.raises(ValidationError):
        AsrSettings.model_validate({"remote": {"base_url": "gpu-box:8000"}})
    settings = AsrSettings.model_validate(
        {
            "engine": "openai-compatible",
            "remote": {"base_url": "http://gpu:8000", "api_key": "sk-x"},
        }
    )
    assert settings.local_engine() == "faster-whisper"  # the fallback
    assert "sk-x" not in repr(settings)
    no_fallback = AsrSettings.model_validate(
        {"engine": "openai-compatible", "remote": {"base_url": "http://gpu", "fallback": "none"}}
    )
    assert no_fallback.local_engine() is None


def test_platform_engine_falls_back_to_a_local_engine() -> None:
    settings = AsrSettings.model_validate({"engine": "platform"})
    assert settings.platform_trust_alone is True
    assert settings.local_engine() == "faster-whisper"


def test_bundled_model_is_only_for_faster_whisper() -> None:
    with pytest.raises(ValidationError, match="bundled-base"):
        AsrSettings.model_validate({"engine": "openai-whisper"})
    settings = AsrSettings.model_validate({"engine": "openai-whisper", "model": "/m/tiny.pt"})
    assert settings.local_engine() == "openai-whisper"


def test_settings_are_immutable_and_typed() -> None:
    settings = AsrSettings.model_validate({"cache_dir": "/var/cache/salesbot", "workers": "2"})
    assert settings.cache_dir == Path("/var/cache/salesbot")
    assert settings.workers == 2
    with pytest.raises(ValidationError):
        settings.workers = 3  # type: ignore[misc]
    with pytest.raises(ValidationError):
        AsrSettings.model_validate({"workers": 0})
