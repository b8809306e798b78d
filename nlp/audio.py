"""Decode voice notes (AMR, Opus, WebM, M4A, MP3, WAV …) into 16 kHz mono float32 with PyAV.

The format is decided by magic bytes, never by file name: WeCom and DingTalk hand us media with
misleading or missing extensions. Every failure becomes an :class:`AudioError` whose ``message_zh``
can be sent to the rep as is; garbage input never escapes as a PyAV or numpy exception.
"""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import av
import numpy as np

log = logging.getLogger(__name__)

TARGET_RATE = 16_000
DEFAULT_MAX_SECONDS = 600.0

# "Silent" means nothing audible at all: peak below -40 dBFS or RMS below -60 dBFS. A real note from
# a phone peaks far above -20 dBFS; car-park noise alone sits around -50 dBFS RMS but peaks higher.
SILENT_PEAK = 10 ** (-40 / 20)
SILENT_RMS = 10 ** (-60 / 20)

# Tolerate a few undecodable packets (radio glitches), but not a stream that is mostly garbage.
_MAX_BAD_PACKET_RATIO = 0.1
_MIN_BAD_PACKETS = 3

AudioErrorCode = Literal["empty", "not_audio", "corrupt", "too_long", "silent", "no_speech"]

_MESSAGES: dict[str, str] = {
    "empty": "这条语音是空的，请重新录制后再发送。",
    "not_audio": "无法识别这个文件的格式，请直接发送语音消息（支持 AMR、Opus、M4A、MP3、WAV）。",
    "corrupt": "这条语音文件已损坏，无法播放，请重新录制后再发送。",
    "silent": "这条语音没有声音，请检查麦克风是否被遮挡或静音后重新录制。",
    "no_speech": "没有听清这条语音的内容，请在安静的地方靠近话筒重新录制。",
}


def too_long_message(max_seconds: float) -> str:
    """The rep-facing message for a note over the limit, phrased in minutes when it is whole."""
    if max_seconds >= 60 and float(max_seconds) % 60 == 0:
        limit = f"{int(max_seconds // 60)} 分钟"
    else:
        limit = f"{math.floor(max_seconds)} 秒"
    return f"语音超过 {limit}，请分段发送（每段不超过 {limit}）。"


class AudioError(Exception):
    """A voice note that cannot be transcribed; ``message_zh`` is the reply for the rep."""

    def __init__(
        self, code: AudioErrorCode, message_zh: str | None = None, detail: str = ""
    ) -> None:
        message = (
            message_zh if message_zh is not None else _MESSAGES.get(code, _MESSAGES["corrupt"])
        )
        # All three go to ``args`` so the error pickles intact across the ASR process pool.
        super().__init__(code, message, detail)
        self.code: AudioErrorCode = code
        self.message_zh = message
        self.detail = detail

    def __str__(self) -> str:
        suffix = f": {self.detail}" if self.detail else ""
        return f"[{self.code}] {self.message_zh}{suffix}"


@dataclass(frozen=True)
class DecodedAudio:
    """16 kHz mono float32 samples in [-1, 1] plus what the receipt and the logs need."""

    samples: np.ndarray
    duration: float
    format: str


# --- format sniffing ---------------------------------------------------------------------------

_AMR_NB_MAGIC = b"#!AMR\n"
_AMR_WB_MAGIC = b"#!AMR-WB\n"

# Demuxer names PyAV/FFmpeg use for each sniffed format; passing it explicitly stops FFmpeg from
# "probing" garbage into some exotic format.
_DEMUXERS: dict[str, str] = {
    "amr": "amr",
    "amr-wb": "amr",
    "opus": "ogg",
    "vorbis": "ogg",
    "ogg": "ogg",
    "webm": "matroska",
    "matroska": "matroska",
    "m4a": "mov",
    "mp4": "mov",
    "3gp": "mov",
    "mp3": "mp3",
    "aac": "aac",
    "wav": "wav",
    "flac": "flac",
}


_MIME_TYPES: dict[str, str] = {
    "amr": "audio/amr",
    "amr-wb": "audio/amr-wb",
    "opus": "audio/ogg",
    "vorbis": "audio/ogg",
    "ogg": "audio/ogg",
    "webm": "audio/webm",
    "matroska": "audio/x-matroska",
    "m4a": "audio/mp4",
    "mp4": "audio/mp4",
    "3gp": "audio/3gpp",
    "mp3": "audio/mpeg",
    "aac": "audio/aac",
    "wav": "audio/wav",
    "flac": "audio/flac",
}


def mime_type(fmt: str | None) -> str:
    """Content type for a :func:`sniff_format` result, for storing the original audio."""
    return _MIME_TYPES.get(fmt or "", "application/octet-stream")


def _mpeg_sync(data: bytes) -> str | None:
    """MPEG audio or ADTS AAC frame header at offset 0 (no ID3 tag)."""
    if len(data) < 4 or data[0] != 0xFF or (data[1] & 0xE0) != 0xE0:
        return None
    layer = (data[1] >> 1) & 0x03
    if layer == 0:
        # Layer "00" is reserved in MPEG audio, which is exactly how ADTS marks AAC.
        return "aac" if (data[1] & 0xF6) == 0xF0 else None
    bitrate_index = data[2] >> 4
    rate_index = (data[2] >> 2) & 0x03
    version = (data[1] >> 3) & 0x03
    if bitrate_index == 0x0F or rate_index == 0x03 or version == 0x01:
        return None
    return "mp3"


def sniff_format(data: bytes) -> str | None:
    """Name the audio container in ``data`` by its magic bytes, or ``None`` if it is not audio."""
    head = data[:64]
    if head.startswith(_AMR_NB_MAGIC):
        return "amr"
    if head.startswith(_AMR_WB_MAGIC):
        return "amr-wb"
    if head.startswith(b"OggS"):
        if b"OpusHead" in head:
            return "opus"
        if b"\x01vorbis" in head:
            return "vorbis"
        return "ogg"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm" if b"webm" in head else "matroska"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"M4A ", b"M4B "):
            return "m4a"
        if brand.startswith(b"3g"):
            return "3gp"
        return "mp4"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"fLaC"):
        return "flac"
    if head.startswith(b"ID3"):
        return "mp3"
    return _mpeg_sync(head)


# --- AMR frame walking -------------------------------------------------------------------------

# Bytes per storage-format frame including its 1-byte header, indexed by frame type (RFC 4867 §5.3).
_AMR_NB_FRAME_BYTES = (13, 14, 16, 18, 20, 21, 27, 32, 6, 1, 1, 1, 1, 1, 1, 1)
_AMR_WB_FRAME_BYTES = (18, 24, 33, 37, 41, 47, 51, 59, 61, 6, 1, 1, 1, 1, 1, 1)
_AMR_FRAME_SECONDS = 0.02


@dataclass(frozen=True)
class _AmrScan:
    frames: int
    valid: bool
    truncated: bool


def _scan_amr(data: bytes, wideband: bool) -> _AmrScan:
    """Walk the frame headers without decoding: duration and structural validity in microseconds.

    A header byte is ``0 FT(4) Q 0 0``; random bytes break that pattern within a few frames.
    """
    sizes = _AMR_WB_FRAME_BYTES if wideband else _AMR_NB_FRAME_BYTES
    pos = len(_AMR_WB_MAGIC if wideband else _AMR_NB_MAGIC)
    frames = 0
    while pos < len(data):
        header = data[pos]
        if header & 0x83:
            return _AmrScan(frames=frames, valid=False, truncated=False)
        size = sizes[(header >> 3) & 0x0F]
        if pos + size > len(data):
            return _AmrScan(frames=frames, valid=True, truncated=True)
        frames += 1
        pos += size
    return _AmrScan(frames=frames, valid=True, truncated=False)


# --- decoding ----------------------------------------------------------------------------------

# What PyAV raises on hostile input. InvalidDataError is both an FFmpegError and a ValueError;
# plain ValueError/IndexError come from PyAV's own checks on nonsense headers and layouts.
_DECODE_ERRORS = (av.FFmpegError, ValueError, IndexError, EOFError, OSError, MemoryError)


def _sniff_or_raise(data: bytes) -> str:
    if not data:
        raise AudioError("empty", detail="0 bytes")
    fmt = sniff_format(data)
    if fmt is None:
        raise AudioError("not_audio", detail=f"unknown magic {data[:12]!r}")
    return fmt


def _check_amr(data: bytes, fmt: str, max_seconds: float) -> None:
    if fmt not in ("amr", "amr-wb"):
        return
    scan = _scan_amr(data, wideband=fmt == "amr-wb")
    if not scan.valid:
        raise AudioError("corrupt", detail=f"invalid AMR frame header after {scan.frames} frames")
    if scan.frames == 0:
        if scan.truncated:
            raise AudioError("corrupt", detail="AMR data ends inside its first frame")
        raise AudioError("empty", detail="AMR header without frames")
    if scan.truncated:
        log.warning("AMR note truncated mid-frame after %d frames; decoding the rest", scan.frames)
    duration = scan.frames * _AMR_FRAME_SECONDS
    if duration > max_seconds:
        raise AudioError("too_long", too_long_message(max_seconds), f"{duration:.1f} s")


def _open(data: bytes, fmt: str) -> av.container.InputContainer:
    try:
        return av.open(io.BytesIO(data), mode="r", format=_DEMUXERS[fmt])
    except _DECODE_ERRORS as exc:
        raise AudioError("corrupt", detail=f"cannot open as {fmt}: {exc!r}") from exc


def _audio_stream(container: av.container.InputContainer) -> av.audio.stream.AudioStream:
    if not container.streams.audio:
        raise AudioError("not_audio", detail="container has no audio stream")
    return container.streams.audio[0]


def _declared_duration(
    container: av.container.InputContainer, stream: av.audio.stream.AudioStream
) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _frames_16k_mono(
    container: av.container.InputContainer, stream: av.audio.stream.AudioStream, fmt: str
) -> Iterator[np.ndarray]:
    """Yield resampled chunks; skip a few bad packets, give up on a mostly-garbage stream."""
    resampler = av.AudioResampler(format="flt", layout="mono", rate=TARGET_RATE)
    packets = bad = 0
    produced = False
    try:
        for packet in container.demux(stream):
            if packet.size == 0:  # the demuxer's flush packet
                continue
            packets += 1
            try:
                frames = packet.decode()
            except _DECODE_ERRORS as exc:
                bad += 1
                log.debug("skipping undecodable %s packet %d: %r", fmt, packets, exc)
                continue
            for frame in frames:
                for out in resampler.resample(frame):
                    produced = True
                    yield out.to_ndarray().reshape(-1)
    except _DECODE_ERRORS as exc:
        # A demuxer error after good audio is a cut-off upload: keep what we have.
        if not produced:
            raise AudioError("corrupt", detail=f"{fmt} demux failed: {exc!r}") from exc
        log.warning("%s note cut short after %d packets: %r", fmt, packets, exc)
    if bad > max(_MIN_BAD_PACKETS, _MAX_BAD_PACKET_RATIO * packets) or (bad and not produced):
        raise AudioError("corrupt", detail=f"{bad} of {packets} {fmt} packets undecodable")
    try:
        for out in resampler.resample(None):
            yield out.to_ndarray().reshape(-1)
    except _DECODE_ERRORS as exc:
        log.debug("resampler flush failed: %r", exc)


def _check_audible(samples: np.ndarray) -> None:
    peak = float(np.max(np.abs(samples)))
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    if peak < SILENT_PEAK or rms < SILENT_RMS:
        raise AudioError("silent", detail=f"peak {peak:.5f}, rms {rms:.6f}")


def decode_audio(data: bytes, *, max_seconds: float = DEFAULT_MAX_SECONDS) -> DecodedAudio:
    """Decode ``data`` to 16 kHz mono float32; raise :class:`AudioError` for anything unusable."""
    fmt = _sniff_or_raise(data)
    _check_amr(data, fmt, max_seconds)
    limit = int(max_seconds * TARGET_RATE)
    chunks: list[np.ndarray] = []
    total = 0
    with _open(data, fmt) as container:
        stream = _audio_stream(container)
        declared = _declared_duration(container, stream)
        # Headers can lie, so this is only an early exit; the sample count below is the real check.
        if declared is not None and declared > max_seconds + 1.0:
            raise AudioError(
                "too_long", too_long_message(max_seconds), f"declared {declared:.1f} s"
            )
        for chunk in _frames_16k_mono(container, stream, fmt):
            chunks.append(chunk)
            total += chunk.size
            if total > limit:
                raise AudioError("too_long", too_long_message(max_seconds), f"> {max_seconds} s")
    if total == 0:
        raise AudioError("empty", detail=f"{fmt} stream has no samples")
    samples = np.concatenate(chunks).astype(np.float32, copy=False)
    if not np.all(np.isfinite(samples)):
        raise AudioError("corrupt", detail="decoder produced NaN/inf samples")
    np.clip(samples, -1.0, 1.0, out=samples)
    _check_audible(samples)
    return DecodedAudio(samples=samples, duration=samples.size / TARGET_RATE, format=fmt)


def probe_duration(data: bytes) -> float:
    """Seconds of audio in ``data`` without decoding it, for the "收到 32 秒语音" receipt.

    AMR is timed from its frame headers; other formats from container metadata or, when a
    browser recording carries none, by summing packet durations while demuxing (no decoding).
    """
    fmt = _sniff_or_raise(data)
    if fmt in ("amr", "amr-wb"):
        scan = _scan_amr(data, wideband=fmt == "amr-wb")
        if not scan.valid or (scan.frames == 0 and scan.truncated):
            raise AudioError("corrupt", detail="invalid AMR frame structure")
        if scan.frames == 0:
            raise AudioError("empty", detail="AMR header without frames")
        return scan.frames * _AMR_FRAME_SECONDS
    with _open(data, fmt) as container:
        stream = _audio_stream(container)
        declared = _declared_duration(container, stream)
        if declared is not None and declared > 0:
            return declared
        end = 0.0
        try:
            for packet in container.demux(stream):
                if packet.pts is None or packet.time_base is None:
                    continue
                end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
        except _DECODE_ERRORS as exc:
            if end == 0.0:
                raise AudioError("corrupt", detail=f"{fmt} demux failed: {exc!r}") from exc
        return end
