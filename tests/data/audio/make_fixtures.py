"""Regenerate the committed voice-note fixtures (run once; the outputs are committed).

    .venv/bin/python tests/data/audio/make_fixtures.py

Mandarin visit notes are synthesised with espeak-ng's ``cmn-latn-pinyin`` voice (fed pinyin with
tone numbers; the plain ``cmn`` voice would read pinyin as English), encoded to AMR-NB 8 kHz with
PyAV's ``libopencore_amrnb`` encoder the way WeCom delivers voice, plus Opus/Ogg, WebM/Opus,
M4A/AAC and MP3 variants of one note and the broken inputs the decoder must reject.

The sentences were chosen by transcribing many espeak candidates with the bundled Whisper base:
espeak's Mandarin is robotic and base mishears much of it, so each note keeps the amount and date
phrases that base recognises reliably (recorded in ``expected.json``).
"""

from __future__ import annotations

import io
import json
import random
import struct
import subprocess
import wave
import zlib
from pathlib import Path

import av
import numpy as np

HERE = Path(__file__).resolve().parent
VOICE = "cmn-latn-pinyin+m3"  # espeak's male variant 3: base recognised it best of those tried
SPEED_WPM = "160"
PITCH = "50"
WORD_GAP = "3"  # 30 ms between words helps base segment the syllables

# name -> (pinyin, expected content). "amount" is in yuan; "date" lists the accepted spellings.
NOTES: dict[str, tuple[str, dict[str, object]]] = {
    "visit_contract": (
        "jin1 tian1 bai4 fang3 le5 ke4 hu4, he2 tong2 jin1 e2 liu4 shi2 wan4, "
        "xia4 zhou1 yi1 zhi1 qian2 hui2 fu4.",
        {
            "text": "今天拜访了客户，合同金额六十万，下周一之前回复。",
            "amount": 600000,
            "date": "下周一",
        },
    ),
    "visit_budget": (
        "ke4 hu4 de5 yu4 suan4 shi4 wu3 shi2 wan4, wo3 men5 xia4 ge4 yue4 qu4 qian1 he2 tong2.",
        {"text": "客户的预算是五十万，我们下个月去签合同。", "amount": 500000, "date": "下个月"},
    ),
    "visit_quote": (
        "wo3 men5 bao4 jia4 jiu3 shi2 wan4 yuan2, ke4 hu4 shuo1 ming2 tian1 gei3 wo3 men5 da2 fu4.",
        {"text": "我们报价九十万元，客户说明天给我们答复。", "amount": 900000, "date": "明天"},
    ),
    "visit_friday": (
        "jin1 tian1 bai4 fang3 le5 ke4 hu4, he2 tong2 jin1 e2 si4 shi2 wan4, "
        "xia4 zhou1 wu3 zhi1 qian2 hui2 fu4.",
        {
            "text": "今天拜访了客户，合同金额四十万，下周五之前回复。",
            "amount": 400000,
            "date": "下周五",
        },
    ),
    "visit_names": (
        "hong2 da2 ke1 ji4 de5 ke4 hu4 xiang3 yao4 zhi4 neng2 cang1 chu3 xi4 tong3, "
        "yu4 suan4 wu3 shi2 wan4, xia4 ge4 yue4 zhao1 biao1.",
        {
            "text": "宏达科技的客户想要智能仓储系统，预算五十万，下个月招标。",
            "amount": 500000,
            "date": "下个月",
            "hotwords": ["宏达科技", "智能仓储系统"],
        },
    ),
}
# The other containers carry this note as a phone would have recorded it: the AMR-NB audio
# re-encoded, so every variant holds the same narrowband speech as the WeCom original.
VARIANT_SOURCE = "visit_quote"


def synthesise(pinyin: str) -> bytes:
    """espeak-ng WAV bytes (22.05 kHz mono s16)."""
    return subprocess.run(
        [
            "espeak-ng",
            "-v",
            VOICE,
            "-s",
            SPEED_WPM,
            "-p",
            PITCH,
            "-g",
            WORD_GAP,
            "--stdout",
            pinyin,
        ],
        check=True,
        capture_output=True,
    ).stdout


def _frames(wav: bytes) -> list[av.AudioFrame]:
    with av.open(io.BytesIO(wav)) as container:
        return [frame for frame in container.decode(audio=0)]


def encode(
    wav: bytes,
    *,
    container: str,
    codec: str,
    rate: int,
    bit_rate: int,
    container_options: dict[str, str] | None = None,
) -> bytes:
    """Re-encode ``wav`` with PyAV (no ffmpeg binary involved)."""
    out_buffer = io.BytesIO()
    with av.open(out_buffer, "w", format=container, options=container_options or {}) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = "mono"
        stream.bit_rate = bit_rate
        fmt = stream.codec_context.codec.audio_formats[0].name
        resampler = av.AudioResampler(format=fmt, layout="mono", rate=rate)
        for frame in [*_frames(wav), None]:
            for resampled in resampler.resample(frame):
                for packet in stream.encode(resampled):
                    out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return out_buffer.getvalue()


def to_amr(wav: bytes) -> bytes:
    return encode(wav, container="amr", codec="libopencore_amrnb", rate=8000, bit_rate=12200)


def amr_to_wav(amr: bytes) -> bytes:
    """Decode AMR back to 8 kHz PCM WAV (the phone-quality source for the other containers)."""
    out_buffer = io.BytesIO()
    with av.open(io.BytesIO(amr)) as source, av.open(out_buffer, "w", format="wav") as out:
        stream = out.add_stream("pcm_s16le", rate=8000)
        stream.layout = "mono"
        for frame in source.decode(audio=0):
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return out_buffer.getvalue()


def silent_wav(seconds: float, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.zeros(int(seconds * rate), dtype="<i2").tobytes())
    return buffer.getvalue()


def tiny_png() -> bytes:
    """A valid 1x1 PNG, built by hand so no imaging library is needed."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def main() -> None:
    expected: dict[str, dict[str, object]] = {}
    for name, (pinyin, facts) in NOTES.items():
        wav = synthesise(pinyin)
        (HERE / f"{name}.amr").write_bytes(to_amr(wav))
        expected[f"{name}.amr"] = {"pinyin": pinyin, **facts}

    source = amr_to_wav((HERE / f"{VARIANT_SOURCE}.amr").read_bytes())
    variants = {
        f"{VARIANT_SOURCE}.ogg": dict(container="ogg", codec="libopus", rate=48000, bit_rate=16000),
        f"{VARIANT_SOURCE}.webm": dict(
            container="webm", codec="libopus", rate=48000, bit_rate=16000
        ),
        # What a browser's MediaRecorder uploads: a live WebM with no duration in its header.
        f"{VARIANT_SOURCE}_live.webm": dict(
            container="webm",
            codec="libopus",
            rate=48000,
            bit_rate=16000,
            container_options={"live": "1"},
        ),
        f"{VARIANT_SOURCE}.m4a": dict(container="ipod", codec="aac", rate=16000, bit_rate=24000),
        f"{VARIANT_SOURCE}.mp3": dict(
            container="mp3", codec="libmp3lame", rate=16000, bit_rate=24000
        ),
    }
    for filename, spec in variants.items():
        (HERE / filename).write_bytes(encode(source, **spec))  # type: ignore[arg-type]
        expected[filename] = expected[f"{VARIANT_SOURCE}.amr"]

    # A browser recording uploaded with the wrong extension: sniffing must ignore the name.
    (HERE / "misnamed_opus.amr").write_bytes((HERE / f"{VARIANT_SOURCE}.ogg").read_bytes())

    (HERE / "silent.amr").write_bytes(to_amr(silent_wav(3.0)))
    (HERE / "empty.amr").write_bytes(b"")
    amr = (HERE / "visit_contract.amr").read_bytes()
    rng = random.Random(5)
    garbled = bytearray(amr)
    for i in range(200, len(garbled)):
        garbled[i] = rng.randrange(256)
    (HERE / "corrupt_garbled.amr").write_bytes(bytes(garbled))
    (HERE / "corrupt_truncated.amr").write_bytes(amr[: 6 + 20])  # header + part of the first frame
    (HERE / "not_audio.png").write_bytes(tiny_png())
    (HERE / "not_audio.txt").write_bytes("今天拜访了华东机械，报价三十万。\n".encode())

    (HERE / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
