"""Decoding voice notes: format sniffing, every failure mode, and garbage that must not crash."""

from __future__ import annotations

import io
import json
import pickle
import random
import re
import wave
from pathlib import Path

import av
import numpy as np
import pytest

from nlp.audio import (
    TARGET_RATE,
    AudioError,
    DecodedAudio,
    decode_audio,
    mime_type,
    probe_duration,
    sniff_format,
    too_long_message,
)

AUDIO = Path(__file__).resolve().parent.parent / "data" / "audio"
EXPECTED = json.loads((AUDIO / "expected.json").read_text(encoding="utf-8"))
NOTES = sorted(EXPECTED)
CJK = re.compile(r"[\u4e00-\u9fff]")


def read(name: str) -> bytes:
    return (AUDIO / name).read_bytes()


def wav_bytes(samples: np.ndarray, rate: int, channels: int = 1) -> bytes:
    """16-bit PCM WAV of interleaved ``samples`` in [-1, 1]."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return buffer.getvalue()


def tone(seconds: float, rate: int, amplitude: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


# --- sniffing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("visit_quote.amr", "amr"),
        ("visit_quote.ogg", "opus"),
        ("visit_quote.webm", "webm"),
        ("visit_quote_live.webm", "webm"),
        ("visit_quote.m4a", "m4a"),
        ("visit_quote.mp3", "mp3"),
        ("misnamed_opus.amr", "opus"),
        ("not_audio.png", None),
        ("not_audio.txt", None),
        ("empty.amr", None),
    ],
)
def test_sniff_fixture_by_content_not_name(name: str, fmt: str | None) -> None:
    assert sniff_format(read(name)) == fmt


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b"#!AMR\n\x3c", "amr"),
        (b"#!AMR-WB\n\x04", "amr-wb"),
        (b"OggS\x00\x02" + b"\x00" * 22 + b"\x01vorbis", "vorbis"),
        (b"OggS\x00\x02" + b"\x00" * 22 + b"Speex   ", "ogg"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska", "matroska"),
        (b"\x00\x00\x00\x18ftyp3gp4\x00\x00\x00\x00", "3gp"),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00", "mp4"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", "mp3"),
        (b"\xff\xfb\x90\x64\x00", "mp3"),
        (b"\xff\xf1\x50\x80\x02\x1f\xfc", "aac"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "wav"),
        (b"fLaC\x00\x00\x00\x22", "flac"),
        (b"RIFF\x24\x00\x00\x00AVI LIST", None),  # RIFF, but a video
        (b"\xff\xff\xff\xff\xff", None),  # sync bits with a reserved bitrate: not MPEG
        (b"%PDF-1.7\n", None),
        (b"PK\x03\x04", None),
        (b"\x89PNG\r\n\x1a\n", None),
        (b"#!AMR", None),  # the magic without its newline
    ],
)
def test_sniff_magic_bytes(head: bytes, fmt: str | None) -> None:
    assert sniff_format(head) == fmt


def test_mime_types_for_stored_originals() -> None:
    assert mime_type(sniff_format(read("visit_quote.amr"))) == "audio/amr"
    assert mime_type(sniff_format(read("visit_quote.ogg"))) == "audio/ogg"
    assert mime_type(sniff_format(read("visit_quote.m4a"))) == "audio/mp4"
    assert mime_type(sniff_format(read("not_audio.png"))) == "application/octet-stream"


# --- decoding the good fixtures ----------------------------------------------------------------


@pytest.mark.parametrize("name", NOTES)
def test_every_note_decodes_to_16k_mono_float32(name: str) -> None:
    audio = decode_audio(read(name))
    assert isinstance(audio, DecodedAudio)
    assert audio.samples.dtype == np.float32
    assert audio.samples.ndim == 1
    assert audio.duration == pytest.approx(audio.samples.size / TARGET_RATE)
    assert 5.0 <= audio.duration <= 15.0
    assert float(np.max(np.abs(audio.samples))) <= 1.0


def test_container_variants_hold_the_same_note() -> None:
    reference = decode_audio(read("visit_quote.amr"))
    assert reference.format == "amr"
    variants = [("ogg", "opus"), ("webm", "webm"), ("m4a", "m4a"), ("mp3", "mp3")]
    for suffix, fmt in [*variants, ("_live.webm", "webm")]:
        name = f"visit_quote{suffix}" if suffix.startswith("_") else f"visit_quote.{suffix}"
        audio = decode_audio(read(name))
        assert audio.format == fmt
        # Encoder priming/padding shifts the length by at most a few frames.
        assert audio.duration == pytest.approx(reference.duration, abs=0.15), suffix


@pytest.mark.parametrize("name", [*NOTES, "silent.amr"])
def test_probe_duration_matches_decoded_duration(name: str) -> None:
    probed = probe_duration(read(name))
    if name == "silent.amr":
        assert probed == pytest.approx(3.0, abs=0.1)
        return
    assert probed == pytest.approx(decode_audio(read(name)).duration, abs=0.1)


def test_amr_duration_counts_20ms_frames() -> None:
    data = read("visit_contract.amr")
    frames = (len(data) - 6) // 32  # 12.2 kbit/s frames are 32 bytes
    assert probe_duration(data) == pytest.approx(frames * 0.02)


def test_amr_wb_is_timed_and_decoded() -> None:
    # No AMR-WB encoder ships with PyAV; 50 "no data" frames (header 0x7C) are still a valid
    # 1 s AMR-WB stream: timed from its frames and decoded (to silence) by FFmpeg.
    data = b"#!AMR-WB\n" + b"\x7c" * 50
    assert sniff_format(data) == "amr-wb"
    assert probe_duration(data) == pytest.approx(1.0)
    with pytest.raises(AudioError) as caught:
        decode_audio(data)
    assert caught.value.code == "silent"  # decoded: 1 s of digital silence


def test_wav_is_resampled_and_downmixed() -> None:
    stereo = np.repeat(tone(2.0, 44_100), 2)  # interleaved L/R
    audio = decode_audio(wav_bytes(stereo, 44_100, channels=2))
    assert audio.format == "wav"
    assert audio.duration == pytest.approx(2.0, abs=0.01)
    # A 440 Hz tone stays a 440 Hz tone: the resampler did not just relabel the rate.
    spectrum = np.abs(np.fft.rfft(audio.samples))
    peak_hz = np.argmax(spectrum) * TARGET_RATE / audio.samples.size
    assert peak_hz == pytest.approx(440, abs=2)


def test_amr_cut_mid_frame_keeps_the_audio_before_the_cut() -> None:
    data = read("visit_contract.amr")
    cut = data[: len(data) // 2 + 7]
    audio = decode_audio(cut)
    assert audio.duration == pytest.approx(probe_duration(cut), abs=0.05)
    assert audio.duration < decode_audio(data).duration


# --- failure modes -----------------------------------------------------------------------------


def _error(data: bytes, **kwargs: float) -> AudioError:
    with pytest.raises(AudioError) as caught:
        decode_audio(data, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"#!AMR\n", "empty"),
        (read("empty.amr"), "empty"),
        (read("not_audio.png"), "not_audio"),
        (read("not_audio.txt"), "not_audio"),
        (b"\x00" * 4096, "not_audio"),
        (read("corrupt_garbled.amr"), "corrupt"),
        (read("corrupt_truncated.amr"), "corrupt"),
        (read("visit_quote.m4a")[:2000], "corrupt"),  # moov atom lost with the tail
        (read("visit_quote.ogg")[:60] + bytes(range(256)) * 8, "corrupt"),
        (read("silent.amr"), "silent"),
        (wav_bytes(np.zeros(16_000, dtype=np.float32), 16_000), "silent"),
        (wav_bytes(tone(1.0, 16_000, amplitude=0.001), 16_000), "silent"),
    ],
    ids=[
        "zero-bytes",
        "amr-header-only",
        "empty-file",
        "png",
        "text",
        "zeros",
        "amr-garbled",
        "amr-truncated",
        "m4a-truncated",
        "ogg-garbled",
        "amr-silence",
        "wav-silence",
        "wav-inaudible-hum",
    ],
)
def test_failure_modes_have_codes_and_chinese_messages(data: bytes, code: str) -> None:
    error = _error(data)
    assert error.code == code
    assert CJK.search(error.message_zh)
    assert error.detail  # the log gets a reason, not only the user message


def test_quiet_but_audible_speech_is_not_silent() -> None:
    audio = decode_audio(wav_bytes(tone(1.0, 16_000, amplitude=0.05), 16_000))
    assert audio.duration == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize("name", ["visit_quote.amr", "visit_quote.ogg", "visit_quote.m4a"])
def test_too_long_uses_the_configured_limit(name: str) -> None:
    error = _error(read(name), max_seconds=5)
    assert error.code == "too_long"
    assert error.message_zh == "语音超过 5 秒，请分段发送（每段不超过 5 秒）。"
    assert decode_audio(read(name), max_seconds=10).duration > 5


def test_live_webm_without_duration_is_timed_by_packets_and_samples() -> None:
    # Browser recordings declare no duration: probe sums packets, decode counts samples.
    data = read("visit_quote_live.webm")
    assert probe_duration(data) == pytest.approx(
        decode_audio(read("visit_quote.amr")).duration, abs=0.1
    )
    error = _error(data, max_seconds=5)
    assert error.code == "too_long"
    assert error.detail == "> 5 s"  # caught while decoding, not from a header


def test_default_limit_message_is_in_minutes() -> None:
    assert too_long_message(600) == "语音超过 10 分钟，请分段发送（每段不超过 10 分钟）。"


def test_audio_error_survives_pickling() -> None:
    # Errors cross the ASR process pool by pickle.
    error = pickle.loads(pickle.dumps(AudioError("silent", detail="peak 0")))
    assert (error.code, error.detail) == ("silent", "peak 0")
    assert error.message_zh == AudioError("silent").message_zh


def test_probe_rejects_what_decode_rejects_cheaply() -> None:
    for data, code in [
        (b"", "empty"),
        (read("not_audio.png"), "not_audio"),
        (read("corrupt_garbled.amr"), "corrupt"),
    ]:
        with pytest.raises(AudioError) as caught:
            probe_duration(data)
        assert caught.value.code == code


# --- fuzzing -----------------------------------------------------------------------------------


def _mutations(rng: random.Random) -> list[bytes]:
    sources = [read(n) for n in NOTES] + [read("silent.amr")]
    magics = [b"#!AMR\n", b"#!AMR-WB\n", b"OggS", b"\x1a\x45\xdf\xa3", b"\x00\x00\x00\x18ftypM4A "]
    magics += [
        b"ID3\x03\x00",
        b"\xff\xfb\x90\x64",
        b"\xff\xf1\x50\x80",
        b"RIFF\x00\x00\x00\x00WAVE",
    ]
    cases: list[bytes] = []
    for source in sources:
        for _ in range(6):
            cases.append(source[: rng.randrange(1, len(source))])  # truncation
            flipped = bytearray(source)
            for _ in range(rng.randrange(1, 40)):
                flipped[rng.randrange(len(flipped))] = rng.randrange(256)
            cases.append(bytes(flipped))  # bit rot
    for magic in magics:
        for size in (0, 1, 17, 500, 5000):
            cases.append(magic + rng.randbytes(size))  # right magic, garbage body
    return cases


def test_garbage_never_escapes_as_anything_but_audio_error() -> None:
    rng = random.Random(20240605)
    for data in _mutations(rng):
        try:
            audio = decode_audio(data, max_seconds=60)
        except AudioError as error:
            assert error.code in {"empty", "not_audio", "corrupt", "too_long", "silent"}
            continue
        assert audio.samples.dtype == np.float32
        assert np.all(np.isfinite(audio.samples))
        assert 0 < audio.duration <= 60


def test_probe_never_escapes_as_anything_but_audio_error() -> None:
    rng = random.Random(7)
    for data in _mutations(rng):
        try:
            seconds = probe_duration(data)
        except AudioError:
            continue
        assert seconds >= 0


def test_decoder_uses_pyav_not_an_ffmpeg_binary(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("decode_audio must not shell out")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    assert decode_audio(read("visit_quote.webm")).format == "webm"


def test_pyav_can_encode_amr_for_the_fixtures() -> None:
    # The fixtures rely on PyAV's bundled opencore AMR-NB encoder (Debian's ffmpeg has none).
    out = io.BytesIO()
    with av.open(out, "w", format="amr") as container:
        stream = container.add_stream("libopencore_amrnb", rate=8000)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(
            (tone(0.2, 8000) * 32767).astype("<i2").reshape(1, -1), format="s16", layout="mono"
        )
        frame.sample_rate = 8000
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    assert sniff_format(out.getvalue()) == "amr"
    assert probe_duration(out.getvalue()) == pytest.approx(0.2, abs=0.04)
