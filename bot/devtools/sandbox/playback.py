"""Make a sent voice note playable in the page: browsers cannot play AMR, so it becomes WAV."""

from __future__ import annotations

import io
from typing import cast

import av
from av.audio.stream import AudioStream

PLAYABLE = ("audio/webm", "audio/ogg", "audio/mp4", "audio/mpeg", "audio/wav")


def transcode(
    data: bytes, *, container: str, codec: str, rate: int, bit_rate: int | None = None
) -> bytes:
    """Re-encode ``data`` as mono ``codec`` audio at ``rate`` Hz with PyAV (no ffmpeg binary)."""
    out_buffer = io.BytesIO()
    with (
        av.open(io.BytesIO(data), mode="r") as source,
        av.open(out_buffer, "w", format=container) as out,
    ):
        stream = cast(AudioStream, out.add_stream(codec, rate=rate))
        stream.layout = "mono"
        if bit_rate is not None:
            stream.bit_rate = bit_rate
        formats = stream.codec_context.codec.audio_formats
        assert formats, f"the {codec} encoder names its sample formats"
        resampler = av.AudioResampler(format=formats[0].name, layout="mono", rate=rate)
        for frame in [*source.decode(audio=0), None]:
            for resampled in resampler.resample(frame):
                for packet in stream.encode(resampled):
                    out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return out_buffer.getvalue()


def playable(data: bytes, content_type: str) -> tuple[bytes, str]:
    """``(bytes, content type)`` a browser's ``<audio>`` can play; AMR is decoded to 16-bit WAV."""
    if content_type in PLAYABLE:
        return data, content_type
    return transcode(data, container="wav", codec="pcm_s16le", rate=8000), "audio/wav"
