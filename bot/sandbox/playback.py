"""Make a sent voice note playable in the page: browsers cannot play AMR, so it becomes WAV."""

from __future__ import annotations

import io

import av

PLAYABLE = ("audio/webm", "audio/ogg", "audio/mp4", "audio/mpeg", "audio/wav")


def playable(data: bytes, content_type: str) -> tuple[bytes, str]:
    """``(bytes, content type)`` a browser's ``<audio>`` can play; AMR is decoded to 16-bit WAV."""
    if content_type in PLAYABLE:
        return data, content_type
    out_buffer = io.BytesIO()
    with (
        av.open(io.BytesIO(data), mode="r") as source,
        av.open(out_buffer, "w", format="wav") as out,
    ):
        stream = out.add_stream("pcm_s16le", rate=8000)
        stream.layout = "mono"
        resampler = av.AudioResampler(format="s16", layout="mono", rate=8000)
        for frame in [*source.decode(audio=0), None]:
            for resampled in resampler.resample(frame):
                for packet in stream.encode(resampled):
                    out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return out_buffer.getvalue(), "audio/wav"
