"""Speech recognition for voice notes: one async service, engines chosen in ``asr:`` settings.

Importing this package is cheap: faster-whisper, torch and the model load only inside workers.
"""

from nlp.asr.errors import AsrError
from nlp.asr.service import AsrService
from nlp.asr.types import Segment, Transcript
from nlp.audio import AudioError

__all__ = ["AsrError", "AsrService", "AudioError", "Segment", "Transcript"]
