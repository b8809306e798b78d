"""Regenerate the demo's sample voice notes (run once; the outputs are committed).

    .venv/bin/python bot/devtools/demo/samples/make_samples.py

Synthesised like ``tests/data/audio/make_fixtures.py``: espeak-ng's ``cmn-latn-pinyin`` voice
(fed pinyin with tone numbers) encoded to AMR-NB 8 kHz with PyAV's ``libopencore_amrnb``, the
way WeCom delivers a voice note. espeak's Mandarin is robotic and the bundled Whisper base
mishears much of it, so these sentences were picked by running candidates through the real
pipeline (ASR with the rep's hotwords, then the extractor against the demo seed): each one comes
out naming its client (one of 张伟's seeded clients) with the amount, and most with the date.
What base heard at the time is kept in ``samples.json`` as ``heard``.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from bot.devtools.sandbox.playback import transcode
from nlp.audio import probe_duration

HERE = Path(__file__).resolve().parent
VOICE = "cmn-latn-pinyin+m3"  # the variant base recognised best (see make_fixtures.py)
SPEED_WPM, PITCH, WORD_GAP = "160", "50", "3"

# file stem -> what the page shows, what was said, the pinyin espeak reads, the client it names
SAMPLES: dict[str, dict[str, str]] = {
    "huadong_budget": {
        "title": "华东机械 · 预算50万",
        "text": "华东机械的客户想要年度维保，预算五十万，下个月签合同。",
        "pinyin": "hua2 dong1 ji1 xie4 de5 ke4 hu4 xiang3 yao4 nian2 du4 wei2 bao3, "
        "yu4 suan4 wu3 shi2 wan4, xia4 ge4 yue4 qian1 he2 tong2.",
        "client": "华东机械",
    },
    "boyuan_quote": {
        "title": "博远电子 · 报价90万",
        "text": "博远电子的客户想要运输管理系统，报价九十万元，下周五之前回复。",
        "pinyin": "bo2 yuan3 dian4 zi3 de5 ke4 hu4 xiang3 yao4 yun4 shu1 guan3 li3 xi4 tong3, "
        "bao4 jia4 jiu3 shi2 wan4 yuan2, xia4 zhou1 wu3 zhi1 qian2 hui2 fu4.",
        "client": "博远电子",
    },
    "mingguang_quote": {
        "title": "明光照明 · 报价20万",
        "text": "明光照明的客户想要年度维保，报价二十万元，下周一之前回复。",
        "pinyin": "ming2 guang1 zhao4 ming2 de5 ke4 hu4 xiang3 yao4 nian2 du4 wei2 bao3, "
        "bao4 jia4 er4 shi2 wan4 yuan2, xia4 zhou1 yi1 zhi1 qian2 hui2 fu4.",
        "client": "明光照明",
    },
}


def synthesise(pinyin: str) -> bytes:
    """espeak-ng WAV bytes (22.05 kHz mono s16)."""
    args = ["espeak-ng", "-v", VOICE, "-s", SPEED_WPM, "-p", PITCH, "-g", WORD_GAP, "--stdout"]
    return subprocess.run([*args, pinyin], check=True, capture_output=True).stdout


def to_amr(wav: bytes) -> bytes:
    """Re-encode to AMR-NB 12.2 kbit/s, 8 kHz mono, with PyAV (no ffmpeg binary involved)."""
    return transcode(wav, container="amr", codec="libopencore_amrnb", rate=8000, bit_rate=12200)


def main() -> None:
    manifest_path = HERE / "samples.json"
    old = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else []
    heard = {s["file"]: s.get("heard", "") for s in old}
    manifest = []
    for stem, facts in SAMPLES.items():
        amr = to_amr(synthesise(facts["pinyin"]))
        (HERE / f"{stem}.amr").write_bytes(amr)
        file = f"{stem}.amr"
        seconds = round(probe_duration(amr), 1)
        manifest.append({"file": file, **facts, "seconds": seconds, "heard": heard.get(file, "")})
    manifest_path.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
