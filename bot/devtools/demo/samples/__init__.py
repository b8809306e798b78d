"""The bundled sample voice notes (AMR-NB, as WeCom delivers them) and what each one says.

``make_samples.py`` regenerates the audio and ``samples.json``; the page lists them by title.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Sample:
    id: str  # the file stem, e.g. huadong_budget
    file: Path
    title: str  # what the page lists, e.g. 华东机械 · 预算50万
    text: str  # what the voice says
    client: str  # the seeded client it names
    seconds: float
    heard: str  # what the bundled Whisper base made of it when the sample was chosen


def load_samples(folder: Path = SAMPLES_DIR) -> list[Sample]:
    manifest = folder / "samples.json"
    if not manifest.exists():
        return []
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    return [
        Sample(
            id=Path(e["file"]).stem,
            file=folder / e["file"],
            title=e["title"],
            text=e["text"],
            client=e["client"],
            seconds=float(e["seconds"]),
            heard=e.get("heard", ""),
        )
        for e in entries
        if (folder / e["file"]).is_file()
    ]
